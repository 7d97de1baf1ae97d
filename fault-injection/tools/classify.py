"""Outcome classes: a faulty run compared with the golden run of the same
campaign (console logs, the monitor's fault records, the runner's status).

  masked              no detection, every console as in the golden run
  detected_recovered  a fault record for the target, then a restart record
                      (RECOVERY line); in a flight: the vote named the target
                      replica and the commands stayed as golden (flight.py)
  detected_safe_mode  a flight's vote lost its majority: the safe command
  detected_halted     a fault record (monitor) or an exception/panic report
                      (standalone kernel) for the target; the other sandboxes
                      and the monitor as in the golden run
  sdc                 output differs from the golden run without detection
  hang                the run hit its timeout
  system_failure      the monitor or an unrelated sandbox harmed, a reset, or
                      an exit status that differs without detection
  crash, attitude_exceeded, altitude_exceeded
                      flight-level outcomes from the plant (flight.py)
  emulator_died       the emulator itself stopped mid-run (signal, crash), not the guest
  harness_stall       QEMU: the VM stood stopped with no debugger stop in hand (watchdog.py)
  not_injected        the injection point was never reached (run ended first)
  error               the harness could not inject (reported with its reason)
"""
import re

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
FAULT = re.compile(r"\[monitor\] FAULT seq=\d+ t=\d+ core=(\d+) sandbox=(\d+) name=(\S+) kind=(\S+) "
                   r"gpa=(0x[0-9a-f]+) rip=(0x[0-9a-f]+) qual=(0x[0-9a-f]+) action=(\S+)")
RESTART = re.compile(r"sandbox \d+ \((\S+)\) restarted|\[monitor\] .*restart(ed)? sandbox \d+ (\S+)"
                     r"|\[monitor\] RECOVERY sandbox=\d+ name=\S+ restart=\d+ cause=")
KERNEL_DETECT = re.compile(r"^kernel: (exception \d+|panic)")
# Lines that legitimately change when a sandbox halts (timing and counts)
# and the health monitor's decision and recovery lines that accompany a fault.
MONITOR_NOISE = [r"TRAPS ", r"monitor trap count", r"steady-state window", r"core \d+: sandbox \d+ halted",
                 r"\[monitor\] FAULT ", r"\[monitor\] HEALTH ", r"\[monitor\] RECOVERY ", r"restarted"]
TIMEOUT_STATUS, NO_STATUS = 124, 126


def clean(text):
    return ANSI.sub("", text)


# Time stamps in the monitor's lines: not behaviour (QEMU -icount with several cores does
# not boot to the same TSC twice; a fault shifts them in Bochs).
TIMESTAMP = re.compile(r"\b(tsc|t=)\s*\d+")


def lines(text, ignore=(), untimed=False):
    pats = [re.compile(p) for p in ignore]
    out = []
    for l in clean(text).split("\n"):
        l = l.rstrip()
        if l and not any(p.search(l) for p in pats):
            out.append(TIMESTAMP.sub(r"\1*", l) if untimed else l)
    return out


def faults(text):
    return [{"core": int(m[1]), "sandbox": int(m[2]), "name": m[3], "kind": m[4], "gpa": m[5],
             "rip": m[6], "qual": m[7], "action": m[8]} for m in FAULT.finditer(clean(text))]


def _key(f):
    return (f["name"], f["kind"], f["gpa"], f["rip"])


def new_faults(golden, faulty):
    left = [_key(f) for f in golden]
    out = []
    for f in faulty:
        k = _key(f)
        if k in left:
            left.remove(k)
        else:
            out.append(f)
    return out


# tools/run-emu's summary when the emulator process ended before the guest gave a status.
EMU_STOPPED = re.compile(r"(\w+) stopped \(exit code (-?\d+)\)")


def emulator_died(faulty):
    """A reason when the emulator itself stopped mid-run (killed by a signal, crashed:
    a non-zero exit code of its own), not the guest (QEMU -no-reboot exits 0 on a guest
    reset or triple fault); None otherwise."""
    st = faulty["status"]
    if st is not None and st < 0:
        return f"the runner was killed by signal {-st}"
    m = EMU_STOPPED.search(faulty.get("runner", "") or "")
    if st == NO_STATUS and m and int(m.group(2)) != 0:
        code = int(m.group(2))
        how = f"signal {-code}" if code < 0 else f"exit code {code}"
        return f"{m.group(1)} died mid-run ({how})"
    return None


