"""report.html: a campaign's results in one self-contained page (inline SVG,
no script, no external stylesheet or font): outcome bars per fault class with
absolute counts, detection and recovery latency distributions in control
periods (detection, recovery, restart to rejoin), the flight trace around each injection
(at the control rate when the flight prints it, and at 1 Hz over the whole flight), and each run's replay
command with its seed, injection point and image hashes."""
import html
import os

from spec import OUTCOMES

COLORS = {"masked": "#4c9f50", "detected_recovered": "#2f7fc1", "detected_safe_mode": "#7b5ea7",
          "detected_halted": "#5fa8d3", "degraded": "#b5a642", "sdc": "#d1495b", "hang": "#edae49", "system_failure": "#8b0000",
          "crash": "#000000", "attitude_exceeded": "#a0522d", "altitude_exceeded": "#cd853f",
          "emulator_died": "#999999", "harness_stall": "#666666", "not_injected": "#cccccc", "error": "#ff00ff"}


def esc(x):
    return html.escape(str(x), quote=True)


def pct(c, n):
    return f"{100.0 * c / n:.1f}%" if n else "-"


def outcome_bars(res):
    """Stacked horizontal bars, one per fault class, segments labelled with their count."""
    faults = list(res["by_fault"])
    used = [o for o in OUTCOMES if any(res["by_fault"][f][o] for f in faults)]
    w, left, bar, gap = 640, 170, 22, 10
    most = max([sum(res["by_fault"][f].values()) for f in faults] + [1])
    h = 30 + len(faults) * (bar + gap) + 24 * ((len(used) + 3) // 4) + 10
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">']
    scale = (w - left - 20) / most
    for i, f in enumerate(faults):
        y = 20 + i * (bar + gap)
        n = sum(res["by_fault"][f].values())
        s.append(f'<text x="{left - 6}" y="{y + bar * 0.7}" text-anchor="end">{esc(f)} ({n})</text>')
        x = left
        for o in OUTCOMES:
            c = res["by_fault"][f][o]
            if not c:
                continue
            bw = c * scale
            s.append(f'<rect x="{x:.1f}" y="{y}" width="{bw:.1f}" height="{bar}" fill="{COLORS[o]}">'
                     f'<title>{esc(f)}: {o} {c} of {n} ({pct(c, n)})</title></rect>')
            if bw > 14:
                s.append(f'<text x="{x + bw / 2:.1f}" y="{y + bar * 0.7}" text-anchor="middle" fill="#fff">{c}</text>')
            x += bw
    y0 = 30 + len(faults) * (bar + gap)
    for j, o in enumerate(used):
        x, y = 10 + (j % 4) * 155, y0 + (j // 4) * 24
        s.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLORS[o]}"/>'
                 f'<text x="{x + 16}" y="{y + 10}">{o} ({res["counts"][o]})</text>')
    s.append("</svg>")
    return "".join(s)


def histogram(values, label):
    """Counts of each latency value (control periods), one bar per value."""
    if not values:
        return f"<p>No {esc(label)} measured in this campaign.</p>"
    lo, hi = min(values), max(values)
    bins = list(range(lo, hi + 1)) if hi - lo <= 40 else None
    if bins is None:
        step = (hi - lo + 39) // 40
        bins = list(range(lo, hi + 1, step))
    else:
        step = 1
    counts = [sum(1 for v in values if b <= v < b + step) for b in bins]
    w, h, pad = 640, 200, 40
    bw = (w - 2 * pad) / len(bins)
    top = max(counts)
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">']
    for i, (b, c) in enumerate(zip(bins, counts)):
        bh = (h - 2 * pad) * c / top
        x = pad + i * bw
        s.append(f'<rect x="{x:.1f}" y="{h - pad - bh:.1f}" width="{max(bw - 2, 1):.1f}" height="{bh:.1f}" '
                 f'fill="#2f7fc1"><title>{b}{"" if step == 1 else f"..{b + step - 1}"} periods: {c}</title></rect>')
        if c:
            s.append(f'<text x="{x + bw / 2:.1f}" y="{h - pad - bh - 3:.1f}" text-anchor="middle">{c}</text>')
        if len(bins) <= 20 or i % 5 == 0:
            s.append(f'<text x="{x + bw / 2:.1f}" y="{h - pad + 14}" text-anchor="middle">{b}</text>')
    s.append(f'<text x="{w / 2}" y="{h - 6}" text-anchor="middle">{esc(label)} (control periods; '
             f'{len(values)} runs, min {lo}, max {hi})</text></svg>')
    return "".join(s)


