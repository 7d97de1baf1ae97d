#!/usr/bin/env python3
"""A campaign's results.json cut down to what a reader or a review keeps in the tree: the
spec and image hashes, how far the campaign got, outcome counts with their 95% intervals,
counts per fault class, latencies in control periods, the rate, and one line per run
(index, fault, period, outcome, latencies, the replay command).  Consoles, debugger logs
and traces stay in build/fault-injection/NAME.

    summary.py build/fault-injection/NAME/results.json OUT.json"""
import json
import sys

import report


def summarise(res):
    runs = res["runs"]
    counts = {o: c for o, c in res["counts"].items() if c or o in res.get("forbid", [])}
    return {
        "campaign": res["campaign"], "spec": res["spec"], "backend": res["backend"], "seed": res["seed"],
        "hashes": res["hashes"], "planned": res["planned"], "run": res["run"], "complete": res["complete"],
        "passed": res["passed"], "forbid": res["forbid"],
        "counts": counts,
        "intervals": {o: report.wilson(c, len(runs)) for o, c in counts.items()},
        "by_fault": {f: {o: c for o, c in d.items() if c} for f, d in res["by_fault"].items()},
        "latency": {k: report.latency([r[f"{k}_latency"] for r in runs if r.get(f"{k}_latency") is not None])
                    for k in ("detection", "recovery", "rejoin")},
        "runs_per_hour": res["runs_per_hour"], "workers": res.get("workers"),
        "runs": [{"index": r["index"], "fault": r["injection"]["fault"], "period": r.get("period"),
                  "outcome": r["outcome"], "detection_latency": r.get("detection_latency"),
                  "recovery_latency": r.get("recovery_latency"), "rejoin_latency": r.get("rejoin_latency"),
                  "seconds": r["seconds"],
                  "replay": r["replay"]} for r in runs],
    }


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1]) as f:
            res = json.load(f)
    except (OSError, ValueError) as e:
        print(f"summary: {argv[1]}: {e}", file=sys.stderr)
        return 2
    with open(argv[2], "w") as f:
        json.dump(summarise(res), f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
