#!/usr/bin/env python3
"""Campaign spec parser: good specs parse, bad ones are refused with a message
naming the field; the same seed gives the same plan."""
# REQ-less: host tooling (QM); the campaigns themselves carry requirement IDs.
import json
import tap
import spec

BASE = {"backend": "qemu", "seed": 3,
        "system": {"iso": "x.iso", "image": "k.elf", "icount": 5},
        "faults": [{"target": {"kind": "symbol", "symbol": "counter"}, "model": {"kind": "bitflip"},
                    "when": {"breakpoint": "tick", "hit": [1, 5], "steps": [0, 100]}, "count": 4}]}
SYMS = {"counter": (0x200000, 8), "tick": (0x101000, 0), "buf": (0x300000, 64)}
BOCHS = {"backend": "bochs", "seed": 1,
         "system": {"iso": "x.iso", "image": "k.elf", "cores": 3, "sandboxes": {"a": "com2", "b": "com3"}},
         "faults": [{"target": {"kind": "sandbox", "sandbox": "a"}, "model": {"kind": "wild_write", "into": "b"},
                     "when": {"breakpoint": "tick"}, "count": 2}]}
SBX = {"a": {"id": 0, "base": 0x2000000, "size": 0x2000000, "core": 0},
       "b": {"id": 1, "base": 0x4000000, "size": 0x2000000, "core": 1}}


def mod(base, path, value):
    s = json.loads(json.dumps(base))
    d = s
    for k in path[:-1]:
        d = d[k]
    if value is KeyError:
        del d[path[-1]]
    else:
        d[path[-1]] = value
    return json.dumps(s)


def refused(text, *words):
    try:
        spec.parse_spec(text, "t.json")
    except spec.SpecError as e:
        for w in words:
            assert w in str(e), f"{w!r} not in {e}"
        assert str(e).startswith("t.json: ")
        return
    raise AssertionError("accepted: " + text)


def test_good_spec_parses():
    s = spec.parse_spec(json.dumps(BASE))
    assert s["seed"] == 3 and s["faults"][0]["when"]["hit"] == (1, 5)
    s = spec.parse_spec(json.dumps(BOCHS))
    assert s["faults"][0]["model"]["offset"] == (0, 0x100000)


def test_not_json():
    refused("{backend: qemu", "not JSON")


def test_missing_and_unknown_fields():
    refused(mod(BASE, ["seed"], KeyError), "missing 'seed'")
    refused(mod(BASE, ["colour"], "red"), "unknown field 'colour'")
    refused(mod(BASE, ["faults", 0, "model", "bitz"], 3), "faults[0].model", "unknown field 'bitz'")


def test_seed_out_of_range():
    refused(mod(BASE, ["seed"], -1), "seed", "out of range")
    refused(mod(BASE, ["seed"], 2**32), "seed", "out of range")
    refused(mod(BASE, ["seed"], "abc"), "seed", "not an integer")
    refused(mod(BASE, ["seed"], True), "seed")


def test_unknown_backend_target_model():
    refused(mod(BASE, ["backend"], "vmware"), "unknown 'vmware'")
    refused(mod(BASE, ["faults", 0, "target", "kind"], "disk"), "unknown kind 'disk'")
    refused(mod(BASE, ["faults", 0, "model", "kind"], "cosmic"), "unknown fault model 'cosmic'")


def test_partition_targets_and_models_refused_under_qemu():
    # The new targets and models need partitions (the monitor): Bochs only for now.
    for t in ({"kind": "sensor", "field": "baro_bias"}, {"kind": "channel", "channel": "act-b"},
              {"kind": "driver", "source": "e1000.c"}, {"kind": "sandbox"}):
        refused(mod(BASE, ["faults", 0, "target"], t), "needs partitions: Bochs, or QEMU with system.sandboxes")
    refused(mod(BASE, ["faults", 0, "target"], {"kind": "device"}), "use kind 'driver'")
    refused(mod(BASE, ["backend"], "sim"), "in-sandbox flight")
    refused(mod(BASE, ["faults", 0, "when"], {"control_period": 5}), "control_period", "QEMU with system.sandboxes")
    for m in ("hang", "budget_overrun", "driver_corruption", "sensor_fault"):
        refused(mod(BASE, ["faults", 0, "model"], {"kind": m}), f"'{m}' does not apply to a target of kind 'symbol'")


def test_bad_ranges_and_counts():
    refused(mod(BASE, ["faults", 0, "when", "hit"], [5, 1]), "is empty")
    refused(mod(BASE, ["faults", 0, "when", "hit"], 0), "hit", "out of range")
    refused(mod(BASE, ["faults", 0, "count"], 0), "count", "out of range")
    refused(mod(BASE, ["faults"], []), "non-empty")
    refused(mod(BASE, ["system", "icount"], KeyError), "icount")
    refused(mod(BASE, ["requirements"], ["not an id"]), "requirements")
    refused(mod(BASE, ["pass"], {"forbid": ["sad"]}), "unknown outcome 'sad'")


