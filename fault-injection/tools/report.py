"""Campaign results: results.json (schema in docs/fault-injection.md, read by
certification/tools/certgen.py), a readable table (table.txt) and, when
python3-matplotlib is installed, outcomes.svg; report.html is html_report.py."""
import json
import math
import os

from spec import OUTCOMES


def wilson(k, n, z=1.96):
    """The 95% Wilson score interval of a proportion k/n, [lo, hi] (rounded to 4 places):
    a campaign's shares are estimates from n runs; Wilson stays inside [0, 1] and says
    something at k = 0 (no sdc seen in n runs bounds its rate, it does not make it 0)."""
    if n <= 0:
        return [0.0, 1.0]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(max(0.0, c - h), 4), round(min(1.0, c + h), 4)]


def latency(values):
    """n, min, median, max and the count per value of a latency list (control periods)."""
    v = sorted(values)
    if not v:
        return {"n": 0}
    hist = {}
    for x in v:
        hist[str(x)] = hist.get(str(x), 0) + 1
    return {"n": len(v), "min": v[0], "median": v[len(v) // 2], "max": v[-1], "counts": hist}


def build(name, path, spec, hashes, golden, golden_s, runs, total_s, planned, replay=False):
    """passed: every run allowed by the spec, and the campaign complete (a replay of
    chosen injections, replay=True, is judged on its own runs)."""
    counts = {o: 0 for o in OUTCOMES}
    for r in runs:
        counts[r["outcome"]] += 1
    by_fault = {}
    for r in runs:
        d = by_fault.setdefault(r["injection"]["fault"], {o: 0 for o in OUTCOMES})
        d[r["outcome"]] += 1
    inj_s = sum(r["seconds"] for r in runs)
    return {
        "campaign": name, "spec": path, "backend": spec["backend"], "seed": spec["seed"],
        "requirements": sorted(set(spec.get("requirements", [])) |
                               {q for f in spec["faults"] for q in f.get("requirements", [])}),
        "hashes": hashes, "schema": 2,
        "rate": spec["system"].get("flight", {}).get("rate"),
        "golden": {"status": golden["status"], "seconds": round(golden_s, 2)},
        "planned": planned, "run": len(runs), "counts": counts, "by_fault": by_fault,
        "intervals": {o: wilson(c, len(runs)) for o, c in counts.items()},
        "latency": {k: latency([r[f"{k}_latency"] for r in runs if r.get(f"{k}_latency") is not None])
                    for k in ("detection", "recovery", "rejoin")},
        "passed": all(r["ok"] for r in runs) and len(runs) > 0 and (replay or len(runs) == planned),
        "complete": len(runs) == planned,
        "forbid": spec["pass"]["forbid"],
        "seconds": round(total_s, 2),
        "runs_per_hour": round(3600 * len(runs) / inj_s, 1) if inj_s > 0 else None,
        "runs": runs,
    }


def table(res):
    n = res["run"] or 1
    out = [f"campaign {res['campaign']} ({res['backend']}, seed {res['seed']}): {res['run']} of "
           f"{res['planned']} injections, {res['runs_per_hour']} runs/hour",
           f"{'outcome':<20}{'count':>7}{'share':>9}   95% interval (Wilson)"]
    for o, c in res["counts"].items():
        if c or o in res.get("forbid", []):
            lo, hi = res["intervals"][o] if "intervals" in res else wilson(c, res["run"])
            out.append(f"{o:<20}{c:>7}{100.0 * c / n:>8.1f}%   {100 * lo:.1f}..{100 * hi:.1f}%")
    for k, d in res.get("latency", {}).items():
        if d.get("n"):
            out.append(f"{k} latency (control periods): n {d['n']}, min {d['min']}, median {d['median']}, "
                       f"max {d['max']}; " + ", ".join(f"{v}: {c}" for v, c in d["counts"].items()))
    out.append("")
    out.append(f"{'fault':<24}" + "".join(f"{o[:12]:>13}" for o in res["counts"] if res["counts"][o]))
    for f, d in res["by_fault"].items():
        out.append(f"{f[:23]:<24}" + "".join(f"{d[o]:>13}" for o in res["counts"] if res["counts"][o]))
    out.append("")
    out.append(f"{'#':>4}  {'outcome':<18} {'ok':<3} injection / reason")
    for r in res["runs"]:
        lat = ""
        if r.get("detection_latency") is not None:
            lat = f" [detected +{r['detection_latency']} periods" + (
                f", recovered +{r['recovery_latency']}" if r.get("recovery_latency") is not None else "") + (
                f", rejoined {r['rejoin_latency']} after its restart" if r.get("rejoin_latency") is not None
                else "") + "]"
        out.append(f"{r['index']:>4}  {r['outcome']:<18} {'yes' if r['ok'] else 'NO':<3} "
                   f"{r['description']}: {r['reason']}{lat}")
    return "\n".join(out)


def write(out, res):
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    with open(os.path.join(out, "table.txt"), "w") as f:
        f.write(table(res) + "\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    faults = list(res["by_fault"])
    fig, ax = plt.subplots(figsize=(8, 3 + 0.4 * len(faults)))
    left = [0] * len(faults)
    for o in OUTCOMES:
        vals = [res["by_fault"][f][o] for f in faults]
        if any(vals):
            ax.barh(faults, vals, left=left, label=o)
            for i, v in enumerate(vals):
                if v:
                    ax.text(left[i] + v / 2, i, str(v), ha="center", va="center", fontsize=8)
            left = [l + v for l, v in zip(left, vals)]
    ax.set_xlabel("injections (absolute counts)")
    ax.set_title(f"{res['campaign']}: outcomes per fault ({res['run']} runs)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "outcomes.svg"))
    plt.close(fig)
