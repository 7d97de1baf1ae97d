"""Data and control coupling analysis (DO-178C Table A-7, objective 8) for the
evidence package: certgen.py coupling / package (docs/certification.md).

Read from the real sources, never from a hand-written list:
  * the system descriptions (config/*.xml): which sandboxes share which
    channel pages, with the access each side gets; devices, I/O ports,
    consoles, cores, TMR groups;
  * the monitor's code: the hypercall table of monitor/hypercall.c and, for
    each handler, the policy checks and the monitor data it reads or writes
    (matched by the accessor functions its body calls); the VM exit reasons
    the dispatcher of monitor/vmexit.c handles; the channel page rule of
    channel_page_perm (monitor/vmx/ept_sandbox.c), checked against the rule
    this analysis applies, so a changed rule fails instead of being misread.
Nothing here is judged by a person's memory of the code: a new hypercall, a
handler that calls an accessor this file does not know, or a changed page
rule shows up in the table (or fails), naming the function.
"""
import os
import re
import xml.etree.ElementTree as ET

# Accessors a hypercall handler may call, and the coupling each one means.
# (kind, text): kind "data" = information crosses between the monitor and the
# caller (and through the monitor, between sandboxes); "control" = the call
# changes the execution of something outside the caller.
ACCESSORS = [
    (r"\bcopy_out\(", "data", "writes the caller's own RAM (buffer checked by the dispatcher)"),
    (r"\bfault_log_copy\(", "data", "reads the monitor's fault log: every sandbox's fault records"),
    (r"\bcounters_read\(", "data", "reads the exit counters of any running core (rdi), not only its own"),
    (r"\bhandover_devices_(held|awaited)\(", "data", "reads the device hand-over state of its own sandbox"),
    (r"\bbootinfo_channel\(", "data", "reads one channel's layout, only for a channel it writes or reads"),
    (r"\bfault_raise\(", "control", "records a fault against itself; its health policy may act on itself"),
    (r"\brestart_request\(", "control", "asks for a restart (the target's health record decides)"),
    (r"\bcounters_print\(", "control", "prints every core's exit counters on the monitor's console (COM1)"),
    (r"\battest_event_log|\bmeasure_event_log|\bhc_event_log_span\(", "data", "reads the measured-launch event log"),
    (r"\battest_quote(_ready)?\(", "control", "drives the TPM (a quote with its nonce)"),
    (r"\bvirt_start_core\(", "control", "starts one of its own cores at a vector"),
    (r"\bdecision_log_read\(", "data", "reads the monitor's recovery decisions about every sandbox"),
]
# Calls that read only the caller's own state or its arguments: no coupling.
LOCAL_HELPERS = ("con_", "cpu_", "virt_guest_rip", "hc_quote_check", "hc_buffer_ok")
# Policy checks (a handler returning PERM unless ...), and how to evaluate
# them on a sandbox of the description.
POLICIES = [
    (r"\bhc_event_log_allowed\(", "a sandbox that owns a device", lambda sb, sysd: bool(sb["devices"])),
    (r"\bbootinfo_channel\(", "per channel: its writer or a reader", lambda sb, sysd: bool(sb["channels"])),
    (r"\bipi_start_check\(", "its own cores only", lambda sb, sysd: len(sb["cores"]) > 1),
    (r"\brestart_request\(", "itself when its health policy declares a restart",
     lambda sb, sysd: sb["restart"] or (bool(sb["votes_for"]) and sysd["restart_by_voter"])),
]
# The channel page rule this analysis applies (who maps which channel page
# how): the writer's area RW for the writer, R for its readers; each reader's
# control page RW for that reader, R for the writer.  Its source must still
# say so (these lines of channel_page_perm); otherwise the analysis fails.
PAGE_RULE_LINES = [
    "if (c->writer == sb)", "return EPT_READ | EPT_WRITE;", "if (c->readers[i] == sb)", "return EPT_READ;",
    "if (c->readers[reader] == sb)", "return c->writer == sb ? EPT_READ : 0;",
]


def function_body(text, name):
    """The body of C function `name` in text (None when not found)."""
    m = re.search(r"^[a-z].*\b" + re.escape(name) + r"\([^;{]*\)\s*\{", text, re.M)
    if not m:
        return None
    depth, i = 0, m.end() - 1
    while i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[m.end():i]
        i += 1
    return None


