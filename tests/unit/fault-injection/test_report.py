#!/usr/bin/env python3
"""report.html: self-contained (no script, no external resource), every inline SVG
well-formed XML, absolute counts next to every share, latency histograms and the
flight trace present when the runs carry them."""
# REQ: MON-FLT-001
import contextlib
import io
import json
import os
import re
import tempfile
import xml.dom.minidom
import tap
import html_report
import md_report
import report
import spec
import summary

SPEC = {"backend": "bochs", "seed": 4, "requirements": ["MON-FLT-001"], "pass": {"forbid": ["sdc"]},
        "system": {"flight": {"rate": 100}},
        "faults": [{"id": "state", "requirements": []}, {"id": "wild", "requirements": ["MON-ISO-001"]}]}
TRACE = {"golden": [{"t": 1.0, "alt": 0.0}, {"t": 2.0, "alt": 0.5}, {"t": 3.0, "alt": 1.0}],
         "faulty": [{"t": 1.0, "alt": 0.0}, {"t": 2.0, "alt": 0.6}, {"t": 3.0, "alt": 1.1}]}


def rec(i, fault, outcome, det=None, recl=None):
    return {"index": i, "injection": {"fault": fault, "model": "bitflip"}, "description": f"flip #{i}",
            "outcome": outcome, "reason": "why <b>", "ok": outcome != "sdc", "seconds": 60.0, "tick": 1000 + i,
            "replay": f"make inject CAMPAIGN=c.json ONLY={i}", "log": ["x -> y (read back y)"],
            "injection_period": 200, "detection_latency": det, "recovery_latency": recl, "trace": TRACE}


def build():
    runs = [rec(0, "state", "detected_recovered", 3, 3), rec(1, "state", "masked"),
            rec(2, "wild", "detected_recovered", 5, 5), rec(3, "state", "sdc")]
    return report.build("t", "c.json", SPEC, {"spec": "ab" * 32}, {"status": 0}, 10.0, runs, 300.0, 4)


def test_counts_and_requirements():
    r = build()
    assert r["counts"]["detected_recovered"] == 2 and r["counts"]["sdc"] == 1 and set(r["counts"]) == set(spec.OUTCOMES)
    assert r["requirements"] == ["MON-FLT-001", "MON-ISO-001"] and not r["passed"]
    assert r["by_fault"]["state"]["masked"] == 1


def test_intervals_and_latency():
    assert report.wilson(0, 10) == [0.0, 0.2775]          # none seen in 10: up to 27.8%
    assert report.wilson(5, 10) == [0.2366, 0.7634]
    assert report.wilson(10, 10) == [0.7225, 1.0]
    assert report.wilson(0, 0) == [0.0, 1.0]              # nothing run: nothing known
    r = build()
    assert r["intervals"]["sdc"] == report.wilson(1, 4) and r["intervals"]["hang"] == report.wilson(0, 4)
    assert r["latency"]["detection"] == {"n": 2, "min": 3, "median": 5, "max": 5, "counts": {"3": 1, "5": 1}}
    assert r["latency"]["recovery"]["n"] == 2
    t = report.table(r)
    assert "sdc                       1    25.0%   4.6..69.9%" in t, t
    assert "detection latency (control periods): n 2, min 3, median 5, max 5; 3: 1, 5: 1" in t, t


def test_summary_keeps_the_figures_not_the_consoles():
    r = build()
    r["forbid"] = ["sdc", "hang"]
    s = summary.summarise(r)
    assert s["counts"] == {"masked": 1, "detected_recovered": 2, "sdc": 1, "hang": 0}   # forbidden 0s stay
    assert s["intervals"]["hang"] == report.wilson(0, 4) and s["latency"]["detection"]["n"] == 2
    assert s["by_fault"] == {"state": {"masked": 1, "detected_recovered": 1, "sdc": 1}, "wild": {"detected_recovered": 1}}
    assert [x["outcome"] for x in s["runs"]] == ["detected_recovered", "masked", "detected_recovered", "sdc"]
    assert "log" not in s["runs"][0] and "trace" not in s["runs"][0] and s["runs"][3]["replay"].endswith("ONLY=3")


def test_html_self_contained_and_svg_well_formed():
    h = html_report.render(build())
    assert "<script" not in h and "http://" not in h.replace('xmlns="http://www.w3.org/2000/svg"', "")
    svgs = re.findall(r"<svg.*?</svg>", h, re.S)
    assert len(svgs) == 1 + 2 + 4, len(svgs)     # outcome bars, two histograms, one trace per run
    for s in svgs:
        xml.dom.minidom.parseString(s)
    assert "why &lt;b&gt;" in h                   # console text is escaped
    assert "<td>sdc</td><td>1</td><td>25.0%</td>" in h   # absolute count next to the share
    assert "detected_recovered (2)" in h and "inject P200" in h
    assert "make inject CAMPAIGN=c.json ONLY=3" in h


