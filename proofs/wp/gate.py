#!/usr/bin/env python3
"""Gate of one WP proof module, judged from Frama-C's CSV report only.

  gate.py MODULE OUTDIR FRAMAC_EXIT START END "FILES"

Every property of our files (rows outside FRAMAC_SHARE) must be:
  * Valid, or
  * "Considered valid" for a function without a body in this run, which is
    either a trusted inline-assembly wrapper listed in proofs/ASSUMPTIONS.md
    or a function proved in another module (summary.py cross-checks that the
    very same property is Valid there).
Every function defined in the module's files must carry a contract (an
explicit assigns clause).  Writes OUTDIR/MODULE.result.json, prints one line
and the failing properties, exits 1 on any failure.
"""
import json, os, re, sys

def trusted_functions(path="proofs/ASSUMPTIONS.md"):
    names = set()
    with open(path) as f:
        for line in f:
            m = re.match(r"\|\s*`([A-Za-z_][A-Za-z0-9_]*)`\s*\|", line)
            if m:
                names.add(m.group(1))
    return names

COLUMNS = ["directory", "file", "line", "function", "property kind",
           "status", "property"]

def read_report(path):
    """The rows of Frama-C's -report-csv file, as dicts keyed by COLUMNS.

    Frama-C writes the file tab-separated without quoting: a property whose
    ACSL text runs over several lines (the voter's `complete behaviors
    bad_input, null_input, vote`) continues on lines of its own.  The
    property is the last column, so a line that does not start a row (seven
    fields, the third a line number) is the rest of the previous row's
    property.  Raises ValueError on a file that is not such a report: a
    wrong header, or text before the first row."""
    rows = []
    with open(path, newline="", errors="replace") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].rstrip("\r").split("\t") != COLUMNS:
        raise ValueError("%s: not a Frama-C CSV report (header %r)"
                         % (path, lines[0][:80] if lines else ""))
    for n, line in enumerate(lines[1:], 2):
        line = line.rstrip("\r")
        fields = line.split("\t", len(COLUMNS) - 1)
        if len(fields) == len(COLUMNS) and fields[2].isdigit():
            rows.append(dict(zip(COLUMNS, fields)))
        elif rows:
            rows[-1]["property"] += "\n" + line
        else:
            raise ValueError("%s:%d: a continuation line before any row" % (path, n))
    return rows

def selected(row, props):
    """Whether a CSV row is one of the properties a -wp-prop run named."""
    for p in props:
        if p == "@assigns" and "assigns" in row["property kind"]:
            return True
        # A lemma-only run (functions.list's "-"): every lemma of the files.
        if p == "@lemma" and row["property kind"] == "lemma":
            return True
        if not p.startswith("@") and re.search(r"\b%s\b" % re.escape(p), row["property"]):
            return True
    return False


def lemma_rows(path):
    """One CSV-like row per lemma of WP's JSON report: Valid when WP's
    verdict (wp:main) holds every one of the lemma's goals."""
    try:
        with open(path) as f:
            report = json.load(f)
    except (OSError, ValueError):
        return []
    rows = []
    for axiomatic in report.get("wp:axiomatics", {}).values():
        for name, provers in sorted(axiomatic.items()):
            if not name.startswith("lemma_"):
                continue    # "wp:section": the axiomatic's own totals
            main = provers.get("wp:main", {})
            ok = main.get("total", 0) > 0 and main.get("valid", 0) == main.get("total", 0)
            lemma = name[len("lemma_"):]
            rows.append({"directory": "", "file": "(lemma)", "line": "-", "function": "",
                         "property kind": "lemma", "status": "Valid" if ok else "Unknown",
                         "property": "lemma " + lemma})
    return rows


