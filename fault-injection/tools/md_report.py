#!/usr/bin/env python3
"""A campaign's results.json as a Markdown report kept in the tree next to its summary
(fault-injection/results/NAME.md): how far it got and how fast, the outcome classes with
counts, shares and 95% intervals, the outcomes per fault class, detection and recovery
latency in control periods, what the recovery did (the vote's events), the harness's own
health (stalls, steps answered by another core), the seed, the input hashes and the
commands that reproduce the campaign and each run.

    md_report.py build/fault-injection/NAME/results.json OUT.md [--sitting TEXT]... [--spec PATH] [--build TEXT]

--sitting: one line per stretch of wall time the campaign ran in (a resumed campaign ran
in several), written as given: results.json knows each run's own seconds, not the wall
clock of the sittings.  --spec: the in-tree spec the run's spec copy was made from (the
commands then name both)."""
import argparse
import json
import re
import sys

import report
from spec import OUTCOMES

RELEASED_RE = re.compile(r"released: (\d+) step\(s\) answered by another core's stop, (\d+) step\(s\) still armed")
STOPS_RE = re.compile(r"after (\d+) breakpoint stops")
# The vote's events that say what recovery did (io_voter's '[tmr] period N: EVENT replica X').
RECOVERY_STEPS = (("promoted", "the standby promoted in the faulty replica's place"),
                  ("restart-request", "the voter asked the faulty replica to restart"),
                  ("restarting", "the replica started over on that request (its output from 0 again)"),
                  ("voter-restart", "it did not: the monitor restarted it on the voter's request"),
                  ("voter-restart-refused", "the monitor refused the voter's restart request"),
                  ("restarted-by-monitor", "the monitor had restarted it for a fault of its own"),
                  ("rejoining", "the restarted replica loaded the voted state (probation)"),
                  ("rejoined", "the restarted replica rejoined the vote"),
                  ("recovered", "a majority back after a period without one"))


def pct(k, n):
    return f"{100.0 * k / n:.1f}%" if n else "-"


