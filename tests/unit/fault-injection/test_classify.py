#!/usr/bin/env python3
"""Outcome classifier on recorded traces (traces/: a QEMU golden run and a run
with a flipped free-page counter; the monitor console of tests/system/31's
faults-a run, whose golden is the same log without its fault records)."""
import os
import re
import tap
import classify

T = os.path.join(os.path.dirname(os.path.abspath(__file__)), "traces")


def rd(name):
    with open(os.path.join(T, name)) as f:
        return f.read()


QG, QSDC = rd("qemu-golden.log"), rd("qemu-sdc.log")
MF, GAMMA = rd("monitor-faults.log"), rd("gamma.log")
MG = "\n".join(l for l in MF.split("\n") if "FAULT" not in l and "halted" not in l)
ALPHA_ONLY = "\n".join(l for l in MF.split("\n") if "name=beta" not in l and "sandbox 1 halted" not in l)
SBX = {"alpha": "com2", "beta": "com3", "gamma": "com4"}


def run(com1, status=0, injected=True, **cons):
    c = {"com1": com1}
    c.update(cons)
    return {"status": status, "consoles": c, "injected": injected, "error": None}


def mon(target="alpha"):
    return {"monitor_console": "com1", "target": target, "sandboxes": SBX, "ignore": []}


STANDALONE = {"monitor_console": None, "target": None, "sandboxes": {}, "ignore": []}


def test_standalone_masked_identical():
    assert classify.classify(run(QG), run(QG), STANDALONE)[0] == "masked"


def test_standalone_sdc_recorded():
    o, why = classify.classify(run(QG), run(QSDC), STANDALONE)
    assert o == "sdc" and "com1" in why


def test_standalone_kernel_panic_is_detection():
    bad = QG.replace("stats: 64503 pages free", "kernel: exception 14 (page fault) error 0x2 at rip 10a7a0 "
                     "cr2 deadbeef in kernel mode\nkernel: panic: kernel fault", 1)
    assert classify.classify(run(QG), run(bad, status=3), STANDALONE)[0] == "detected_halted"


def test_standalone_reset_and_status():
    assert classify.classify(run(QG), run(QG[:200], status=126), STANDALONE)[0] == "system_failure"
    assert classify.classify(run(QG), run(QG, status=3), STANDALONE)[0] == "system_failure"


def test_hang_not_injected_error():
    assert classify.classify(run(QG), run(QG[:100], status=124), STANDALONE)[0] == "hang"
    assert classify.classify(run(QG), run(QG, injected=False), STANDALONE)[0] == "not_injected"
    f = run(QG)
    f["error"] = "gdbstub: no reply"
    assert classify.classify(run(QG), f, STANDALONE) == ("error", "gdbstub: no reply")


def test_ignore_patterns():
    other = QG.replace("stats: 64503 pages free", "stats: 64511 pages free")
    ctx = dict(STANDALONE, ignore=[r"^stats: \d+ pages free"])
    assert classify.classify(run(QG), run(other), ctx)[0] == "masked"


def test_fault_records_parsed():
    fs = classify.faults(MF)
    assert [(f["name"], f["kind"]) for f in fs] == [("beta", "ept-violation"), ("alpha", "ept-violation")]
    assert fs[1]["gpa"] == "0x0000000002000000" and fs[1]["action"] == "halt"


def test_monitor_detected_halted():
    o, why = classify.classify(run(MG, com4=GAMMA), run(ALPHA_ONLY, com4=GAMMA), mon("alpha"))
    assert o == "detected_halted" and "ept-violation" in why and "action=halt" in why


def test_monitor_unrelated_sandbox_fault_is_system_failure():
    o, why = classify.classify(run(MG, com4=GAMMA), run(MF, com4=GAMMA), mon("alpha"))
    assert o == "system_failure" and "beta" in why


def test_monitor_unrelated_console_harmed():
    hurt = GAMMA.replace("kernel: alive 7", "kernel: alive 9")
    o, why = classify.classify(run(MG, com4=GAMMA), run(ALPHA_ONLY, com4=hurt), mon("alpha"))
    assert o == "system_failure" and "gamma" in why


def test_monitor_console_or_status_harmed():
    cut = MG.split("[monitor] monitor trap count")[0]
    assert classify.classify(run(MG, com4=GAMMA), run(ALPHA_ONLY, status=126, com4=GAMMA),
                             mon("alpha"))[0] == "system_failure"
    assert classify.classify(run(MG, com4=GAMMA), run(cut.replace("cores: 3 of 3", "cores: 2 of 3"), com4=GAMMA),
                             mon("alpha"))[0] == "system_failure"


def test_monitor_masked_and_sdc():
    assert classify.classify(run(MG, com2="a\n", com4=GAMMA), run(MG, com2="a\n", com4=GAMMA),
                             mon("alpha"))[0] == "masked"
    assert classify.classify(run(MG, com2="a\n", com4=GAMMA), run(MG, com2="b\n", com4=GAMMA),
                             mon("alpha"))[0] == "sdc"


def test_recovered_hook():
    rec = ALPHA_ONLY + "\n[monitor] sandbox 0 (alpha) restarted from its pristine image\n"
    assert classify.classify(run(MG, com4=GAMMA), run(rec, com4=GAMMA), mon("alpha"))[0] == "detected_recovered"


def test_flight_outcome_hook():
    lim = {"attitude_deg": 30.0, "altitude_m": 5.0}
    assert classify.flight_outcome([{"roll": 1, "pitch": 2, "alt": 10, "alt_ref": 10}], lim) is None
    assert classify.flight_outcome([{"roll": 45, "pitch": 0, "alt": 10}], lim) == "attitude_exceeded"
    assert classify.flight_outcome([{"alt": 0.0}], lim) == "crash"
    assert classify.flight_outcome([{"alt": 20, "alt_ref": 10}], lim) == "altitude_exceeded"


assert re.search("FAULT", MF)
tap.run([test_standalone_masked_identical, test_standalone_sdc_recorded, test_standalone_kernel_panic_is_detection,
         test_standalone_reset_and_status, test_hang_not_injected_error, test_ignore_patterns,
         test_fault_records_parsed, test_monitor_detected_halted,
         test_monitor_unrelated_sandbox_fault_is_system_failure, test_monitor_unrelated_console_harmed,
         test_monitor_console_or_status_harmed, test_monitor_masked_and_sdc, test_recovered_hook,
         test_flight_outcome_hook])
