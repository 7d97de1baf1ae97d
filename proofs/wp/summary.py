#!/usr/bin/env python3
"""Summary of the WP proof modules: build/proofs/summary.{txt,json} and
build/proofs/report.json (every module's result).  Judged from the per-module
result files that gate.py derives from the CSV reports.

  summary.py OUTDIR [--check]

With --check, exits 1 unless every module of proofs/wp/modules.list has a
passing result and every property a module assumed from another module
("Considered valid", a function without body in that run) is Valid in the
module that defines the function.
"""
import json, os, sys
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from gate import read_report  # Frama-C's unquoted multi-line properties

def modules():
    with open("proofs/wp/modules.list") as f:
        for line in f:
            parts = line.split()
            if parts and not parts[0].startswith("#"):
                yield parts[0]

def main():
    out = sys.argv[1]
    check = "--check" in sys.argv[2:]
    results, problems = [], []
    valid_rows = set()
    for m in modules():
        p = os.path.join(out, m + ".result.json")
        if not os.path.exists(p):
            results.append({"module": m, "status": "not run"})
            problems.append("%s: not run" % m)
            continue
        r = json.load(open(p))
        results.append(r)
        if r["status"] != "pass":
            problems.append("%s: %d properties not proved" % (m, len(r["bad"])))
        c = os.path.join(out, m + ".csv")
        if os.path.exists(c):
            try:
                report = read_report(c)
            except ValueError as e:
                problems.append(str(e))
                report = []
            for row in report:
                if row["status"] == "Valid":
                    path = os.path.normpath(os.path.join(row["directory"], row["file"]))
                    valid_rows.add((path, row["line"], row["function"], row["property"]))
    unchecked = []
    for r in results:
        for e in r.get("external", []):
            if (e["file"], e["line"], e["function"], e["property"]) not in valid_rows:
                unchecked.append("%s: %s:%s %s: %s" % (r["module"], e["file"], e["line"],
                                                       e["function"], e["property"]))
    problems += ["assumed but not proved elsewhere: " + u for u in unchecked]
    tot = {"properties": 0, "valid": 0, "trusted": 0, "external": 0,
           "wp_goals_proved": 0, "wp_goals_total": 0, "functions": 0,
           "functions_all_valid": 0, "seconds": 0.0}
    def by_prover(r):
        # goals closed by each prover: Qed (WP's simplifier) / cvc4 / z3
        pv = r.get("provers", {})
        get = lambda pre: sum(v for k, v in pv.items() if k.startswith(pre))
        return "%d/%d/%d" % (get("Qed"), get("CVC4"), get("Z3"))
    lines = ["%-20s %7s %7s %7s %9s %13s %11s %8s  %s" % ("module", "props", "valid", "trusted",
             "wp goals", "qed/cvc4/z3", "functions", "time(s)", "status")]
    for r in results:
        if r["status"] == "not run":
            lines.append("%-20s %7s %7s %7s %9s %13s %11s %8s  %s" % (r["module"], "-", "-", "-", "-", "-", "-", "-", "NOT RUN"))
            continue
        nf = len(r["functions"])
        lines.append("%-20s %7d %7d %7d %9s %13s %11s %8.1f  %s" % (
            r["module"], r["properties"], r["valid"], r["trusted"],
            "%s/%s" % (r["wp_goals_proved"], r["wp_goals_total"]), by_prover(r),
            "%d/%d" % (r["functions_all_valid"], nf), r["seconds"],
            "ok" if r["status"] == "pass" else "FAIL (%d)" % len(r["bad"])))
        for k in ("properties", "valid", "trusted", "functions_all_valid", "seconds"):
            tot[k] += r[k]
        tot["external"] += len(r["external"])
        tot["functions"] += nf
        tot["wp_goals_proved"] += r["wp_goals_proved"] or 0
        tot["wp_goals_total"] += r["wp_goals_total"] or 0
    lines.append("%-20s %7d %7d %7d %9s %13s %11s %8.1f  %s" % (
        "total", tot["properties"], tot["valid"], tot["trusted"],
        "%d/%d" % (tot["wp_goals_proved"], tot["wp_goals_total"]), "",
        "%d/%d" % (tot["functions_all_valid"], tot["functions"]), tot["seconds"],
        "ok" if not problems else "FAIL"))
    lines.append("props: CSV properties of our files; trusted: contracts of inline-assembly "
                 "wrappers and type views (proofs/ASSUMPTIONS.md); qed/cvc4/z3: goals closed by "
                 "each (a goal both provers prove counts once, for the first to answer); "
                 "functions: all properties valid / analysed; time: wall seconds of the module's run")
    lines += ["problem: " + p for p in problems]
    text = "\n".join(lines) + "\n"
    open(os.path.join(out, "summary.txt"), "w").write(text)
    summary = {"modules": [{k: r.get(k) for k in ("module", "status", "properties", "valid",
                "trusted", "wp_goals_proved", "wp_goals_total", "seconds", "provers",
                "functions_all_valid")} | {"functions": len(r.get("functions", []))}
                for r in results], "total": tot, "problems": problems,
               "status": "pass" if not problems else "fail"}
    json.dump(summary, open(os.path.join(out, "summary.json"), "w"), indent=1)
    json.dump({"summary": summary, "modules": results},
              open(os.path.join(out, "report.json"), "w"), indent=1)
    print(text, end="")
    return 1 if (check and problems) else 0

sys.exit(main())
