"""Campaign specs: JSON in fault-injection/campaigns/*.json, checked here
against the schema of docs/fault-injection.md before anything runs.

parse_spec(text, origin) returns a normalized dict or raises SpecError with a
message naming the spec and the offending field.  plan(spec, ...) expands the
faults into concrete injections drawn from the seed (deterministic)."""
import json
import random
import re
import subprocess

BACKENDS = ("qemu", "bochs")
TARGET_KINDS = ("symbol", "memory", "register", "sandbox", "channel", "driver", "sensor")
LATER_TARGETS = {
    "device": "a device is reached through its driver: use kind 'driver' (the driver's data)",
}
MODELS = ("bitflip", "burst", "stuck_at", "wild_write", "hang", "budget_overrun",
          "driver_corruption", "sensor_fault")
LATER_MODELS = {}
# Which models each target kind takes.
TARGET_MODELS = {
    "symbol": ("bitflip", "burst", "stuck_at"), "memory": ("bitflip", "burst", "stuck_at"),
    "register": ("bitflip", "burst", "stuck_at"), "channel": ("bitflip", "burst", "stuck_at"),
    "sandbox": ("wild_write", "hang", "budget_overrun"), "driver": ("driver_corruption",),
    "sensor": ("sensor_fault",),
}
# The sensor feed: struct sensor_params of tools/sim/sensors.h in the plant (sim_plant's
# static 'sp'); a sensor fault adds a bias to one of these doubles from its period on, so
# every replica reads the same wrong value (a common-mode fault the vote cannot see).
# tests/unit/fault-injection/test_spec.py checks these offsets against the header.
SENSOR_SYMBOL = "sp"
SENSOR_FIELDS = {"gyro_bias_x": 8, "gyro_bias_y": 16, "gyro_bias_z": 24, "baro_bias": 48}
REGISTERS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
             "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip")
OUTCOMES = ("masked", "detected_recovered", "detected_safe_mode", "detected_halted", "degraded", "sdc", "hang",
            "system_failure", "crash", "attitude_exceeded", "altitude_exceeded",
            "emulator_died", "harness_stall", "not_injected", "error")
FLIGHT_OUTCOMES = ("crash", "attitude_exceeded", "altitude_exceeded")
SEED_MAX = 2**32 - 1
MAX_INJECTIONS = 100000
REQ_RE = re.compile(r"^(HLR-)?[A-Z]+(-[A-Z]+)*-[0-9]{3}$")


class SpecError(Exception):
    pass


def _int(v, what, lo=0, hi=2**64 - 1):
    if isinstance(v, str):
        try:
            v = int(v, 0)
        except ValueError:
            raise SpecError(f"{what}: '{v}' is not an integer")
    if isinstance(v, bool) or not isinstance(v, int):
        raise SpecError(f"{what}: expected an integer, got {json.dumps(v)}")
    if v < lo or v > hi:
        raise SpecError(f"{what}: {v} out of range {lo}..{hi}")
    return v


def _range(v, what, lo=0, hi=2**64 - 1):
    """An integer or [lo, hi] drawn from the seed."""
    if isinstance(v, list):
        if len(v) != 2:
            raise SpecError(f"{what}: a range is [low, high]")
        a, b = _int(v[0], what, lo, hi), _int(v[1], what, lo, hi)
        if a > b:
            raise SpecError(f"{what}: range [{a}, {b}] is empty")
        return (a, b)
    x = _int(v, what, lo, hi)
    return (x, x)


def _keys(d, what, required, optional):
    if not isinstance(d, dict):
        raise SpecError(f"{what}: expected an object")
    for k in required:
        if k not in d:
            raise SpecError(f"{what}: missing '{k}'")
    for k in d:
        if k not in required and k not in optional:
            raise SpecError(f"{what}: unknown field '{k}'")


def parse_spec(text, origin="spec"):
    try:
        s = json.loads(text)
    except ValueError as e:
        raise SpecError(f"{origin}: not JSON: {e}")
    try:
        return _check(s)
    except SpecError as e:
        raise SpecError(f"{origin}: {e}")


