#!/usr/bin/env python3
"""The harness's stall watchdog and the QEMU target's pending-step bookkeeping.

stalled_for on sampled run states; then against a real QEMU (QMP socket, -icount): a VM
held stopped by nobody is ended as a stall within the limit (QEMU quits), a VM held by
the injector or running is left alone.  QemuTarget on stop replies recorded from QEMU
7.2's gdbstub: a step answered by another core's stop leaves the stepped core's step
armed (pending) until that core reports; release() clears the breakpoints and continues
every later stop until the stub closes, instead of detaching with a step armed (the VM
would stop for good: the stall of session 3)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tap
import gdbrsp
import watchdog

sys.argv = sys.argv[:1]
import inject  # noqa: E402


def test_stalled_for():
    assert watchdog.stalled_for([], 5) is None
    run = [(t, True, False) for t in range(10)]
    assert watchdog.stalled_for(run, 5) is None
    stopped = [(t, False, False) for t in range(10)]
    assert watchdog.stalled_for(stopped, 5) == 9
    assert watchdog.stalled_for(stopped, 10) is None
    # held by the injector: not a stall however long
    assert watchdog.stalled_for([(t, False, True) for t in range(100)], 5) is None
    # a running or held sample in between starts the count again
    mixed = [(0, False, False), (1, False, False), (2, False, True), (3, False, False), (6, False, False)]
    assert watchdog.stalled_for(mixed, 3) == 3
    assert watchdog.stalled_for(mixed, 4) is None
    assert watchdog.stalled_for(mixed + [(7, True, False)], 3) is None


def qemu(qmp, held_at_start):
    exe = shutil.which("qemu-system-x86_64")
    assert exe, "qemu-system-x86_64 not installed (make deps)"
    args = [exe, "-machine", "pc", "-display", "none", "-monitor", "none", "-nodefaults",
            "-icount", "shift=5,sleep=off", "-qmp", f"unix:{qmp},server=on,wait=off"]
    return subprocess.Popen(args + (["-S"] if held_at_start else []), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def with_qemu(held_at_start, body):
    d = tempfile.mkdtemp(prefix="fi-wd-")
    qmp = os.path.join(d, "qmp.sock")
    proc = qemu(qmp, held_at_start)
    try:
        deadline = time.monotonic() + 20
        while not os.path.exists(qmp):
            assert time.monotonic() < deadline, "QEMU made no QMP socket"
            time.sleep(0.05)
        body(proc, qmp)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        shutil.rmtree(d, ignore_errors=True)


def test_real_qemu_stopped_vm_is_a_stall():
    def body(proc, qmp):
        w = watchdog.Watchdog(qmp, limit=2, interval=0.2).start()
        proc.wait(timeout=30)          # the watchdog made QEMU quit
        w.stop()
        assert w.stall and "harness stall" in w.stall and "prelaunch" in w.stall, w.stall
    with_qemu(True, body)


def test_real_qemu_held_or_running_is_not():
    def held(proc, qmp):
        w = watchdog.Watchdog(qmp, limit=0.6, interval=0.2)
        w.held = True                  # the injector has the VM at a stop
        w.start()
        time.sleep(2)
        w.stop()
        assert w.stall is None and proc.poll() is None and w.state == "prelaunch", (w.stall, w.state)

    def running(proc, qmp):
        w = watchdog.Watchdog(qmp, limit=0.6, interval=0.2).start()
        time.sleep(2)                  # the BIOS finds no disk and waits: the clock runs on
        w.stop()
        assert w.stall is None and proc.poll() is None and w.state == "running", (w.stall, w.state)
    with_qemu(True, held)
    with_qemu(False, running)


class RecordedStub:
    """The replies QEMU 7.2's gdbstub gave, in order, for the commands the target sends."""

    def __init__(self, replies):
        self.replies, self.sent = list(replies), []

    def command(self, cmd, timeout=None):
        self.sent.append(cmd)
        r = self.replies.pop(0)
        if isinstance(r, Exception):
            raise r
        return r

    def set_breakpoint(self, addr):
        self.sent.append(b"Z0,%x" % addr)

    def clear_breakpoint(self, addr):
        self.sent.append(b"z0,%x" % addr)


def test_pending_step_bookkeeping():
    g = RecordedStub([b"T05thread:p01.03;",   # c: core 2 at the breakpoint
                      b"T05thread:p01.05;",   # s of core 2 answered by core 4's breakpoint
                      b"T05thread:p01.05;",   # c: core 4 again (its breakpoint re-reported)
                      b"T05thread:p01.05;",   # s of core 4: answered by itself
                      b"T05thread:p01.03;"])  # c: core 2's armed step completes
    w = watchdog.Watchdog("/nonexistent", 60)
    q = inject.QemuTarget(g, 10, w)
    assert q.next_stop() == 2 and w.held and q.pending == set()
    assert q.next_stop() == 4
    assert q.pending == {2} and q.foreign == 1
    assert q.next_stop() == 2
    assert q.pending == set() and q.foreign == 1
    assert g.sent == [b"c", b"s", b"c", b"s", b"c"]


def test_release_continues_until_the_end():
    g = RecordedStub([b"T05thread:p01.03;",   # c: core 2 at the breakpoint
                      b"T05thread:p01.02;",   # s of core 2 answered by core 1: core 2 armed
                      b"T05thread:p01.02;",   # c: core 1 again
                      # release: no detach, continue every stop until the stub closes
                      b"T05thread:p01.03;",   # core 2's armed step reports
                      gdbrsp.GdbError("gdbstub closed the connection")])
    q = inject.QemuTarget(g, 10, watchdog.Watchdog("/nonexistent", 60))
    q.set_breakpoint(0x1000)
    q.next_stop()
    q.next_stop()
    assert q.pending == {2}
    log = []
    q.release(log)
    assert q.pending == set() and q.bps == set()
    assert b"z0,1000" in g.sent and b"D" not in g.sent and g.sent[-2:] == [b"c", b"c"]
    assert "1 step(s) still armed at the release (cores [2]), 1 stop(s) after it continued" in log[0], log
    assert not q.watch.held


def test_release_with_a_broken_stub_is_an_error():
    g = RecordedStub([gdbrsp.GdbError("no reply from gdbstub in time")])
    q = inject.QemuTarget(g, 10)
    try:
        q.release([])
        raise AssertionError("a stub that stopped answering was taken for the run's end")
    except gdbrsp.GdbError as e:
        assert "no reply" in str(e)


tests = [test_stalled_for, test_pending_step_bookkeeping, test_release_continues_until_the_end,
         test_release_with_a_broken_stub_is_an_error]
if not os.environ.get("FI_SKIP_QEMU"):
    tests += [test_real_qemu_stopped_vm_is_a_stall, test_real_qemu_held_or_running_is_not]
tap.run(tests)