def main():
    module, out, fc, start, end, files = sys.argv[1:7]
    files = files.split()
    # A function-focused run (proofs/wp/functions.list): only these
    # functions' properties are judged; the others are the module's own.
    focus = set(f for f in (sys.argv[7] if len(sys.argv) > 7 else "").split(",") if f)
    # ... and, when the run named properties (-wp-prop), only those: a WP
    # category (@assigns: assigns and loop assigns clauses) or a clause name.
    props = [p for p in (sys.argv[8] if len(sys.argv) > 8 else "").split(",") if p]
    trusted = trusted_functions()
    csvpath = os.path.join(out, module + ".csv")
    logpath = os.path.join(out, module + ".log")
    res = {"module": module, "files": files, "frama_c_exit": int(fc),
           "seconds": round(float(end) - float(start), 1),
           "properties": 0, "valid": 0, "trusted": 0, "external": [],
           "bad": [], "functions": [], "functions_without_contract": [],
           "functions_all_valid": 0, "wp_goals_proved": None,
           "wp_goals_total": None, "provers": {}, "status": "fail",
           "focus": sorted(focus), "focus_properties": props, "outside_focus": 0}
    log = open(logpath, errors="replace").read() if os.path.exists(logpath) else ""
    m = re.search(r"\[wp\] Proved goals:\s+(\d+)\s*/\s*(\d+)", log)
    if m:
        res["wp_goals_proved"], res["wp_goals_total"] = int(m.group(1)), int(m.group(2))
    # WP's Typed memory model may assume separations it does not check at
    # call sites; they are listed (not hidden) for the reviewer.
    res["memory_model_hypotheses"] = sorted(set(re.findall(
        r"Memory model hypotheses for function '([^']+)'", log)))
    for pm in re.finditer(r"^\s+(Qed|Z3 [\d.]+|CVC4 [\d.]+|Script|Terminated|Unreachable|Missing|Failed):\s+(\d+)", log, re.M):
        res["provers"][pm.group(1)] = int(pm.group(2))
    rows = []
    if os.path.exists(csvpath) and os.path.getsize(csvpath) > 0:
        try:
            rows = [r for r in read_report(csvpath)
                    if not r["directory"].startswith("FRAMAC_SHARE")]
        except ValueError as e:
            res["bad"].append({"file": csvpath, "line": "-", "function": "-",
                               "kind": "report", "status": "unreadable",
                               "property": str(e)})
    else:
        res["bad"].append({"file": "-", "line": "-", "function": "-",
                           "kind": "no report", "status": "missing",
                           "property": "Frama-C produced no CSV (see %s)" % logpath})
    # Lemmas are not in the CSV (it lists function properties only, tried
    # ones): their verdicts are WP's JSON report's (-wp-report-json), one
    # row each, judged as any other property.  A lemma is a goal only in a
    # run without -wp-fct (a whole module, or functions.list's lemma-only
    # form).
    rows += lemma_rows(os.path.join(out, module + ".wp.json"))
    own = {os.path.normpath(p) for p in files}
    funcs, with_contract, fn_bad = set(), set(), set()
    for r in rows:
        path = os.path.normpath(os.path.join(r["directory"], r["file"]))
        if (focus and r["function"] not in focus) or (props and not selected(r, props)):
            res["outside_focus"] += 1
            continue
        row = {"file": path, "line": r["line"], "function": r["function"],
               "kind": r["property kind"], "status": r["status"],
               "property": r["property"]}
        res["properties"] += 1
        if path in own and r["function"]:
            funcs.add(r["function"])
        if r["property kind"] == "assigns clause" and r["function"]:
            with_contract.add(r["function"])
        if r["status"] == "Valid":
            res["valid"] += 1
        elif r["status"] == "Considered valid" and r["function"] in trusted:
            res["trusted"] += 1
        elif r["status"] == "Considered valid" and path not in own:
            res["external"].append(row)
        else:
            res["bad"].append(row)
            fn_bad.add(r["function"])
    # Frama-C names the copies of static functions f_0, f_1...: one function.
    res["functions"] = sorted(funcs)
    res["functions_without_contract"] = sorted(funcs - with_contract)
    res["functions_all_valid"] = len(funcs - fn_bad)
    for fn in res["functions_without_contract"]:
        res["bad"].append({"file": "-", "line": "-", "function": fn,
                           "kind": "contract", "status": "missing",
                           "property": "function has no assigns clause"})
    ok = not res["bad"] and res["properties"] > 0 and int(fc) == 0
    res["status"] = "pass" if ok else "fail"
    with open(os.path.join(out, module + ".result.json"), "w") as f:
        json.dump(res, f, indent=1)
    goals = "%s/%s WP goals" % (res["wp_goals_proved"], res["wp_goals_total"])
    if ok:
        if res["memory_model_hypotheses"]:
            print("  memory-model hypotheses (see log): " + ", ".join(res["memory_model_hypotheses"]))
        print("proofs: %s: all %d properties valid (%d trusted, %d proved in other modules), %s, %.0fs%s"
              % (module, res["properties"], res["trusted"], len(res["external"]), goals, res["seconds"],
                 "; only %s%s (%d other properties left to the module's run)"
                 % (",".join(sorted(focus)) or "no function", " " + ",".join(props) if props else "",
                    res["outside_focus"]) if focus or props else ""))
        return 0
    if res["memory_model_hypotheses"]:
        print("  memory-model hypotheses (see log): " + ", ".join(res["memory_model_hypotheses"]))
    print("proofs: %s: FAILED: %d of %d properties not proved, %s (frama-c exit %s; see %s)"
          % (module, len(res["bad"]), res["properties"], goals, fc, logpath))
    for b in res["bad"][:25]:
        print("  %s:%s %s %s [%s]: %s" % (b["file"], b["line"], b["function"],
                                          b["kind"], b["status"], b["property"]))
    if len(res["bad"]) > 25:
        print("  ... %d more in %s" % (len(res["bad"]) - 25, csvpath))
    return 1

if __name__ == "__main__":
    sys.exit(main())
