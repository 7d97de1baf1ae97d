#!/usr/bin/env python3
"""Run a fault-injection campaign: a golden run, then N injections, each
classified against the golden run; results under build/fault-injection/NAME/.

  fault-injection/tools/inject.py CAMPAIGN.json [--out DIR] [--only N] [--fresh]

QEMU: the runner starts QEMU (-icount, -gdb, -S) through tools/run-emu and
speaks the GDB remote protocol itself (gdbrsp.py): breakpoint on a symbol,
the N-th hit, a number of single steps, then a memory or register write,
then detach.  Bochs: the runner feeds Bochs' debugger through a FIFO given
to tools/run-emu --bochs-rc: 'pb ADDR' (the sandbox's host-physical copy of
the symbol), 'c' N times, 'set $cpu', 's CPU N', 'ptime', then xp/r to read,
setpmem / set to write, 'c', 'quit' (docs/fault-injection.md).  Exit status: 0 campaign passed, 1 failed its pass criteria,
2 bad spec or missing inputs (nothing run), 3 the golden run failed."""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bochs_cmds  # noqa: E402
import classify  # noqa: E402
import flight  # noqa: E402
import gdbrsp  # noqa: E402
import html_report  # noqa: E402
import quiet  # noqa: E402
import report  # noqa: E402
import spec as specmod  # noqa: E402
import watchdog  # noqa: E402

# Wall seconds a QEMU run's VM may stand stopped, with no debugger stop being handled,
# before the run is ended as a harness stall (watchdog.py).  Nothing in a healthy run
# stops the VM that long: the injector holds it only while it handles a stop.
STALL_SECONDS = float(os.environ.get("FI_STALL_SECONDS", "60"))

TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
RUN_EMU = os.path.join(TOP, "tools", "run-emu")
SANDBOX_RE = re.compile(r"\[monitor\] sandbox (\d+) (\S+): ram (0x[0-9a-f]+)\+(0x[0-9a-f]+) cores (0x[0-9a-f]+)")


def die(msg, status=2):
    print(f"inject: {msg}", file=sys.stderr)
    sys.exit(status)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def emu_args(spec, out):
    sysd = spec["system"]
    a = [RUN_EMU, "--emu", spec["backend"], "--iso", sysd["iso"], "--cores", str(sysd["cores"]),
         "--memory", str(sysd["memory"]), "--serial-ports", str(sysd["serial_ports"]),
         "--timeout", str(sysd["timeout"]), "--out", out]
    if "icount" in sysd:
        a += ["--icount", str(sysd["icount"])]
    if spec["backend"] == "qemu" and specmod.partitioned(spec):
        # The guest clock from virtual time, not the host's: the monitor prints TSC values
        # that must match the golden run's.
        a += ["--extra=-rtc", "--extra=clock=vm,base=2026-01-01T00:00:00"]
    if "ips" in sysd:
        a += ["--ips", str(sysd["ips"])]
    if "until" in sysd:
        a += ["--until", sysd["until"]]
    return a