def _check(s):
    _keys(s, "campaign", ["backend", "system", "seed", "faults"],
          ["name", "description", "requirements", "pass", "ignore"])
    if s["backend"] not in BACKENDS:
        if s["backend"] == "sim":
            raise SpecError("backend 'sim': flight-level outcomes come from the in-sandbox flight "
                            "(backend 'bochs' with system.flight)")
        raise SpecError(f"backend: unknown '{s['backend']}' (one of {', '.join(BACKENDS)})")
    s["seed"] = _int(s["seed"], "seed", 0, SEED_MAX)
    req = s.get("requirements", [])
    if not isinstance(req, list) or not all(isinstance(r, str) and REQ_RE.match(r) for r in req):
        raise SpecError("requirements: a list of IDs like MON-FLT-001 (docs/certification.md)")
    sysd = s["system"]
    _keys(sysd, "system", ["iso"], ["image", "cores", "memory", "serial_ports", "timeout",
                                     "icount", "ips", "monitor_console", "sandboxes", "until",
                                     "programs", "flight", "table", "module"])
    sysd["cores"] = _int(sysd.get("cores", 1), "system.cores", 1, 8)
    sysd["memory"] = _int(sysd.get("memory", 256), "system.memory", 32, 4096)
    sysd["serial_ports"] = _int(sysd.get("serial_ports", 2), "system.serial_ports", 1, 4)
    sysd["timeout"] = _int(sysd.get("timeout", 120), "system.timeout", 1, 3600)
    if "icount" in sysd:
        sysd["icount"] = _int(sysd["icount"], "system.icount", 0, 10)
    if s["backend"] == "qemu" and "icount" not in sysd:
        raise SpecError("system.icount: QEMU campaigns need -icount (deterministic virtual time)")
    _check_programs(sysd)
    _check_flight(sysd)
    ign = s.get("ignore", [])
    if not isinstance(ign, list):
        raise SpecError("ignore: a list of regular expressions")
    for r in ign:
        try:
            re.compile(r)
        except (re.error, TypeError) as e:
            raise SpecError(f"ignore: bad regular expression {r!r}: {e}")
    s["ignore"] = ign
    p = s.get("pass", {})
    _keys(p, "pass", [], ["forbid"])
    for o in p.get("forbid", []):
        if o not in OUTCOMES:
            raise SpecError(f"pass.forbid: unknown outcome '{o}' (one of {', '.join(OUTCOMES)})")
    s["pass"] = {"forbid": list(p.get("forbid", []))}
    if not isinstance(s["faults"], list) or not s["faults"]:
        raise SpecError("faults: a non-empty list")
    total = 0
    for i, f in enumerate(s["faults"]):
        _check_fault(s, f, f"faults[{i}]")
        total += f["count"]
    if total > MAX_INJECTIONS:
        raise SpecError(f"faults: {total} injections, more than {MAX_INJECTIONS}")
    s.setdefault("name", None)
    return s


def partitioned(s):
    """Sandboxes under the monitor: Bochs always, QEMU when system.sandboxes is given."""
    return s["backend"] == "bochs" or bool(s["system"]["sandboxes"])


def _check_programs(sysd):
    """system.sandboxes: name -> console ('com2') or {"console": 'com2'|null, "program": NAME};
    system.programs: NAME -> {"elf": path, "period": symbol run once per control period}."""
    sbx = sysd.get("sandboxes", {})
    if not isinstance(sbx, dict):
        raise SpecError("system.sandboxes: an object name -> console ('com2') or "
                        "{\"console\": ..., \"program\": ...}")
    progs = sysd.get("programs", {})
    if not isinstance(progs, dict):
        raise SpecError("system.programs: an object name -> {\"elf\": path, \"period\": symbol}")
    for name, p in progs.items():
        _keys(p, f"system.programs.{name}", ["elf"], ["period", "skip", "period_value"])
        if "period_value" in p:
            # where the program says which period its period symbol works on, at entry: a
            # register ({"reg": "rdx"}) or a u32 at register + offset ({"reg": "rdx", "offset": 4})
            pv = p["period_value"]
            _keys(pv, f"system.programs.{name}.period_value", ["reg"], ["offset"])
            if pv["reg"] not in REGISTERS:
                raise SpecError(f"system.programs.{name}.period_value.reg: one of {', '.join(REGISTERS)}")
            if "offset" in pv:
                pv["offset"] = _int(pv["offset"], f"system.programs.{name}.period_value.offset", 0, 4096)
        if not isinstance(p.get("skip", False), bool):
            raise SpecError(f"system.programs.{name}.skip: true or false")
        if not isinstance(p["elf"], str) or ("period" in p and not isinstance(p["period"], str)):
            raise SpecError(f"system.programs.{name}: elf and period are strings")
    cons, prog_of = {}, {}
    for name, v in sbx.items():
        if isinstance(v, dict):
            _keys(v, f"system.sandboxes.{name}", [], ["console", "program"])
            con = v.get("console")
            if "program" in v:
                if v["program"] not in progs:
                    raise SpecError(f"system.sandboxes.{name}.program: '{v['program']}' is not in "
                                    f"system.programs ({', '.join(progs) or 'none'})")
                prog_of[name] = v["program"]
        else:
            con = v
        if con is not None and not (isinstance(con, str) and re.match(r"^com[1-4]$", con)):
            raise SpecError(f"system.sandboxes.{name}: console must be com1..com4 or null")
        cons[name] = con
    sysd["sandboxes"], sysd["programs"], sysd["program_of"] = cons, progs, prog_of