def hypercalls(top, errors):
    """[{number name, handler, buffer, data: [...], control: [...], policy: [...]}] from monitor/hypercall.c."""
    src = open(os.path.join(top, "monitor", "hypercall.c")).read()
    abi = open(os.path.join(top, "monitor", "abi", "hypercall.h")).read()
    numbers = {m.group(1): int(m.group(2), 0) for m in re.finditer(r"\bTRIAD_HC_(\w+)\s*=\s*(\d+|0x[0-9a-fA-F]+)u?\b", abi)}
    # The handler: the switch of the dispatcher (case TRIAD_HC_X: return hc_x(...)),
    # or the table entry's function pointer (the table's first field).
    by_case = {m.group(1): m.group(2) for m in re.finditer(r"case\s+TRIAD_HC_(\w+)\s*:\s*return\s+(\w+)\(", src)}
    rows = []
    for m in re.finditer(r"\[TRIAD_HC_(\w+)\]\s*=\s*\{\s*(\w+)\s*,\s*(\d+)\s*,\s*(\d+)", src):
        name = m.group(1)
        fn = by_case.get(name) or m.group(2)
        ptr = int(m.group(3))            # {handler or known, ptr_arg, size_arg}
        body = function_body(src, fn)
        if body is None:
            errors.append(f"monitor/hypercall.c: handler {fn} of TRIAD_HC_{name} not found")
            continue
        found = [(k, t) for pat, k, t in ACCESSORS if re.search(pat, body)]
        pol = [(t, f) for pat, t, f in POLICIES if re.search(pat, body)]
        calls = set(re.findall(r"\b([a-z_][a-z0-9_]*)\(", body)) - {"if", "for", "while", "return", "sizeof", "switch"}
        pats = [p for p, _, _ in ACCESSORS] + [p for p, _, _ in POLICIES]
        other = sorted(c for c in calls if not any(re.search(p, c + "(") for p in pats)
                       and not c.startswith(LOCAL_HELPERS))
        rows.append({"number": numbers.get(name), "name": "TRIAD_HC_" + name, "handler": fn,
                     "buffer": ptr != 0,
                     "data": [t for k, t in found if k == "data"],
                     "control": [t for k, t in found if k == "control"],
                     "policy": [t for t, _ in pol], "eval": [f for _, f in pol],
                     "other_calls": other})
    if not rows:
        errors.append("monitor/hypercall.c: no hypercall table found (the coupling analysis reads it)")
    return sorted(rows, key=lambda r: (r["number"] is None, r["number"] or 0))


def exit_reasons(top, errors):
    """[(VE_ reason, what the monitor does)] from the dispatcher of monitor/vmexit.c."""
    src = open(os.path.join(top, "monitor", "vmexit.c")).read()
    out = []
    parts = re.split(r"\n\s*case (VE_\w+):", src)
    for i in range(1, len(parts), 2):
        body = parts[i + 1].split("break;")[0]
        if "hypercall_dispatch" in body:
            what = "hypercall dispatcher (table below)"
        elif "pci_filter_io" in body or "legacy_io" in body:
            what = "port I/O: emulated legacy ports, the PCI configuration filter (owned functions only), else io_violation fault"
        else:
            f = re.search(r"TRIAD_FAULT_(\w+)", body)
            calls = [c for c in re.findall(r"\b([a-z_][a-z0-9_]*)\(", body) if c not in ("if", "while", "for")]
            what = (f"fault {f.group(1).lower()} against itself" if f else
                    ("handled by " + ", ".join(dict.fromkeys(calls))) if calls else "no action")
        out.append((parts[i], what))
    if not out:
        errors.append("monitor/vmexit.c: no exit dispatcher cases found (the coupling analysis reads them)")
    return out


def page_rule_ok(top, errors):
    src = open(os.path.join(top, "monitor", "vmx", "ept_sandbox.c")).read()
    body = function_body(src, "channel_page_perm") or ""
    flat = " ".join(body.split())
    missing = [ln for ln in PAGE_RULE_LINES if ln not in flat]
    if missing:
        errors.append("monitor/vmx/ept_sandbox.c: channel_page_perm no longer has the page rule the coupling "
                      f"analysis applies (missing: {missing[0]!r}): review certification/tools/coupling.py")
    return not missing


def cores_of(text):
    out = []
    for part in text.replace(",", " ").split():
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b or a) + 1))
    return out


def describe(path):
    root = ET.parse(path).getroot()
    sbs = {}
    for s in root.findall("sandbox"):
        h = s.find("health")
        sbs[s.get("name")] = {
            "name": s.get("name"), "criticality": s.get("criticality", "?"), "cores": cores_of(s.get("cores", "")),
            "devices": [d.get("name") for d in s.findall("device")],
            "ioports": [(int(p.get("base"), 0), int(p.get("count"), 0)) for p in s.findall("ioports")],
            "console": (s.find("console").attrib if s.find("console") is not None else {}),
            "restart": h is not None and (h.get("default", "").startswith("restart")
                                          or any(o.get("action", "").startswith("restart") for o in h.findall("on"))),
            "channels": [], "votes_for": []}
    chans = []
    for c in root.findall("channel"):
        readers = [r.get("sandbox") for r in c.findall("reader")]
        chans.append({"name": c.get("name"), "key": c.get("key"), "kind": c.get("kind"),
                      "msg_size": c.get("msg-size"), "writer": c.get("writer"), "readers": readers})
        for n in [c.get("writer")] + readers:
            if n in sbs:
                sbs[n]["channels"].append(c.get("name"))
    groups = []
    for g in root.findall("tmr-group"):
        members = [r.get("sandbox") for r in g.findall("replica")] + [r.get("sandbox") for r in g.findall("standby")]
        groups.append({"name": g.get("name"), "voter": g.get("voter"), "members": members})
        if g.get("voter") in sbs:
            sbs[g.get("voter")]["votes_for"] += members
    pci = {p.get("name"): {"standby": p.get("standby")} for p in root.iter("pci")}
    return {"name": root.get("name"), "file": path, "sandboxes": sbs, "channels": chans, "groups": groups, "pci": pci}


