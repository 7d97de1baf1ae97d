#!/usr/bin/env python3
"""Spec -> injector commands: every fault model and target kind planned from a
spec, then translated into the Bochs debugger's commands and bytes; the
debugger's answers (recorded from Bochs 2.7 in traces/bochs-*.txt) parsed."""
# REQ: MON-FLT-001
import json
import os
import struct
import subprocess
import tempfile
import tap
import bochs_cmds
import spec

T = os.path.join(os.path.dirname(os.path.abspath(__file__)), "traces")
TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
PROGS = {"fc_replica": {"elf": "fc", "period": "fc_replica_step"}, "sim_plant": {"elf": "sim", "period": "quad_step"}}
SYSTEM = {"iso": "x.iso", "image": "k.elf", "table": "t.txt", "cores": 3, "programs": PROGS,
          "sandboxes": {"io": {"console": "com2"}, "fc-b": {"program": "fc_replica"}, "sim": {"program": "sim_plant"}}}
SBX = {"io": {"id": 0, "base": 0x2000000, "size": 0x2000000, "core": 0},
       "fc-b": {"id": 1, "base": 0x6000000, "size": 0x2000000, "core": 2},
       "sim": {"id": 2, "base": 0xC000000, "size": 0x2000000, "core": 5}}
KSYMS = {"thread_sleep_until": (0x104000, 0x80), "uart_base": (0x39a120, 2), "panic": (0x10a3a0, 0x40)}
ENV = {"programs": {"fc_replica": {"fc_replica_step": (0x40004f40, 0xb8), "st.2": (0x40013360, 0x5c),
                                   "o.1": (0x40013240, 0x120), "abort": (0x4000ecd0, 0x20)},
                    "sim_plant": {"quad_step": (0x400040f0, 0x100), "sp.2": (0x40017280, 0x48)}},
       "sources": {"/w/sandbox-kernel/drivers/net/e1000.c": [(0x3e29c8, 8, "nic"), (0x3e29c0, 8, "mmio")]},
       "channels": {"act-b": (0xe008000, 0x1000)}}


def one(fault):
    s = spec.parse_spec(json.dumps({"backend": "bochs", "seed": 5, "system": json.loads(json.dumps(SYSTEM)),
                                    "faults": [dict(fault, count=3)]}))
    return spec.plan(s, KSYMS, SBX, ENV)


def test_program_symbol_at_a_control_period():
    p = one({"target": {"kind": "symbol", "sandbox": "fc-b", "program": "fc_replica", "symbol": "st"},
             "model": {"kind": "bitflip"}, "when": {"control_period": [100, 200]}})
    for inj in p:
        assert inj["space"] == "virtual" and 0x40013360 <= inj["address"] < 0x40013360 + 0x5c
        assert 100 <= inj["period"] <= 200 and inj["period_addr"] == 0x40004f40
        cmds, how = bochs_cmds.stop_commands(inj, SBX["fc-b"])
        assert cmds == ["lb 0x40004f40"] and how == "period"
        old = bytes([0x00])
        new = bochs_cmds.new_bytes(inj, old)
        assert new[0] == 1 << inj["bit"] and bochs_cmds.read_length(inj) == 1


def test_burst_and_stuck_at_bytes():
    p = one({"target": {"kind": "symbol", "sandbox": "fc-b", "program": "fc_replica", "symbol": "o"},
             "model": {"kind": "burst", "bits": 4}, "when": {"control_period": 5}})
    for inj in p:
        n = bochs_cmds.read_length(inj)
        new = int.from_bytes(bochs_cmds.new_bytes(inj, bytes(n)), "little")
        assert bin(new).count("1") == 4 and new == 0xF << inj["bit"]
    p = one({"target": {"kind": "symbol", "sandbox": "fc-b", "program": "fc_replica", "symbol": "o"},
             "model": {"kind": "stuck_at", "value": 0}, "when": {"control_period": 5}})
    for inj in p:
        assert bochs_cmds.new_bytes(inj, b"\xff")[0] == 0xff & ~(1 << inj["bit"])


