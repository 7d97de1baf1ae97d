"""report.html: a campaign's results in one self-contained page (inline SVG,
no script, no external stylesheet or font): outcome bars per fault class with
absolute counts, detection and recovery latency distributions in control
periods, the flight trace around each injection, and each run's replay
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
    h.append("<h2>Detection latency</h2>" + histogram(det, "detection latency"))
    h.append("<h2>Recovery latency</h2>" + histogram(rec, "recovery latency"))
    h.append("<h2>Runs</h2><table><tr><th>#</th><th>fault</th><th>injection</th><th>outcome</th>"
             "<th>latency det/rec</th><th>flight trace</th><th>replay</th></tr>")
    for r in res["runs"]:
        inj = r["injection"]
        lat = f"{r.get('detection_latency', '-')}/{r.get('recovery_latency', '-')}"
        h.append(f"<tr><td>{r['index']}</td><td>{esc(inj['fault'])}</td><td>{esc(r['description'])}"
                 f"<br><small>{esc('; '.join(r.get('log', [])[-2:]))}</small></td>"
                 f"<td class='{'' if r['ok'] else 'bad'}'>{esc(r['outcome'])}<br><small>{esc(r['reason'])}</small></td>"
                 f"<td>{esc(lat)}</td><td>{trace_svg(r, rate)}</td>"
                 f"<td><code>{esc(r['replay'])}</code><br><small>seed {r.get('seed', res['seed'])}, "
                 f"tick {r.get('tick')}, {r['seconds']} s</small></td></tr>")
    h.append("</table></body></html>")
    return "".join(h)


def write(out, res):
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write(render(res))