def analyse(top):
    """The analysis as a dict, and the errors (a missing table, a changed rule)."""
    errors = []
    hcs = hypercalls(top, errors)
    exits = exit_reasons(top, errors)
    rule = page_rule_ok(top, errors)
    cfg = os.path.join(top, "config")
    systems = [describe(os.path.join(cfg, f)) for f in sorted(os.listdir(cfg)) if f.endswith(".xml")]
    # issue 8: a TMR group's voter may ask for its members' restarts
    restart_group = "tmr_restart_allowed" in open(os.path.join(top, "monitor", "restart.c")).read()
    for h in hcs if restart_group else []:
        h["policy"] = [t + "; a TMR group's voter its members' (tmr_restart_allowed)"
                       if t.startswith("itself when its health") else t for t in h["policy"]]
    for s in systems:
        s["restart_by_voter"] = restart_group
        for sb in s["sandboxes"].values():
            sb["hypercalls"] = []
            for h in hcs:
                ok = all(f(sb, s) for f in h["eval"])
                sb["hypercalls"].append((h["name"], "admitted" if ok else "refused (PERM/INVAL by policy)"))
            sb["can_restart"] = (["itself"] if sb["restart"] else []) + (
                sb["votes_for"] if restart_group else [])
    return {"hypercalls": hcs, "exits": exits, "page_rule_checked": rule, "systems": systems,
            "restart_by_voter_in_code": restart_group}, errors


def markdown(a):
    L = ["# Data and control coupling (DO-178C A-7 objective 8)", "",
         "Generated by certification/tools/coupling.py from the system descriptions (config/*.xml) and the "
         "monitor's code (monitor/hypercall.c's table and handlers, monitor/vmexit.c's dispatcher, "
         "channel_page_perm in monitor/vmx/ept_sandbox.c).  A sandbox's memory is private (the validator "
         "refuses overlapping regions); the only memory two sandboxes share is channel pages.", "",
         "## Monitor entry points: hypercalls", "",
         "| # | hypercall | handler | guest buffer | policy | data coupling | control coupling | other calls |",
         "|---|---|---|---|---|---|---|---|"]
    for h in a["hypercalls"]:
        L.append(f"| {h['number']} | {h['name']} | {h['handler']} | {'yes' if h['buffer'] else 'no'} | "
                 f"{'; '.join(h['policy']) or 'every sandbox'} | {'; '.join(h['data']) or '-'} | "
                 f"{'; '.join(h['control']) or '-'} | {', '.join(h['other_calls']) or '-'} |")
    L += ["", "## Monitor entry points: VM exits (every sandbox can cause each)", "", "| exit | what the monitor does |",
          "|---|---|"] + [f"| {r} | {w} |" for r, w in a["exits"]]
    L += ["", f"Channel page rule read from channel_page_perm: writer area RW for the writer and R for its "
          f"readers, each reader's control page RW for that reader and R for the writer, nothing for any other "
          f"sandbox ({'checked against the code' if a['page_rule_checked'] else 'CODE DIFFERS: see the errors'}).", ""]
    for s in a["systems"]:
        L += [f"## System {s['name']} ({os.path.basename(s['file'])})", "", "### Shared pages (channels)", "",
              "| channel | key | kind | message | writer (RW) | readers (R, own control page RW) |", "|---|---|---|---|---|---|"]
        L += [f"| {c['name']} | {c['key']} | {c['kind']} | {c['msg_size']} B | {c['writer']} | {', '.join(c['readers'])} |"
              for c in s["channels"]] or ["| - | | | | | |"]
        L += ["", "### Per sandbox", "",
              "| sandbox | level | cores | devices, ports | console | channels | hypercalls refused | may restart |",
              "|---|---|---|---|---|---|---|---|"]
        for sb in s["sandboxes"].values():
            refused = [n for n, v in sb["hypercalls"] if v != "admitted"]
            dev = ", ".join(sb["devices"] + [f"ports {b:#x}+{n}" for b, n in sb["ioports"]]) or "-"
            con = ", ".join(f"{k} {v}" for k, v in sb["console"].items()) or "-"
            L.append(f"| {sb['name']} | {sb['criticality']} | {' '.join(map(str, sb['cores']))} | {dev} | {con} | "
                     f"{len(sb['channels'])} | {', '.join(r.replace('TRIAD_HC_', '') for r in refused) or 'none'} | "
                     f"{', '.join(sb['can_restart']) or '-'} |")
        if s["groups"]:
            L += ["", "TMR groups: " + "; ".join(f"{g['name']}: voter {g['voter']} over {', '.join(g['members'])}"
                                                 for g in s["groups"])]
        L.append("")
    return "\n".join(L) + "\n"