def preliminary(golden, faulty, ctx):
    """The outcomes decided before comparing consoles: (outcome, reason) or None."""
    if faulty.get("stall"):
        return "harness_stall", faulty["stall"]
    if faulty.get("error"):
        return "error", faulty["error"]
    died = emulator_died(faulty)
    if died and emulator_died(golden) is None:
        return "emulator_died", died
    if not faulty.get("injected"):
        return "not_injected", "the injection point was not reached before the run ended"
    if faulty["status"] == TIMEOUT_STATUS and golden["status"] != TIMEOUT_STATUS:
        return "hang", "timeout"
    return None


def restarted(text, target):
    return any(target in m.group(0) for m in RESTART.finditer(clean(text)))


def classify(golden, faulty, ctx):
    """golden, faulty: {"status": int, "consoles": {"com1": text...}, "injected": bool,
    "error": str|None}.  ctx: {"monitor_console": "com1"|None, "target": sandbox name|None,
    "sandboxes": {name: console}, "ignore": [regex]}.
    Returns (outcome, reason)."""
    pre = preliminary(golden, faulty, ctx)
    if pre:
        return pre
    ign = ctx.get("ignore", [])
    mon = ctx.get("monitor_console")
    gcons, fcons = golden["consoles"], faulty["consoles"]
    if mon:
        target = ctx.get("target")
        nf = new_faults(faults(gcons.get(mon, "")), faults(fcons.get(mon, "")))
        others = [f for f in nf if f["name"] != target]
        if others:
            f = others[0]
            return "system_failure", f"fault record for unrelated sandbox {f['name']} ({f['kind']})"
        for name, con in ctx.get("sandboxes", {}).items():
            if name != target and lines(gcons.get(con, ""), ign) != lines(fcons.get(con, ""), ign):
                return "system_failure", f"unrelated sandbox {name}: console differs from golden"
        if lines(gcons.get(mon, ""), ign + MONITOR_NOISE, True) != lines(fcons.get(mon, ""), ign + MONITOR_NOISE, True):
            return "system_failure", "monitor console differs from golden"
        if faulty["status"] != golden["status"]:
            return "system_failure", f"run status {faulty['status']} (golden {golden['status']})"
        mine = [f for f in nf if f["name"] == target]
        if mine:
            f = mine[0]
            what = f"{f['kind']} gpa={f['gpa']} rip={f['rip']} action={f['action']}"
            if restarted(fcons.get(mon, ""), target):
                return "detected_recovered", what
            return "detected_halted", what
        tcon = ctx.get("sandboxes", {}).get(target)
        if tcon and lines(gcons.get(tcon, ""), ign) != lines(fcons.get(tcon, ""), ign):
            return "sdc", f"sandbox {target}: console differs from golden without a fault record"
        return "masked", "no fault record, consoles as golden"
    # standalone kernel: its own exception reports are the detection
    det = []
    for con, text in fcons.items():
        g = set(lines(gcons.get(con, ""), ign))
        det += [l for l in lines(text, ign) if KERNEL_DETECT.search(l) and l not in g]
    if faulty["status"] == NO_STATUS and golden["status"] != NO_STATUS:
        return "system_failure", "the emulator stopped without a guest status (reset or triple fault)"
    if det:
        return "detected_halted", det[0]
    if faulty["status"] != golden["status"]:
        return "system_failure", f"run status {faulty['status']} (golden {golden['status']}) without detection"
    for con in sorted(set(gcons) | set(fcons)):
        if lines(gcons.get(con, ""), ign) != lines(fcons.get(con, ""), ign):
            return "sdc", f"{con} differs from golden without detection"
    return "masked", "consoles as golden"


def flight_outcome(trace, limits):
    """Flight-level hook (issue 8): given a flight trace [{t, roll, pitch, alt}]
    and limits {attitude_deg, altitude_m}, returns 'crash', 'attitude_exceeded',
    'altitude_exceeded' or None.  Used when the in-sandbox TMR work provides
    the trace; campaigns cannot ask for it yet (backend 'sim' is refused)."""
    for p in trace:
        if p.get("alt", 1.0) <= 0.0:
            return "crash"
        if max(abs(p.get("roll", 0.0)), abs(p.get("pitch", 0.0))) > limits["attitude_deg"]:
            return "attitude_exceeded"
        if abs(p.get("alt", 0.0) - p.get("alt_ref", p.get("alt", 0.0))) > limits["altitude_m"]:
            return "altitude_exceeded"
    return None