def collect(spec, out, status, injected, error=None, log=None):
    cons = {}
    for i in range(1, spec["system"]["serial_ports"] + 1):
        p = os.path.join(out, f"com{i}.log")
        try:
            with open(p, "rb") as f:
                cons[f"com{i}"] = f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            cons[f"com{i}"] = ""
    try:
        with open(os.path.join(out, "emulator.log"), "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - 8192))
            emu = f.read().decode("utf-8", "replace")
    except OSError:
        emu = ""
    try:
        with open(os.path.join(out, "runner.txt"), "rb") as f:
            runner = f.read(65536).decode("utf-8", "replace")
    except OSError:
        runner = ""
    return {"status": status, "consoles": cons, "injected": injected, "error": error, "log": log or [],
            "emulator": emu, "runner": runner}


def runner_log(out):
    """tools/run-emu's stderr (its summary line says how the run ended) goes to a file:
    a pipe nobody reads could fill up and block the runner."""
    return open(os.path.join(out, "runner.txt"), "wb")


def golden_run(spec, out):
    os.makedirs(out, exist_ok=True)
    if spec["backend"] == "qemu" and specmod.partitioned(spec):
        # Started the way the injection runs start (held by -S, gdbstub attached, then let
        # go): QEMU -icount with several cores boots to other TSC values otherwise.
        proc, port, qmp = start_qemu(spec, out)
        log, error, gdb, watch = [], None, None, None
        try:
            gdb = connect_gdb(spec, port)
            watch = start_watch(qmp)
            gdb.detach()
            watch.held = False
        except (gdbrsp.GdbError, OSError) as e:
            error = gdb_failure(e, log)
        return finish_run(spec, out, proc, gdb, True, error, log, watch, qmp)
    with runner_log(out) as err:
        p = subprocess.run(emu_args(spec, out), stdout=subprocess.DEVNULL, stderr=err)
    return collect(spec, out, p.returncode, True)


# ---------------------------------------------------------------- QEMU
def start_qemu(spec, out):
    """QEMU held at its first instruction (-S) with its gdbstub on a free local port.  The
    stub's socket is a chardev with nodelay: each stop is a few small packets each way,
    and Nagle's algorithm against the delayed acknowledgement made every round trip 40 ms."""
    os.makedirs(out, exist_ok=True)
    port = free_port()
    # QMP for the stall watchdog: a short path (a UNIX socket path has at most 107 bytes)
    qmp = os.path.join(tempfile.gettempdir(), f"fi-qmp-{os.getpid()}-{port}.sock")
    args = emu_args(spec, out) + [
        "--extra=-chardev", f"--extra=socket,id=fi-gdb,host=127.0.0.1,port={port},server=on,wait=off,nodelay=on",
        "--extra=-gdb", "--extra=chardev:fi-gdb", "--extra=-S",
        "--extra=-qmp", f"--extra=unix:{qmp},server=on,wait=off"]
    with runner_log(out) as err:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
    return proc, port, qmp


def start_watch(qmp):
    """The stall watchdog of a run whose stub is attached (the VM is held: -S, then the
    stub's stop on attach): held until the injector lets it go."""
    w = watchdog.Watchdog(qmp, STALL_SECONDS)
    w.held = True
    return w.start()


def connect_gdb(spec, port):
    gdb = gdbrsp.GdbClient("127.0.0.1", port, timeout=spec["system"]["timeout"])
    gdb.no_ack_mode()
    gdb.stop_reason()
    return gdb


def gdb_failure(e, log):
    """The error of a run whose gdbstub conversation broke off (logged); None when the
    stub closed because the emulator ended the run (the guest's own exit)."""
    log.append(f"gdb: {e}")
    if isinstance(e, gdbrsp.GdbError) and "closed" in str(e):
        return None
    return f"gdbstub: {e}"


def finish_run(spec, out, proc, gdb, injected, error, log, watch=None, qmp=None):
    """The end of every QEMU injection run: close the stub's connection, wait for the
    emulator (the run's own end: marker, guest exit or timeout; the watchdog ends a
    stalled one), collect the consoles; a stall is recorded as the run's 'stall'."""
    if gdb:
        gdb.close()
    try:
        proc.wait(timeout=spec["system"]["timeout"] + 30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    if watch:
        watch.stop()
    if qmp:
        try:
            os.unlink(qmp)
        except OSError:
            pass
    r = collect(spec, out, proc.returncode, injected, error, log)
    if watch and watch.stall:
        r["stall"] = watch.stall
        log.append(watch.stall)
    return r


def qemu_inject(spec, inj, out):
    proc, port, qmp = start_qemu(spec, out)
    log, injected, error = [], False, None
    gdb, watch = None, None
    try:
        gdb = connect_gdb(spec, port)
        watch = start_watch(qmp)
        watch.held = False  # one core: every step answers on it (no pending step at the detach)
        gdb.set_breakpoint(inj["breakpoint_addr"])
        reached = True
        for k in range(inj["hit"]):
            if k:
                gdb.step()  # over the breakpoint it stopped at (QEMU would stop there again)
            r = gdb.cont(timeout=spec["system"]["timeout"])
            if not r.startswith(b"T") and not r.startswith(b"S"):
                reached = False
                break
        if reached:
            gdb.clear_breakpoint(inj["breakpoint_addr"])
            for _ in range(inj["steps"]):
                gdb.step()
            rip = gdb.read_register("rip")
            log.append(f"stopped at rip {rip:#x} after hit {inj['hit']} of {inj['breakpoint']} "
                       f"and {inj['steps']} steps")
            if "register" in inj:
                old = gdb.read_register(inj["register"])
                new = specmod.apply_mask(old, inj, 64)
                gdb.write_register(inj["register"], new)
                check = gdb.read_register(inj["register"])
                log.append(f"{inj['register']}: {old:#x} -> {new:#x} (read back {check:#x})")
            else:
                n = (inj["bit"] + inj["bits"] + 7) // 8
                old = gdb.read_memory(inj["address"], n)
                val = specmod.apply_mask(int.from_bytes(old, "little"), inj, 8 * n)
                newb = val.to_bytes(n, "little")
                gdb.write_memory(inj["address"], newb)
                check = gdb.read_memory(inj["address"], n)
                log.append(f"memory {inj['address']:#x}: {old.hex()} -> {newb.hex()} (read back {check.hex()})")
                if check != newb:
                    raise gdbrsp.GdbError("memory write did not take")
            injected = True
        gdb.detach()
    except (gdbrsp.GdbError, OSError) as e:
        error = gdb_failure(e, log)
    return finish_run(spec, out, proc, gdb, injected, error, log, watch, qmp)


# ------------------------------------------------- QEMU, sandboxes (SVM)
THREAD_RE = re.compile(rb"^T[0-9a-f]{2}.*?thread:(?:p[0-9a-f]+\.)?([0-9a-f]+);")


class QemuTarget:
    """The gdbstub of a QEMU running the monitor on its SVM backend: breakpoints are on
    virtual addresses of whichever core runs there (stops carry the core as thread N+1);
    memory is read and written host-physical (Qqemu.PhyMemMode:1), a program's virtual
    addresses are walked through the core's page tables (CR3 from the HMP 'info
    registers' of that core, through qRcmd) inside the sandbox's RAM.

    Pending steps (QEMU 7.2's gdbstub, gdbstub/gdbstub.c): 's' arms single-stepping on
    the core of the last stop only, then resumes every core; the stop reply disarms it on
    the core that reports.  In the round-robin TCG loop another core can run first (the
    stepped one gave up its turn: icount budget, an exit request) and report its own
    breakpoint: the step's reply then names another core and the stepped core keeps its
    step armed.  It completes later as a stop one instruction on (the stale stop of
    dcfa4ec), or, after a detach, as a debug stop with no debugger attached: the VM stays
    stopped for good (the stall of session 3).  So the target keeps the set of cores with
    an armed step, never detaches while the run lasts (release(): breakpoints cleared,
    every later stop continued until QEMU exits) and tells the watchdog when it holds a
    stop."""

    def __init__(self, gdb, timeout, watch=None):
        self.gdb, self.timeout, self.stops, self.by_cpu = gdb, timeout, 0, {}
        self.at_breakpoint = False
        self.watch = watch
        self.last_cpu = None      # the core of the last stop: the one 's' steps
        self.pending = set()      # cores whose single-step is armed but not yet reported
        self.foreign = 0          # steps answered by another core's stop
        self.bps = set()
        self.t0 = time.monotonic()

    def _resume(self, cmd, timeout=None):
        """'c' or 's'; the stop reply, with the pending-step bookkeeping done."""
        stepped = self.last_cpu if cmd == b"s" else None
        if self.watch:
            self.watch.held = False
        r = self.gdb.command(cmd, timeout)
        m = THREAD_RE.match(r)
        if m:
            if self.watch:
                self.watch.held = True
            cpu = int(m.group(1), 16) - 1
            self.pending.discard(cpu)  # a reporting core's step is disarmed
            if stepped is not None and cpu != stepped:
                self.pending.add(stepped)
                self.foreign += 1
            self.last_cpu = cpu
        return r

    def set_breakpoint(self, addr):
        self.gdb.set_breakpoint(addr)
        self.bps.add(addr)

    def clear_breakpoint(self, addr):
        self.gdb.clear_breakpoint(addr)
        self.bps.discard(addr)

    def next_stop(self):
        """Continue to the next breakpoint stop; its core, or None when the run ended.  A
        core stopped at a breakpoint is first stepped over it: QEMU does not (a debugger
        normally lifts its breakpoints to step), it would stop again on the same
        instruction, and while it does the other cores never run."""
        if self.at_breakpoint:
            r = self._resume(b"s")
            if not THREAD_RE.match(r):
                return None
        r = self._resume(b"c", self.timeout)
        m = THREAD_RE.match(r)
        self.at_breakpoint = bool(m)
        if not m:
            return None
        self.stops += 1
        cpu = int(m.group(1), 16) - 1
        self.by_cpu[cpu] = self.by_cpu.get(cpu, 0) + 1
        if os.environ.get("FI_DEBUG") and self.stops % 100 == 0:
            print(f"inject: {self.stops} stops in {time.monotonic() - self.t0:.1f} s, by core {self.by_cpu}",
                  file=sys.stderr, flush=True)
        return cpu

    def release(self, log):
        """Let the run go on to its end without a detach: clear every breakpoint, then
        continue each stop until QEMU exits (the stub closes).  Cores with a step still
        armed report once each; after a detach that report would stop the VM for good."""
        for addr in sorted(self.bps):
            self.clear_breakpoint(addr)
        before = set(self.pending)
        stray = 0
        while True:
            try:
                r = self._resume(b"c", self.timeout)
            except gdbrsp.GdbError as e:
                if "closed" in str(e):
                    break
                raise
            if not THREAD_RE.match(r):
                break
            stray += 1
        log.append(f"released: {self.foreign} step(s) answered by another core's stop, "
                   f"{len(before)} step(s) still armed at the release (cores {sorted(before) or '-'}), "
                   f"{stray} stop(s) after it continued")

    def stopped_at(self, cpu, addr):
        """Is core cpu stopped at addr?  A stop is only a hit of the breakpoint just set when
        the core's rip is its address: QEMU may still deliver a stop of a breakpoint that was
        cleared a moment ago (pending on that vCPU), and counting it would inject at the
        wrong instruction (a user-mode RSP instead of the kernel's, say)."""
        self.gdb.ok(b"Hg%x" % (cpu + 1))
        return self.gdb.read_register("rip") == addr

    def hits_on(self, cpu, addr, n):
        self.set_breakpoint(addr)
        hits = 0
        while hits < n:
            c = self.next_stop()
            if c is None:
                return hits
            if c == cpu and self.stopped_at(cpu, addr):
                hits += 1
        self.clear_breakpoint(addr)
        return hits

    def hmp(self, cmd):
        self.gdb.send(b"qRcmd," + cmd.encode().hex().encode())
        out = b""
        while True:
            r = self.gdb.receive(timeout=30)
            if r.startswith(b"O") and r != b"OK":
                out += bytes.fromhex(r[1:].decode())
                continue
            return out.decode("utf-8", "replace")

    def phys(self, on):
        if self.gdb.command(b"Qqemu.PhyMemMode:%d" % (1 if on else 0)) != b"OK":
            raise gdbrsp.GdbError("this QEMU's gdbstub has no physical memory mode")

    def walk(self, cpu, sb, va):
        """Host-physical address of virtual va on core cpu (4-level paging, 2M/1G pages)."""
        self.hmp(f"cpu {cpu}")
        m = re.search(r"CR3=([0-9a-f]+)", self.hmp("info registers"))
        if not m:
            raise RuntimeError(f"no CR3 in 'info registers' of cpu {cpu}")
        mask = 0x000FFFFFFFFFF000
        t = int(m.group(1), 16) & mask

        def rd(gpa):
            if gpa + 8 > sb["size"]:
                raise RuntimeError(f"page table at {gpa:#x} outside the sandbox's RAM")
            return int.from_bytes(self.gdb.read_memory(sb["base"] + gpa, 8), "little")
        for lvl, shift in enumerate((39, 30, 21, 12)):
            e = rd(t + 8 * ((va >> shift) & 511))
            if not e & 1:
                raise RuntimeError(f"linear {va:#x} not mapped on cpu {cpu}")
            if lvl in (1, 2) and e & 0x80:
                size = 1 << shift
                return sb["base"] + (e & mask & ~(size - 1)) + (va & (size - 1))
            t = e & mask
        return sb["base"] + t + (va & 0xFFF)


def program_stop(spec, sandboxes, sandbox, addr, keep=None):
    """Where to stop for a call of a program function on QEMU: the first instruction of its
    entry block that the other programs of the system never execute (quiet.py), so the
    breakpoint does not stop the machine in their loops."""
    progs = spec["system"]["programs"]
    mine = spec["system"]["program_of"][sandbox]
    return quiet.quiet_program_address(progs[mine]["elf"], addr, [p["elf"] for p in progs.values()], keep)


def qemu_part_inject(spec, inj, sandboxes, out):
    """One QEMU run of a partitioned system (-icount, deterministic): the stop as in
    bochs_inject, counted on the target's core, then the write through the gdbstub."""
    proc, port, qmp = start_qemu(spec, out)
    log, injected, error, q = [], False, None, None
    actual = None
    gdb, watch = None, None
    try:
        gdb = connect_gdb(spec, port)
        watch = start_watch(qmp)
        q = QemuTarget(gdb, spec["system"]["timeout"], watch)
        sb = sandboxes[inj["sandbox"]]
        cpu = sb["core"]
        reached, where = False, ""
        if "period" in inj:
            todo = inj["period"]
            if inj.get("coarse_every") and todo > inj["coarse_every"]:
                n = (todo - 1) // inj["coarse_every"]
                caddr = program_stop(spec, sandboxes, inj["coarse_sandbox"], inj["coarse_addr"])
                got = q.hits_on(sandboxes[inj["coarse_sandbox"]]["core"], caddr, n)
                todo = todo - n * inj["coarse_every"] if got == n else None
                log.append(f"coarse stop: {got} of {n} calls of {inj['coarse_addr']:#x} "
                           f"(stopped at {caddr:#x}) on cpu {sandboxes[inj['coarse_sandbox']]['core']}, "
                           f"{q.stops} stops")
            pv = inj.get("period_value")
            paddr = program_stop(spec, sandboxes, inj["sandbox"], inj["period_addr"], pv and pv["reg"])
            if todo is not None and pv:
                # the first call at period >= P, read from the program (see bochs_inject); the
                # program's page tables do not change during the run: each page is walked once
                q.set_breakpoint(paddr)
                frames = {}
                while True:
                    c = q.next_stop()
                    if c is None:
                        break
                    if c != cpu or not q.stopped_at(cpu, paddr):
                        continue
                    v = gdb.read_register(pv["reg"])
                    if "offset" in pv:
                        q.phys(True)
                        va = v + pv["offset"]
                        if va >> 12 not in frames:
                            frames[va >> 12] = q.walk(cpu, sb, va & ~0xFFF)
                        v = int.from_bytes(gdb.read_memory(frames[va >> 12] + (va & 0xFFF), 4), "little")
                        q.phys(False)
                    if os.environ.get("FI_DEBUG") and q.by_cpu[cpu] % 50 == 0:
                        print(f"inject: cpu {cpu} at period {v & 0xFFFFFFFF} (want {inj['period']})",
                              file=sys.stderr, flush=True)
                    if (v & 0xFFFFFFFF) >= inj["period"]:
                        reached, actual = True, v & 0xFFFFFFFF
                        break
                q.clear_breakpoint(paddr)
            elif todo is not None:
                reached = q.hits_on(cpu, paddr, todo) == todo
            where = f"period {inj['period']} of {inj['period_symbol']} in {inj['program']}"
            if reached and "breakpoint" in inj:
                reached = q.hits_on(cpu, inj["breakpoint_addr"], 1) == 1
                where += f", then the next hit of {inj['breakpoint']}"
        else:
            reached = q.hits_on(cpu, inj["breakpoint_addr"], inj["hit"]) == inj["hit"]
            where = f"hit {inj['hit']} of {inj['breakpoint']}"
        if reached:
            gdb.ok(b"Hg%x" % (cpu + 1))
            rip = gdb.read_register("rip")
            log.append(f"stopped after {q.stops} breakpoint stops on cpu {cpu} ({inj['sandbox']}), {where}, rip {rip:#x}")
            if inj["model"] == "wild_write" and inj.get("by", "guest") == "guest":
                want = inj["address"] + 8
                old = gdb.read_register("rsp")
                gdb.write_register("rsp", want)
                got = gdb.read_register("rsp")
                log.append(f"{inj['sandbox']} rsp {old:#x} -> {want:#x}: its next push writes "
                           f"{inj['address']:#x} ({inj['into']}'s RAM; read back {got:#x})")
                injected = got == want
            elif "register" in inj:
                reg = inj["register"]
                old = gdb.read_register(reg)
                new = specmod.apply_mask(old, inj, 64)
                gdb.write_register(reg, new)
                got = gdb.read_register(reg)
                log.append(f"cpu {cpu} {reg}: {old:#x} -> {new:#x} (read back {got:#x})")
                injected = got == new
            else:
                n = bochs_cmds.read_length(inj)
                addr = inj["code_addr"] if "code_addr" in inj else inj["address"]
                space = inj.get("space", "guest")
                q.phys(True)
                if space == "host":
                    phys = addr
                elif space == "guest":
                    phys = bochs_cmds.kernel_address(inj, sb, addr)
                else:
                    phys = q.walk(cpu, sb, addr)
                    if q.walk(cpu, sb, addr + n - 1) - phys != n - 1:
                        raise RuntimeError(f"{addr:#x}+{n} crosses a page boundary onto another frame")
                old = gdb.read_memory(phys, n)
                newb = bochs_cmds.new_bytes(inj, old)
                gdb.write_memory(phys, newb)
                check = gdb.read_memory(phys, n)
                q.phys(False)
                what = inj.get("code_symbol") or inj.get("symbol") or inj.get("channel") or inj.get("into") or "memory"
                log.append(f"{inj['sandbox']} {space} {addr:#x} {what} (host-physical {phys:#x}): "
                           f"{old.hex()} -> {newb.hex()} (read back {check.hex()})")
                injected = check == newb
                if injected and "code_addr" in inj:
                    gdb.write_register("rip", addr)
                    got = gdb.read_register("rip")
                    log.append(f"cpu {cpu} rip {rip:#x} -> {addr:#x} (read back {got:#x})")
                    injected = got == addr
            if not injected:
                error = "the write was not confirmed by the gdbstub"
        else:
            log.append(f"the run ended before the injection point ({where})")
        if os.environ.get("FI_QEMU_DETACH"):
            # session 3's end of a run, kept to reproduce its stall (docs/fault-injection.md)
            log.append(f"detached: {q.foreign} step(s) answered by another core's stop, {len(q.pending)} "
                       f"step(s) still armed at the detach (cores {sorted(q.pending) or '-'})")
            gdb.detach()
            watch.held = False
        else:
            q.release(log)
    except (gdbrsp.GdbError, OSError, RuntimeError) as e:
        error = gdb_failure(e, log)
    r = finish_run(spec, out, proc, gdb, injected, error, log, watch, qmp)
    r["tick"] = q.stops if q else None
    r["period"] = actual
    return r


# ---------------------------------------------------------------- Bochs
class BochsDebugger:
    """Feeds Bochs' debugger through a FIFO and reads its answers from the
    debugger output that tools/run-emu captures in debugcon.log."""

    def __init__(self, out, proc, timeout):
        self.path = os.path.join(out, "debugcon.log")
        self.proc, self.timeout, self.pos, self.fd = proc, timeout, 0, None
        self.fifo = os.path.join(out, "inject.rc")
        self._size, self._text = 0, ""

    def open(self):
        deadline = time.monotonic() + 30
        while self.fd is None:
            try:
                self.fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("Bochs never opened its debugger command FIFO")
                time.sleep(0.05)
        os.set_blocking(self.fd, True)

    def send(self, *cmds):
        os.write(self.fd, "".join(c + "\n" for c in cmds).encode())

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def text(self):
        """The debugger output so far (read incrementally: a long campaign stops hundreds
        of times per run)."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self._size)
                chunk = f.read()
        except FileNotFoundError:
            return ""
        if chunk:
            # keep an incomplete UTF-8 tail for the next read
            cut = len(chunk)
            while cut > 0 and cut > len(chunk) - 4 and (chunk[cut - 1] & 0xC0) == 0x80:
                cut -= 1
            if cut > 0 and chunk[cut - 1] >= 0xC0:
                cut -= 1
            if cut <= 0:
                cut = len(chunk)
            self._size += cut
            self._text += classify.clean(chunk[:cut].decode("utf-8", "replace"))
        return self._text

    def wait_for(self, regex, timeout=None):
        """The first match of regex after the last one; None when the run ends first."""
        deadline = time.monotonic() + (timeout or self.timeout)
        pat = re.compile(regex)
        while time.monotonic() < deadline:
            t = self.text()
            m = pat.search(t, self.pos)
            if m:
                self.pos = m.end()
                return m
            if self.proc.poll() is not None:
                return pat.search(self.text(), self.pos)
            time.sleep(0.01)
        return None


HEX = r"(0x[0-9a-f_]+|[0-9a-f]{8}_[0-9a-f]{8})"
XP_RE = r"\[bochs\]:\s*\n((?:0x[0-9a-f]+ <[^>]*>:(?:\s+0x[0-9a-f]{2})+\s*\n)+)"


def _hex(v):
    return int(v.replace("_", ""), 16)


def bochs_inject(spec, inj, sandboxes, out):
    """One Bochs run: stop at the injection point (bochs_cmds.stop_commands: the N-th hit of
    a kernel symbol on the target's core, or the P-th call of its program's period symbol,
    then optionally the next hit of a kernel breakpoint), 's CPU steps', then the write,
    read back, 'c'.  Deterministic: Bochs runs the cores in a fixed order with clock
    sync=none, so the stop happens at the same tick in every run (recorded with 'ptime'
    and compared by the replay)."""
    os.makedirs(out, exist_ok=True)
    fifo = os.path.join(out, "inject.rc")
    if os.path.exists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    args = emu_args(spec, out) + ["--bochs-rc", fifo]
    with runner_log(out) as err:
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err)
    dbg = BochsDebugger(out, proc, spec["system"]["timeout"] + 10)
    log, injected, error, tick = [], False, None, None
    actual_period = None
    nbp = [0]

    def breakpoint(cmd):
        dbg.send(cmd)
        nbp[0] += 1
        return nbp[0]

    def regs(reg):
        dbg.send("r")
        m = dbg.wait_for(reg + r"\s*: " + HEX)
        if not m:
            raise RuntimeError(f"no value of {reg} in the debugger's answer to 'r'")
        return _hex(m.group(1))

    def xp(phys, n):
        dbg.send(bochs_cmds.xp(phys, n))
        m = dbg.wait_for(XP_RE)
        if not m:
            raise RuntimeError(f"no answer to 'xp /{n}bx {phys:#x}'")
        return bytes(int(x, 16) for x in re.findall(r"\s(0x[0-9a-f]{2})\b", m.group(1)))[:n]

    def translate(vaddr):
        dbg.send(f"page {vaddr:#x}")
        m = dbg.wait_for(bochs_cmds.PAGE_RE.pattern, timeout=20)
        if not m:
            raise RuntimeError(f"the debugger could not translate linear {vaddr:#x} on cpu {cpu}")
        return int(m.group(2), 16) + (vaddr - int(m.group(1), 16))

    def phys_of_virtual(addr, n):
        p0, p1 = translate(addr), translate(addr + n - 1)
        if p1 - p0 != n - 1:
            raise RuntimeError(f"{addr:#x}+{n} crosses a page boundary onto another frame")
        return p0

    def phys_of(addr, n):
        """Host-physical address of n bytes at addr in the injection's address space."""
        space = inj.get("space", "guest")
        if space == "host":
            return addr
        if space == "guest":
            if addr + n > sb["size"]:
                raise RuntimeError(f"address {addr:#x}+{n} outside sandbox {inj['sandbox']} (RAM {sb['size']:#x})")
            return sb["base"] + addr
        p0, p1 = translate(addr), translate(addr + n - 1)
        if p1 - p0 != n - 1:
            raise RuntimeError(f"{addr:#x}+{n} crosses a page boundary onto another frame")
        return p0

    def next_stop():
        """The next breakpoint stop: (cpu, host-physical address) or None when the run ends."""
        dbg.send("c")
        m = dbg.wait_for(bochs_cmds.STOP_RE.pattern)
        if not m or m.group(2).startswith("Magic"):
            return None
        c, _, ph = bochs_cmds.parse_stop(m)
        return c, ph

    def hits_on(on_cpu, cmd, n):
        """Continue until n breakpoint stops on on_cpu.  A linear breakpoint ('lb': every
        sandbox running the same program stops there) is narrowed after the first hit to a
        physical one at that sandbox's own copy (the stop line names it)."""
        bp = breakpoint(cmd)
        linear, hits = cmd.startswith("lb"), 0
        while hits < n:
            st = next_stop()
            if st is None:
                break
            if st[0] != on_cpu:
                if not linear:
                    raise RuntimeError(f"physical breakpoint ({cmd}) hit on cpu {st[0]}, not {on_cpu}")
                continue
            hits += 1
            if linear and hits < n and st[1] is not None:
                dbg.send(f"d {bp}")
                bp = breakpoint(f"pb {st[1]:#x}")
                linear = False
        return hits, bp

    try:
        dbg.open()
        sb = sandboxes[inj["sandbox"]]
        cpu = sb["core"]
        cmds, how = bochs_cmds.stop_commands(inj, sb)
        reached = False
        where = ""
        if how == "period":
            todo = inj["period"]
            if inj.get("coarse_every") and todo > inj["coarse_every"]:
                # Skip whole seconds of flight at the I/O sandbox's once-a-second status
                # line: after its n-th call the target's next period call is n * every + 1
                # (lockstep: no replica steps k+1 before io published frame k+1).
                n = (todo - 1) // inj["coarse_every"]
                got, bp = hits_on(sandboxes[inj["coarse_sandbox"]]["core"], f"lb {inj['coarse_addr']:#x}", n)
                dbg.send(f"d {bp}")
                if got < n:
                    todo = None
                    where = f"{got} of {n} calls of the coarse stop"
                else:
                    todo -= n * inj["coarse_every"]
            pv = inj.get("period_value")
            if todo is not None and pv:
                # Stop at the first call working on period >= P: the program says which
                # period it is in (a register, or a u32 it points to), since a replica may
                # skip periods (it reads the newest frame) and a hit count would drift.
                bp, linear, vphys = breakpoint(cmds[0]), True, None
                while True:
                    st = next_stop()
                    if st is None:
                        where = f"period {inj['period']} of {inj['program']} never reached"
                        break
                    if st[0] != cpu:
                        if not linear:
                            raise RuntimeError(f"physical breakpoint hit on cpu {st[0]}, not {cpu}")
                        continue
                    if linear and st[1] is not None:
                        dbg.send(f"d {bp}")
                        bp = breakpoint(f"pb {st[1]:#x}")
                        linear = False
                    dbg.send(f"set $cpu = {cpu}")
                    if "offset" in pv:
                        if vphys is None:
                            vphys = phys_of_virtual(regs(pv["reg"]) + pv["offset"], 4)
                        now = int.from_bytes(xp(vphys, 4), "little")
                    else:
                        now = regs(pv["reg"]) & 0xFFFFFFFF
                    if now >= inj["period"]:
                        reached, actual_period = True, now
                        where = (f"the first call of {inj['period_symbol']} in {inj['program']} at period >= "
                                 f"{inj['period']} (period {now})")
                        break
            elif todo is not None:
                hits, bp = hits_on(cpu, cmds[0], todo)
                reached = hits == todo
                where = f"call {inj['period']} of {inj['period_symbol']} in {inj['program']}"
            if reached and "breakpoint" in inj:
                dbg.send(f"d {bp}")
                got, bp = hits_on(cpu, f"pb {sb['base'] + inj['breakpoint_addr']:#x}", 1)
                reached = got == 1
                where += f", then the next hit of {inj['breakpoint']}"
        else:
            hit, bp = hits_on(cpu, cmds[0], inj["hit"])
            reached = hit == inj["hit"]
            where = f"hit {hit} of {inj['breakpoint']}"
        if reached:
            dbg.send(f"d {bp}", f"set $cpu = {cpu}")
            if inj["steps"]:
                dbg.send(f"s {cpu} {inj['steps']}")
            dbg.send("ptime")
            m = dbg.wait_for(r"ptime: (\d+)")
            tick = int(m.group(1)) if m else None
            rip = regs("rip")
            log.append(f"stopped at tick {tick} on cpu {cpu} ({inj['sandbox']}), {where} + {inj['steps']} steps, "
                       f"rip {rip:#x}")
            if inj["model"] == "wild_write" and inj.get("by", "guest") == "guest":
                # The writer's own next push (its function prologue, an interrupt frame) stores
                # at RSP-8: a wild write the guest really performs, checked by its EPT.
                want = inj["address"] + 8
                old = regs("rsp")
                dbg.send(f"set rsp = {want:#x}")
                got = regs("rsp")
                log.append(f"{inj['sandbox']} rsp {old:#x} -> {want:#x}: its next push writes "
                           f"{inj['address']:#x} ({inj['into']}'s RAM; read back {got:#x})")
                injected = got == want
            elif "register" in inj:
                reg = inj["register"]
                old = regs(reg)
                new = specmod.apply_mask(old, inj, 64)
                dbg.send(f"set {reg} = {new:#x}")
                got = regs(reg)
                log.append(f"cpu {cpu} {reg}: {old:#x} -> {new:#x} (read back {got:#x})")
                injected = got == new
            else:
                n = bochs_cmds.read_length(inj)
                addr = inj["code_addr"] if "code_addr" in inj else inj["address"]
                phys = phys_of(addr, n)
                old = xp(phys, n)
                newb = bochs_cmds.new_bytes(inj, old)
                dbg.send(*bochs_cmds.setpmem(phys, newb))
                check = xp(phys, n)
                what = {"hang": f"{inj.get('code_symbol')} (cli; jmp .)",
                        "budget_overrun": f"{inj.get('code_symbol')} (jmp .)"}.get(
                    inj["model"], inj.get("symbol") or inj.get("channel") or inj.get("into") or "memory")
                log.append(f"{inj['sandbox']} {inj.get('space', 'guest')} {addr:#x} {what} (host-physical {phys:#x}): "
                           f"{old.hex()} -> {newb.hex()} (read back {check.hex()})")
                injected = check == newb
                if injected and "code_addr" in inj:
                    # never-run code: no decoded trace of it, so the core runs the loop
                    dbg.send(f"set rip = {addr:#x}")
                    got = regs("rip")
                    log.append(f"cpu {cpu} rip {rip:#x} -> {addr:#x} (read back {got:#x})")
                    injected = got == addr
            if not injected:
                error = "the write was not confirmed by the debugger"
        else:
            log.append(f"the run ended before the injection point ({where})")
        dbg.send("c", "quit")
    except (RuntimeError, OSError, ValueError) as e:
        error = f"bochs debugger: {e}"
        log.append(error)
        try:
            dbg.send("c", "quit")
        except (OSError, TypeError):
            pass
    finally:
        dbg.close()
    try:
        proc.wait(timeout=spec["system"]["timeout"] + 60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    r = collect(spec, out, proc.returncode, injected, error, log)
    r["tick"] = tick
    r["period"] = actual_period
    return r


def parse_sandboxes(golden, spec):
    mon = spec["system"].get("monitor_console", "com1")
    out = {}
    for m in SANDBOX_RE.finditer(classify.clean(golden["consoles"].get(mon, ""))):
        mask = int(m.group(5), 16)
        core = (mask & -mask).bit_length() - 1
        out[m.group(2)] = {"id": int(m.group(1)), "base": int(m.group(3), 16),
                           "size": int(m.group(4), 16), "core": core}
    return out


def describe(inj):
    """One line: model, target, injection point."""
    parts = [f"{inj['model']}"]
    where = f"{inj['sandbox']}:" if "sandbox" in inj else ""
    if "field" in inj:
        parts.append(f"{where}{inj['field']} {inj['bias']:+g}")
    elif "channel" in inj:
        parts.append(f"{where}channel {inj['channel']}@{inj['address']:#x} bit {inj['bit']}")
    elif "symbol" in inj:
        parts.append(f"{where}{inj['symbol']}@{inj['address']:#x} bit {inj['bit']}")
    elif "register" in inj:
        parts.append(f"{where}{inj['register']} bit {inj['bit']}")
    elif "into" in inj:
        parts.append(f"{inj.get('sandbox')} -> {inj['into']} @{inj['address']:#x}")
    elif "address" in inj:
        parts.append(f"{where}{inj['address']:#x} bit {inj['bit']}")
    elif "sandbox" in inj:
        parts.append(inj["sandbox"])
    if inj.get("bits", 1) > 1:
        parts[-1] += f" x{inj['bits']}"
    at = []
    if "period" in inj:
        at.append(f"period {inj['period']}")
    if "breakpoint" in inj:
        at.append(f"{inj['breakpoint']}#{inj['hit']}")
    parts.append("at " + ", then ".join(at) + (f" +{inj['steps']} steps" if inj.get("steps") else ""))
    return " ".join(parts)


def load_env(spec, a):
    """Symbols of system.image, of every program, the data symbols per source file (driver
    targets) and the channel map (channel targets)."""
    sysd = spec["system"]
    symbols, env = {}, {"programs": {}, "sources": {}, "channels": {}, "segments": {}}
    try:
        if "image" in sysd:
            if not os.path.isfile(sysd["image"]):
                die(f"{a.campaign}: system.image '{sysd['image']}' not found")
            symbols, env["sources"] = specmod.elf_symbols(sysd["image"], sources=True)
            env["segments"][""] = specmod.elf_segments(sysd["image"])
        for name, p in sysd["programs"].items():
            if not os.path.isfile(p["elf"]):
                die(f"{a.campaign}: system.programs.{name}.elf '{p['elf']}' not found")
            env["programs"][name] = specmod.elf_symbols(p["elf"])
            env["segments"][name] = specmod.elf_segments(p["elf"])
        if "table" in sysd:
            try:
                with open(sysd["table"]) as f:
                    env["channels"] = specmod.parse_table(f.read())
            except OSError as e:
                die(f"{a.campaign}: system.table '{sysd['table']}': {e.strerror}")
    except specmod.SpecError as e:
        die(f"{a.campaign}: {e}")
    return symbols, env


def check_programs_in_module(spec, a):
    """The program ELFs the symbols come from must be the ones the booted kernel carries:
    its archive holds their stripped copies byte for byte (objcopy --strip-all is
    deterministic).  Others rebuild the programs while campaigns run."""
    sysd = spec["system"]
    kernel = sysd.get("module") or sysd.get("image")
    if not sysd["programs"] or not kernel:
        return
    with open(kernel, "rb") as f:
        module = f.read()
    for name, p in sorted(sysd["programs"].items()):
        tmp = os.path.join("build", "fault-injection", f".strip-{os.getpid()}-{name}")
        try:
            subprocess.run(["objcopy", "--strip-all", p["elf"], tmp], check=True, capture_output=True)
            with open(tmp, "rb") as f:
                found = f.read() in module
        except (OSError, subprocess.CalledProcessError) as e:
            die(f"{a.campaign}: cannot strip {p['elf']}: {e}")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        if not found:
            die(f"{a.campaign}: {p['elf']} is not the {name} that {kernel} carries (rebuilt since): "
                "rebuild the ISO and kernel together (make inject does)")


def run_one(spec, inj, sandboxes, golden, rdir, a, spec_hash, hashes):
    """One injection, classified; its result.json written."""
    t1 = time.monotonic()
    if spec["backend"] == "bochs":
        faulty = bochs_inject(spec, inj, sandboxes, rdir)
    elif specmod.partitioned(spec):
        faulty = qemu_part_inject(spec, inj, sandboxes, rdir)
    else:
        faulty = qemu_inject(spec, inj, rdir)
    return judge(spec, inj, golden, faulty, rdir, a, spec_hash, hashes, round(time.monotonic() - t1, 2))


def judge(spec, inj, golden, faulty, rdir, a, spec_hash, hashes, seconds):
    """Classify a faulty run against the golden one; write its result.json."""
    sysd = spec["system"]
    ctx = {"monitor_console": sysd.get("monitor_console", "com1") if specmod.partitioned(spec) else None,
           # an injector's write into another sandbox is memory corruption of the victim
           "target": inj["into"] if inj.get("by") == "injector" else inj.get("sandbox"),
           "sandboxes": {k: v for k, v in sysd["sandboxes"].items() if v},
           "ignore": spec["ignore"], "model": inj["model"],
           "period": faulty.get("period") or inj.get("period")}
    details = {}
    if "flight" in sysd:
        ctx["flight"] = sysd["flight"]
        outcome, reason, details = flight.classify_flight(golden, faulty, ctx)
    else:
        outcome, reason = classify.classify(golden, faulty, ctx)
    ok = outcome not in spec["pass"]["forbid"] and (not inj["expect"] or outcome in inj["expect"])
    rec = {"index": inj["index"], "injection": inj, "description": describe(inj), "outcome": outcome,
           "reason": reason, "status": faulty["status"], "log": faulty["log"], "ok": ok,
           "tick": faulty.get("tick"), "seed": spec["seed"], "requirements": inj.get("requirements", []),
           "injected": faulty["injected"], "error": faulty["error"], "period": faulty.get("period"),
           "seconds": seconds, "spec_hash": spec_hash, "hashes": hashes,
           "replay": f"make inject CAMPAIGN={a.campaign} ONLY={inj['index']}"}
    for k in ("injection_period", "detection_period", "recovery_period", "detection_latency",
              "recovery_latency", "restart_period", "rejoin_period", "rejoin_latency", "flight", "trace",
              "window", "events"):
        if k in details:
            rec[k] = details[k]
    with open(os.path.join(rdir, "result.json"), "w") as f:
        json.dump(rec, f, indent=1)
    return rec


class Progress:
    """One line per finished run: done/total, outcome, the counts so far, runs per hour
    and the time left at that rate; the same in OUT/progress.json for a watcher."""

    def __init__(self, out, name, total, workers):
        self.path, self.name, self.total, self.workers = os.path.join(out, "progress.json"), name, total, workers
        self.t0, self.done, self.ran, self.counts = time.monotonic(), 0, 0, {}

    def update(self, rec, kept=False):
        self.done += 1
        self.ran += 0 if kept else 1
        self.counts[rec["outcome"]] = self.counts.get(rec["outcome"], 0) + 1
        el = time.monotonic() - self.t0
        rate = 3600.0 * self.ran / el if self.ran and el > 0 else None
        left = (self.total - self.done) / rate * 3600 if rate else None
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        eta = f", {left / 60:.0f} min left" if left is not None and self.done < self.total else ""
        print(f"inject: [{self.done}/{self.total}] #{rec['index']} {rec['description']}: {rec['outcome']} "
              f"({rec['reason']}){' (kept)' if kept else ''}{'' if rec['ok'] else '  <-- not allowed by the spec'}"
              f" | {counts}" + (f" | {rate:.0f} runs/h with {self.workers} worker(s){eta}" if rate else ""),
              flush=True)
        with open(self.path, "w") as f:
            json.dump({"campaign": self.name, "done": self.done, "total": self.total, "ran": self.ran,
                       "counts": self.counts, "elapsed_s": round(el, 1),
                       "runs_per_hour": round(rate, 1) if rate else None,
                       "eta_s": round(left, 1) if left is not None else None, "workers": self.workers}, f)


def main(argv):
    ap = argparse.ArgumentParser(prog="inject", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("campaign")
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", type=int, default=None, help="replay one injection (its index)")
    ap.add_argument("--fresh", action="store_true", help="ignore results of an earlier interrupted run")
    ap.add_argument("--workers", type=int, default=1, help="injections run in parallel (one per core)")
    ap.add_argument("--reclassify", action="store_true",
                    help="judge the kept runs again from their recorded consoles (after a classifier change)")
    ap.add_argument("--limit", type=int, default=None,
                    help="run at most N new injections this time (the rest later: the campaign resumes)")
    ap.add_argument("--golden", default=None, metavar="DIR",
                    help="reuse the golden run in DIR (an earlier campaign's OUT/golden) when its "
                         "spec and image hashes match, instead of booting a new one")
    a = ap.parse_args(argv)
    if not 1 <= a.workers <= 64:
        die(f"--workers {a.workers}: 1..64")
    os.chdir(TOP)
    try:
        with open(a.campaign) as f:
            text = f.read()
    except OSError as e:
        die(f"cannot read campaign {a.campaign}: {e.strerror}")
    try:
        spec = specmod.parse_spec(text, a.campaign)
    except specmod.SpecError as e:
        die(str(e))
    name = spec["name"] or os.path.splitext(os.path.basename(a.campaign))[0]
    if not re.match(r"^[\w.-]+$", name):
        die(f"{a.campaign}: name '{name}' must be letters, digits, '.', '-' or '_'")
    sysd = spec["system"]
    if not os.path.isfile(sysd["iso"]):
        die(f"{a.campaign}: system.iso '{sysd['iso']}' not found (make inject builds it)")
    symbols, env = load_env(spec, a)
    # Check symbols and ranges now: a bad spec runs nothing.  Bochs: the sandboxes' RAM
    # comes from the golden run, so this first plan checks everything else.
    try:
        if not specmod.partitioned(spec):
            plan = specmod.plan(spec, symbols, None, env)
        else:
            fake = {n: {"id": i, "base": 0, "size": 1 << 62, "core": i} for i, n in enumerate(sysd["sandboxes"])}
            specmod.plan(spec, symbols, fake, env)
    except specmod.SpecError as e:
        die(f"{a.campaign}: {e}")

    out = a.out or os.path.join("build", "fault-injection", name)
    os.makedirs(out, exist_ok=True)
    spec_hash = hashlib.sha256(text.encode()).hexdigest()
    # The SHA-256 of the sources as the campaign begins; put beside results.json when
    # it is written: the certification package judges the results by content (issue 13).
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                     "certification", "tools", "certgen.py"), "stamp", f"campaign:{name}",
                    "--to", os.path.join(out, "stamp.json.tmp")], stdout=subprocess.DEVNULL)
    hashes = {"spec": spec_hash, "iso": sha256(sysd["iso"])}
    if "image" in sysd:
        hashes["image"] = sha256(sysd["image"])
    if "module" in sysd:
        # the kernel module the ISO carries when it is a stripped copy of system.image
        if not os.path.isfile(sysd["module"]):
            die(f"{a.campaign}: system.module '{sysd['module']}' not found")
        hashes["module"] = sha256(sysd["module"])
    for pname, p in sorted(sysd["programs"].items()):
        hashes[f"program:{pname}"] = sha256(p["elf"])
    check_programs_in_module(spec, a)
    # Boot a private copy of the ISO: others rebuild the shared one (make test's system-test
    # dependencies) while a long campaign runs; its hash is the one recorded above.
    iso_copy = os.path.join(out, "inputs", os.path.basename(sysd["iso"]))
    if not os.path.exists(iso_copy) or sha256(iso_copy) != hashes["iso"]:
        os.makedirs(os.path.dirname(iso_copy), exist_ok=True)
        shutil.copyfile(sysd["iso"], iso_copy + ".tmp")
        os.replace(iso_copy + ".tmp", iso_copy)
    if sha256(iso_copy) != hashes["iso"]:
        die(f"{sysd['iso']} changed while it was being copied: retry when the build is done", 2)
    sysd["iso"] = iso_copy
    # The kernel module must be inside that ISO (ISO 9660 stores files whole): checked now,
    # before a golden run is spent on a mismatch (others rebuild the tree meanwhile).
    kmod = sysd.get("module") or (sysd.get("image") if specmod.partitioned(spec) else None)
    if kmod:
        with open(kmod, "rb") as f:
            kbytes = f.read()
        with open(iso_copy, "rb") as f:
            if kbytes not in f.read():
                die(f"{kmod} is not the kernel module {sysd['iso']} carries (one of them was rebuilt "
                    "since): rebuild the ISO (make inject does)", 2)
    t0 = time.monotonic()
    golden = None
    if a.golden:
        try:
            with open(os.path.join(a.golden, "golden.json")) as f:
                g = json.load(f)
        except (OSError, ValueError) as e:
            die(f"--golden {a.golden}: no golden.json ({e})")
        if g.get("hashes") != hashes:
            die(f"--golden {a.golden}: recorded for another spec or image (hashes differ)")
        golden = collect(spec, a.golden, g["status"], True)
        golden_s = g["seconds"]
        print(f"inject: {name}: golden run reused from {a.golden}", flush=True)
    else:
        gdir = os.path.join(out, "golden")
        gfile = os.path.join(gdir, "golden.json")
        prev = None
        if not a.fresh and os.path.exists(gfile):
            with open(gfile) as f:
                prev = json.load(f)
        if prev and prev.get("hashes") == hashes and prev.get("status") == 0:
            golden = collect(spec, gdir, prev["status"], True)
            golden_s = prev["seconds"]
            print(f"inject: {name}: golden run kept from an earlier run (same spec and image hashes)", flush=True)
        else:
            print(f"inject: {name}: golden run ({spec['backend']})", flush=True)
            golden = golden_run(spec, gdir)
            golden_s = time.monotonic() - t0
            with open(gfile, "w") as f:
                json.dump({"status": golden["status"], "hashes": hashes, "seconds": round(golden_s, 2)}, f)
    if golden["status"] != 0:
        die(f"golden run failed with status {golden['status']}: logs in {out}/golden", 3)
    sandboxes = None
    if specmod.partitioned(spec):
        sandboxes = parse_sandboxes(golden, spec)
        missing = [s for s in sysd["sandboxes"] if s not in sandboxes]
        if missing:
            die(f"golden run: the monitor reported no sandbox named {', '.join(missing)}", 3)
        try:
            plan = specmod.plan(spec, symbols, sandboxes, env)
        except specmod.SpecError as e:
            die(f"{a.campaign}: {e}")
    # The ELF the symbols come from must be the kernel the ISO boots: the monitor measures
    # each sandbox's kernel image (PCR 10, 'attest: pcr 10 DIGEST NAME kernel ...').
    measured = set(re.findall(r"attest: pcr 10 ([0-9a-f]{64}) \S+ kernel",
                              classify.clean(golden["consoles"].get(sysd.get("monitor_console", "com1"), ""))))
    kernel = "module" if "module" in hashes else "image"
    if kernel in hashes and measured and hashes[kernel] not in measured:
        die(f"{sysd[kernel]} is not the kernel {sysd['iso']} boots (the monitor measured "
            f"{', '.join(sorted(d[:16] for d in measured))}, the {kernel} is {hashes[kernel][:16]}): "
            "rebuild the ISO (make inject does)", 2)
    gfl = flight.parse(golden["consoles"].get(sysd["flight"]["console"], "")) if "flight" in sysd else None
    if gfl and gfl["unparsed"] > 0:
        die(f"golden run: {gfl['unparsed']} '[flight]' status line(s) the classifier cannot parse "
            "(io_voter's format changed: update flight.STATUS_RE)", 3)
    if "flight" in sysd and not flight.parse(golden["consoles"].get(sysd["flight"]["console"], ""))["report"].get("end"):
        die(f"golden run: no flight report on {sysd['flight']['console']} (logs in {out}/golden)", 3)
    if a.only is not None and not 0 <= a.only < len(plan):
        die(f"--only {a.only}: the campaign has injections 0..{len(plan) - 1}")
    indices = [a.only] if a.only is not None else list(range(len(plan)))
    runs, todo = {}, []
    progress = Progress(out, name, len(indices), a.workers)
    for i in indices:
        rfile = os.path.join(out, "runs", f"{i:04d}", "result.json")
        if not a.fresh and a.only is None and os.path.exists(rfile):
            with open(rfile) as f:
                prev = json.load(f)
            # a harness stall says nothing of the fault: such a run is run again
            if (prev.get("spec_hash") == spec_hash and prev.get("hashes") == hashes
                    and prev.get("outcome") != "harness_stall"):
                if a.reclassify:
                    # Judge the recorded run again (a classifier change): same consoles, no emulator.
                    rdir = os.path.dirname(rfile)
                    faulty = collect(spec, rdir, prev["status"], prev.get("injected", prev["outcome"] not in
                                                                            ("not_injected", "error")),
                                     prev.get("error"), prev.get("log"))
                    faulty["tick"] = prev.get("tick")
                    faulty["period"] = prev.get("period")
                    prev = judge(spec, plan[i], golden, faulty, rdir, a, spec_hash, hashes, prev["seconds"])
                runs[i] = prev
                progress.update(prev, kept=True)
                continue
        todo.append(i)
    # Round robin over the fault classes: a campaign stopped early (or run in LIMIT slices)
    # has a sample of every class, not only the first one's.
    rank, seen = {}, {}
    for i in todo:
        f = plan[i]["fault"]
        rank[i] = (seen.get(f, 0), i)
        seen[f] = seen.get(f, 0) + 1
    todo.sort(key=lambda i: rank[i])
    if a.limit is not None:
        todo = todo[:max(0, a.limit)]
    if todo:
        print(f"inject: {name}: {len(todo)} injection(s) to run with {a.workers} worker(s)", flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.workers) as pool:
        futs = {pool.submit(run_one, spec, plan[i], sandboxes, golden, os.path.join(out, "runs", f"{i:04d}"),
                            a, spec_hash, hashes): i for i in todo}
        for fut in concurrent.futures.as_completed(futs):
            rec = fut.result()
            runs[rec["index"]] = rec
            progress.update(rec)
    runs = [runs[i] for i in sorted(runs)]
    total_s = time.monotonic() - t0
    result = report.build(name, a.campaign, spec, hashes, golden, golden_s, runs, total_s, len(plan),
                          replay=a.only is not None)
    result["workers"] = a.workers
    report.write(out, result)
    if os.path.exists(os.path.join(out, "stamp.json.tmp")):
        os.replace(os.path.join(out, "stamp.json.tmp"), os.path.join(out, "stamp.json"))
    html_report.write(out, result)
    # certification/tools/certgen.py reads build/fault-injection/NAME/results.json; the
    # build/inject/NAME link is kept for older readers.
    link = os.path.join("build", "inject", name)
    if a.out is None and not os.path.lexists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(out, os.path.dirname(link)), link)
    print(report.table(result))
    print(f"inject: {name}: {'passed' if result['passed'] else 'FAILED'}"
          f"{'' if len(runs) == len(plan) or a.only is not None else f' so far ({len(runs)} of {len(plan)} run)'}"
          f"; results in {out} (report.html)")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