def test_markdown_report():
    r = build()
    r["workers"] = 1
    for x in r["runs"]:
        x["injection"].update(sandbox="fc-b", program="fc_replica", space="virtual", target="symbol", symbol="st")
    r["runs"][0]["events"] = [{"period": 203, "event": "late", "replica": "b"},
                              {"period": 203, "event": "promoted", "replica": "d"},
                              {"period": 204, "event": "restart-request", "replica": "b"}]
    r["runs"][0]["detection_period"] = 203
    r["runs"][0]["log"] = ["stopped after 266 breakpoint stops on cpu 2 (fc-b), period 200",
                           "released: 7 step(s) answered by another core's stop, 1 step(s) still armed at the "
                           "release (cores 3), 1 stop(s) after it continued"]
    r["runs"][2]["detection_period"] = 205
    r["runs"][2]["events"] = [{"period": 205, "event": "disagree", "replica": "b"},
                              {"period": 205, "event": "promoted", "replica": "d"}]
    md = md_report.render(r, ["20:12..21:31 UTC: 4 runs"], "fault-injection/campaigns/c.json", "commit 7d317dc")
    assert "complete; failed its criteria (forbidden outcomes: sdc)" in md, md[:300]
    assert "| sdc | 1 | 25.0% | 4.6..69.9% | forbidden |" in md            # count next to the share
    assert "| detected_recovered | 2 | 50.0% |" in md and "seed **4**" in md
    assert "| state | bitflip | fc-b fc_replica `st` | 3 | 1 (33.3%) | 1 (33.3%) | 1 (33.3%) |" in md, md
    assert "| promoted | the standby promoted in the faulty replica's place | 2 of 2 | 3..5 |" in md
    assert "| restart-request | the voter asked the faulty replica to restart | 1 of 2 | 4..4 |" in md
    assert "| rejoined | the restarted replica rejoined the vote | 0 of 2 | - |" in md   # absence shown
    assert "single-step still armed when the injector let the VM go (each would have stalled with the " \
           "detach of session 3): 1" in md and "another core's stop: 7" in md
    assert "make inject CAMPAIGN=fault-injection/campaigns/c.json WORKERS=1" in md and "inputs: commit 7d317dc" in md
    assert "latency (control periods of 10 ms): n 2, min 3" in md
    assert "make inject CAMPAIGN=c.json ONLY=N" in md and "- 20:12..21:31 UTC: 4 runs" in md
    assert "| spec | `" + "ab" * 32 + "` |" in md and md.count("\n| 3 | state |") == 1
    r["run"], r["complete"], r["passed"], r["runs"] = 3, False, False, r["runs"][:3]
    assert "INCOMPLETE: 3 of 4 injections run; not judged yet" in md_report.render(r)


def test_markdown_report_bad_input():
    d = tempfile.mkdtemp()
    out = os.path.join(d, "out.md")
    for name, text, why in (("s.json", json.dumps(summary.summarise(build())), "a summary (summary.py)"),
                            ("x.json", "{not json", "Expecting property name"),
                            ("l.json", "[1, 2]", "not a campaign's results.json")):
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write(text)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            assert md_report.main(["md_report", p, out]) == 2, name
        assert why in err.getvalue() and not os.path.exists(out), (name, err.getvalue())


def test_rejoin_latency_and_control_rate_window():
    # a run whose replica rejoined, with its control-rate window (flight.window's records)
    r0 = rec(0, "state", "detected_recovered", 0, 0)
    per = [{"k": k, "alt_mm": 50 + k, "att_mdeg": [0, 0, 0], "cmd": [5000, 5000, 5000, 5000],
            "vote": "majority" if k == 200 else "unanimous", "roles": "AAAS" if k < 200 else "AFAA"}
           for k in range(190, 261)]
    r0.update(rejoin_latency=1400, window={"from": 190, "to": 260, "golden": per, "faulty": per})
    runs = [r0, rec(1, "state", "masked"), dict(rec(2, "wild", "detected_recovered", 1, 1), rejoin_latency=10)]
    r = report.build("t", "c.json", SPEC, {"spec": "ab" * 32}, {"status": 0}, 10.0, runs, 300.0, 3)
    assert r["latency"]["rejoin"] == {"n": 2, "min": 10, "median": 1400, "max": 1400, "counts": {"10": 1, "1400": 1}}, r["latency"]
    assert "rejoined 1400 after its restart" in report.table(r)
    h = html_report.render(r)
    svgs = re.findall(r"<svg.*?</svg>", h, re.S)
    assert len(svgs) == 1 + 3 + 1 + 3, len(svgs)   # bars, three histograms, the window, 1 Hz traces
    for x in svgs:
        xml.dom.minidom.parseString(x)
    assert "restart-to-rejoin latency" in h and "period 200: majority, roles AFAA" in h and "0/0/1400" in h
    s = summary.summarise(r)
    assert s["latency"]["rejoin"]["n"] == 2 and s["runs"][0]["rejoin_latency"] == 1400
    r["workers"] = 1
    for x in r["runs"]:
        x["injection"].update(sandbox="fc-b", program="fc_replica", space="virtual", target="symbol", symbol="st")
    md = md_report.render(r, [], "fault-injection/campaigns/c.json", None)
    assert "restart to rejoin" in md and "| 0 | state | 200 | detected_recovered | 0 | 0 | 1400 | 60 |" in md, md


if __name__ == "__main__":
    tap.run([test_counts_and_requirements, test_intervals_and_latency, test_summary_keeps_the_figures_not_the_consoles, test_html_self_contained_and_svg_well_formed,
            test_markdown_report, test_markdown_report_bad_input,
             test_rejoin_latency_and_control_rate_window])
