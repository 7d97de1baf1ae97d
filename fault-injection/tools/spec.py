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
TARGET_KINDS = ("symbol", "memory", "register", "sandbox")
LATER_TARGETS = {
    "channel": "issue 6/9: channel pages as a target need the channel map of a running system",
    "device": "issue 9: device and driver targets come with driver recovery",
    "sensor": "issue 8: the sensor feed comes with the in-sandbox TMR flight controller",
}
MODELS = ("bitflip", "burst", "stuck_at", "wild_write")
LATER_MODELS = {
    "hang": "issue 9: a sandbox hang is only detected once the health monitor has deadlines",
    "budget_overrun": "issue 9: budget overrun detection comes with the health monitor",
    "driver_corruption": "issue 9: driver corruption needs local/remote driver recovery",
    "sensor_fault": "issue 8: the sensor feed comes with the in-sandbox TMR flight controller",
}
REGISTERS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
             "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip")
OUTCOMES = ("masked", "detected_recovered", "detected_halted", "sdc", "hang",
            "system_failure", "not_injected", "error")
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
            raise SpecError("backend 'sim': not available until issue 8 (flight-level outcomes: "
                            "the hook is classify.flight_outcome)")
        raise SpecError(f"backend: unknown '{s['backend']}' (one of {', '.join(BACKENDS)})")
    s["seed"] = _int(s["seed"], "seed", 0, SEED_MAX)
    req = s.get("requirements", [])
    if not isinstance(req, list) or not all(isinstance(r, str) and REQ_RE.match(r) for r in req):
        raise SpecError("requirements: a list of IDs like MON-FLT-001 (docs/certification.md)")
    sysd = s["system"]
    _keys(sysd, "system", ["iso"], ["image", "cores", "memory", "serial_ports", "timeout",
                                     "icount", "ips", "monitor_console", "sandboxes", "until"])
    sysd["cores"] = _int(sysd.get("cores", 1), "system.cores", 1, 8)
    sysd["memory"] = _int(sysd.get("memory", 256), "system.memory", 32, 4096)
    sysd["serial_ports"] = _int(sysd.get("serial_ports", 2), "system.serial_ports", 1, 4)
    sysd["timeout"] = _int(sysd.get("timeout", 120), "system.timeout", 1, 3600)
    if "icount" in sysd:
        sysd["icount"] = _int(sysd["icount"], "system.icount", 0, 10)
    if s["backend"] == "qemu" and "icount" not in sysd:
        raise SpecError("system.icount: QEMU campaigns need -icount (deterministic virtual time)")
    sbx = sysd.get("sandboxes", {})
    if not isinstance(sbx, dict) or not all(isinstance(v, str) and re.match(r"^com[1-4]$", v)
                                            for v in sbx.values()):
        raise SpecError("system.sandboxes: an object name -> console ('com2')")
    sysd["sandboxes"] = sbx
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


