#!/usr/bin/env python3
"""EVA's verdict from its CSV report (proofs/eva/run.sh).

  alarms.py OUTDIR FRAMAC_EXIT SECONDS

Red: a property of our files EVA found false on some execution (status
Invalid..., an alarm that always fires there).  Orange: one it could not
decide (Unknown).  Each orange alarm must match a row of
proofs/eva/justified.tsv (file and function as shell patterns, property
kind ('*' any), a regular expression the property must match,
justification of at least four words); the first matching row names its
cause.  A justification never covers a red alarm.  Writes OUTDIR/alarms.tsv (every
alarm with its colour and justification) and OUTDIR/summary.json; exit 1 on
a red or unjustified orange alarm, 2 when EVA did not run.
"""
import fnmatch, json, os, re, sys
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "wp"))
from gate import read_report  # Frama-C's unquoted multi-line properties

JUSTIFIED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "justified.tsv")


def load_justified(path=JUSTIFIED):
    rules = []
    if not os.path.exists(path):
        return rules
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 5 or len(parts[4].split()) < 4:
                raise ValueError("%s:%d: want file, function, kind, regex, justification "
                                 "(four words or more)" % (path, n))
            rules.append((parts[0], parts[1], parts[2], re.compile(parts[3]), parts[4]))
    return rules


def colour(status):
    if status.startswith("Invalid"):
        return "red"
    if status == "Unknown":
        return "orange"
    return None


def main():
    out, fc, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    csvpath = os.path.join(out, "eva.csv")
    if not os.path.exists(csvpath):
        print("proofs-eva: EVA produced no report (frama-c exit %d; see %s/eva.log)" % (fc, out))
        return 2
    rows = [r for r in read_report(csvpath)
            if not r["directory"].startswith("FRAMAC_SHARE") and r["file"] != "entries.c"]
    rules = load_justified()
    alarms, counts = [], {"red": 0, "orange": 0, "orange_justified": 0, "dead": 0, "valid": 0}
    for r in rows:
        if r["status"] == "Dead":
            counts["dead"] += 1
        if r["status"] == "Valid":
            counts["valid"] += 1
        c = colour(r["status"])
        if c is None:
            continue
        path = os.path.normpath(os.path.join(r["directory"], r["file"]))
        why = ""
        if c == "orange":
            for f, fn, kind, rx, just in rules:
                if fnmatch.fnmatchcase(path, f) and fnmatch.fnmatchcase(r["function"], fn) \
                        and fnmatch.fnmatchcase(r["property kind"], kind) and rx.search(r["property"]):
                    why = just
                    break
        counts[c] += 1
        if why:
            counts["orange_justified"] += 1
        alarms.append({"colour": c, "file": path, "line": r["line"], "function": r["function"],
                       "kind": r["property kind"], "status": r["status"],
                       "property": " ".join(r["property"].split()), "justification": why})
    with open(os.path.join(out, "alarms.tsv"), "w") as f:
        f.write("colour\tfile\tline\tfunction\tkind\tstatus\tproperty\tjustification\n")
        for a in alarms:
            f.write("\t".join(str(a[k]) for k in ("colour", "file", "line", "function", "kind",
                                                   "status", "property", "justification")) + "\n")
    unjustified = counts["orange"] - counts["orange_justified"]
    ok = fc == 0 and counts["red"] == 0 and unjustified == 0
    summary = dict(counts, unjustified_orange=unjustified, frama_c_exit=fc, seconds=seconds,
                   properties=len(rows), status="pass" if ok else "fail")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("proofs-eva: %s: %d red, %d orange (%d justified), %d valid, %d dead of %d properties, %d s"
          % ("pass" if ok else "FAILED", counts["red"], counts["orange"], counts["orange_justified"],
             counts["valid"], counts["dead"], len(rows), seconds))
    for a in [a for a in alarms if a["colour"] == "red"][:20]:
        print("  red %s:%s %s %s: %s" % (a["file"], a["line"], a["function"], a["kind"], a["property"]))
    for a in [a for a in alarms if a["colour"] == "orange" and not a["justification"]][:30]:
        print("  unjustified %s:%s %s %s: %s" % (a["file"], a["line"], a["function"], a["kind"],
                                                 a["property"][:120]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