def trace_svg(rec, rate):
    """Altitude of the golden and the faulty flight (1 Hz samples), the injection marked."""
    g, f = rec.get("trace", {}).get("golden", []), rec.get("trace", {}).get("faulty", [])
    if not g and not f:
        return ""
    pts = g + f
    t1 = max(p["t"] for p in pts) or 1.0
    amin, amax = min(p["alt"] for p in pts), max(p["alt"] for p in pts)
    amax = amax if amax > amin else amin + 1.0
    w, h, pad = 300, 110, 26

    def xy(p):
        return (pad + (w - 2 * pad) * p["t"] / t1, h - pad - (h - 2 * pad) * (p["alt"] - amin) / (amax - amin))

    def line(ps, color, dash=""):
        if not ps:
            return ""
        d = " ".join(f"{x:.1f},{y:.1f}" for x, y in map(xy, ps))
        return f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2" {dash}/>'

    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="9">',
         f'<rect x="{pad}" y="{pad / 2}" width="{w - 2 * pad}" height="{h - 1.5 * pad}" fill="none" stroke="#ccc"/>',
         line(g, "#4c9f50"), line(f, "#d1495b", 'stroke-dasharray="4,3"')]
    if rec.get("injection_period") is not None:
        x = pad + (w - 2 * pad) * (rec["injection_period"] / rate) / t1
        s.append(f'<line x1="{x:.1f}" y1="{pad / 2}" x2="{x:.1f}" y2="{h - pad}" stroke="#000" stroke-dasharray="2,2"/>'
                 f'<text x="{x + 2:.1f}" y="{pad / 2 + 9}">inject P{rec["injection_period"]}</text>')
    s.append(f'<text x="{pad}" y="{h - 8}">0 s</text><text x="{w - pad}" y="{h - 8}" text-anchor="end">{t1:g} s</text>'
             f'<text x="2" y="{pad / 2 + 8}">{amax:.2f} m</text><text x="2" y="{h - pad}">{amin:.2f} m</text>'
             f'<text x="{w / 2}" y="{h - 8}" text-anchor="middle">alt: golden (green), faulty (red)</text></svg>')
    return "".join(s)


VOTE_COLORS = {"unanimous": "#4c9f50", "majority": "#edae49", "no-majority": "#d1495b", "bad-input": "#8b0000"}


def window_svg(rec):
    """The control-rate trace around the injection (io_voter's per-period lines): altitude
    and mean motor command of the golden and the faulty flight, and per period the faulty
    vote's result (green unanimous, amber majority, red no majority) with the replicas'
    roles (A active, S standby, F failed, R rejoining) in its tooltip."""
    w = rec.get("window") or {}
    g, f = w.get("golden", []), w.get("faulty", [])
    if not g and not f:
        return ""
    lo, hi = w["from"], w["to"]
    width, ph, pad, strip = 300, 60, 26, 8

    def panel(y0, key, label, unit):
        vals = [key(p) for p in g + f]
        vmin, vmax = min(vals), max(vals)
        vmax = vmax if vmax > vmin else vmin + 1

        def pt(p):
            return (f"{pad + (width - 2 * pad) * (p['k'] - lo) / max(hi - lo, 1):.1f},"
                    f"{y0 + ph - ph * (key(p) - vmin) / (vmax - vmin):.1f}")
        out = [f'<rect x="{pad}" y="{y0}" width="{width - 2 * pad}" height="{ph}" fill="none" stroke="#ccc"/>']
        for ps, color, dash in ((g, "#4c9f50", ""), (f, "#d1495b", 'stroke-dasharray="4,3"')):
            if ps:
                out.append(f'<polyline points="{" ".join(pt(p) for p in ps)}" fill="none" stroke="{color}" '
                           f'stroke-width="1.5" {dash}/>')
        out.append(f'<text x="{width - pad + 2}" y="{y0 + 8}">{vmax:g}</text>'
                   f'<text x="{width - pad + 2}" y="{y0 + ph}">{vmin:g}</text>'
                   f'<text x="{pad + 2}" y="{y0 + 9}">{esc(label)} ({unit})</text>')
        return "".join(out)

    h = 2 * ph + strip + 3 * 12 + 14
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" font-family="sans-serif" font-size="9">',
         panel(6, lambda p: p["alt_mm"], "alt", "mm"),
         panel(ph + 18, lambda p: sum(p["cmd"]) / 4.0, "mean motor command", "")]
    ys = 2 * ph + 24
    cw = (width - 2 * pad) / max(hi - lo + 1, 1)
    for p in f:
        x = pad + (p["k"] - lo) * cw
        s.append(f'<rect x="{x:.1f}" y="{ys}" width="{max(cw, 1):.1f}" height="{strip}" '
                 f'fill="{VOTE_COLORS.get(p["vote"], "#999")}"><title>period {p["k"]}: {esc(p["vote"])}, '
                 f'roles {esc(p["roles"])}, command {",".join(map(str, p["cmd"]))}</title></rect>')
    ip = rec.get("injection_period")
    if ip is not None and lo <= ip <= hi:
        x = pad + (width - 2 * pad) * (ip - lo) / max(hi - lo, 1)
        s.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{ys + strip}" stroke="#000" stroke-dasharray="2,2"/>')
    first, last = (f[0]["roles"], f[-1]["roles"]) if f else ("", "")
    s.append(f'<text x="{pad}" y="{h - 4}">P{lo}</text><text x="{width - pad}" y="{h - 4}" text-anchor="end">P{hi}</text>'
             f'<text x="{width / 2}" y="{h - 4}" text-anchor="middle">golden (green), faulty (red); vote; '
             f'roles {esc(first)} to {esc(last)}</text></svg>')
    return "".join(s)