def _check_flight(sysd):
    """system.flight: the in-sandbox UAV flight's console and the flight-level limits."""
    if "flight" not in sysd:
        return
    fl = sysd["flight"]
    _keys(fl, "system.flight", ["console", "replicas"], ["attitude_deg", "altitude_m", "rate", "coarse"])
    if "coarse" in fl:
        # A stop once per 'every' periods in one sandbox's program (io_voter's 1 Hz status
        # line) that lets a control_period stop skip whole seconds of flight; only used for
        # programs marked "skip": true (where the count after it is exact).
        c = fl["coarse"]
        _keys(c, "system.flight.coarse", ["sandbox", "symbol", "every"], [])
        if sysd["program_of"].get(c["sandbox"]) is None:
            raise SpecError(f"system.flight.coarse.sandbox: '{c['sandbox']}' runs no program of system.programs")
        c["every"] = _int(c["every"], "system.flight.coarse.every", 1, 10**6)
    if not re.match(r"^com[1-4]$", str(fl["console"])):
        raise SpecError("system.flight.console: com1..com4")
    reps = fl["replicas"]
    if not isinstance(reps, dict) or not all(isinstance(v, str) and re.match(r"^[a-h]$", v)
                                              for v in reps.values()):
        raise SpecError("system.flight.replicas: sandbox name -> replica letter as the voter names it")
    for k in ("attitude_deg", "altitude_m"):
        v = fl.get(k, {"attitude_deg": 30, "altitude_m": 0.3}[k])
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
            raise SpecError(f"system.flight.{k}: a positive number")
        fl[k] = float(v)
    fl["rate"] = _int(fl.get("rate", 100), "system.flight.rate", 1, 10000)