def _check_fault(s, f, what):
    _keys(f, what, ["target", "model", "when", "count"], ["id", "expect"])
    f["count"] = _int(f["count"], f"{what}.count", 1, MAX_INJECTIONS)
    f.setdefault("id", what)
    exp = f.get("expect", [])
    for o in exp:
        if o not in OUTCOMES:
            raise SpecError(f"{what}.expect: unknown outcome '{o}'")
    f["expect"] = list(exp)
    backend = s["backend"]
    sbx = s["system"]["sandboxes"]

    t = f["target"]
    if not isinstance(t, dict) or "kind" not in t:
        raise SpecError(f"{what}.target: an object with a 'kind'")
    if t["kind"] in LATER_TARGETS:
        raise SpecError(f"{what}.target: '{t['kind']}' not available until {LATER_TARGETS[t['kind']]}")
    if t["kind"] not in TARGET_KINDS:
        raise SpecError(f"{what}.target: unknown kind '{t['kind']}' "
                        f"(one of {', '.join(TARGET_KINDS + tuple(LATER_TARGETS))})")
    if backend == "bochs":
        if t.get("sandbox") not in sbx:
            raise SpecError(f"{what}.target.sandbox: '{t.get('sandbox')}' is not a sandbox of "
                            f"system.sandboxes ({', '.join(sbx) or 'none'})")
    elif "sandbox" in t:
        raise SpecError(f"{what}.target.sandbox: QEMU campaigns target the standalone kernel "
                        "(the monitor runs sandboxes only in Bochs until the SVM backend lands)")
    k = t["kind"]
    if k == "symbol":
        _keys(t, f"{what}.target", ["kind", "symbol"], ["offset", "length", "sandbox"])
        if not isinstance(t["symbol"], str) or not re.match(r"^[A-Za-z_.$][\w.$]*$", t["symbol"]):
            raise SpecError(f"{what}.target.symbol: not a symbol name")
        t["offset"] = _int(t.get("offset", 0), f"{what}.target.offset")
        if "length" in t:
            t["length"] = _int(t["length"], f"{what}.target.length", 1)
        if "image" not in s["system"]:
            raise SpecError(f"{what}.target: a symbol needs system.image (the ELF to resolve it in)")
    elif k == "memory":
        _keys(t, f"{what}.target", ["kind", "start", "length"], ["sandbox"])
        t["start"] = _int(t["start"], f"{what}.target.start")
        t["length"] = _int(t["length"], f"{what}.target.length", 1)
    elif k == "register":
        _keys(t, f"{what}.target", ["kind", "registers"], ["sandbox"])
        regs = t["registers"]
        if not isinstance(regs, list) or not regs or any(r not in REGISTERS for r in regs):
            raise SpecError(f"{what}.target.registers: a list of {', '.join(REGISTERS)}")
    elif k == "sandbox":
        _keys(t, f"{what}.target", ["kind", "sandbox"], [])

    m = f["model"]
    if not isinstance(m, dict) or "kind" not in m:
        raise SpecError(f"{what}.model: an object with a 'kind'")
    if m["kind"] in LATER_MODELS:
        raise SpecError(f"{what}.model: '{m['kind']}' not available until {LATER_MODELS[m['kind']]}")
    if m["kind"] not in MODELS:
        raise SpecError(f"{what}.model: unknown fault model '{m['kind']}' "
                        f"(one of {', '.join(MODELS + tuple(LATER_MODELS))})")
    if m["kind"] == "bitflip":
        _keys(m, f"{what}.model", ["kind"], [])
    elif m["kind"] == "burst":
        _keys(m, f"{what}.model", ["kind", "bits"], [])
        m["bits"] = _int(m["bits"], f"{what}.model.bits", 2, 64)
    elif m["kind"] == "stuck_at":
        _keys(m, f"{what}.model", ["kind", "value"], [])
        m["value"] = _int(m["value"], f"{what}.model.value", 0, 1)
    elif m["kind"] == "wild_write":
        _keys(m, f"{what}.model", ["kind", "into"], ["offset", "by"])
        # by "guest" (default): the writer's own next store goes there (its RSP is moved into
        # the victim's host-physical range), an isolation breach its EPT must stop.  By
        # "injector": the debugger writes a seed-drawn word there from outside: memory
        # corruption of the victim, classified by what the victim and the monitor show.
        m["by"] = m.get("by", "guest")
        if m["by"] not in ("guest", "injector"):
            raise SpecError(f"{what}.model.by: 'guest' or 'injector', not {json.dumps(m['by'])}")
        if backend != "bochs":
            raise SpecError(f"{what}.model: wild_write needs partitions: Bochs backend only "
                            "(QEMU until the SVM backend lands)")
        if t["kind"] != "sandbox":
            raise SpecError(f"{what}.model: wild_write takes a target of kind 'sandbox' (the writer)")
        if m["into"] not in sbx or m["into"] == t["sandbox"]:
            raise SpecError(f"{what}.model.into: '{m['into']}' must be another sandbox of system.sandboxes")
        m["offset"] = _range(m.get("offset", [0, 0x100000]), f"{what}.model.offset")
    if m["kind"] != "wild_write" and t["kind"] == "sandbox":
        raise SpecError(f"{what}.target: kind 'sandbox' is only for wild_write")
    if m["kind"] in ("burst",) and t["kind"] == "register" and m["bits"] > 64:
        raise SpecError(f"{what}.model.bits: at most 64 for a register")

    w = f["when"]
    if not isinstance(w, dict):
        raise SpecError(f"{what}.when: an object")
    if "control_period" in w:
        raise SpecError(f"{what}.when.control_period: not available until issue 8 "
                        "(control periods of the in-sandbox flight controller)")
    # Both backends stop at the N-th execution of a symbol (QEMU: gdbstub breakpoint on the
    # virtual address; Bochs: physical breakpoint at the sandbox's host-physical copy of it),
    # then single-step 'steps' more instructions on that core (Bochs: 's CPU N').  Bochs 2.7's
    # time breakpoints (sba) cannot fire with cpu count > 1 (the debugger's SMP loop re-enters
    # cpu_loop, which clears the break flag the timer set), so no absolute instruction count.
    if "instructions" in w:
        raise SpecError(f"{what}.when.instructions: not available (Bochs 2.7 time breakpoints do not "
                        "fire on SMP systems): use breakpoint/hit/steps")
    _keys(w, f"{what}.when", ["breakpoint"], ["hit", "steps"])
    if not isinstance(w["breakpoint"], str):
        raise SpecError(f"{what}.when.breakpoint: a symbol of system.image")
    if "image" not in s["system"]:
        raise SpecError(f"{what}.when.breakpoint: needs system.image (the ELF to resolve it in)")
    w["hit"] = _range(w.get("hit", 1), f"{what}.when.hit", 1, 10**6)
    w["steps"] = _range(w.get("steps", 0), f"{what}.when.steps", 0, 100000)
    if backend == "bochs" and w["steps"][1] > 1000:
        raise SpecError(f"{what}.when.steps: at most 1000 under Bochs (debugger single steps)")


