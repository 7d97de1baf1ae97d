#!/usr/bin/env python3
"""The proof gate (proofs/wp/gate.py) reads Frama-C's CSV report right: a
property whose text runs over two lines (Frama-C does not quote it) stays one
property, every non-Valid property fails the module by name, and a file that
is not a report is refused with a message instead of a crash."""
# REQ: PROOF-GATE-001
import json
import os
import subprocess
import sys
import tempfile
import traceback

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
GATE = os.path.join(TOP, "proofs", "wp", "gate.py")
sys.path.insert(0, os.path.dirname(GATE))
sys.dont_write_bytecode = True  # no __pycache__ in proofs/wp/
import gate  # noqa: E402

HEADER = "directory\tfile\tline\tfunction\tproperty kind\tstatus\tproperty\n"
# Shaped like build/proofs/tmr-voter.csv: the second row's property continues
# on the next line, as Frama-C 25 writes `complete behaviors a, b, c`.
TWO_LINE = (HEADER +
            "tmr\tvoter.c\t54\tnear\tassigns clause\tValid\tassigns \\nothing;\n"
            "tmr\tvoter.c\t514\ttmr_vote\tcomplete behaviors\tValid\tcomplete\n"
            " bad_input, null_input, vote\n"
            "tmr\tvoter.c\t514\ttmr_vote\tassigns clause\tValid\tassigns *out;\n"
            "FRAMAC_SHARE/libc\tstring.h\t10\tmemcpy\tassigns clause\tConsidered valid\tassigns x;\n")


def write(d, name, text):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        f.write(text)
    return p


def run_gate(d, csv_text, module="m", files="tmr/voter.c", focus=None, props=None):
    """Runs gate.py as run.sh does (from the top directory, which holds
    proofs/ASSUMPTIONS.md); returns its exit status, output and result."""
    if csv_text is not None:
        write(d, module + ".csv", csv_text)
    write(d, module + ".log", "[wp] Proved goals:   3 / 3\n")
    p = subprocess.run([sys.executable, GATE, module, d, "0", "1.0", "2.5", files] + ([focus] if focus or props else []) + ([props] if props else []),
                       cwd=TOP, capture_output=True, text=True)
    with open(os.path.join(d, module + ".result.json")) as f:
        return p.returncode, p.stdout + p.stderr, json.load(f)


def test_two_line_property_is_one_row():
    with tempfile.TemporaryDirectory() as d:
        rows = gate.read_report(write(d, "r.csv", TWO_LINE))
    assert len(rows) == 4, rows
    assert rows[1]["property kind"] == "complete behaviors"
    assert rows[1]["property"] == "complete\n bad_input, null_input, vote"
    assert rows[2]["function"] == "tmr_vote" and rows[2]["line"] == "514"
    assert rows[3]["directory"].startswith("FRAMAC_SHARE")


def test_gate_passes_a_valid_module_with_a_two_line_property():
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, TWO_LINE)
    assert rc == 0, out
    assert res["status"] == "pass" and res["properties"] == 3 and res["valid"] == 3
    assert res["functions"] == ["near", "tmr_vote"] and res["wp_goals_total"] == 3
    assert "all 3 properties valid" in out


def test_unproved_two_line_property_fails_by_name():
    bad = TWO_LINE.replace("complete behaviors\tValid", "complete behaviors\tUnknown")
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, bad)
    assert rc == 1, out
    assert res["status"] == "fail" and len(res["bad"]) == 1
    assert res["bad"][0]["function"] == "tmr_vote"
    assert res["bad"][0]["property"].endswith("null_input, vote")
    assert "tmr_vote complete behaviors [Unknown]" in out


def test_not_a_report_is_refused_with_a_message():
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, "this is not\ta report\n")
    assert rc == 1 and "Traceback" not in out, out
    assert res["bad"][0]["status"] == "unreadable" and "not a Frama-C CSV report" in out


def test_continuation_before_any_row_is_refused():
    with tempfile.TemporaryDirectory() as d:
        try:
            gate.read_report(write(d, "r.csv", HEADER + " stray text\n"))
        except ValueError as e:
            assert "continuation line before any row" in str(e)
        else:
            raise AssertionError("a stray line was accepted")


def test_missing_report_fails():
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, None)
    assert rc == 1 and res["bad"][0]["status"] == "missing", out


def test_function_without_assigns_fails():
    no_assigns = HEADER + "tmr\tvoter.c\t60\tfar\tpostcondition\tValid\tFAR: \\result == 0\n"
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, no_assigns)
    assert rc == 1 and res["functions_without_contract"] == ["far"], out