def _check_fault(s, f, what):
    _keys(f, what, ["target", "model", "when", "count"], ["id", "expect", "requirements"])
    f["count"] = _int(f["count"], f"{what}.count", 1, MAX_INJECTIONS)
    f.setdefault("id", what)
    req = f.get("requirements", [])
    if not isinstance(req, list) or not all(isinstance(r, str) and REQ_RE.match(r) for r in req):
        raise SpecError(f"{what}.requirements: a list of IDs like TMR-VOT-001")
    f["requirements"] = list(req)
    exp = f.get("expect", [])
    for o in exp:
        if o not in OUTCOMES:
            raise SpecError(f"{what}.expect: unknown outcome '{o}'")
    f["expect"] = list(exp)
    backend = s["backend"]
    sysd = s["system"]
    sbx = sysd["sandboxes"]

    t = f["target"]
    if not isinstance(t, dict) or "kind" not in t:
        raise SpecError(f"{what}.target: an object with a 'kind'")
    if t["kind"] in LATER_TARGETS:
        raise SpecError(f"{what}.target: '{t['kind']}' not available: {LATER_TARGETS[t['kind']]}")
    if t["kind"] not in TARGET_KINDS:
        raise SpecError(f"{what}.target: unknown kind '{t['kind']}' "
                        f"(one of {', '.join(TARGET_KINDS)})")
    # Partitions: Bochs (VMX monitor) always; QEMU when the system has sandboxes (the monitor
    # on its SVM backend); a QEMU spec without sandboxes targets the standalone kernel.
    parts = partitioned(s)
    if parts:
        if t.get("sandbox") not in sbx:
            raise SpecError(f"{what}.target.sandbox: '{t.get('sandbox')}' is not a sandbox of "
                            f"system.sandboxes ({', '.join(sbx) or 'none'})")
    elif "sandbox" in t:
        raise SpecError(f"{what}.target.sandbox: a QEMU campaign without system.sandboxes targets the "
                        "standalone kernel")
    if not parts and t["kind"] in ("channel", "driver", "sensor", "sandbox"):
        raise SpecError(f"{what}.target: kind '{t['kind']}' needs partitions: Bochs, or QEMU with "
                        "system.sandboxes (the monitor's SVM backend)")
    k = t["kind"]
    if k == "symbol":
        _keys(t, f"{what}.target", ["kind", "symbol"], ["offset", "length", "sandbox", "program"])
        if not isinstance(t["symbol"], str) or not re.match(r"^[A-Za-z_.$][\w.$]*$", t["symbol"]):
            raise SpecError(f"{what}.target.symbol: not a symbol name")
        t["offset"] = _int(t.get("offset", 0), f"{what}.target.offset")
        if "length" in t:
            t["length"] = _int(t["length"], f"{what}.target.length", 1)
        if "image" not in sysd and "program" not in t:
            raise SpecError(f"{what}.target: a symbol needs system.image (the ELF to resolve it in)")
    elif k == "memory":
        # start + length, or "segment": "rw" (the writable LOAD segment of the program, or of
        # system.image: its data and bss) or "text"
        _keys(t, f"{what}.target", ["kind"], ["sandbox", "program", "start", "length", "segment"])
        if "segment" in t:
            if t["segment"] not in ("rw", "text") or "start" in t or "length" in t:
                raise SpecError(f"{what}.target: 'segment' is 'rw' or 'text', without start/length")
            if "program" not in t and "image" not in sysd:
                raise SpecError(f"{what}.target: a kernel segment needs system.image")
        else:
            if "start" not in t or "length" not in t:
                raise SpecError(f"{what}.target: give start and length, or a segment")
            t["start"] = _int(t["start"], f"{what}.target.start")
            t["length"] = _int(t["length"], f"{what}.target.length", 1)
    elif k == "register":
        _keys(t, f"{what}.target", ["kind", "registers"], ["sandbox"])
        regs = t["registers"]
        if not isinstance(regs, list) or not regs or any(r not in REGISTERS for r in regs):
            raise SpecError(f"{what}.target.registers: a list of {', '.join(REGISTERS)}")
    elif k == "sandbox":
        _keys(t, f"{what}.target", ["kind", "sandbox"], [])
    elif k == "channel":
        _keys(t, f"{what}.target", ["kind", "channel", "sandbox"], [])
        if not isinstance(t["channel"], str):
            raise SpecError(f"{what}.target.channel: a channel name of the system description")
        if "table" not in sysd:
            raise SpecError(f"{what}.target: a channel needs system.table (sysgen's --report of the system)")
    elif k == "driver":
        _keys(t, f"{what}.target", ["kind", "sandbox", "source"], [])
        if not isinstance(t["source"], str) or not t["source"]:
            raise SpecError(f"{what}.target.source: the driver's source file (drivers/net/e1000.c)")
        if "image" not in sysd:
            raise SpecError(f"{what}.target: a driver needs system.image (the kernel ELF)")
    elif k == "sensor":
        _keys(t, f"{what}.target", ["kind", "sandbox", "field"], [])
        if t["field"] not in SENSOR_FIELDS:
            raise SpecError(f"{what}.target.field: one of {', '.join(SENSOR_FIELDS)}")
        if sysd["program_of"].get(t["sandbox"]) is None:
            raise SpecError(f"{what}.target.sandbox: '{t['sandbox']}' runs no program of system.programs "
                            "(the sensor feed is the plant program's sensor parameters)")
    if "program" in t:
        if t["program"] not in sysd["programs"]:
            raise SpecError(f"{what}.target.program: '{t['program']}' is not in system.programs")
        if not parts:
            raise SpecError(f"{what}.target.program: user programs run in sandboxes: give system.sandboxes")

    m = f["model"]
    if not isinstance(m, dict) or "kind" not in m:
        raise SpecError(f"{what}.model: an object with a 'kind'")
    if m["kind"] not in MODELS:
        raise SpecError(f"{what}.model: unknown fault model '{m['kind']}' (one of {', '.join(MODELS)})")
    if m["kind"] not in TARGET_MODELS[k]:
        raise SpecError(f"{what}.model: '{m['kind']}' does not apply to a target of kind '{k}' "
                        f"(it takes {', '.join(TARGET_MODELS[k])})")
    if m["kind"] in ("bitflip", "driver_corruption"):
        _keys(m, f"{what}.model", ["kind"], [])
    elif m["kind"] in ("hang", "budget_overrun"):
        # The loop is written over a function that never runs in a normal flight ("at":
        # the kernel's panic for a hang, the program's abort for an overrun), then the
        # stopped core jumps there.  Not over the code at the stop: Bochs keeps decoded
        # traces of code it ran, and the debugger's physical writes do not invalidate them.
        _keys(m, f"{what}.model", ["kind"], ["at"])
        m["at"] = m.get("at", "panic" if m["kind"] == "hang" else "abort")
        if not isinstance(m["at"], str):
            raise SpecError(f"{what}.model.at: a function symbol")
    elif m["kind"] == "burst":
        _keys(m, f"{what}.model", ["kind", "bits"], [])
        m["bits"] = _int(m["bits"], f"{what}.model.bits", 2, 64)
    elif m["kind"] == "stuck_at":
        _keys(m, f"{what}.model", ["kind", "value"], [])
        m["value"] = _int(m["value"], f"{what}.model.value", 0, 1)
    elif m["kind"] == "sensor_fault":
        _keys(m, f"{what}.model", ["kind", "bias"], [])
        b = m["bias"]
        b = b if isinstance(b, list) else [b, b]
        if len(b) != 2 or any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in b) or b[0] > b[1]:
            raise SpecError(f"{what}.model.bias: a number or [low, high] (sensor units: rad/s, m)")
        m["bias"] = (float(b[0]), float(b[1]))
    elif m["kind"] == "wild_write":
        _keys(m, f"{what}.model", ["kind", "into"], ["offset", "by"])
        # by "guest" (default): the writer's own next store goes there (its RSP is moved into
        # the victim's host-physical range), an isolation breach its EPT must stop.  By
        # "injector": the debugger writes a seed-drawn word there from outside: memory
        # corruption of the victim, classified by what the victim and the monitor show.
        m["by"] = m.get("by", "guest")
        if m["by"] not in ("guest", "injector"):
            raise SpecError(f"{what}.model.by: 'guest' or 'injector', not {json.dumps(m['by'])}")
        if m["into"] not in sbx or m["into"] == t["sandbox"]:
            raise SpecError(f"{what}.model.into: '{m['into']}' must be another sandbox of system.sandboxes")
        m["offset"] = _range(m.get("offset", [0, 0x100000]), f"{what}.model.offset")
    if m["kind"] in ("burst",) and t["kind"] == "register" and m["bits"] > 64:
        raise SpecError(f"{what}.model.bits: at most 64 for a register")

    w = f["when"]
    if not isinstance(w, dict):
        raise SpecError(f"{what}.when: an object")
    # Both backends stop at the N-th execution of a symbol (QEMU: gdbstub breakpoint on the
    # virtual address; Bochs: physical breakpoint at the sandbox's host-physical copy of it),
    # then single-step 'steps' more instructions on that core (Bochs: 's CPU N').  Bochs 2.7's
    # time breakpoints (sba) cannot fire with cpu count > 1 (the debugger's SMP loop re-enters
    # cpu_loop, which clears the break flag the timer set), so no absolute instruction count.
    # control_period P (Bochs): the P-th call of the period symbol of the sandbox's program
    # (system.programs.NAME.period), then optionally the next hit of a kernel 'breakpoint'.
    if "instructions" in w:
        raise SpecError(f"{what}.when.instructions: not available (Bochs 2.7 time breakpoints do not "
                        "fire on SMP systems): use control_period or breakpoint/hit/steps")
    _keys(w, f"{what}.when", [], ["breakpoint", "hit", "steps", "control_period"])
    if "control_period" not in w and "breakpoint" not in w:
        raise SpecError(f"{what}.when: give a control_period or a breakpoint")
    if "control_period" in w:
        if not parts:
            raise SpecError(f"{what}.when.control_period: control periods are the in-sandbox flight's: "
                            "Bochs, or QEMU with system.sandboxes")
        prog = sysd["program_of"].get(t.get("sandbox"))
        if prog is None or "period" not in sysd["programs"][prog]:
            raise SpecError(f"{what}.when.control_period: sandbox '{t.get('sandbox')}' runs no program "
                            "with a period symbol (system.sandboxes.NAME.program, system.programs.NAME.period)")
        w["control_period"] = _range(w["control_period"], f"{what}.when.control_period", 1, 10**6)
        if "hit" in w:
            raise SpecError(f"{what}.when.hit: with control_period the breakpoint's next hit is taken")
    if "breakpoint" in w:
        if not isinstance(w["breakpoint"], str):
            raise SpecError(f"{what}.when.breakpoint: a symbol of system.image")
        if "image" not in sysd:
            raise SpecError(f"{what}.when.breakpoint: needs system.image (the ELF to resolve it in)")
    w["hit"] = _range(w.get("hit", 1), f"{what}.when.hit", 1, 10**6)
    w["steps"] = _range(w.get("steps", 0), f"{what}.when.steps", 0, 100000)
    if backend == "bochs" and w["steps"][1] > 1000:
        raise SpecError(f"{what}.when.steps: at most 1000 under Bochs (debugger single steps)")
    if backend == "qemu" and parts and w["steps"][1] > 0:
        raise SpecError(f"{what}.when.steps: not with QEMU and partitions (stop at the breakpoint itself)")
    # A hang stops the sandbox for good: 'cli; jmp .' at the stop point, which must be kernel
    # code (ring 0).  A budget overrun is an endless loop in the program (user mode): its
    # VCPU budget keeps it to its share, its output goes late.
    if m["kind"] == "hang" and "breakpoint" not in w:
        raise SpecError(f"{what}.when: a hang is injected in kernel code: give a kernel breakpoint")
    if m["kind"] == "budget_overrun" and ("control_period" not in w or "breakpoint" in w):
        raise SpecError(f"{what}.when: a budget overrun is injected in the program: give control_period only")
    if m["kind"] == "wild_write" and m["by"] == "guest" and "breakpoint" not in w:
        raise SpecError(f"{what}.when: a guest wild write needs a kernel breakpoint at a function entry "
                        "(its first push stores at the moved RSP)")


