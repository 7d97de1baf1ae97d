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
import hashlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import classify  # noqa: E402
import gdbrsp  # noqa: E402
import report  # noqa: E402
import spec as specmod  # noqa: E402

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
         "--timeout", str(sysd["timeout"]), "--out", out, "--quiet"]
    if "icount" in sysd:
        a += ["--icount", str(sysd["icount"])]
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
    return {"status": status, "consoles": cons, "injected": injected, "error": error, "log": log or []}


def golden_run(spec, out):
    os.makedirs(out, exist_ok=True)
    p = subprocess.run(emu_args(spec, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return collect(spec, out, p.returncode, True)


# ---------------------------------------------------------------- QEMU
def qemu_inject(spec, inj, out):
    os.makedirs(out, exist_ok=True)
    port = free_port()
    args = emu_args(spec, out) + [f"--extra=-gdb", f"--extra=tcp:127.0.0.1:{port}", "--extra=-S"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log, injected, error = [], False, None
    gdb = None
    try:
        gdb = gdbrsp.GdbClient("127.0.0.1", port, timeout=spec["system"]["timeout"])
        gdb.stop_reason()
        gdb.set_breakpoint(inj["breakpoint_addr"])
        reached = True
        for _ in range(inj["hit"]):
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
        if not (isinstance(e, gdbrsp.GdbError) and "closed" in str(e)):
            error = f"gdbstub: {e}"
        log.append(f"gdb: {e}")
    finally:
        if gdb:
            gdb.close()
    try:
        proc.wait(timeout=spec["system"]["timeout"] + 30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return collect(spec, out, proc.returncode, injected, error, log)


# ---------------------------------------------------------------- Bochs
class BochsDebugger:
    """Feeds Bochs' debugger through a FIFO and reads its answers from the
    debugger output that tools/run-emu captures in debugcon.log."""

    def __init__(self, out, proc, timeout):
        self.path = os.path.join(out, "debugcon.log")
        self.proc, self.timeout, self.pos, self.fd = proc, timeout, 0, None
        self.fifo = os.path.join(out, "inject.rc")

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
        try:
            with open(self.path, "rb") as f:
                return classify.clean(f.read().decode("utf-8", "replace"))
        except FileNotFoundError:
            return ""

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
                return None
            time.sleep(0.05)
        return None


HEX = r"(0x[0-9a-f_]+|[0-9a-f]{8}_[0-9a-f]{8})"
XP_RE = r"\[bochs\]:\s*\n((?:0x[0-9a-f]+ <[^>]*>:(?:\s+0x[0-9a-f]{2})+\s*\n)+)"


def _hex(v):
    return int(v.replace("_", ""), 16)


def bochs_inject(spec, inj, sandboxes, out):
    """One Bochs run: a physical breakpoint at the target sandbox's host-physical copy
    of the symbol (base + ELF address; only that sandbox's core executes there), 'c'
    until hit N, 's CPU steps', then the write, read back, 'c'.  Deterministic: Bochs
    runs the cores in a fixed order with clock sync=none, so the N-th hit happens at
    the same tick in every run (recorded with 'ptime' and compared by the replay)."""
    os.makedirs(out, exist_ok=True)
    fifo = os.path.join(out, "inject.rc")
    if os.path.exists(fifo):
        os.unlink(fifo)
    os.mkfifo(fifo)
    args = emu_args(spec, out) + ["--bochs-rc", fifo]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dbg = BochsDebugger(out, proc, spec["system"]["timeout"] + 10)
    log, injected, error, tick = [], False, None, None

    def regs(reg):
        dbg.send("r")
        m = dbg.wait_for(reg + r"\s*: " + HEX)
        if not m:
            raise RuntimeError(f"no value of {reg} in the debugger's answer to 'r'")
        return _hex(m.group(1))

    def xp(phys, n):
        dbg.send(f"xp /{n}bx {phys:#x}")
        m = dbg.wait_for(XP_RE)
        if not m:
            raise RuntimeError(f"no answer to 'xp /{n}bx {phys:#x}'")
        return bytes(int(x, 16) for x in re.findall(r"\s(0x[0-9a-f]{2})\b", m.group(1)))[:n]

    try:
        dbg.open()
        sb = sandboxes[inj["sandbox"]]
        cpu = sb["core"]
        bp = sb["base"] + inj["breakpoint_addr"]
        dbg.send(f"pb {bp:#x}")
        hit = 0
        while hit < inj["hit"]:
            dbg.send("c")
            m = dbg.wait_for(r"\((\d+)\) (Breakpoint \d+|Magic breakpoint)")
            if not m or m.group(2).startswith("Magic"):
                break
            if int(m.group(1)) != cpu:
                raise RuntimeError(f"breakpoint {bp:#x} hit on cpu {m.group(1)}, not {cpu}")
            hit += 1
        if hit == inj["hit"]:
            dbg.send("d 1", f"set $cpu = {cpu}")
            if inj["steps"]:
                dbg.send(f"s {cpu} {inj['steps']}")
            dbg.send("ptime")
            m = dbg.wait_for(r"ptime: (\d+)")
            tick = int(m.group(1)) if m else None
            rip = regs("rip")
            log.append(f"stopped at tick {tick} on cpu {cpu} ({inj['sandbox']}), hit {hit} of "
                       f"{inj['breakpoint']} (host-physical {bp:#x}) + {inj['steps']} steps, rip {rip:#x}")
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
            elif inj["model"] == "wild_write":
                phys = inj["address"]
                old = xp(phys, 8)
                newb = inj["value"].to_bytes(8, "little")
                dbg.send(f"setpmem {phys:#x} 4 {int.from_bytes(newb[:4], 'little'):#x}",
                         f"setpmem {phys + 4:#x} 4 {int.from_bytes(newb[4:], 'little'):#x}")
                check = xp(phys, 8)
                log.append(f"injector wrote {inj['into']}'s host-physical {phys:#x}: {old.hex()} -> "
                           f"{newb.hex()} (read back {check.hex()})")
                injected = check == newb
            elif "register" in inj:
                reg = inj["register"]
                old = regs(reg)
                new = specmod.apply_mask(old, inj, 64)
                dbg.send(f"set {reg} = {new:#x}")
                got = regs(reg)
                log.append(f"cpu {cpu} {reg}: {old:#x} -> {new:#x} (read back {got:#x})")
                injected = got == new
            else:
                phys = sb["base"] + inj["address"]
                n = (inj["bit"] + inj["bits"] + 7) // 8
                old = xp(phys, n)
                val = specmod.apply_mask(int.from_bytes(old, "little"), inj, 8 * n)
                newb = val.to_bytes(n, "little")
                dbg.send(*[f"setpmem {phys + i:#x} 1 {newb[i]:#x}" for i in range(n)])
                check = xp(phys, n)
                log.append(f"{inj['sandbox']} gpa {inj['address']:#x} (host-physical {phys:#x}): "
                           f"{old.hex()} -> {newb.hex()} (read back {check.hex()})")
                injected = check == newb
            if not injected:
                error = "the write was not confirmed by the debugger"
        else:
            log.append(f"the run ended after {hit} of {inj['hit']} hits of {inj['breakpoint']}")
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
    parts = [f"{inj['model']}"]
    if "symbol" in inj:
        parts.append(f"{inj['symbol']}@{inj['address']:#x} bit {inj['bit']}")
    elif "register" in inj:
        parts.append(f"{inj['register']} bit {inj['bit']}")
    elif "into" in inj:
        parts.append(f"{inj.get('sandbox')} -> {inj['into']} @{inj['address']:#x}")
    elif "address" in inj:
        parts.append(f"{inj.get('sandbox', 'phys')}:{inj['address']:#x} bit {inj['bit']}")
    if inj["bits"] if "bits" in inj else 0:
        parts[-1] += f" x{inj['bits']}" if inj["bits"] > 1 else ""
    parts.append(f"{inj['breakpoint']}#{inj['hit']}+{inj['steps']}")
    return " ".join(parts)


def main(argv):
    ap = argparse.ArgumentParser(prog="inject", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("campaign")
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", type=int, default=None, help="replay one injection (its index)")
    ap.add_argument("--fresh", action="store_true", help="ignore results of an earlier interrupted run")
    ap.add_argument("--golden", default=None, metavar="DIR",
                    help="reuse the golden run in DIR (an earlier campaign's OUT/golden) when its "
                         "spec and image hashes match, instead of booting a new one")
    a = ap.parse_args(argv)
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
    symbols = {}
    if "image" in sysd:
        if not os.path.isfile(sysd["image"]):
            die(f"{a.campaign}: system.image '{sysd['image']}' not found")
        try:
            symbols = specmod.elf_symbols(sysd["image"])
        except specmod.SpecError as e:
            die(str(e))
    # Check symbols and ranges now: a bad spec runs nothing.
    try:
        if spec["backend"] == "qemu":
            plan = specmod.plan(spec, symbols)
        else:
            for f in spec["faults"]:
                t = f["target"]
                if t["kind"] == "symbol" and t["symbol"] not in symbols:
                    raise specmod.SpecError(f"{f['id']}: unknown symbol '{t['symbol']}' in {sysd['image']}")
    except specmod.SpecError as e:
        die(f"{a.campaign}: {e}")

    out = a.out or os.path.join("build", "fault-injection", name)
    os.makedirs(out, exist_ok=True)
    spec_hash = hashlib.sha256(text.encode()).hexdigest()
    hashes = {"spec": spec_hash, "iso": sha256(sysd["iso"])}
    if "image" in sysd:
        hashes["image"] = sha256(sysd["image"])
    t0 = time.monotonic()
    if not a.golden:
        print(f"inject: {name}: golden run ({spec['backend']})", flush=True)
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
        golden = golden_run(spec, os.path.join(out, "golden"))
        golden_s = time.monotonic() - t0
        with open(os.path.join(out, "golden", "golden.json"), "w") as f:
            json.dump({"status": golden["status"], "hashes": hashes, "seconds": round(golden_s, 2)}, f)
    if golden["status"] not in (0,) and not ("until" in sysd and golden["status"] == 0):
        die(f"golden run failed with status {golden['status']}: logs in {out}/golden", 3)
    sandboxes = None
    if spec["backend"] == "bochs":
        sandboxes = parse_sandboxes(golden, spec)
        missing = [s for s in sysd["sandboxes"] if s not in sandboxes]
        if missing:
            die(f"golden run: the monitor reported no sandbox named {', '.join(missing)}", 3)
        try:
            plan = specmod.plan(spec, symbols, sandboxes)
        except specmod.SpecError as e:
            die(f"{a.campaign}: {e}")
    indices = [a.only] if a.only is not None else range(len(plan))
    if a.only is not None and not 0 <= a.only < len(plan):
        die(f"--only {a.only}: the campaign has injections 0..{len(plan) - 1}")
    runs = []
    for i in indices:
        inj = plan[i]
        rdir = os.path.join(out, "runs", f"{i:04d}")
        rfile = os.path.join(rdir, "result.json")
        if not a.fresh and a.only is None and os.path.exists(rfile):
            with open(rfile) as f:
                prev = json.load(f)
            if prev.get("spec_hash") == spec_hash and prev.get("hashes") == hashes:
                runs.append(prev)
                print(f"inject: [{i + 1}/{len(plan)}] {describe(inj)}: {prev['outcome']} (kept)", flush=True)
                continue
        t1 = time.monotonic()
        if spec["backend"] == "qemu":
            faulty = qemu_inject(spec, inj, rdir)
        else:
            faulty = bochs_inject(spec, inj, sandboxes, rdir)
        ctx = {"monitor_console": sysd.get("monitor_console") if spec["backend"] == "bochs" else None,
               # an injector's write into another sandbox is memory corruption of the victim
               "target": inj["into"] if inj.get("by") == "injector" else inj.get("sandbox"), "sandboxes": sysd["sandboxes"], "ignore": spec["ignore"]}
        if spec["backend"] == "bochs":
            ctx["monitor_console"] = sysd.get("monitor_console", "com1")
        outcome, reason = classify.classify(golden, faulty, ctx)
        ok = outcome not in spec["pass"]["forbid"] and (not inj["expect"] or outcome in inj["expect"])
        rec = {"index": i, "injection": inj, "description": describe(inj), "outcome": outcome,
               "reason": reason, "status": faulty["status"], "log": faulty["log"], "ok": ok,
               "tick": faulty.get("tick"),
               "seconds": round(time.monotonic() - t1, 2), "spec_hash": spec_hash, "hashes": hashes,
               "replay": f"make inject CAMPAIGN={a.campaign} ONLY={i}"}
        with open(rfile, "w") as f:
            json.dump(rec, f, indent=1)
        runs.append(rec)
        print(f"inject: [{i + 1}/{len(plan)}] {describe(inj)}: {outcome} ({reason})"
              f"{'' if ok else '  <-- not allowed by the spec'}", flush=True)
    total_s = time.monotonic() - t0
    result = report.build(name, a.campaign, spec, hashes, golden, golden_s, runs, total_s, len(plan))
    report.write(out, result)
    # certification/tools/certgen.py reads build/inject/NAME/results.json
    link = os.path.join("build", "inject", name)
    if a.out is None and not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath(out, os.path.dirname(link)), link)
    print(report.table(result))
    print(f"inject: {name}: {'passed' if result['passed'] else 'FAILED'}; results in {out}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