def median(v):
    v = sorted(v)
    return v[len(v) // 2] if v else None


def outcome_rows(res):
    n = res["run"]
    rows = []
    for o in OUTCOMES:
        c = res["counts"].get(o, 0)
        if c or o in res.get("forbid", []):
            lo, hi = report.wilson(c, n)
            rows.append(f"| {o} | {c} | {pct(c, n)} | {100 * lo:.1f}..{100 * hi:.1f}% |"
                        f" {'forbidden' if o in res.get('forbid', []) else ''} |")
    return rows


def fault_rows(res):
    present = [o for o in OUTCOMES if res["counts"].get(o)]
    head = "| fault class | model | target | runs | " + " | ".join(present) + " |"
    rows = [head, "|" + "---|" * (4 + len(present))]
    for f, d in res["by_fault"].items():
        inj = next((r["injection"] for r in res["runs"] if r["injection"]["fault"] == f), {})
        # a replica kernel's memory is written guest-physical; a program's, through its page tables
        where = "kernel" if inj.get("space") == "guest" else inj.get("program", "")
        what = f"`{inj['symbol']}`" if inj.get("symbol") else inj.get("target", "?")
        target = " ".join(x for x in (inj.get("sandbox", "?"), where, what) if x)
        model = inj.get("model", "?") + (f" x{inj['bits']}" if inj.get("bits", 1) > 1 else "")
        k = sum(d.values())
        rows.append(f"| {f} | {model} | {target} | {k} | " +
                    " | ".join(f"{d.get(o, 0)} ({pct(d.get(o, 0), k)})" for o in present) + " |")
    return rows


def latency_line(name, d, rate):
    if not d.get("n"):
        return f"- {name} latency: no run measured one"
    unit = f" of {1000 // rate} ms" if rate else ""
    return (f"- {name} latency (control periods{unit}): n {d['n']}, min {d['min']}, median {d['median']}, "
            f"max {d['max']}; distribution " + ", ".join(f"{v}: {c}" for v, c in d["counts"].items()))


def recovery_rows(res):
    detected = [r for r in res["runs"] if r.get("detection_period") is not None]
    rows = []
    for ev, what in RECOVERY_STEPS:
        hit = [r for r in detected if any(e["event"] == ev for e in r.get("events") or [])]
        if hit or ev in ("promoted", "rejoined"):
            lat = [min(e["period"] for e in r["events"] if e["event"] == ev) - r["injection_period"]
                   for r in hit if r.get("injection_period") is not None]
            rows.append(f"| {ev} | {what} | {len(hit)} of {len(detected)} |"
                        f" {'-' if not lat else f'{min(lat)}..{max(lat)}'} |")
    return detected, rows


def harness(res):
    armed_runs, answered, stops = 0, 0, []
    for r in res["runs"]:
        for line in r.get("log") or []:
            m = RELEASED_RE.search(line)
            if m:
                answered += int(m.group(1))
                armed_runs += int(m.group(2)) > 0
            m = STOPS_RE.search(line)
            if m:
                stops.append(int(m.group(1)))
    return armed_runs, answered, stops


def render(res, sittings=(), in_tree=None, build=None):
    n, runs = res["run"], res["runs"]
    secs = [r["seconds"] for r in runs]
    worker_s = sum(secs)
    golden_s = res.get("golden", {}).get("seconds")
    name = res["campaign"]
    out = [f"# Fault-injection campaign `{name}`", ""]
    state = "complete" if res["complete"] else f"INCOMPLETE: {n} of {res['planned']} injections run"
    verdict = ("passed its criteria" if res["passed"] else "failed its criteria" if res["complete"] else
               "not judged yet (only a complete campaign passes)")
    out += [f"{state}; {verdict} (forbidden outcomes: {', '.join(res['forbid'])}).", "",
            "## Run", "",
            f"- backend `{res['backend']}`, seed **{res['seed']}**, {res['planned']} injections planned, "
            f"{n} run, {res.get('workers') or 1} worker(s) in the last sitting",
            f"- emulator time: {worker_s / 3600:.2f} h over the {n} runs (a run {min(secs):.0f} to "
            f"{max(secs):.0f} s, median {median(secs):.0f} s)" + (f", golden run {golden_s:.0f} s" if golden_s else "")
            + f"; {3600 * n / worker_s:.1f} runs per hour of worker time" if secs else "- no run yet"]
    out += [f"- {s}" for s in sittings]
    out += ["", "## Outcomes", "", "| outcome | count | share | 95% interval (Wilson) | |", "|---|---|---|---|---|"]
    out += outcome_rows(res)
    out += ["", "Per fault class (count and share of the class):", ""] + fault_rows(res)
    out += ["", "## Detection and recovery", "",
            latency_line("detection", res["latency"]["detection"], res.get("rate")),
            latency_line("recovery (first promotion or rejoin)", res["latency"]["recovery"], res.get("rate"))]
    if "rejoin" in res["latency"]:
        out.append(latency_line("restart to rejoin (from the vote's 'failed', its restart asked, to 'rejoined')",
                                res["latency"]["rejoin"], res.get("rate")))
    out.append("")
    detected, rows = recovery_rows(res)
    out += [f"What the recovery did in the {len(detected)} run(s) the vote detected (runs whose vote events "
            "include the step; periods after the injection):", "",
            "| vote event | meaning | runs | periods after injection |", "|---|---|---|---|"] + rows
    armed, answered, stops = harness(res)
    stalls = res["counts"].get("harness_stall", 0)
    out += ["", "## Harness", "",
            f"- harness stalls (the watchdog ended a VM standing stopped): {stalls}",
            f"- runs with a single-step still armed when the injector let the VM go (each would have stalled "
            f"with the detach of session 3): {armed}",
            f"- single-steps answered by another core's stop: {answered}"
            + (f"; breakpoint stops to reach the injection point: {min(stops)} to {max(stops)} "
               f"(median {median(stops)})" if stops else "")]
    out += ["", "## Reproduce", "",
            f"The runs' spec: `{res['spec']}`" + (f", the in-tree spec `{in_tree}` with its input paths "
                                                   "pointed at a copy of a build" if in_tree else "") + ".",
            "", "```", f"make inject CAMPAIGN={res['spec']} WORKERS=1        # the campaign (resumable)",
            f"make inject CAMPAIGN={res['spec']} ONLY=N          # replay injection N", "```", ""]
    if in_tree:
        out += ["From the tree (the spec's own input paths: the build of the checkout; the plan, drawn from the "
                "seed and the program's symbols, is the same when the ELFs are):", "", "```",
                "make $PWD/build/fault-injection/iso/fi-uav.iso",
                f"make inject CAMPAIGN={in_tree} WORKERS=1", "```", ""]
    if build:
        out += [f"The inputs: {build}", ""]
    out += ["A campaign keeps only runs whose inputs hash as below (another build starts it over):", "",
            "| input | SHA-256 |", "|---|---|"]
    out += [f"| {k} | `{v}` |" for k, v in res["hashes"].items()]
    out += ["", "## Runs", "", "| # | fault | period | outcome | detected after | recovered after "
            "| rejoined after restart | s |", "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        d, rc, rj = r.get("detection_latency"), r.get("recovery_latency"), r.get("rejoin_latency")
        out.append(f"| {r['index']} | {r['injection']['fault']} | {r.get('period') or r.get('injection_period') or '-'}"
                   f" | {r['outcome']} | {'-' if d is None else d} | {'-' if rc is None else rc} |"
                   f" {'-' if rj is None else rj} | {r['seconds']:.0f} |")
    return "\n".join(out) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(prog="md_report", description=__doc__.split("\n\n")[0])
    ap.add_argument("results")
    ap.add_argument("out")
    ap.add_argument("--sitting", action="append", default=[])
    ap.add_argument("--spec")
    ap.add_argument("--build", help="where the runs' inputs came from (a commit, a snapshot)")
    a = ap.parse_args(argv[1:])
    try:
        with open(a.results) as f:
            res = json.load(f)
        if not isinstance(res, dict) or "runs" not in res or "counts" not in res:
            raise ValueError("not a campaign's results.json (no runs or counts)")
        if res["runs"] and "injection" not in res["runs"][0]:
            raise ValueError("a summary (summary.py), not the full results.json: the runs carry no injection")
    except (OSError, ValueError) as e:
        print(f"md_report: {a.results}: {e}", file=sys.stderr)
        return 2
    with open(a.out, "w") as f:
        f.write(render(res, a.sitting, a.spec, a.build))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