def elf_symbols(path, sources=False):
    """name -> (address, size) from nm -S; with sources=True also
    source file -> [(address, size, name)] of its data symbols (nm -l, debug info)."""
    try:
        out = subprocess.run(["nm", "-S"] + (["-l"] if sources else []) + [path],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SpecError(f"cannot read symbols of {path}: {e}")
    syms, files = {}, {}
    for line in out.splitlines():
        loc = None
        if "\t" in line:
            line, loc = line.split("\t", 1)
        p = line.split()
        if len(p) == 4:
            syms[p[3]] = (int(p[0], 16), int(p[1], 16))
            if loc and p[2] in "bBdD":
                files.setdefault(loc.rsplit(":", 1)[0], []).append((int(p[0], 16), int(p[1], 16), p[3]))
        elif len(p) == 3:
            syms.setdefault(p[2], (int(p[0], 16), 0))
    return (syms, files) if sources else syms


def lookup(syms, name, where):
    """A symbol by name; a function-local static ('st') also by its compiler name ('st.2')
    when exactly one such symbol exists."""
    if name in syms:
        return syms[name]
    cand = [k for k in syms if re.match(re.escape(name) + r"\.\d+$", k)]
    if len(cand) == 1:
        return syms[cand[0]]
    if cand:
        raise SpecError(f"symbol '{name}' is ambiguous in {where} ({', '.join(sorted(cand))})")
    raise SpecError(f"unknown symbol '{name}' in {where}")


def parse_table(text):
    """sysgen's --report: the channel area base and each channel's writer pages
    -> {"channel": (host-physical address, size)}."""
    base = None
    out = {}
    cur = None
    for line in text.splitlines():
        m = re.search(r"channel area base (0x[0-9a-f]+)", line)
        if m:
            base = int(m.group(1), 16)
        m = re.match(r"^  (\S+)\s+key \d+\s", line)
        if m:
            cur = m.group(1)
        m = re.search(r"writer pages (0x[0-9a-f]+)\+(0x[0-9a-f]+)", line)
        if m and cur and base is not None:
            out[cur] = (base + int(m.group(1), 16), int(m.group(2), 16))
    return out


def elf_segments(path):
    """The LOAD segments of an ELF: [(vaddr, memsz, flags 'RWE')]."""
    try:
        out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SpecError(f"cannot read segments of {path}: {e}")
    segs = []
    for m in re.finditer(r"^\s*LOAD\s+0x[0-9a-f]+ (0x[0-9a-f]+) 0x[0-9a-f]+ 0x[0-9a-f]+ (0x[0-9a-f]+) ([RWE ]+?)\s+0x",
                         out, re.M):
        segs.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3).replace(" ", "")))
    return segs