def test_setpmem_and_xp_commands():
    assert bochs_cmds.setpmem(0x6437f40, b"\xfa\xeb\xfe") == [
        "setpmem 0x6437f40 1 0xfa", "setpmem 0x6437f41 1 0xeb", "setpmem 0x6437f42 1 0xfe"]
    assert bochs_cmds.xp(0x6000010, 8) == "xp /8bx 0x6000010"


def test_hang_and_budget_overrun_code():
    p = one({"target": {"kind": "sandbox", "sandbox": "fc-b"}, "model": {"kind": "hang"},
             "when": {"control_period": [10, 20], "breakpoint": "thread_sleep_until"}})
    inj = p[0]
    assert inj["hit"] == 1 and inj["breakpoint_addr"] == 0x104000 and "period" in inj
    assert inj["code_addr"] == 0x10a3a0 and inj["space"] == "guest"      # over panic, never run
    assert bochs_cmds.new_bytes(inj, b"\0\0\0") == b"\xfa\xeb\xfe"  # cli; jmp .
    p = one({"target": {"kind": "sandbox", "sandbox": "fc-b"}, "model": {"kind": "budget_overrun"},
             "when": {"control_period": 30}})
    assert bochs_cmds.new_bytes(p[0], b"\0\0") == b"\xeb\xfe" and bochs_cmds.read_length(p[0]) == 2
    assert p[0]["code_addr"] == 0x4000ecd0 and p[0]["space"] == "virtual"  # over the program's abort


def test_kernel_stop_is_physical_at_the_sandbox_copy():
    p = one({"target": {"kind": "sandbox", "sandbox": "fc-b"}, "model": {"kind": "wild_write", "into": "io"},
             "when": {"breakpoint": "thread_sleep_until", "hit": [3, 9]}})
    for inj in p:
        cmds, how = bochs_cmds.stop_commands(inj, SBX["fc-b"])
        assert cmds == [f"pb {0x6000000 + 0x104000:#x}"] and how == "kernel" and 3 <= inj["hit"] <= 9
        assert SBX["io"]["base"] <= inj["address"] < SBX["io"]["base"] + SBX["io"]["size"]


def test_channel_target_is_host_physical_in_writer_pages():
    p = one({"target": {"kind": "channel", "channel": "act-b", "sandbox": "fc-b"}, "model": {"kind": "bitflip"},
             "when": {"control_period": 7}})
    for inj in p:
        assert inj["space"] == "host" and 0xe008000 <= inj["address"] < 0xe009000
    try:
        one({"target": {"kind": "channel", "channel": "act-z", "sandbox": "fc-b"}, "model": {"kind": "bitflip"},
             "when": {"control_period": 7}})
        raise AssertionError("unknown channel accepted")
    except spec.SpecError as e:
        assert "unknown channel 'act-z'" in str(e)


def test_driver_corruption_lands_in_driver_data():
    p = one({"target": {"kind": "driver", "sandbox": "io", "source": "drivers/net/e1000.c"},
             "model": {"kind": "driver_corruption"}, "when": {"breakpoint": "thread_sleep_until"}})
    for inj in p:
        assert inj["symbol"] in ("nic", "mmio") and 0x3e29c0 <= inj["address"] < 0x3e29d0
        assert inj["space"] == "guest" and bochs_cmds.kernel_address(inj, SBX["io"], inj["address"]) == \
            0x2000000 + inj["address"]
    try:
        one({"target": {"kind": "driver", "sandbox": "io", "source": "drivers/usb.c"},
             "model": {"kind": "driver_corruption"}, "when": {"breakpoint": "thread_sleep_until"}})
        raise AssertionError("unknown driver accepted")
    except spec.SpecError as e:
        assert "no data symbols of source 'drivers/usb.c'" in str(e)