def test_backend_constraints():
    refused(mod(BASE, ["faults", 0, "target", "sandbox"], "a"), "standalone kernel")
    refused(mod(BOCHS, ["faults", 0, "model", "into"], "a"), "another sandbox")
    refused(mod(BOCHS, ["faults", 0, "target", "sandbox"], "zeta"), "'zeta' is not a sandbox")
    refused(mod(BOCHS, ["faults", 0, "when", "steps"], 5000), "at most 1000 under Bochs")
    spec.parse_spec(mod(BOCHS, ["faults", 0, "when", "steps"], 3))
    refused(mod(BOCHS, ["faults", 0, "model", "by"], "monitor"), "model.by: 'guest' or 'injector'")
    refused(mod(BOCHS, ["faults", 0, "when"], {"instructions": 1000}), "not available")
    q = json.loads(json.dumps(BASE))
    q["faults"][0]["model"] = {"kind": "wild_write", "into": "b"}
    refused(json.dumps(q), "'wild_write' does not apply to a target of kind 'symbol'")


def test_plan_deterministic_and_in_range():
    s = spec.parse_spec(json.dumps(BASE))
    p1, p2 = spec.plan(s, SYMS), spec.plan(spec.parse_spec(json.dumps(BASE)), SYMS)
    assert p1 == p2 and len(p1) == 4
    for inj in p1:
        assert 0x200000 <= inj["address"] < 0x200008 and 0 <= inj["bit"] < 8
        assert 1 <= inj["hit"] <= 5 and 0 <= inj["steps"] <= 100
    other = spec.plan(spec.parse_spec(mod(BASE, ["seed"], 4)), SYMS)
    assert other != p1


def test_plan_unknown_symbol_and_range():
    s = spec.parse_spec(mod(BASE, ["faults", 0, "target", "symbol"], "nosuch"))
    try:
        spec.plan(s, SYMS)
        raise AssertionError("accepted")
    except spec.SpecError as e:
        assert "unknown symbol 'nosuch'" in str(e)
    s = spec.parse_spec(mod(BASE, ["faults", 0, "target", "length"], 9))
    try:
        spec.plan(s, SYMS)
        raise AssertionError("accepted")
    except spec.SpecError as e:
        assert "past the end of 'counter'" in str(e)


def test_plan_memory_outside_sandbox():
    b = json.loads(json.dumps(BOCHS))
    b["faults"][0] = {"target": {"kind": "memory", "sandbox": "a", "start": "0x1fff000", "length": 0x2000},
                      "model": {"kind": "bitflip"}, "when": {"breakpoint": "tick"}, "count": 1}
    try:
        spec.plan(spec.parse_spec(json.dumps(b)), SYMS, SBX)
        raise AssertionError("accepted")
    except spec.SpecError as e:
        assert "outside sandbox a" in str(e)


def test_wild_write_lands_in_victim():
    for inj in spec.plan(spec.parse_spec(json.dumps(BOCHS)), SYMS, SBX):
        assert 0x4000000 <= inj["address"] < 0x4100000 and inj["address"] % 8 == 0


def test_wild_write_by_injector():
    """The guest-performed write and the injector's write draw the same victim address;
    only the injector's carries a (seed-drawn, reproducible) value."""
    g = spec.plan(spec.parse_spec(json.dumps(BOCHS)), SYMS, SBX)
    i1 = spec.plan(spec.parse_spec(mod(BOCHS, ["faults", 0, "model", "by"], "injector")), SYMS, SBX)
    i2 = spec.plan(spec.parse_spec(mod(BOCHS, ["faults", 0, "model", "by"], "injector")), SYMS, SBX)
    assert [x["address"] for x in g] == [x["address"] for x in i1]
    assert all(x["by"] == "guest" and "value" not in x for x in g)
    assert all(x["by"] == "injector" and 0 <= x["value"] < 2**64 for x in i1)
    assert i1 == i2 and i1[0]["value"] != i1[1]["value"]


def test_masks():
    inj = {"model": "bitflip", "bit": 3, "bits": 1}
    assert spec.apply_mask(0xf7, inj, 8) == 0xff
    assert spec.apply_mask(0xff, {"model": "burst", "bit": 4, "bits": 4}, 8) == 0x0f
    assert spec.apply_mask(0x00, {"model": "stuck_at", "bit": 0, "bits": 1, "value": 1}, 8) == 0x01
    assert spec.apply_mask(0x01, {"model": "stuck_at", "bit": 0, "bits": 1, "value": 0}, 8) == 0x00


tap.run([test_good_spec_parses, test_not_json, test_missing_and_unknown_fields, test_seed_out_of_range,
         test_unknown_backend_target_model, test_partition_targets_and_models_refused_under_qemu,
         test_bad_ranges_and_counts, test_backend_constraints, test_plan_deterministic_and_in_range,
         test_plan_unknown_symbol_and_range, test_plan_memory_outside_sandbox, test_wild_write_lands_in_victim,
         test_wild_write_by_injector, test_masks])