def _draw(rng, r):
    return r[0] if r[0] == r[1] else rng.randint(r[0], r[1])


def _pick_bits(rng, inj, m, start, length):
    width = {"burst": m.get("bits", 1)}.get(m["kind"], 1)
    if length * 8 < width:
        raise SpecError(f"{inj['fault']}: a {width}-bit burst does not fit in {length} bytes")
    bit = rng.randrange(0, length * 8 - width + 1)
    inj["address"] = start + bit // 8
    inj["bit"] = bit % 8
    inj["bits"] = width


def plan(spec, symbols=None, sandboxes=None, env=None):
    """Concrete injections: the same spec and seed give the same list.
    symbols: name -> (addr, size) of system.image; sandboxes: name -> {base, size, core}
    (from the golden run's monitor console, Bochs only); env: {"programs": {NAME: symbols},
    "sources": {file: [(addr, size, name)]} of system.image, "channels": {name: (addr, size)}}.
    Each injection names the address space of its 'address': 'guest' (the sandbox's
    guest-physical, where its kernel runs identity-mapped), 'virtual' (the stopped CPU's
    current address space: a program's, translated by the debugger at the stop) or 'host'."""
    symbols = symbols or {}
    env = env or {}
    sysd = spec["system"]
    image = sysd.get("image", "system.image")
    out = []
    n = 0
    for f in spec["faults"]:
        t, m, w = f["target"], f["model"], f["when"]
        for _ in range(f["count"]):
            rng = random.Random(f"{spec['seed']}/{n}")
            inj = {"index": n, "fault": f["id"], "target": t["kind"], "model": m["kind"],
                   "expect": f["expect"], "requirements": f["requirements"]}
            if "sandbox" in t:
                inj["sandbox"] = t["sandbox"]
            if "control_period" in w:
                prog = sysd["program_of"][t["sandbox"]]
                psym = sysd["programs"][prog]["period"]
                inj["program"] = prog
                inj["period"] = _draw(rng, w["control_period"])
                inj["period_symbol"] = psym
                if "period_value" in sysd["programs"][prog]:
                    inj["period_value"] = sysd["programs"][prog]["period_value"]
                inj["period_addr"] = lookup(env.get("programs", {}).get(prog, {}), psym,
                                            sysd["programs"][prog]["elf"])[0]
                co = sysd.get("flight", {}).get("coarse")
                if co and sysd["programs"][prog].get("skip"):
                    cprog = sysd["program_of"][co["sandbox"]]
                    inj["coarse_sandbox"], inj["coarse_every"] = co["sandbox"], co["every"]
                    inj["coarse_addr"] = lookup(env.get("programs", {}).get(cprog, {}), co["symbol"],
                                                sysd["programs"][cprog]["elf"])[0]
            if "breakpoint" in w:
                inj["breakpoint"] = w["breakpoint"]
                inj["breakpoint_addr"] = lookup(symbols, w["breakpoint"], image)[0]
                inj["hit"] = 1 if "control_period" in w else _draw(rng, w["hit"])
            inj["steps"] = _draw(rng, w["steps"])
            k = t["kind"]
            if k in ("symbol", "memory"):
                if "program" in t:
                    syms, where, space = env.get("programs", {}).get(t["program"], {}), \
                        sysd["programs"][t["program"]]["elf"], "virtual"
                    if inj.get("program") != t["program"] or "breakpoint" in w:
                        raise SpecError(f"{f['id']}: program memory is reached at a stop in that program: "
                                        f"give when.control_period (without a kernel breakpoint) in a "
                                        f"sandbox running '{t['program']}'")
                else:
                    syms, where, space = symbols, image, "guest"
                if k == "symbol":
                    addr, size = lookup(syms, t["symbol"], where)
                    length = t.get("length", size - t["offset"])
                    if size and t["offset"] + length > size:
                        raise SpecError(f"{f['id']}: offset+length {t['offset'] + length} past the "
                                        f"end of '{t['symbol']}' ({size} bytes)")
                    if length <= 0:
                        raise SpecError(f"{f['id']}: symbol '{t['symbol']}' has no size: give a length")
                    start = addr + t["offset"]
                    inj["symbol"] = t["symbol"]
                elif "segment" in t:
                    segs = env.get("segments", {}).get(t.get("program", ""), [])
                    want = "W" if t["segment"] == "rw" else "E"
                    seg = [x for x in segs if want in x[2]]
                    if not seg:
                        raise SpecError(f"{f['id']}: no {t['segment']} segment in {where}")
                    start, length = seg[0][0], seg[0][1]
                else:
                    start, length = t["start"], t["length"]
                if sandboxes is not None and "sandbox" in t and space == "guest":
                    sb = sandboxes[t["sandbox"]]
                    if start + length > sb["size"]:
                        raise SpecError(f"{f['id']}: address range {start:#x}+{length:#x} outside "
                                        f"sandbox {t['sandbox']} (RAM {sb['size']:#x})")
                _pick_bits(rng, inj, m, start, length)
                inj["space"] = space
            elif k == "channel":
                chans = env.get("channels", {})
                if t["channel"] not in chans:
                    raise SpecError(f"{f['id']}: unknown channel '{t['channel']}' in {sysd.get('table')} "
                                    f"({', '.join(chans) or 'no channels'})")
                start, length = chans[t["channel"]]
                inj["channel"] = t["channel"]
                _pick_bits(rng, inj, m, start, length)
                inj["space"] = "host"
            elif k == "driver":
                data = [d for src, ds in env.get("sources", {}).items()
                        if src.endswith("/" + t["source"]) or src == t["source"] for d in ds if d[1] > 0]
                if not data:
                    raise SpecError(f"{f['id']}: no data symbols of source '{t['source']}' in {image}")
                data.sort()
                total = sum(d[1] for d in data)
                byte = rng.randrange(total)
                for addr, size, name in data:
                    if byte < size:
                        break
                    byte -= size
                inj["symbol"] = name
                inj["address"], inj["bit"], inj["bits"] = addr + byte, rng.randrange(8), 1
                inj["space"] = "guest"
            elif k == "sensor":
                prog = sysd["program_of"][t["sandbox"]]
                addr, _ = lookup(env.get("programs", {}).get(prog, {}), SENSOR_SYMBOL,
                                 sysd["programs"][prog]["elf"])
                if inj.get("program") != prog or "breakpoint" in w:
                    raise SpecError(f"{f['id']}: a sensor fault is injected at a control period of "
                                    f"'{prog}': give when.control_period only")
                inj["symbol"] = f"{SENSOR_SYMBOL}.{t['field']}"
                inj["field"] = t["field"]
                inj["address"] = addr + SENSOR_FIELDS[t["field"]]
                inj["space"] = "virtual"
                lo, hi = m["bias"]
                inj["bias"] = lo if lo == hi else round(rng.uniform(lo, hi), 6)
            elif k == "register":
                inj["register"] = t["registers"][rng.randrange(len(t["registers"]))]
                width = m.get("bits", 1)
                inj["bit"] = rng.randrange(0, 64 - width + 1)
                inj["bits"] = width
            if m["kind"] == "hang":
                inj["code_symbol"] = m["at"]
                inj["code_addr"] = lookup(symbols, m["at"], image)[0]
                inj["space"] = "guest"
            if m["kind"] == "budget_overrun":
                prog = inj["program"]
                inj["code_symbol"] = m["at"]
                inj["code_addr"] = lookup(env.get("programs", {}).get(prog, {}), m["at"],
                                          sysd["programs"][prog]["elf"])[0]
                inj["space"] = "virtual"
            if m["kind"] == "stuck_at":
                inj["value"] = m["value"]
            if m["kind"] == "wild_write":
                into = sandboxes[m["into"]]
                off = _draw(rng, m["offset"]) & ~7
                if off >= into["size"]:
                    raise SpecError(f"{f['id']}: offset {off:#x} outside sandbox {m['into']}")
                inj["into"] = m["into"]
                inj["by"] = m.get("by", "guest")
                inj["address"] = into["base"] + off
                inj["space"] = "host"
                if inj["by"] == "injector":
                    inj["value"] = rng.getrandbits(64)
            out.append(inj)
            n += 1
    return out


def apply_mask(value, inj, width_bits):
    """The faulty value for bit flips, bursts and stuck-at within an integer
    of width_bits (memory: the bytes read at the address, little endian)."""
    mask = ((1 << inj["bits"]) - 1) << inj["bit"]
    mask &= (1 << width_bits) - 1
    if inj["model"] == "stuck_at":
        return (value | mask) if inj["value"] else (value & ~mask)
    return value ^ mask