def test_sensor_fault_adds_a_bias():
    p = one({"target": {"kind": "sensor", "sandbox": "sim", "field": "baro_bias"},
             "model": {"kind": "sensor_fault", "bias": [0.25, 0.5]}, "when": {"control_period": [50, 60]}})
    for inj in p:
        assert inj["address"] == 0x40017280 + 48 and inj["space"] == "virtual"
        assert 0.25 <= inj["bias"] <= 0.5
        (v,) = struct.unpack("<d", bochs_cmds.new_bytes(inj, struct.pack("<d", 1.0)))
        assert abs(v - (1.0 + inj["bias"])) < 1e-12


def test_sensor_offsets_match_the_header():
    # spec.SENSOR_FIELDS must be offsetof() in tools/sim/sensors.h's struct sensor_params.
    src = "#include <stddef.h>\n#include <stdio.h>\n#include \"sensors.h\"\nint main(void){printf(\"%zu %zu %zu %zu\\n\"," \
          "offsetof(struct sensor_params,gyro_bias[0]),offsetof(struct sensor_params,gyro_bias[1])," \
          "offsetof(struct sensor_params,gyro_bias[2]),offsetof(struct sensor_params,baro_bias));return 0;}\n"
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "o.c"), "w") as f:
            f.write(src)
        subprocess.run(["gcc", "-I", os.path.join(TOP, "tools", "sim"), "-I", os.path.join(TOP, "tmr"),
                        "-I", os.path.join(TOP, "tools", "flightctl"), "-I", os.path.join(TOP, "channels"),
                        "-I", TOP, "-o", os.path.join(d, "o"), os.path.join(d, "o.c")], check=True)
        got = subprocess.run([os.path.join(d, "o")], capture_output=True, text=True, check=True).stdout.split()
    f = spec.SENSOR_FIELDS
    assert [int(x) for x in got] == [f["gyro_bias_x"], f["gyro_bias_y"], f["gyro_bias_z"], f["baro_bias"]]


def test_bad_input_is_refused():
    base = {"target": {"kind": "symbol", "sandbox": "fc-b", "program": "fc_replica", "symbol": "st"},
            "model": {"kind": "bitflip"}, "when": {"control_period": 5}}
    for change, words in (
            ({"target": dict(base["target"], symbol="nosuch")}, "unknown symbol 'nosuch'"),
            ({"when": {"breakpoint": "thread_sleep_until"}}, "program memory is reached at a stop in that program"),
            ({"target": {"kind": "memory", "sandbox": "io", "start": 0x1fffff0, "length": 32}},
             "outside sandbox io"),
            ({"target": {"kind": "sandbox", "sandbox": "fc-b"}, "model": {"kind": "hang"}, "when": {"control_period": 5}},
             "a hang is injected in kernel code"),
            ({"target": {"kind": "sensor", "sandbox": "sim", "field": "speed"}, "model": {"kind": "sensor_fault", "bias": 1}},
             "target.field: one of"),
            ({"target": {"kind": "sensor", "sandbox": "sim", "field": "baro_bias"}, "model": {"kind": "bitflip"}},
             "'bitflip' does not apply to a target of kind 'sensor'")):
        try:
            f = dict(base, **change)
            if f["target"]["kind"] == "memory":
                f["when"] = {"breakpoint": "thread_sleep_until"}
            one(f)
            raise AssertionError(f"accepted: {change}")
        except spec.SpecError as e:
            assert words in str(e), f"{words!r} not in {e}"


def test_parse_recorded_answers():
    with open(os.path.join(T, "bochs-stop.txt")) as f:
        text = f.read()
    m = list(bochs_cmds.STOP_RE.finditer(text))
    assert [bochs_cmds.parse_stop(x) for x in m] == [(2, "Breakpoint 1", 0x6437f40), (4, "Breakpoint 1", 0xa437f40)]
    with open(os.path.join(T, "bochs-page.txt")) as f:
        assert bochs_cmds.parse_page(f.read()) == (0x40004000, 0x2437000)
    assert bochs_cmds.parse_page("no translation") is None