def render(res):
    n = res["run"]
    rate = res.get("rate") or 100
    title = f"Fault-injection campaign {res['campaign']}"
    h = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>", esc(title), "</title>",
         "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
         "td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px;vertical-align:top}"
         "code{font-size:11px}.bad{color:#b00;font-weight:bold}</style></head><body>",
         f"<h1>{esc(title)}</h1>",
         f"<p>{esc(res['spec'])}: backend {esc(res['backend'])}, seed {res['seed']}, "
         f"{n} of {res['planned']} injections run, {res.get('workers', 1)} worker(s), "
         f"{res['runs_per_hour']} runs/hour, golden run {res['golden']['seconds']} s. "
         f"Result: <b class='{'' if res['passed'] else 'bad'}'>{'passed' if res['passed'] else ('FAILED' if res.get('complete', True) else 'INCOMPLETE')}</b> "
         f"(forbidden outcomes: {esc(', '.join(res['forbid']) or 'none')}). "
         f"Requirements: {esc(', '.join(res.get('requirements', [])) or 'none')}.</p>",
         "<p>Image hashes (SHA-256): " + ", ".join(f"{esc(k)} <code>{esc(v[:16])}</code>"
                                                   for k, v in res["hashes"].items()) + "</p>",
         "<h2>Outcomes</h2><table><tr><th>outcome</th><th>count</th><th>share</th>"
         "<th>95% interval (Wilson)</th></tr>"]
    for o in OUTCOMES:
        if res["counts"][o] or o in res["forbid"]:
            lo, hi = res.get("intervals", {}).get(o, [0.0, 1.0])
            h.append(f"<tr><td>{o}</td><td>{res['counts'][o]}</td><td>{pct(res['counts'][o], n)}</td>"
                     f"<td>{100 * lo:.1f}..{100 * hi:.1f}%</td></tr>")
    h.append(f"<tr><th>total</th><th>{n}</th><th></th></tr></table>")
    h.append("<h2>Outcomes per fault class</h2>" + outcome_bars(res))
    det = [r["detection_latency"] for r in res["runs"] if r.get("detection_latency") is not None]
    rec = [r["recovery_latency"] for r in res["runs"] if r.get("recovery_latency") is not None]
    rej = [r["rejoin_latency"] for r in res["runs"] if r.get("rejoin_latency") is not None]
    h.append("<h2>Detection latency</h2>" + histogram(det, "detection latency"))
    h.append("<h2>Recovery latency</h2>" + histogram(rec, "recovery latency"))
    h.append("<h2>Restart to rejoin</h2><p>From the period the vote declared the replica failed (its restart "
             "asked for in that period; the monitor restarts a sandbox at its own fault) to the vote's "
             "'rejoined' (K agreeing periods on probation after it answered again).</p>"
             + histogram(rej, "restart-to-rejoin latency"))
    h.append("<h2>Runs</h2><table><tr><th>#</th><th>fault</th><th>injection</th><th>outcome</th>"
             "<th>latency det/rec/rejoin</th><th>flight trace</th><th>replay</th></tr>")
    for r in res["runs"]:
        inj = r["injection"]
        lat = "/".join("-" if r.get(k) is None else str(r[k])
                       for k in ("detection_latency", "recovery_latency", "rejoin_latency"))
        h.append(f"<tr><td>{r['index']}</td><td>{esc(inj['fault'])}</td><td>{esc(r['description'])}"
                 f"<br><small>{esc('; '.join(r.get('log', [])[-2:]))}</small></td>"
                 f"<td class='{'' if r['ok'] else 'bad'}'>{esc(r['outcome'])}<br><small>{esc(r['reason'])}</small></td>"
                 f"<td>{esc(lat)}</td><td>{window_svg(r)}{trace_svg(r, rate)}</td>"
                 f"<td><code>{esc(r['replay'])}</code><br><small>seed {r.get('seed', res['seed'])}, "
                 f"tick {r.get('tick')}, {r['seconds']} s</small></td></tr>")
    h.append("</table></body></html>")
    return "".join(h)


def write(out, res):
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write(render(res))