def elf_symbols(path):
    """name -> (address, size) from nm -S."""
    try:
        out = subprocess.run(["nm", "-S", path], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SpecError(f"cannot read symbols of {path}: {e}")
    syms = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4:
            syms[p[3]] = (int(p[0], 16), int(p[1], 16))
        elif len(p) == 3:
            syms.setdefault(p[2], (int(p[0], 16), 0))
    return syms


def _draw(rng, r):
    return r[0] if r[0] == r[1] else rng.randint(r[0], r[1])


def plan(spec, symbols=None, sandboxes=None):
    """Concrete injections: the same spec and seed give the same list.
    symbols: name -> (addr, size); sandboxes: name -> {base, size, core}
    (from the golden run's monitor console, Bochs only)."""
    out = []
    n = 0
    for f in spec["faults"]:
        t, m, w = f["target"], f["model"], f["when"]
        for _ in range(f["count"]):
            rng = random.Random(f"{spec['seed']}/{n}")
            inj = {"index": n, "fault": f["id"], "target": t["kind"], "model": m["kind"],
                   "expect": f["expect"]}
            if "sandbox" in t:
                inj["sandbox"] = t["sandbox"]
            if w["breakpoint"] not in symbols:
                raise SpecError(f"{f['id']}: unknown symbol '{w['breakpoint']}' in {spec['system']['image']}")
            inj["breakpoint"] = w["breakpoint"]
            inj["breakpoint_addr"] = symbols[w["breakpoint"]][0]
            inj["hit"] = _draw(rng, w["hit"])
            inj["steps"] = _draw(rng, w["steps"])
            if t["kind"] in ("symbol", "memory"):
                if t["kind"] == "symbol":
                    if t["symbol"] not in symbols:
                        raise SpecError(f"{f['id']}: unknown symbol '{t['symbol']}' in {spec['system']['image']}")
                    addr, size = symbols[t["symbol"]]
                    length = t.get("length", size - t["offset"])
                    if size and t["offset"] + length > size:
                        raise SpecError(f"{f['id']}: offset+length {t['offset'] + length} past the "
                                        f"end of '{t['symbol']}' ({size} bytes)")
                    if length <= 0:
                        raise SpecError(f"{f['id']}: symbol '{t['symbol']}' has no size: give a length")
                    start = addr + t["offset"]
                    inj["symbol"] = t["symbol"]
                else:
                    start, length = t["start"], t["length"]
                if sandboxes is not None and "sandbox" in t:
                    sb = sandboxes[t["sandbox"]]
                    if start + length > sb["size"]:
                        raise SpecError(f"{f['id']}: address range {start:#x}+{length:#x} outside "
                                        f"sandbox {t['sandbox']} (RAM {sb['size']:#x})")
                width = {"bitflip": 1, "stuck_at": 1, "burst": m.get("bits", 1)}[m["kind"]]
                bit = rng.randrange(0, length * 8 - width + 1)
                inj["address"] = start + bit // 8
                inj["bit"] = bit % 8
                inj["bits"] = width
            elif t["kind"] == "register":
                inj["register"] = t["registers"][rng.randrange(len(t["registers"]))]
                width = m.get("bits", 1)
                inj["bit"] = rng.randrange(0, 64 - width + 1)
                inj["bits"] = width
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