def test_coarse_skip_and_segments():
    sysd = json.loads(json.dumps(SYSTEM))
    sysd["programs"]["fc_replica"]["skip"] = True
    sysd["programs"]["io_voter"] = {"elf": "io", "period": "tmr_rs_period", "skip": True}
    sysd["sandboxes"]["io"]["program"] = "io_voter"
    sysd["flight"] = {"console": "com2", "replicas": {"fc-b": "b"},
                      "coarse": {"sandbox": "io", "symbol": "io_status_line", "every": 100}}
    env = json.loads(json.dumps(ENV))
    env["programs"]["io_voter"] = {"io_status_line": [0x400006c0, 0x80], "tmr_rs_period": [0x400056a0, 9]}
    env["segments"] = {"fc_replica": [(0x40000000, 0xf000, "RE"), (0x40012000, 0x5a08, "RW")],
                       "": [(0x100000, 0x23000, "RE"), (0x174000, 0x1d88c0, "RW")]}
    faults = [{"target": {"kind": "memory", "sandbox": "fc-b", "program": "fc_replica", "segment": "rw"},
               "model": {"kind": "bitflip"}, "when": {"control_period": [150, 400]}, "count": 5},
              {"target": {"kind": "memory", "sandbox": "fc-b", "segment": "rw"},
               "model": {"kind": "bitflip"}, "when": {"control_period": [150, 400]}, "count": 5},
              {"target": {"kind": "sensor", "sandbox": "sim", "field": "gyro_bias_z"},
               "model": {"kind": "sensor_fault", "bias": 0.01}, "when": {"control_period": 250}, "count": 1}]
    s = spec.parse_spec(json.dumps({"backend": "bochs", "seed": 9, "system": sysd, "faults": faults}))
    p = spec.plan(s, KSYMS, SBX, env)
    for inj in p[:5]:
        assert inj["space"] == "virtual" and 0x40012000 <= inj["address"] < 0x40012000 + 0x5a08
        assert inj["coarse_addr"] == 0x400006c0 and inj["coarse_every"] == 100 and inj["coarse_sandbox"] == "io"
    for inj in p[5:10]:
        assert inj["space"] == "guest" and 0x174000 <= inj["address"] < 0x174000 + 0x1d88c0
    # the plant has no "skip": its period is counted from the start, no coarse stop
    assert "coarse_addr" not in p[10] and p[10]["period"] == 250
    # where the program says its period: the stop is the first call at period >= P
    sysd["programs"]["fc_replica"]["period_value"] = {"reg": "rdx", "offset": 4}
    s = spec.parse_spec(json.dumps({"backend": "bochs", "seed": 9, "system": sysd, "faults": faults[:1]}))
    assert spec.plan(s, KSYMS, SBX, env)[0]["period_value"] == {"reg": "rdx", "offset": 4}
    sysd["programs"]["fc_replica"]["period_value"] = {"reg": "xmm0"}
    try:
        spec.parse_spec(json.dumps({"backend": "bochs", "seed": 9, "system": sysd, "faults": faults[:1]}))
        raise AssertionError("accepted a bad register")
    except spec.SpecError as e:
        assert "period_value.reg" in str(e)


def test_parse_table():
    with open(os.path.join(T, "uav-table.txt")) as f:
        ch = spec.parse_table(f.read())
    assert ch["sensors"] == (0xe000000, 0x2000) and ch["act-b"] == (0xe008000, 0x1000)
    assert len(ch) == 13


if __name__ == "__main__":
    tap.run([test_program_symbol_at_a_control_period, test_burst_and_stuck_at_bytes, test_setpmem_and_xp_commands,
             test_hang_and_budget_overrun_code, test_kernel_stop_is_physical_at_the_sandbox_copy,
             test_channel_target_is_host_physical_in_writer_pages, test_driver_corruption_lands_in_driver_data,
             test_sensor_fault_adds_a_bias, test_sensor_offsets_match_the_header, test_bad_input_is_refused,
             test_parse_recorded_answers, test_coarse_skip_and_segments, test_parse_table])
