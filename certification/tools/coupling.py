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
import collections
import os
import re
import xml.etree.ElementTree as ET

# Accessors a hypercall handler may call, and the coupling each one means.
# (kind, text, table): kind "data" = information crosses between the monitor
# and the caller (and through the monitor, between sandboxes); "control" = the
# call changes the execution of something outside the caller; table = the
# monitor-held state the call reads or writes, shared by every sandbox whose
# hypercalls reach it (None: only the caller's own state).
ACCESSORS = [
    (r"\bcopy_out\(", "data", "writes the caller's own RAM (buffer checked by the dispatcher)", None),
    (r"\bfault_log_copy\(", "data", "reads the monitor's fault log: every sandbox's fault records", "fault-log"),
    (r"\bcounters_read\(", "data", "reads the exit counters of any running core (rdi), not only its own", "exit-counters"),
    (r"\bhandover_devices_(held|awaited)\(", "data", "reads the device hand-over state of its own sandbox", "handover-state"),
    (r"\bfailover_shadow_channels\(", "data", "reads the I/O failover roles: the channels its voter writes in shadow now", "failover-state"),
    (r"\bbootinfo_channel\(", "data", "reads one channel's layout, only for a channel it writes or reads", "channel-table"),
    (r"\bfault_raise\(", "control", "records a fault against itself; its health policy may act on itself", "fault-log"),
    (r"\brestart_request\(", "control", "asks for a restart (the target's health record decides)", "health-records"),
    (r"\bcounters_print\(", "control", "prints every core's exit counters on the monitor's console (COM1)", "exit-counters"),
    (r"\battest_event_log|\bmeasure_event_log|\bhc_event_log_span\(", "data", "reads the measured-launch event log", "event-log"),
    (r"\battest_quote(_ready)?\(", "control", "drives the TPM (a quote with its nonce)", "tpm"),
    (r"\bvirt_start_core\(", "control", "starts one of its own cores at a vector", None),
    (r"\bdecision_log_read\(", "data", "reads the monitor's recovery decisions about every sandbox", "decision-log"),
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
        found = [(k, t, tb) for pat, k, t, tb in ACCESSORS if re.search(pat, body)]
        pol = [(t, f) for pat, t, f in POLICIES if re.search(pat, body)]
        calls = set(re.findall(r"\b([a-z_][a-z0-9_]*)\(", body)) - {"if", "for", "while", "return", "sizeof", "switch"}
        pats = [a[0] for a in ACCESSORS] + [p for p, _, _ in POLICIES]
        other = sorted(c for c in calls if not any(re.search(p, c + "(") for p in pats)
                       and not c.startswith(LOCAL_HELPERS))
        rows.append({"number": numbers.get(name), "name": "TRIAD_HC_" + name, "handler": fn,
                     "buffer": ptr != 0,
                     "data": [t for k, t, _ in found if k == "data"],
                     "control": [t for k, t, _ in found if k == "control"],
                     "tables": sorted({tb for _, _, tb in found if tb}),
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
        # the case's whole body (up to the next case or the default), not its
        # first break: an early break (an emulated access) precedes the fault
        body = re.split(r"\n\s*default\s*:", parts[i + 1])[0]
        if "hypercall_dispatch" in body:
            what = "hypercall dispatcher (table below)"
        elif "pci_filter_io" in body or "legacy_io" in body:
            what = "port I/O: emulated legacy ports, the PCI configuration filter (owned functions only), else io_violation fault"
        else:
            faults = list(dict.fromkeys(f.lower() for f in re.findall(r"TRIAD_FAULT_(\w+)", body)))
            calls = [c for c in dict.fromkeys(re.findall(r"\b([a-z_][a-z0-9_]*)\(", body))
                     if c not in ("if", "while", "for", "fault_and_apply", "fault_raise")]
            fault = f"fault {', '.join(faults)} against itself" if faults else ""
            if calls:
                what = "calls " + ", ".join(calls) + (f"; {fault}" if fault else "")
            else:
                what = fault or "no action"
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


# ------------------------------------------------------------------------
# Which tests exercise each coupling (A-7 (8) asks that requirements-based
# tests show every coupling works as intended).  certification/couplings.yaml
# names, per coupling, the checks that exercise it, in the TAP line's own form
# "PROGRAM: CHECK" (a system test's script name and the start of one of its
# check names; a host test program and one of its cmocka cases).  Each named
# check is verified against the tree: the test exists and carries REQ tags
# (a requirements-based test), the check is in its script (or a registered
# case), and its result in this run's TAP files is shown; a failed one fails.
# A coupling the analysis finds with no check and no `pending` record is an
# error naming it, and so is a record of a coupling the analysis no longer
# finds.  Channels and VM exits exist only on the target: host tests do not
# count for them.
NEEDS_SYSTEM_TEST = ("exit", "channel")
COUPLINGS_FILE = "certification/couplings.yaml"


def coupling_list(a):
    """Every coupling of the analysis: [(id, kind, what)]."""
    out = [(f"hypercall:{h['name'][len('TRIAD_HC_'):]}", "hypercall", f"hypercall {h['number']}, {h['handler']}")
           for h in a["hypercalls"]]
    out += [(f"exit:{r}", "exit", w) for r, w in a["exits"]]
    tables = collections.defaultdict(list)
    for h in a["hypercalls"]:
        for t in h.get("tables", []):
            tables[t].append(h["name"][len("TRIAD_HC_"):])
    out += [(f"table:{t}", "table", "monitor state reached by " + ", ".join(u)) for t, u in sorted(tables.items())]
    for s in a["systems"]:
        out += [(f"channel:{s['name']}/{c['name']}", "channel", f"{c['writer']} -> {', '.join(c['readers'])}")
                for c in s["channels"]]
    return out


def script_text(top, path, depth=0):
    """A system test's text with the tests/system scripts it sources (`. tests/system/X.sh`):
    the QEMU variants run the Bochs scripts' checks, the libraries hold shared checks."""
    text = open(os.path.join(top, path)).read()
    for m in re.finditer(r"^\.\s+(tests/system/[\w.-]+\.sh)\s*$", text, re.M):
        if depth < 3 and os.path.exists(os.path.join(top, m.group(1))):
            text += "\n" + script_text(top, m.group(1), depth + 1)
    return text


def verify(top, a, spec, tests, tap):
    """The verification trace of every coupling: (rows, errors).  spec is
    couplings.yaml ({couplings: {id: [checks]}, pending: {id: reason}}),
    tests the requirements-tagged tests (certgen scan_tests), tap
    program -> [(case, ok)] from this run's TAP files."""
    errors = []
    checks_of = (spec or {}).get("couplings") or {}
    pending = (spec or {}).get("pending") or {}
    listed = coupling_list(a)
    known = {cid for cid, _, _ in listed}
    for cid in list(checks_of) + list(pending):
        if cid not in known:
            errors.append(f"{COUPLINGS_FILE}: orphan coupling {cid}: the analysis finds no such coupling "
                          "(renamed or removed?)")
    by_prog = collections.defaultdict(list)
    for t in tests:
        by_prog[t["program"]].append(t)
    rows = []
    for cid, kind, what in listed:
        done = []
        for entry in checks_of.get(cid) or []:
            prog, sep, chk = str(entry).partition(": ")
            if not sep or not chk.strip():
                errors.append(f"{COUPLINGS_FILE}: coupling {cid}: malformed check {entry!r} (want 'PROGRAM: CHECK')")
                continue
            ts = by_prog.get(prog, [])
            systems = [t for t in ts if t["kind"] == "system"]
            if not ts:
                errors.append(f"coupling {cid}: verifying test {prog} not found among the requirements-tagged "
                              "tests (removed, renamed or without a REQ tag?)")
                continue
            if kind in NEEDS_SYSTEM_TEST and not systems:
                errors.append(f"coupling {cid}: {prog} is a host test; a {kind} coupling exists only on the "
                              "target: name a system test's check")
                continue
            if systems:
                path = systems[0]["file"]
                if chk not in script_text(top, path):
                    errors.append(f"coupling {cid}: check '{chk}' not found in {path} (nor in the scripts it sources)")
                    continue
                reqs = sorted({r for t in systems for r in t["reqs"]})
                oks = [ok for case, ok in tap.get(prog, []) if case.startswith(chk)]
            else:
                cases = [t for t in ts if t["case"] == chk or
                         (t["case"] is None and re.search(r"cmocka_unit_test\w*\(\s*" + re.escape(chk) + r"\b",
                                                          open(os.path.join(top, t["file"])).read()))]
                if not cases:
                    errors.append(f"coupling {cid}: {prog}: {chk} is not a requirements-tagged test case")
                    continue
                reqs = sorted({r for t in cases for r in t["reqs"]})
                oks = [ok for case, ok in tap.get(prog, []) if case == chk]
            status = "not run" if not oks else ("ok" if all(oks) else "fail")
            if status == "fail":
                errors.append(f"coupling {cid}: its verifying check failed: {prog}: {chk}")
            done.append({"test": prog, "check": chk, "requirements": reqs, "status": status})
        why = pending.get(cid)
        if why is not None and not re.match(r"^issue \d+", str(why)):
            errors.append(f"{COUPLINGS_FILE}: coupling {cid}: pending must name the open issue ('issue N: ...'), "
                          f"got {why!r}")
        if done and why is not None:
            errors.append(f"{COUPLINGS_FILE}: coupling {cid}: both verified and pending")
        if not done and why is None:
            errors.append(f"coupling {cid} ({what}): not verified by any test: name the checks that exercise it "
                          f"in {COUPLINGS_FILE}, or record it pending with its issue")
        rows.append({"id": cid, "kind": kind, "what": what, "checks": done, "pending": why})
    return rows, errors


def verified_cell(row):
    """The 'verified by' cell of one coupling."""
    if row is None:
        return "-"
    if row["pending"] is not None:
        return f"PENDING ({row['pending']})"
    if not row["checks"]:
        return "NOT VERIFIED"
    return "; ".join(f"{c['test']}: {c['check']} ({', '.join(c['requirements'])}) [{c['status']}]"
                     for c in row["checks"])


def markdown(a, rows=None):
    L = ["# Data and control coupling (DO-178C A-7 objective 8)", "",
         "Generated by certification/tools/coupling.py from the system descriptions (config/*.xml) and the "
         "monitor's code (monitor/hypercall.c's table and handlers, monitor/vmexit.c's dispatcher, "
         "channel_page_perm in monitor/vmx/ept_sandbox.c).  A sandbox's memory is private (the validator "
         "refuses overlapping regions); the only memory two sandboxes share is channel pages.", "",
         "Every coupling below is traced to the requirements-based test checks that exercise it "
         "(certification/couplings.yaml, verified against the test scripts, their REQ tags and this run's TAP "
         "results: the 'verified by' columns); a coupling without one is an error unless recorded pending with "
         "its issue.", ""]
    if rows is not None:
        ver = [r for r in rows if r["checks"]]
        st = collections.Counter(c["status"] for r in rows for c in r["checks"])
        pend = [r["id"] for r in rows if r["pending"] is not None]
        L += [f"Couplings: {len(rows)}; verified by named test checks: {len(ver)} ({sum(st.values())} checks: "
              f"{st['ok']} ok, {st['fail']} failed, {st['not run']} not run in this run); pending: {len(pend)}"
              f"{' (' + ', '.join(pend) + ')' if pend else ''}; not verified: "
              f"{sum(1 for r in rows if not r['checks'] and r['pending'] is None)}.", ""]
    L += ["## Monitor entry points: hypercalls", "",
         "| # | hypercall | handler | guest buffer | policy | data coupling | control coupling | other calls | verified by |",
         "|---|---|---|---|---|---|---|---|---|"]
    by_id = {r["id"]: r for r in rows or []}
    cell = (lambda cid: verified_cell(by_id.get(cid))) if rows is not None else (lambda cid: "not traced")
    for h in a["hypercalls"]:
        L.append(f"| {h['number']} | {h['name']} | {h['handler']} | {'yes' if h['buffer'] else 'no'} | "
                 f"{'; '.join(h['policy']) or 'every sandbox'} | {'; '.join(h['data']) or '-'} | "
                 f"{'; '.join(h['control']) or '-'} | {', '.join(h['other_calls']) or '-'} | "
                 f"{cell('hypercall:' + h['name'][len('TRIAD_HC_'):])} |")
    L += ["", "## Monitor entry points: VM exits (every sandbox can cause each)", "",
          "| exit | what the monitor does | verified by |", "|---|---|---|"]
    L += [f"| {r} | {w} | {cell('exit:' + r)} |" for r, w in a["exits"]]
    tables = [c for c in coupling_list(a) if c[1] == "table"]
    L += ["", "## Monitor state shared through hypercalls", "",
          "| table | reached by | verified by |", "|---|---|---|"]
    L += [f"| {cid[len('table:'):]} | {what[len('monitor state reached by '):]} | {cell(cid)} |"
          for cid, _, what in tables]
    L += ["", f"Channel page rule read from channel_page_perm: writer area RW for the writer and R for its "
          f"readers, each reader's control page RW for that reader and R for the writer, nothing for any other "
          f"sandbox ({'checked against the code' if a['page_rule_checked'] else 'CODE DIFFERS: see the errors'}).", ""]
    for s in a["systems"]:
        L += [f"## System {s['name']} ({os.path.basename(s['file'])})", "", "### Shared pages (channels)", "",
              "| channel | key | kind | message | writer (RW) | readers (R, own control page RW) | verified by |",
              "|---|---|---|---|---|---|---|"]
        L += [f"| {c['name']} | {c['key']} | {c['kind']} | {c['msg_size']} B | {c['writer']} | {', '.join(c['readers'])} | "
              f"{cell('channel:' + s['name'] + '/' + c['name'])} |"
              for c in s["channels"]] or ["| - | | | | | | |"]
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