def test_focused_run_judges_only_its_functions():
    """A function-focused run (proofs/wp/functions.list): another function's
    unproved property is left to the module's own run, counted, not judged;
    the focused function's own unproved property still fails."""
    other_bad = TWO_LINE.replace("complete behaviors\tValid", "complete behaviors\tUnknown")
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, other_bad, focus="near")
    assert rc == 0 and res["properties"] == 1 and res["outside_focus"] == 2, out
    assert res["focus"] == ["near"] and "only near" in out
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, other_bad, focus="tmr_vote")
    assert rc == 1 and res["bad"][0]["function"] == "tmr_vote", out


def test_property_focused_run_judges_only_those_properties():
    """A run restricted to properties (functions.list's fourth column,
    -wp-prop @assigns): the focused function's other properties are left to
    the module's run; its unproved assigns clause still fails it."""
    other_bad = TWO_LINE.replace("complete behaviors\tValid", "complete behaviors\tUnknown")
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, other_bad, focus="tmr_vote", props="@assigns")
    assert rc == 0 and res["properties"] == 1 and res["outside_focus"] == 2, out
    assert res["focus_properties"] == ["@assigns"] and "only tmr_vote @assigns" in out
    bad_assigns = TWO_LINE.replace("assigns clause\tValid\tassigns *out", "assigns clause\tUnknown\tassigns *out")
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, bad_assigns, focus="tmr_vote", props="@assigns")
    assert rc == 1 and res["bad"][0]["kind"] == "assigns clause", out


def wp_json(d, module, lemmas):
    """A WP JSON report (-wp-report-json) shaped like Frama-C 25's: lemma
    name -> (goals, proved), plus the axiomatic's own wp:section totals."""
    ax = {"lemma_" + n: {"wp:main": {"total": t, "valid": v}} for n, (t, v) in lemmas.items()}
    ax["wp:section"] = {"wp:main": {"total": 1, "valid": 1}}
    write(d, module + ".wp.json", json.dumps({"wp:global": {}, "wp:axiomatics": {"": ax}}))


def test_lemma_only_run_judges_the_lemmas():
    """functions.list's lemma-only form (no function, -wp-prop @lemma): the
    lemmas, absent from the CSV, are judged from WP's JSON report; one not
    proved fails the run by name; a run with no lemma at all fails (nothing
    was proved); the wp:section row is not a lemma."""
    with tempfile.TemporaryDirectory() as d:
        wp_json(d, "m", {"step": (1, 1), "trans": (1, 1)})
        rc, out, res = run_gate(d, TWO_LINE, focus="", props="@lemma")
    assert rc == 0 and res["properties"] == 2 and res["outside_focus"] == 3, out
    assert "only no function @lemma" in out
    with tempfile.TemporaryDirectory() as d:
        wp_json(d, "m", {"step": (1, 1), "trans": (1, 0)})
        rc, out, res = run_gate(d, TWO_LINE, focus="", props="@lemma")
    assert rc == 1 and [b["property"] for b in res["bad"]] == ["lemma trans"], out
    assert res["bad"][0]["status"] == "Unknown"
    with tempfile.TemporaryDirectory() as d:
        wp_json(d, "m", {"step": (0, 0)})
        rc, out, res = run_gate(d, TWO_LINE, focus="", props="@lemma")
    assert rc == 1 and res["bad"][0]["property"] == "lemma step", out
    with tempfile.TemporaryDirectory() as d:
        rc, out, res = run_gate(d, TWO_LINE, focus="", props="@lemma")
    assert rc == 1 and res["properties"] == 0, out


def test_whole_run_judges_its_lemmas_too():
    """A whole-module run: an unproved lemma fails it as any property."""
    with tempfile.TemporaryDirectory() as d:
        wp_json(d, "m", {"step": (1, 0)})
        rc, out, res = run_gate(d, TWO_LINE)
    assert rc == 1 and res["bad"][0]["property"] == "lemma step", out


TESTS = [test_lemma_only_run_judges_the_lemmas, test_whole_run_judges_its_lemmas_too,
         test_property_focused_run_judges_only_those_properties, test_focused_run_judges_only_its_functions, test_two_line_property_is_one_row, test_gate_passes_a_valid_module_with_a_two_line_property,
         test_unproved_two_line_property_fails_by_name, test_not_a_report_is_refused_with_a_message,
         test_continuation_before_any_row_is_refused, test_missing_report_fails,
         test_function_without_assigns_fails]

print("1..%d" % len(TESTS))
failed = 0
for i, t in enumerate(TESTS, 1):
    try:
        t()
        print("ok %d - %s" % (i, t.__name__))
    except Exception:  # every failure is reported as not ok
        failed += 1
        print("not ok %d - %s" % (i, t.__name__))
        for line in traceback.format_exc().splitlines():
            print("# " + line)
sys.exit(1 if failed else 0)
