#!/usr/bin/python3
"""Triad certification evidence generator (issue 13).

  certgen.py trace   [--out DIR]     requirements -> code -> test/proof/campaign
  certgen.py misra   --results F     check cppcheck MISRA findings against deviations
  certgen.py coverage --out DIR      check coverage results against the floors
  certgen.py package --out DIR       the evidence package from the inputs in build/ (fails on a
                                     missing or stale one): index, SAS, matrices (MD, HTML, PDF)
  certgen.py check --out DIR         the fast core make test runs: trace, LOBSTER,
                                     JUnit XML, configuration index
  certgen.py inputs [--optional L]   the package's inputs present and fresh, review records
  certgen.py stamp NAME --to F       the SHA-256 of the sources input NAME is made from
  certgen.py tidy --results F        clang-tidy findings against the recorded ceilings
  certgen.py review DOC --reviewer W --result T [--kind review|sqa]
                                     append a review/SQA record of DOC as committed

Every subcommand exits 1 with one line per problem ("certgen: error: ...")
when a check fails; see docs/certification.md for the conventions it enforces.
Python 3 from Debian with python3-yaml; pandoc and weasyprint render HTML and PDF.
"""
import argparse
import collections
import datetime
import glob
import hashlib
import html
import json
import os
import re
import subprocess
import sys

import yaml

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CERT = os.path.join(TOP, "certification")
GENERATOR = "triad-certgen"

ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3}$")
ID_IN_TEXT_RE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3}\b")
# An ACSL clause name that claims a requirement: REQ_ and the ID with '_' for
# '-' (REQ_MON_EPT_003), the scheme of proofs/requirements-index.md.
ACSL_ID_RE = re.compile(r"^REQ_([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_\d{3})$")
METHODS = ("test", "proof", "analysis", "campaign", "review")
ANALYSES = ("misra", "clang-tidy", "coverage", "mcdc")
DALS = "ABCDE"
ACSL_DIRS = ("monitor", "tmr", "channels", "attest", "recovery")
TAG_RE = re.compile(r"(?://|/\*|#)\s*REQ:\s*([^*\n]*)")
# A tag on a line of its own inside a block comment (" * REQ: ID" or "   REQ: ID */"),
# or in parentheses within the comment's text ("(REQ: ID)"): only the IDs are taken.
_IDS = r"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3}(?:\s*,\s*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d{3})*)"
TAG_IN_COMMENT_RE = re.compile(r"^\s*\*?\s*REQ:\s*" + _IDS + r"\s*(?:\*/)?\s*$|\(REQ:\s*" + _IDS + r"\)")
FUNC_RE = re.compile(r"^\s*(?:static\s+)?(?:inline\s+)?(?:void|int)\s+([A-Za-z_]\w*)\s*\(")
CLAUSE_RE = re.compile(
    r"\b(requires|ensures|assigns|frees|allocates|terminates|decreases|assumes|"
    r"loop\s+invariant|loop\s+assigns|loop\s+variant|invariant|assert|check|admit)\s+"
    r"([A-Za-z_]\w*)\s*:(?!:)")


class Errors:
    def __init__(self):
        self.items = []

    def __call__(self, msg):
        self.items.append(msg)

    def report(self, what):
        for m in self.items:
            print(f"certgen: error: {m}", file=sys.stderr)
        if self.items:
            print(f"certgen: {what}: {len(self.items)} error(s)", file=sys.stderr)
        return 1 if self.items else 0


def rel(p):
    return os.path.relpath(p, TOP)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def acsl_name_to_id(name):
    m = ACSL_ID_RE.match(name)
    if m:
        return m.group(1).replace("_", "-")
    return "?" + name if name.startswith("REQ_") else None


def read_proof_index(err):
    """proofs/requirements-index.md (the proofs engineer's file, read only):
    table rows | REQ_<ID> | statement | clause(s) | status |."""
    idx = os.path.join(TOP, "proofs", "requirements-index.md")
    out = collections.OrderedDict()
    if not os.path.exists(idx):
        return out
    for n, ln in enumerate(read(idx).splitlines(), 1):
        cols = [c.strip() for c in ln.strip().strip("|").split("|")]
        if len(cols) < 3 or not cols[0].startswith("REQ_"):
            continue
        rid = acsl_name_to_id(cols[0])
        if rid is None or rid.startswith("?"):
            err(f"proofs/requirements-index.md:{n}: malformed requirement ID {cols[0]}")
            continue
        names = [c for c in re.findall(r"`([A-Z][A-Z0-9_]+)`", cols[2])]
        out[rid] = {"line": n, "clauses": names}
    return out


# --------------------------------------------------------------------------
# requirements
def load_requirements(path, err):
    doc = yaml.safe_load(read(path))
    reqs = collections.OrderedDict()
    for r in doc.get("requirements", []):
        rid = r.get("id")
        if not rid or not ID_RE.match(str(rid)):
            err(f"{rel(path)}: bad requirement ID {rid!r}")
            continue
        if rid in reqs:
            err(f"{rel(path)}: duplicate requirement ID {rid}")
        r.setdefault("verification", [])
        r.setdefault("pending", {})
        r["hlr"] = rid.startswith("HLR-")
        for f in ("title", "text", "dal"):
            if not r.get(f):
                err(f"{rid}: missing field '{f}'")
        if r.get("dal") not in list(DALS):
            err(f"{rid}: dal must be one of A..E, not {r.get('dal')!r}")
        if not r["verification"] and not r.get("withdrawn"):
            err(f"{rid}: no verification method")
        for m in r["verification"]:
            if m not in METHODS:
                err(f"{rid}: unknown verification method {m!r}")
        for m, why in r["pending"].items():
            if m not in r["verification"]:
                err(f"{rid}: pending method {m!r} is not one of its verification methods")
            if not re.match(r"^issue \d+", str(why)):
                err(f"{rid}: pending {m} must name the open issue ('issue N: ...'), got {why!r}")
        for a in r.get("analyses", []):
            if a not in ANALYSES:
                err(f"{rid}: unknown analysis {a!r} (one of {', '.join(ANALYSES)})")
        if "analysis" in r["verification"] and not r.get("analyses"):
            err(f"{rid}: method analysis without 'analyses'")
        reqs[rid] = r
    for rid, r in reqs.items():
        p = r.get("parent")
        if r["hlr"] and p:
            err(f"{rid}: a high-level requirement has no parent")
        if not r["hlr"]:
            if not p:
                err(f"{rid}: low-level requirement without a parent")
            elif p not in reqs:
                err(f"{rid}: parent {p} does not exist")
            elif not reqs[p]["hlr"]:
                err(f"{rid}: parent {p} is not a high-level requirement")
    return doc, reqs


# --------------------------------------------------------------------------
# ACSL named clauses
def scan_acsl():
    clauses = []
    for d in ACSL_DIRS:
        for path in sorted(glob.glob(os.path.join(TOP, d, "**", "*.[ch]"), recursive=True)):
            text = read(path)
            for m in re.finditer(r"/\*@(.*?)\*/|//@([^\n]*)", text, re.S):
                body = m.group(1) if m.group(1) is not None else m.group(2)
                base = m.start(1) if m.group(1) is not None else m.start(2)
                after = text[m.end():m.end() + 400]
                fm = re.search(r"([A-Za-z_]\w*)\s*\([^;{]*\)\s*[{;]", after)
                func = fm.group(1) if fm else None
                for c in CLAUSE_RE.finditer(body):
                    line = text.count("\n", 0, base + c.start()) + 1
                    clauses.append({"name": c.group(2), "kind": re.sub(r"\s+", " ", c.group(1)),
                                    "file": rel(path), "line": line, "function": func,
                                    "req": acsl_name_to_id(c.group(2))})
    return clauses


def proof_results():
    """Frama-C CSV rows (ours, not FRAMAC_SHARE) and spin verdicts."""
    rows = []
    # The proof modules of proofs/wp/modules.list (not the deliberately broken
    # mutants the proof gate's own test writes next to them).
    def modules(name):
        p = os.path.join(TOP, "proofs", "wp", name)
        if not os.path.exists(p):
            return []
        return [ln.split()[0] for ln in read(p).splitlines() if ln.strip() and not ln.startswith("#")]
    gated = set(modules("gated.list"))
    csvs = [os.path.join(TOP, "build", "proofs", m + ".csv") for m in modules("modules.list")]
    csvs += glob.glob(os.path.join(TOP, "build", "proofs", "tmr", "*.csv"))
    for csv in sorted(c for c in csvs if os.path.exists(c)):
        module = os.path.basename(csv)[:-4]
        lines = read(csv).splitlines()
        for ln in lines[1:]:
            cols = ln.split("\t")
            if len(cols) < 7 or cols[0].startswith("FRAMAC_SHARE"):
                continue
            rows.append({"csv": rel(csv), "module": module, "gated": module in gated or not gated,
                         "dir": cols[0], "file": cols[1], "line": cols[2],
                         "function": cols[3], "kind": cols[4], "status": cols[5].strip('"'),
                         "property": cols[6]})
    spin = {}
    for log in glob.glob(os.path.join(TOP, "build", "proofs", "spin", "*", "pan.log")):
        name = os.path.basename(os.path.dirname(log))
        if spin_mutant(name):
            continue
        m = re.search(r"errors: (\d+)", read(log))
        spin[name] = "Valid" if m and m.group(1) == "0" else "Failed"
    return rows, spin


def spin_mutant(name):
    """A deliberately broken spin variant (proofs-spin checks that it fails):
    "-broken-" or a part in capitals, the -D define that breaks the model
    (fifo-BROKEN-no_overwrite, fourslot_tso-NO_WRITER_FENCE-asserts)."""
    return "-broken-" in name or any(re.fullmatch(r"[A-Z][A-Z0-9_]*", part) for part in name.split("-"))


def proof_report():
    """build/proofs/report.json (proofs/wp/summary.py): one entry per module."""
    p = os.path.join(TOP, "build", "proofs", "report.json")
    if not os.path.exists(p):
        return None
    try:
        rep = json.loads(read(p))
        mods = rep.get("summary", {}).get("modules", [])
        return [m for m in mods if isinstance(m, dict) and "module" in m]
    except (ValueError, AttributeError):
        return [{"module": "report.json", "status": "unreadable"}]


def gated_modules():
    p = os.path.join(TOP, "proofs", "wp", "gated.list")
    if not os.path.exists(p):
        return set()
    return {ln.split()[0] for ln in read(p).splitlines() if ln.strip() and not ln.startswith("#")}


def clause_status(clause, rows):
    base = os.path.basename(clause["file"])
    pat = re.compile(r"(^|\W)" + re.escape(clause["name"]) + r"\s*:")
    hits = [r for r in rows if r["file"] == base and pat.search(r["property"])]
    if not hits:
        return "not run", []
    bad = [r for r in hits if r["status"] not in ("Valid", "Considered valid")]
    if bad:
        return "Failed", hits
    return ("Valid" if all(r["status"] == "Valid" for r in hits) else "Assumed"), hits


# --------------------------------------------------------------------------
# tests
def host_test_programs():
    """test source file -> program basenames, from every rules.mk."""
    progs = collections.defaultdict(set)
    mks = glob.glob(os.path.join(TOP, "*", "rules.mk")) + glob.glob(os.path.join(TOP, "*", "*", "rules.mk"))
    for mk in sorted(m for m in mks if not rel(m).startswith(("build/", "tests/"))):
        for m in re.finditer(r"\$\(call host_test,([^,]+),([^,]+),", read(mk)):
            name = os.path.basename(m.group(1).strip())
            for src in m.group(2).split():
                if src.startswith("tests/"):
                    progs[src].add(name)
    return progs


def parse_tags(raw, where, err):
    ids = [t.strip() for t in re.split(r"[,\s]+", raw.strip()) if t.strip()]
    for t in ids:
        if not ID_RE.match(t):
            err(f"{where}: malformed requirement tag {t!r}")
    return [t for t in ids if ID_RE.match(t)]


def leading_comment_lines(lines):
    """How many lines the file's opening comment (and blank lines) take."""
    i, inside = 0, False
    while i < len(lines):
        ln = lines[i].strip()
        if inside:
            inside = "*/" not in ln
        elif ln.startswith("/*"):
            inside = "*/" not in ln[2:]
        elif not (ln == "" or ln.startswith("//")):
            break
        i += 1
    return i


def scan_tests(err):
    """Tagged tests: cmocka cases (tag before the case function, or before main
    for the whole program) and system-test scripts (tag in the script)."""
    tests = []
    progs = host_test_programs()
    for path in sorted(glob.glob(os.path.join(TOP, "tests", "**", "*.c"), recursive=True)):
        if re.search(r"/fixture[\w-]*/", path):   # the generator's own test fixtures (tests/unit/certification)
            continue
        text = read(path)
        if "REQ:" not in text:
            continue
        lines = text.splitlines()
        r = rel(path)
        registered = set(re.findall(r"cmocka_unit_test\w*\(\s*([A-Za-z_]\w*)", text))
        head = leading_comment_lines(lines)
        for i, ln in enumerate(lines):
            m = TAG_RE.search(ln) or TAG_IN_COMMENT_RE.search(ln)
            if not m:
                continue
            where = f"{r}:{i + 1}"
            ids = parse_tags(next((g for g in m.groups() if g), ""), where, err)
            func = None
            for j in range(i, min(i + 4, len(lines))):
                fm = FUNC_RE.match(lines[j])
                if fm:
                    func = fm.group(1)
                    break
            if func is None and i < head:
                func = "main"      # in the file's opening comment: every case of the program
            if func is None:
                err(f"{where}: REQ tag not followed by a test function within 3 lines")
                continue
            if r not in progs:
                err(f"{where}: {r} is not built by any host_test in a rules.mk")
                continue
            if func != "main" and func not in registered:
                err(f"{where}: REQ tag on {func}, which is not a registered cmocka test")
                continue
            for prog in sorted(progs[r]):
                tests.append({"kind": "unit", "program": prog, "case": None if func == "main" else func,
                              "name": f"{prog}: {'*' if func == 'main' else func}",
                              "file": r, "line": i + 1, "reqs": ids})
    for path in sorted(glob.glob(os.path.join(TOP, "tests", "system", "[0-9]*.sh"))):
        text = read(path)
        r = rel(path)
        script = os.path.basename(path)[:-3]
        for i, ln in enumerate(text.splitlines()):
            m = re.match(r"^#\s*REQ:\s*(.*)$", ln)
            if m:
                ids = parse_tags(m.group(1), f"{r}:{i + 1}", err)
                tests.append({"kind": "system", "program": script, "case": None,
                              "name": f"{script}: *", "file": r, "line": i + 1, "reqs": ids})
    return tests


def tap_results(paths):
    res = collections.defaultdict(list)   # program -> [(case, ok)]
    present = set()
    for p in paths:
        if not os.path.exists(p):
            continue
        present.add(p)
        for ln in read(p).splitlines():
            m = re.match(r"^(ok|not ok) - ([^:]+): (.*)$", ln)
            if m:
                res[m.group(2)].append((m.group(3), m.group(1) == "ok"))
    return res, present


def test_status(t, res):
    lines = res.get(t["program"], [])
    if t["case"] is not None:
        lines = [l for l in lines if l[0] == t["case"]]
    if not lines:
        return "not run"
    return "ok" if all(ok for _, ok in lines) else "fail"


# --------------------------------------------------------------------------
# campaigns
def scan_campaigns(err):
    out = []
    for path in sorted(glob.glob(os.path.join(TOP, "fault-injection", "campaigns", "*.json"))):
        try:
            spec = json.loads(read(path))
        except ValueError as e:
            err(f"{rel(path)}: not JSON: {e}")
            continue
        ids = spec.get("requirements", []) if isinstance(spec, dict) else []
        if not isinstance(ids, list):
            err(f"{rel(path)}: 'requirements' must be a list of IDs")
            continue
        name = os.path.basename(path)[:-5]
        status, counts, results = "not run", {}, None
        # make test's own run of the campaign first (tests 70 and 71 write
        # under build/runs/system/), then make inject's
        # build/fault-injection/NAME/results.json or its link build/inject/NAME
        # (docs/fault-injection.md).
        places = ([os.path.join(TOP, CI_CAMPAIGNS[name], "results.json")] if name in CI_CAMPAIGNS else []) + [
            os.path.join(TOP, "build", "fault-injection", name, "results.json"),
            os.path.join(TOP, "build", "inject", name, "results.json")]
        for rp in places:
            if os.path.exists(rp):
                results = rel(rp)
                try:
                    rj = json.loads(read(rp))
                    # A stopped run (complete: false) is neither evidence nor a failure.
                    status = ("incomplete" if rj.get("complete") is False else
                              "ok" if rj.get("passed", rj.get("ok")) is True else "fail")
                    counts = rj.get("counts", {}) if isinstance(rj.get("counts"), dict) else {}
                except (ValueError, AttributeError):
                    status = "fail"
                break
        out.append({"name": name, "file": rel(path), "reqs": [str(i) for i in ids], "status": status,
                    "counts": counts, "results": results})
    return out


# --------------------------------------------------------------------------
def code_exists(entry):
    path, _, func = entry.partition("#")
    full = os.path.join(TOP, path)
    if not os.path.exists(full):
        return False, f"{path} does not exist"
    if func:
        if os.path.isdir(full):
            return False, f"{path} is a directory, cannot hold #{func}"
        if not re.search(r"\b" + re.escape(func) + r"\s*\(", read(full)):
            return False, f"{path} has no function {func}"
    return True, None


def analyses_status(build):
    """Results of the analyses make certification ran (absent: not run)."""
    st = {}
    for a in ANALYSES:
        p = os.path.join(build, "certification", "status", a)
        st[a] = read(p).strip() if os.path.exists(p) else "not run"
    return st


# Each kind of evidence of a matrix entry, the status that means it failed,
# and how the failure is named.
FAILED_EVIDENCE = (
    ("tests", "fail", "test {name} failed"),
    ("proofs", "Failed", "proof of {clause} ({file}:{line}) is not Valid"),
    ("models", "Failed", "model check {model} failed"),
    ("campaigns", "fail", "campaign {name} failed"),
    ("analyses", "fail", "analysis {analysis} failed"),
)


def trace(args):
    err = Errors()
    doc, reqs = load_requirements(os.path.join(CERT, "requirements.yaml"), err)
    clauses = scan_acsl()
    rows, spin = proof_results()
    tests = scan_tests(err)
    build = os.path.join(TOP, "build")
    res, present = tap_results([os.path.join(build, "test-results", "unit.tap"),
                                os.path.join(build, "test-results", "system.tap")])
    campaigns = scan_campaigns(err)
    # The checking core does not run the analyses: a status left by an
    # earlier full run is not evidence of this tree.
    astatus = (getattr(args, "astatus", None) or
               ({a: "not run" for a in ANALYSES} if getattr(args, "core", False) else analyses_status(build)))

    # Orphans: anything that claims an ID that does not exist.
    for c in clauses:
        if c["req"] and c["req"] not in reqs:
            err(f"{c['file']}:{c['line']}: orphan contract: clause {c['name']} claims "
                f"requirement {c['req']}, which is not in certification/requirements.yaml")
    for t in tests:
        for i in t["reqs"]:
            if i not in reqs:
                err(f"{t['file']}:{t['line']}: orphan test: {t['name']} claims unknown requirement {i}")
    for cp in campaigns:
        for i in cp["reqs"]:
            if i not in reqs:
                err(f"{cp['file']}: orphan campaign: {cp['name']} claims unknown requirement {i}")
    for c in clauses:
        if c["req"] and c["req"].startswith("?"):
            err(f"{c['file']}:{c['line']}: malformed requirement clause name {c['name']} "
                f"(REQ_ + an ID with underscores, e.g. REQ_MON_EPT_003)")
    index = read_proof_index(err)
    by_name = collections.defaultdict(list)
    for c in clauses:
        by_name[c["name"]].append(c)
    for rid, ent in index.items():
        if rid not in reqs:
            err(f"proofs/requirements-index.md:{ent['line']}: requirement {rid} is not in certification/requirements.yaml")
        for cname in ent["clauses"]:
            if cname not in by_name and not cname.startswith("REQ_"):
                err(f"proofs/requirements-index.md:{ent['line']}: clause {cname} listed for {rid} "
                    f"is not found in {', '.join(ACSL_DIRS)}")

    matrix = collections.OrderedDict()
    for rid, r in reqs.items():
        if r.get("withdrawn"):
            continue
        e = {"id": rid, "title": r["title"], "dal": r["dal"], "asil": doc["levels"][r["dal"]]["asil"],
             "parent": r.get("parent"), "hlr": r["hlr"], "verification": r["verification"],
             "pending": r["pending"], "code": [], "tests": [], "proofs": [], "models": [],
             "campaigns": [], "analyses": [], "reviews": [], "methods": {}, "problems": []}
        for c in r.get("code", []):
            ok, why = code_exists(c)
            if not ok:
                err(f"{rid}: code {c}: {why}")
            e["code"].append(c)
        for t in tests:
            if rid in t["reqs"]:
                e["tests"].append({"name": t["name"], "file": t["file"], "line": t["line"],
                                   "status": test_status(t, res)})
        named = [c for c in clauses if c["req"] == rid]
        for cname in index.get(rid, {}).get("clauses", []):
            named += [c for c in by_name.get(cname, []) if c not in named]
        for cname in r.get("contracts", []):
            if cname not in by_name:
                err(f"{rid}: contract clause {cname} not found in {', '.join(ACSL_DIRS)}")
            named += [c for c in by_name.get(cname, []) if c not in named]
        for c in named:
            st, _ = clause_status(c, rows)
            e["proofs"].append({"clause": c["name"], "file": c["file"], "line": c["line"],
                                "function": c["function"], "status": st})
        for mref in r.get("models", []):
            model, _, prop = mref.partition("#")
            mpath = os.path.join(TOP, "proofs", "promela", model)
            if not os.path.exists(mpath) or not re.search(r"\bltl\s+" + re.escape(prop) + r"\b", read(mpath)):
                err(f"{rid}: model property {mref} not found in proofs/promela/")
            e["models"].append({"model": mref, "status": spin.get(model[:-4] + "-" + prop, "not run")})
        for cp in campaigns:
            if rid in cp["reqs"]:
                e["campaigns"].append({"name": cp["name"], "file": cp["file"], "status": cp["status"]})
        for a in r.get("analyses", []):
            e["analyses"].append({"analysis": a, "status": astatus[a]})
        for f in r.get("reviewed", []):
            if not os.path.exists(os.path.join(TOP, f)):
                err(f"{rid}: reviewed file {f} does not exist")
            e["reviews"].append(f)
        matrix[rid] = e

    # Children feed their parents' evidence.
    for rid, e in matrix.items():
        if e["hlr"]:
            kids = [k for k in matrix.values() if k["parent"] == rid]
            e["children"] = [k["id"] for k in kids]
            if not kids:
                err(f"{rid}: high-level requirement without low-level requirements")

    def has(e, m):
        own = {"test": e["tests"], "proof": e["proofs"] + e["models"], "campaign": e["campaigns"],
               "analysis": e["analyses"], "review": e["reviews"]}[m]
        if own:
            return True
        if e["hlr"]:
            return any(has(matrix[k], m) for k in e.get("children", []))
        return False

    for rid, e in matrix.items():
        for m in e["verification"]:
            traced = has(e, m)
            if m in e["pending"]:
                e["methods"][m] = "pending (" + e["pending"][m] + ")" + (" - evidence already present" if traced else "")
                continue
            if not traced:
                err(f"{rid}: untraced requirement: verification method '{m}' has no "
                    + {"test": "test tagged 'REQ: " + rid + "'",
                       "proof": "ACSL clause named REQ_" + rid.replace('-', '_') + ", clause in proofs/requirements-index.md, listed contract or model",
                       "campaign": "campaign spec naming it",
                       "analysis": "analysis", "review": "review record"}[m])
                e["methods"][m] = "untraced"
            else:
                e["methods"][m] = "traced"
        if not e["hlr"] and not e["code"] and set(e["verification"]) - {"analysis", "review"} \
                and set(e["verification"]) - set(e["pending"]):
            err(f"{rid}: low-level requirement without 'code' (the implementing unit)")
        # Failed evidence fails the trace: one table, one message per kind.
        for kind, failed, says in FAILED_EVIDENCE:
            for x in e[kind]:
                if x["status"] == failed:
                    err(f"{rid}: " + says.format(**x))
        e["state"] = ("untraced" if "untraced" in e["methods"].values() else
                      "partial" if any(v.startswith("pending") for v in e["methods"].values()) else "traced")

    stats = collections.Counter()
    for e in matrix.values():
        stats["requirements"] += 1
        stats["hlr" if e["hlr"] else "llr"] += 1
        stats[e["state"]] += 1
    stats["acsl_clauses"] = len(clauses)
    stats["acsl_clauses_with_id"] = sum(1 for c in clauses if c["req"])
    stats["acsl_clauses_linked"] = sum(1 for e in matrix.values() for _ in e["proofs"])
    stats["tagged_tests"] = len(tests)
    stats["campaigns"] = len(campaigns)
    result = {"stats": dict(stats), "matrix": list(matrix.values()), "tap_files": sorted(rel(p) for p in present),
              "errors": err.items}
    if args.out:
        write_trace_outputs(args.out, result, reqs, clauses, tests, campaigns, doc)
    print(f"certgen: trace: {stats['requirements']} requirements ({stats['hlr']} high-level, {stats['llr']} low-level): "
          f"{stats['traced']} traced, {stats['partial']} traced except pending methods, {stats['untraced']} untraced; "
          f"{stats['tagged_tests']} tagged tests, {stats['acsl_clauses']} named ACSL clauses "
          f"({stats['acsl_clauses_with_id']} carrying an ID), {stats['campaigns']} campaigns")
    return err.report("trace"), result


def loc(file, line):
    return {"kind": "file", "file": file, "line": line, "column": None}


def lobster(schema, items):
    return {"schema": schema, "version": 3, "generator": GENERATOR, "data": items}


def write_trace_outputs(out, result, reqs, clauses, tests, campaigns, doc):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "trace.json"), "w") as f:
        json.dump(result, f, indent=1)
    reqfile = "certification/requirements.yaml"
    rlines = {}
    for n, ln in enumerate(read(os.path.join(CERT, "requirements.yaml")).splitlines(), 1):
        m = re.match(r"^- id: (\S+)", ln)
        if m:
            rlines[m.group(1)] = n
    req_items = []
    for rid, r in reqs.items():
        req_items.append({"tag": f"req {rid}", "location": loc(reqfile, rlines.get(rid)), "name": rid,
                          "messages": [], "just_up": [], "just_down": [], "just_global": [],
                          "refs": [f"req {r['parent']}"] if r.get("parent") else [],
                          "framework": "triad-yaml", "kind": "high-level requirement" if r["hlr"] else "low-level requirement",
                          "text": " ".join(str(r.get("text", "")).split()), "status": None})
    imp = []
    for rid, r in reqs.items():
        for c in r.get("code", []):
            imp.append({"tag": f"c {c}", "location": loc(c.partition('#')[0], None), "name": c,
                        "messages": [], "just_up": [], "just_down": [], "just_global": [],
                        "refs": [f"req {rid}"], "language": "C", "kind": "function" if "#" in c else "unit"})
    merged = collections.OrderedDict()
    for i in imp:
        if i["tag"] in merged:
            merged[i["tag"]]["refs"] += i["refs"]
        else:
            merged[i["tag"]] = i
    imp = list(merged.values())
    act = []
    for t in tests:
        st = next((x["status"] for e in result["matrix"] for x in e["tests"]
                   if x["name"] == t["name"] and x["file"] == t["file"]), "not run")
        act.append({"tag": f"{t['kind']}test {t['name']}", "location": loc(t["file"], t["line"]), "name": t["name"],
                    "messages": [], "just_up": [], "just_down": [], "just_global": [],
                    "refs": [f"req {i}" for i in t["reqs"]], "framework": "cmocka" if t["kind"] == "unit" else "TAP",
                    "kind": "test", "status": st})
    # Proofs and model checks: one LOBSTER activity per clause or property.
    for e in result["matrix"]:
        for p, tag, where, name, framework, kind in (
                [(p, f"acsl {p['file']}:{p['line']}:{p['clause']}", loc(p["file"], p["line"]), p["clause"],
                  "Frama-C/WP", "proof") for p in e["proofs"]] +
                [(p, f"promela {p['model']}", loc("proofs/promela/" + p["model"].split("#")[0], None), p["model"],
                  "spin", "model check") for p in e["models"]]):
            act.append({"tag": tag, "location": where, "name": name, "messages": [], "just_up": [], "just_down": [],
                        "just_global": [], "refs": [f"req {e['id']}"], "framework": framework, "kind": kind,
                        "status": {"Valid": "ok", "Failed": "fail"}.get(p["status"], "not run")})
    for cp in campaigns:
        act.append({"tag": f"campaign {cp['name']}", "location": loc(cp["file"], None), "name": cp["name"],
                    "messages": [], "just_up": [], "just_down": [], "just_global": [],
                    "refs": [f"req {i}" for i in cp["reqs"]], "framework": "fault-injection", "kind": "campaign",
                    "status": cp["status"]})
    for name, schema, items in (("requirements.lobster", "lobster-req-trace", req_items),
                                ("code.lobster", "lobster-imp-trace", imp),
                                ("activities.lobster", "lobster-act-trace", act)):
        with open(os.path.join(out, name), "w") as f:
            json.dump(lobster(schema, items), f, indent=1)
    # Markdown matrix.
    md = ["# Traceability matrix", "",
          "Generated by certification/tools/certgen.py from certification/requirements.yaml, the ACSL "
          "named clauses, the REQ tags of the tests, the proof reports and the campaign specs.", "",
          "| statistic | value |", "|---|---|"]
    for k, v in sorted(result["stats"].items()):
        md.append(f"| {k} | {v} |")
    md += ["", "## Requirement → code → verification", "",
           "| ID | DAL/ASIL | parent | state | code | tests | proofs / models | campaigns / analyses |",
           "|---|---|---|---|---|---|---|---|"]
    for e in result["matrix"]:
        tests_s = "<br>".join(f"{t['name']} ({t['status']})" for t in e["tests"]) or "-"
        pr = [f"{p['clause']} @{p['file']}:{p['line']} ({p['status']})" for p in e["proofs"]]
        pr += [f"{p['model']} ({p['status']})" for p in e["models"]]
        ca = [f"{c['name']} ({c['status']})" for c in e["campaigns"]]
        ca += [f"{a['analysis']} ({a['status']})" for a in e["analyses"]]
        meth = "; ".join(f"{m}: {s}" for m, s in e["methods"].items())
        md.append(f"| **{e['id']}** {e['title']} | {e['dal']}/{e['asil']} | {e['parent'] or '-'} | {e['state']}: {meth} | "
                  f"{'<br>'.join(e['code']) or '-'} | {tests_s} | {'<br>'.join(pr) or '-'} | {'<br>'.join(ca) or '-'} |")
    with open(os.path.join(out, "matrix.md"), "w") as f:
        f.write("\n".join(md) + "\n")


# --------------------------------------------------------------------------
# MISRA
BASELINE = os.path.join(CERT, "misra-baseline.tsv")


def load_deviations(err):
    path = os.path.join(CERT, "deviations.yaml")
    doc = yaml.safe_load(read(path)) or {}
    devs = {}
    for d in doc.get("deviations", []):
        for f in ("rule", "scope", "status", "justification"):
            if not d.get(f):
                err(f"certification/deviations.yaml: deviation {d.get('rule')!r} lacks '{f}'")
        if d.get("scope") not in ("project", "sites"):
            err(f"certification/deviations.yaml: rule {d.get('rule')}: scope must be project or sites")
        if len(str(d.get("justification", "")).split()) < 8:
            err(f"certification/deviations.yaml: rule {d.get('rule')}: justification too short to be one")
        if str(d.get("rule")) in devs:
            err(f"certification/deviations.yaml: rule {d.get('rule')} recorded twice")
        devs[str(d.get("rule"))] = d
    return devs


def src_line(f, n):
    try:
        return " ".join(read(os.path.join(TOP, f)).splitlines()[n - 1].split())
    except (OSError, IndexError):
        return ""


# A row of misra-baseline.tsv: rule, file, line when recorded, source text,
# justification.  New rows are written with TODO_JUSTIFY and fail the check
# until someone writes why the deviation is acceptable (the diff is reviewed).
# RULE_RECORD: the rule's record in deviations.yaml is the justification (the
# rows recorded before per-site justifications existed, and patterns the
# rule's record describes).
TODO_JUSTIFY = "TODO: justify"
RULE_RECORD = "(rule record)"
# Sites recorded in bulk under their rule's record when the per-site check
# came in (session 3: the new monitor code of that session); counted in the
# package as awaiting a per-site review.
BULK_RECORD = "(rule record: bulk-recorded, per-site review pending)"


def load_baseline():
    """(sites: Counter of (rule, file, text), rows: [(tsv line, rule, file, line, text, justification)])."""
    sites, rows = collections.Counter(), []
    if os.path.exists(BASELINE):
        for n, ln in enumerate(read(BASELINE).splitlines(), 1):
            if ln.startswith("#") or not ln.strip():
                continue
            rule, f, line, text, just = (ln.split("\t") + ["", "", "", "", ""])[:5]
            sites[(rule, f, text)] += 1
            rows.append((n, rule, f, line, text, just.strip()))
    return sites, rows


def write_baseline(findings, devs, old_rows):
    """Re-record the sites of sites-scoped rules: a finding already recorded
    keeps its justification, a new one gets TODO_JUSTIFY; rows of fixed code
    go.  Returns the new rows that need a justification."""
    kept = collections.defaultdict(list)
    for _, rule, f, _line, text, just in old_rows:
        kept[(rule, f, text)].append(just)
    todo = []
    with open(BASELINE, "w") as fh:
        fh.write("# MISRA C:2012 / cppcheck findings recorded as deviations (certification/deviations.yaml,\n"
                 "# scope: sites).  rule, file, line when recorded, source text, justification.\n"
                 "# Re-record with `make misra-baseline`: new rows get '" + TODO_JUSTIFY + "' and fail the check\n"
                 "# until the last column says why the deviation is acceptable; '" + RULE_RECORD + "': the\n"
                 "# rule's record in deviations.yaml covers it.  The diff is reviewed like code.\n")
        for x in findings:
            if devs.get(x["rule"], {}).get("scope") != "sites":
                continue
            key = (x["rule"], x["file"], x["text"])
            just = kept[key].pop(0) if kept[key] else TODO_JUSTIFY
            if just == TODO_JUSTIFY:
                todo.append(x)
            fh.write(f"{x['rule']}\t{x['file']}\t{x['line']}\t{x['text']}\t{just}\n")
    return todo


def misra(args):
    err = Errors()
    devs = load_deviations(err)
    findings = []
    for ln in read(args.results).splitlines():
        m = re.match(r"^(?P<file>[^:]+):(?P<line>\d+):\d+: (?P<sev>\w+): (?P<msg>.*) \[(?P<id>[^\]]+)\]$", ln)
        if not m:
            continue
        if m.group("id").startswith("misra-c2012-"):
            rule = m.group("id")[len("misra-c2012-"):]
        elif m.group("sev") == "error":
            rule = "cppcheck-" + m.group("id")
        else:
            continue
        f = rel(m.group("file")) if os.path.isabs(m.group("file")) else m.group("file")
        n = int(m.group("line"))
        findings.append({"file": f, "line": n, "rule": rule, "text": src_line(f, n)})
    uniq = {(x["file"], x["line"], x["rule"]): x for x in findings}
    findings = sorted(uniq.values(), key=lambda x: (x["file"], x["line"], x["rule"]))
    if args.write_baseline:
        todo = write_baseline(findings, devs, load_baseline()[1])
        print(f"certgen: misra: {rel(BASELINE)} re-recorded; {len(todo)} new row(s) to justify")
    base, base_rows = load_baseline()
    for n, rule, f, line, _text, just in base_rows:
        if not just or just == TODO_JUSTIFY or (just != RULE_RECORD and len(just.split()) < 4):
            err(f"certification/misra-baseline.tsv:{n}: rule {rule} at {f}:{line}: deviation without a "
                f"justification (write why it is acceptable in the last column, at least four words; "
                f"the diff is reviewed)")
    per_rule = collections.Counter()
    unjust = []
    for x in findings:
        per_rule[x["rule"]] += 1
        d = devs.get(x["rule"])
        key = (x["rule"], x["file"], x["text"])
        if d is None:
            unjust.append((x, "no record for this rule in certification/deviations.yaml: fix the code, "
                              "or add a record with its justification"))
        elif d.get("scope") == "sites" and base[key] <= 0:
            unjust.append((x, "new finding, not in certification/misra-baseline.tsv: fix the code, or "
                              "record it with `make misra-baseline` and justify it"))
        else:
            if d.get("scope") == "sites":
                base[key] -= 1
            x["deviation"] = {"scope": d.get("scope"), "status": d.get("status"),
                              "justification": " ".join(str(d.get("justification")).split())}
    for x, why in unjust:
        err(f"{x['file']}:{x['line']}: {'MISRA C:2012 rule ' + x['rule'] if not x['rule'].startswith('cppcheck') else x['rule']}"
            f": unjustified deviation ({why})")
    stale = sum(v for v in base.values() if v > 0)
    def key(r):
        return [int(p) if p.isdigit() else 0 for p in re.split(r"[.-]", r)] if r[0].isdigit() else [999]
    bulk = sum(1 for r in base_rows if r[5] == BULK_RECORD)
    # Reviewed: a row with its own justification; covered by the rule's
    # record only: the rows recorded before per-site justifications existed.
    by_rule_record = sum(1 for r in base_rows if r[5] == RULE_RECORD)
    reviewed = len(base_rows) - bulk - by_rule_record
    out = {"findings": findings, "per_rule": dict(sorted(per_rule.items(), key=lambda kv: key(kv[0]))),
           "bulk_recorded_sites": bulk, "site_reviewed_sites": reviewed, "rule_record_sites": by_rule_record,
           "unjustified": len(unjust), "total": len(findings), "stale_baseline_entries": stale,
           "rules": {r: {"scope": d.get("scope"), "status": d.get("status")} for r, d in devs.items()}}
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(out, fh, indent=1)
    print(f"certgen: misra: {len(findings)} findings over {len(per_rule)} rules, {len(unjust)} unjustified, "
          f"{stale} baseline entries no longer found (fixed code: remove them); recorded sites: {reviewed} with "
          f"their own justification, {by_rule_record} under their rule's record, {bulk} await a per-site "
          f"review ({BULK_RECORD})")
    return err.report("misra")


# --------------------------------------------------------------------------
# coverage floors
def coverage(args):
    err = Errors()
    floors = yaml.safe_load(read(os.path.join(CERT, "coverage-floors.yaml")))
    summary = {}
    gj = os.path.join(args.out, "gcov", "summary.json")
    if os.path.exists(gj):
        for f in json.loads(read(gj))["files"]:
            summary.setdefault(f["filename"], {}).update(
                {"lines": [f["line_covered"], f["line_total"]], "branches": [f["branch_covered"], f["branch_total"]]})
    else:
        err(f"{rel(gj)} missing: run the gcov coverage first")
    mj = os.path.join(args.out, "mcdc", "export.json")
    if os.path.exists(mj):
        for d in json.loads(read(mj))["data"]:
            for f in d["files"]:
                name = rel(f["filename"]) if os.path.isabs(f["filename"]) else f["filename"]
                s = f["summary"]
                mc = s.get("mcdc", {})
                summary.setdefault(name, {}).update({"mcdc": [mc.get("covered", 0), mc.get("count", 0)]})
    else:
        err(f"{rel(mj)} missing: run the MC/DC coverage first")

    def pct(c):
        return 100.0 * c[0] / c[1] if c and c[1] else None

    table = []
    for unit, fl in floors["units"].items():
        s = summary.get(unit)
        if s is None:
            err(f"coverage: unit {unit} has a floor but no coverage data")
            continue
        if str(fl.get("lowered", "")).startswith("TODO"):
            err(f"coverage: {unit}: floor lowered without a reason (certification/coverage-floors.yaml: "
                f"write why in 'lowered'; the diff is reviewed)")
        row = {"unit": unit, "dal": fl.get("dal")}
        for k, key in (("statement", "lines"), ("branch", "branches"), ("mcdc", "mcdc")):
            val = pct(s.get(key))
            row[k] = {"covered": s.get(key, [0, 0])[0], "total": s.get(key, [0, 0])[1], "percent": val,
                      "floor": fl.get(k)}
            if fl.get(k) is not None:
                if val is None:
                    err(f"coverage: {unit}: no {k} data (floor {fl[k]}%)")
                elif val + 1e-9 < fl[k]:
                    err(f"coverage: {unit}: {k} coverage {val:.1f}% is below the recorded floor {fl[k]}%")
        table.append(row)
    for unit in sorted(summary):
        if unit not in floors["units"] and unit.startswith(("monitor/", "channels/", "tmr/voter.c")) \
                and unit not in floors.get("unfloored", []) and summary[unit].get("lines", [0, 0])[1]:
            err(f"coverage: level-A unit {unit} has coverage data but no floor in certification/coverage-floors.yaml")
    with open(os.path.join(args.out, "coverage.json"), "w") as f:
        json.dump({"units": table}, f, indent=1)
    if args.record_floors:
        record_floors(floors, summary)
    print(f"certgen: coverage: {len(table)} units checked against their floors")
    return err.report("coverage")


def unit_dal(unit):
    if unit.startswith(("monitor/", "channels/", "attest/sha256.c")) or unit == "tmr/voter.c":
        return "A"
    if unit.startswith(("tmr/", "attest/", "recovery/")):
        return "B"
    return "C" if unit.startswith("sandbox-kernel/") else "E"


def record_floors(floors, summary):
    """Rewrite certification/coverage-floors.yaml with today's figures, rounded
    down (a reviewed change: lowering a floor must be explained in the commit)."""
    path = os.path.join(CERT, "coverage-floors.yaml")
    head = [ln for ln in read(path).splitlines() if ln.startswith("#") and not ln.startswith("# not floored")]
    out = head + ["units:"]
    unfloored = floors.get("unfloored", [])
    for unit in sorted(summary):
        s = summary[unit]
        if unit in unfloored or not s.get("lines", [0, 0])[1]:
            continue
        old = floors["units"].get(unit, {})
        dal = old.get("dal", unit_dal(unit))
        parts, lowered = [f"dal: {dal}"], []
        for k, key in (("statement", "lines"), ("branch", "branches"), ("mcdc", "mcdc")):
            c = s.get(key)
            if c and c[1] and (k != "mcdc" or dal == "A"):
                v = int(100 * c[0] // c[1])
                parts.append(f"{k}: {v}")
                if old.get(k) is not None and v < old[k]:
                    lowered.append(f"{k} {old[k]} -> {v}")
        # A lowered floor needs a reason (the check fails on TODO); a reason
        # already written stays until the floor is lowered again.
        if lowered:
            parts.append('lowered: "TODO: why (' + ", ".join(lowered) + ')"')
        elif old.get("lowered"):
            parts.append('lowered: ' + json.dumps(str(old["lowered"])))
        out.append(f"  {unit}: {{{', '.join(parts)}}}")
    out.append("# not floored: inline-assembly wrappers never run on the host (proofs/ASSUMPTIONS.md).")
    out.append(f"unfloored: [{', '.join(unfloored)}]")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"certgen: coverage: floors recorded in {rel(path)}")


# --------------------------------------------------------------------------
# package
def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return ""


# --------------------------------------------------------------------------
# The package's inputs.  `make cert-package` (the last step of make test)
# makes nothing cold: it reads what the earlier steps of the same run left in
# build/ and fails, naming the input, when one is missing or was made from
# other sources than the tree's.  Every input carries a stamp: the SHA-256
# of every source file it was made from, written by its producer when the
# run began (`certgen.py stamp NAME --to FILE`: the coverage and analysis
# steps, tests/run-unit.sh, tests/run-system.sh, proofs/wp/run.sh, the spin
# rule and inject.py).  An input is fresh when its stamp's hashes equal the
# tree's, whatever the files' modification times say; a campaign's results
# must also name the SHA-256 of its spec.
CODE = ("Makefile", "mk/", "monitor/", "tmr/", "channels/", "attest/", "recovery/", "sandbox-kernel/",
        "tools/", "config/", "fault-injection/", "proofs/")
COVERAGE_SOURCES = ("Makefile", "mk/", "monitor/", "tmr/", "channels/", "attest/", "recovery/", "sandbox-kernel/",
                 "tools/", "config/", "tests/unit/", "tests/run-unit.sh", "certification/tools/coverage.sh",
                 "certification/tools/cov-cc")
STAMP_SOURCES = {
    "coverage-gcc": COVERAGE_SOURCES,
    "coverage-mcdc": COVERAGE_SOURCES,
    "analysis": ("monitor/", "tmr/", "channels/", "attest/", "certification/tools/analysis.sh"),
    # written by the other components' producers when they start a run
    # (tests/run-unit.sh, tests/run-system.sh, proofs/wp/run.sh, the spin
    # rule, fault-injection/tools/inject.py): stamp_sources() adds
    # proof:MODULE, proof:spin and campaign:NAME.
    "unit-tests": CODE + ("tests/unit/", "tests/run-unit.sh"),
    "system-tests": CODE + ("tests/system/", "tests/run-system.sh"),
}


def proof_module_sources():
    """{module: its include folders and files (proofs/wp/modules.list)}."""
    mods = {}
    p = os.path.join(TOP, "proofs", "wp", "modules.list")
    if os.path.exists(p):
        for ln in read(p).splitlines():
            parts = ln.split()
            if parts and not parts[0].startswith("#") and len(parts) >= 2:
                mods[parts[0]] = tuple(d.rstrip("/") + "/" for d in parts[1].split(",")) + tuple(parts[2:])
    # Function-focused runs (proofs/wp/functions.list: name, module,
    # functions) are made from their module's sources.
    f = os.path.join(TOP, "proofs", "wp", "functions.list")
    if os.path.exists(f):
        for ln in read(f).splitlines():
            parts = ln.split()
            if len(parts) >= 2 and not parts[0].startswith("#") and parts[1] in mods:
                mods[parts[0]] = mods[parts[1]]
    return mods


def stamp_sources(name):
    """The source prefixes the input NAME is made from, None for an unknown name."""
    if name in STAMP_SOURCES:
        return STAMP_SOURCES[name]
    if name == "proof:spin":
        return ("proofs/promela/",)
    if name.startswith("proof:") and name[6:] in proof_module_sources():
        return proof_module_sources()[name[6:]] + ("proofs/wp/",)
    if name.startswith("campaign:") and re.fullmatch(r"[A-Za-z0-9_.-]+", name[9:]):
        return CODE
    return None
# Campaigns make test runs (test 71: uav-ci-qemu; test 70: smoke-qemu) and where
# those tests leave their results.
CI_CAMPAIGNS = {"uav-ci-qemu": "build/runs/system/inject-uav/ci", "smoke-qemu": "build/runs/system/inject/qemu"}
OPTIONAL_INPUTS = ("system-tests", "campaigns")


def in_git():
    """TOP is a git checkout's top (not one of test 95's doctored copies)."""
    r = subprocess.run(["git", "-C", TOP, "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return r.returncode == 0 and os.path.realpath(r.stdout.strip()) == os.path.realpath(TOP)


def git_files():
    """The tree's source files: git's tracked and untracked-not-ignored ones;
    outside a git checkout (test 95's doctored copies) every file but build/."""
    if in_git():
        files = sh(f"git -C {TOP} ls-files --cached --others --exclude-standard").splitlines()
    else:
        files = []
        for d, dirs, names in os.walk(TOP):
            dirs[:] = [x for x in dirs if not (d == TOP and x in ("build", ".git")) and x != "__pycache__"]
            files += [rel(os.path.join(d, n)) for n in names if not n.endswith((".o", ".d"))]
    return sorted(f for f in set(files) if os.path.isfile(os.path.join(TOP, f)))


def under(f, prefixes):
    return any(f == p or (p.endswith("/") and f.startswith(p)) for p in prefixes)


def file_sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def source_hashes(prefixes):
    return {f: file_sha(os.path.join(TOP, f)) for f in git_files() if under(f, prefixes)}


def stamp(args):
    """certgen.py stamp NAME --to FILE: the sources NAME is made from, now."""
    prefixes = stamp_sources(args.name)
    if prefixes is None:
        print(f"certgen: error: stamp: unknown input {args.name!r} (one of {', '.join(STAMP_SOURCES)}, "
              f"proof:MODULE of proofs/wp/modules.list, proof:spin, campaign:NAME)", file=sys.stderr)
        return 2
    files = source_hashes(prefixes)
    whole = file_sha_of_text("".join(f"{k}\t{v}\n" for k, v in sorted(files.items())))
    os.makedirs(os.path.dirname(os.path.abspath(args.to)), exist_ok=True)
    with open(args.to, "w") as f:
        json.dump({"input": args.name, "sources": list(prefixes), "sha256": whole,
                   "commit": sh(f"git -C {TOP} rev-parse HEAD"), "made": utc_now(), "files": files}, f, indent=1)
    return 0


def file_sha_of_text(text):
    return hashlib.sha256(text.encode()).hexdigest()


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def mtime_utc(path):
    return datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def named(files, n=3):
    return ", ".join(files[:n]) + (f" and {len(files) - n} more" if len(files) > n else "")


def check_inputs(build, optional=()):
    """Every input of the package: [{input, file, sha256, made, basis, problem}]
    (problem None when present and fresh; inputs in `optional` may be absent)."""
    cert = os.path.join(build, "certification")
    files = git_files()
    rows = []

    def add(name, path, basis, problem, producer):
        present = os.path.exists(path)
        if problem is None and not present:
            problem = "missing"
        rows.append({"input": name, "file": rel(path), "present": present,
                     "sha256": file_sha(path) if present and os.path.isfile(path) else None,
                     "made": mtime_utc(path) if present else None, "basis": basis,
                     "problem": None if problem is None else f"{problem} ({producer})",
                     "optional": name.split(":")[0] in optional and not present})

    hashes_now = {}

    def stamp_problem(sp, stamp_name):
        """None when the stamp sp names stamp_name and its file hashes equal the tree's."""
        if not os.path.exists(sp):
            return f"no source stamp {rel(sp)}: not made by a stamping run in this tree"
        try:
            made = json.loads(read(sp))
        except ValueError:
            return f"source stamp {rel(sp)} unreadable"
        if made.get("input") != stamp_name:
            return f"source stamp {rel(sp)} is of {made.get('input')!r}, not {stamp_name!r}"
        prefixes = stamp_sources(stamp_name) or ()
        key = tuple(prefixes)
        if key not in hashes_now:
            hashes_now[key] = {f: file_sha(os.path.join(TOP, f)) for f in files if under(f, prefixes)}
        now, was = hashes_now[key], made.get("files", {})
        diff = sorted(f for f in set(was) | set(now) if was.get(f) != now.get(f))
        return f"stale: made from other sources: {named(diff)} differ now" if diff else None

    def by_stamp(name, path, sp, stamp_name, producer, problem=None):
        """An input judged by content: the stamp its producer wrote when the run began."""
        if problem is None and os.path.exists(path):
            problem = stamp_problem(sp, stamp_name)
        add(name, path, f"stamp {rel(sp)} (SHA-256 of the sources under {', '.join(stamp_sources(stamp_name) or ())})",
            problem, producer)

    tr = os.path.join(build, "test-results")
    by_stamp("unit-tests", os.path.join(tr, "unit.tap"), os.path.join(tr, "unit.stamp.json"), "unit-tests",
             "make check-unit")
    by_stamp("system-tests", os.path.join(tr, "system.tap"), os.path.join(tr, "system.stamp.json"), "system-tests",
             "make check-system or make test")
    # The gated proof modules: each module's result, judged against its
    # include folders and files (proofs/wp/modules.list) and the driver.
    for m in sorted(gated_modules()):
        rp = os.path.join(build, "proofs", m + ".result.json")
        problem = None
        if os.path.exists(rp):
            try:
                st = json.loads(read(rp)).get("status")
            except ValueError:
                st = "unreadable"
            if st != "pass":
                problem = f"proof module {m} is {st}, not pass"
        by_stamp(f"proof:{m}", rp, os.path.join(build, "proofs", m + ".stamp.json"), f"proof:{m}",
                 "test 90 or make cert-proofs", problem)
    spin_logs = sorted(p for p in glob.glob(os.path.join(build, "proofs", "spin", "*", "pan.log"))
                       if not spin_mutant(os.path.basename(os.path.dirname(p))))
    newest_spin = max(spin_logs, key=os.path.getmtime) if spin_logs else os.path.join(build, "proofs", "spin")
    by_stamp("proof:spin", newest_spin, os.path.join(build, "proofs", "spin", "stamp.json"), "proof:spin",
             "test 90 or make cert-proofs")
    for name, d in CI_CAMPAIGNS.items():
        rp = os.path.join(TOP, d, "results.json")
        spec = os.path.join(TOP, "fault-injection", "campaigns", name + ".json")
        problem = None
        if os.path.exists(rp):
            try:
                rj = json.loads(read(rp))
            except ValueError:
                rj = {}
            if rj.get("run") != rj.get("planned") or rj.get("complete") is False:
                problem = f"incomplete: {rj.get('run')} of {rj.get('planned')} injections"
            elif not os.path.exists(spec) or rj.get("hashes", {}).get("spec") != file_sha(spec):
                problem = f"stale: made from another fault-injection/campaigns/{name}.json (spec SHA-256 differs)"
        by_stamp(f"campaigns:{name}", rp, os.path.join(TOP, d, "stamp.json"), f"campaign:{name}",
                 "make test runs it", problem)
    for name, outs in (("coverage-gcc", ("coverage/gcov/summary.json",)),
                       ("coverage-mcdc", ("coverage/mcdc/export.json",)),
                       ("analysis", ("analysis/misra.txt", "analysis/clang-tidy.txt"))):
        sp = os.path.join(cert, "stamps", name + ".json")
        problem = stamp_problem(sp, name)
        for o in outs:
            add(f"{name}", os.path.join(cert, o),
                f"stamp {rel(sp)} (SHA-256 of {len(STAMP_SOURCES[name])} source prefixes)", problem,
                "make coverage" if name.startswith("coverage") else "make cert-analysis")
    return rows


# --------------------------------------------------------------------------
# clang-tidy ceilings
TIDY_BASELINE = os.path.join(CERT, "clang-tidy-baseline.tsv")


def tidy(args):
    """Findings per check in the clang-tidy output against the recorded
    ceilings (certification/clang-tidy-baseline.tsv); a compiler error fails."""
    err = Errors()
    text = read(args.results)
    counts = collections.Counter(m.group(1) for m in
                                 re.finditer(r"(?:warning|error): .*\[([a-z0-9.,-]+)\]$", text, re.M))
    ceil = {}
    if os.path.exists(TIDY_BASELINE):
        for ln in read(TIDY_BASELINE).splitlines():
            parts = ln.split("\t")
            if ln.startswith("#") or len(parts) < 2:
                continue
            ceil[parts[0]] = int(parts[1])
    for check_name, n in sorted(counts.items()):
        if n > ceil.get(check_name, 0):
            first = next((ln for ln in text.splitlines() if ln.endswith(f"[{check_name}]")), "")
            err(f"clang-tidy {check_name}: {n} findings, recorded ceiling {ceil.get(check_name, 0)} "
                f"(certification/clang-tidy-baseline.tsv); first: {rel(first) if first.startswith('/') else first}")
    for ln in text.splitlines():
        if re.search(r"\berror: ", ln) and not re.search(r"\[[a-z0-9.,-]+\]$", ln):
            err(f"clang-tidy compiler error: {ln}")
    print(f"certgen: clang-tidy: {sum(counts.values())} findings over {len(counts)} checks")
    return err.report("clang-tidy")


def judge_results(out):
    """The raw coverage and analysis results judged against today's records
    (floors, deviations, ceilings): {analysis: pass|fail|not run}, also
    written to OUT/status/ for `certgen.py trace`."""
    status = {a: "not run" for a in ANALYSES}
    cov = os.path.join(out, "coverage")
    if os.path.exists(os.path.join(cov, "gcov", "summary.json")) or os.path.exists(os.path.join(cov, "mcdc", "export.json")):
        ok = coverage(argparse.Namespace(out=cov, record_floors=False)) == 0
        status["coverage"] = status["mcdc"] = "pass" if ok else "fail"
    mt = os.path.join(out, "analysis", "misra.txt")
    if os.path.exists(mt):
        ok = misra(argparse.Namespace(results=mt, out=os.path.join(out, "analysis", "misra.json"),
                                      write_baseline=False)) == 0
        status["misra"] = "pass" if ok else "fail"
    tt = os.path.join(out, "analysis", "clang-tidy.txt")
    if os.path.exists(tt):
        status["clang-tidy"] = "pass" if tidy(argparse.Namespace(results=tt)) == 0 else "fail"
    os.makedirs(os.path.join(out, "status"), exist_ok=True)
    for a, s in status.items():
        with open(os.path.join(out, "status", a), "w") as f:
            f.write(s + "\n")
    return status


# --------------------------------------------------------------------------
# Review and SQA records of the plans and standards
REVIEWS = os.path.join(CERT, "reviews.yaml")
REVIEW_KINDS = ("review", "sqa")


def last_commit(path):
    """The last commit that changed path: (hash, author, date, subject)."""
    ln = sh(f"git -C {TOP} log -1 --format='%H%x09%an%x09%ad%x09%s' --date=short -- {path}")
    return tuple((ln.split("\t") + ["", "", "", ""])[:4]) if ln else ("", "", "", "")


def load_reviews(err):
    doc = yaml.safe_load(read(REVIEWS)) if os.path.exists(REVIEWS) else {}
    if doc is not None and not isinstance(doc, dict):
        err("certification/reviews.yaml: must be a mapping whose 'records' is the list of records")
        return []
    recs = (doc or {}).get("records", []) or []
    for i, r in enumerate(recs, 1):
        where = f"certification/reviews.yaml: record {i}"
        for f in ("document", "kind", "sha256", "commit", "reviewer", "date", "result"):
            if not r.get(f):
                err(f"{where}: lacks '{f}'")
        if r.get("kind") not in REVIEW_KINDS:
            err(f"{where}: kind must be one of {', '.join(REVIEW_KINDS)}, not {r.get('kind')!r}")
        if r.get("document") and not os.path.exists(os.path.join(TOP, str(r["document"]))):
            err(f"{where}: document {r['document']} does not exist")
        if r.get("commit") and in_git() and sh(f"git -C {TOP} cat-file -t {r['commit']}") != "commit":
            err(f"{where}: commit {r['commit']} is not a commit of this repository")
    return recs


def review_status(err):
    """One row per plan or standard: the commit that last changed it and the
    review and SQA records that match its content today."""
    recs = load_reviews(err)
    rows = []
    for p in sorted(glob.glob(os.path.join(CERT, "plans", "*.md"))):
        r = rel(p)
        sha = file_sha(p)
        commit = last_commit(r)
        mine = [x for x in recs if x.get("document") == r]
        row = {"document": r, "title": read(p).splitlines()[0].lstrip("# "), "sha256": sha,
               "changed": commit, "uncommitted": bool(sh(f"git -C {TOP} status --porcelain -- {r}"))}
        for kind in REVIEW_KINDS:
            cur = [x for x in mine if x.get("kind") == kind and x.get("sha256") == sha]
            old = [x for x in mine if x.get("kind") == kind and x.get("sha256") != sha]
            row[kind] = ({"state": "current", **cur[-1]} if cur else
                         {"state": "outdated", **old[-1]} if old else {"state": "none"})
        rows.append(row)
    return rows


def review(args):
    """certgen.py review DOC --kind review|sqa --reviewer WHO --result TEXT:
    appends a record of DOC as committed (its SHA-256 and last commit)."""
    path = os.path.join(TOP, args.document)
    r = rel(path)
    if not os.path.isfile(path):
        print(f"certgen: error: review: {args.document} does not exist", file=sys.stderr)
        return 1
    if sh(f"git -C {TOP} status --porcelain -- {r}"):
        print(f"certgen: error: review: {r} has uncommitted changes: commit it first (a record names the commit read)",
              file=sys.stderr)
        return 1
    if len(args.result.split()) < 4:
        print("certgen: error: review: --result must say what was checked and found (four words at least)", file=sys.stderr)
        return 1
    rec = {"document": r, "kind": args.kind, "sha256": file_sha(path), "commit": last_commit(r)[0],
           "reviewer": args.reviewer, "date": datetime.date.today().isoformat(), "result": args.result}
    text = read(REVIEWS) if os.path.exists(REVIEWS) else "records:\n"
    with open(REVIEWS, "w") as f:
        f.write(text.rstrip("\n") + "\n" + yaml.safe_dump([rec], sort_keys=False, width=100))
    print(f"certgen: review: {args.kind} record of {r} at {rec['commit'][:10]} added to {rel(REVIEWS)}")
    return 0




def package(args):
    """The package from the inputs earlier steps left in build/ (nothing is
    made cold here): each input present and fresh (check_inputs), the raw
    coverage and analysis results judged against today's records, the trace,
    then the index, SAS, plans, PDF.  --optional names inputs that may be
    absent (make certification does not boot emulators)."""
    out = args.out
    build = os.path.dirname(out)
    optional = tuple(x for x in (getattr(args, "optional", None) or "").split(",") if x)
    for x in optional:
        if x not in OPTIONAL_INPUTS:
            print(f"certgen: error: package: --optional {x}: only {', '.join(OPTIONAL_INPUTS)} may be absent",
                  file=sys.stderr)
            return 2
    ins = check_inputs(build, optional)
    rc = 0
    for i in ins:
        if i["problem"] and not i["optional"]:
            print(f"certgen: error: input {i['input']}: {i['file']}: {i['problem']}", file=sys.stderr)
            rc = 1
    status = judge_results(out)
    rc_trace, tr = trace(argparse.Namespace(out=os.path.join(out, "trace"), astatus=status))
    rc |= rc_trace
    rerr = Errors()
    revs = review_status(rerr)
    rc |= rerr.report("reviews")
    cov = json.loads(read(os.path.join(out, "coverage", "coverage.json"))) if os.path.exists(os.path.join(out, "coverage", "coverage.json")) else {"units": []}
    mis = json.loads(read(os.path.join(out, "analysis", "misra.json"))) if os.path.exists(os.path.join(out, "analysis", "misra.json")) else None
    tidy = read(os.path.join(out, "analysis", "clang-tidy.txt")) if os.path.exists(os.path.join(out, "analysis", "clang-tidy.txt")) else ""
    res, present = tap_results([os.path.join(build, "test-results", "unit.tap"), os.path.join(build, "test-results", "system.tap")])
    tests_summary = {p: (sum(1 for _, ok in v if ok), sum(1 for _, ok in v if not ok)) for p, v in res.items()}
    failed_tests = [f"{p}: {c}" for p, v in sorted(res.items()) for c, ok in v if not ok]
    if failed_tests:
        print(f"certgen: error: {len(failed_tests)} test(s) failed: {named(failed_tests)}", file=sys.stderr)
        rc = 1
    write_junit(os.path.join(out, "tests", "junit.xml"), res)
    rc_coupling, coup = coupling_cmd(os.path.join(out, "coupling"))
    rc |= rc_coupling
    rows, spin = proof_results()
    proof_sum = collections.Counter((r["csv"], r["status"]) for r in rows)
    # A proof failure in any report present fails the package ("Considered
    # valid" is Frama-C's status for an assumed contract: reported, not a failure).
    # Modules of proofs/wp/gated.list must prove in full; the others are
    # reported as open (issue 12).  A requirement linked to an unproved clause
    # fails the trace whatever its module.
    open_props = 0
    for r in rows:
        if r["status"] not in ("Valid", "Considered valid"):
            if r["gated"]:
                print(f"certgen: error: proof failure: {r['csv']}: {r['dir']}/{r['file']}:{r['line']} "
                      f"{r['function']}: {r['kind']} {r['status']}: {r['property'][:80]}", file=sys.stderr)
                rc = 1
            else:
                open_props += 1
    for name, v in spin.items():
        if v != "Valid":
            print(f"certgen: error: spin model check {name} failed", file=sys.stderr)
            rc = 1
    report = proof_report()
    gated = gated_modules()
    for m in report or []:
        if m["module"] in gated and m.get("status") not in ("pass", "not run"):
            print(f"certgen: error: proof failure: module {m['module']} (proofs/wp/gated.list) is "
                  f"{m.get('status')} in build/proofs/report.json", file=sys.stderr)
            rc = 1
        if m["module"] == "report.json":
            print("certgen: error: build/proofs/report.json is not readable JSON", file=sys.stderr)
            rc = 1
    camps = scan_campaigns(lambda m: None)
    st = tr["stats"]
    L = ["# Triad certification evidence package", "",
         f"Source: git {sh('git -C ' + TOP + ' rev-parse --short HEAD')}"
         f"{' (working tree has uncommitted changes)' if sh('git -C ' + TOP + ' status --porcelain --untracked-files=no') else ''}; "
         f"generated {utc_now()} by certgen.py package from the inputs listed below (each checked present "
         f"and made from these sources).", "",
         "## Checks", "",
         "| check | result |", "|---|---|",
         f"| inputs | {'pass' if not any(i['problem'] and not i['optional'] for i in ins) else 'FAIL'} "
         f"({sum(1 for i in ins if not i['problem'])} of {len(ins)} present and fresh"
         f"{', not run: ' + ', '.join(i['input'] for i in ins if i['optional']) if any(i['optional'] for i in ins) else ''}) |",
         f"| tests | {'pass' if not failed_tests else 'FAIL'} ({sum(a for a, _ in tests_summary.values())} passed, "
         f"{len(failed_tests)} failed) |",
         f"| traceability | {'pass' if rc_trace == 0 else 'FAIL'} ({st.get('requirements', 0)} requirements, {st.get('traced', 0)} traced, "
         f"{st.get('partial', 0)} traced except pending methods, {st.get('untraced', 0)} untraced) |"]
    for a in ANALYSES:
        L.append(f"| {a} | {status[a]} |")
    L += ["", "## Contents", "",
          "- [Traceability matrix](trace/matrix.md), [trace.json](trace/trace.json); LOBSTER: "
          "[requirements](trace/requirements.lobster), [code](trace/code.lobster), [activities](trace/activities.lobster)",
          "- Coverage: [gcovr HTML (statement, branch)](coverage/gcov/index.html), [gcovr summary](coverage/gcov/summary.json), "
          "[MC/DC (llvm-cov show)](coverage/mcdc/html/index.html), [llvm-cov export](coverage/mcdc/export.json), [floors check](coverage/coverage.json)",
          "- Analysis: [cppcheck MISRA raw](analysis/misra.txt), [MISRA findings with justifications](analysis/misra.json), "
          "[clang-tidy](analysis/clang-tidy.txt)",
          "- Tests: [JUnit XML](tests/junit.xml), TAP copies in tests/",
          "- Proofs: Frama-C CSV reports copied in proofs/", "",
          "## Structural coverage (host tests)", "",
          "| unit | DAL | statement | branch | MC/DC |", "|---|---|---|---|---|"]

    def cell(c):
        if not c or not c["total"]:
            return "-"
        fl = f" (floor {c['floor']}%)" if c.get("floor") is not None else ""
        return f"{c['percent']:.1f}% ({c['covered']}/{c['total']}){fl}"
    for u in cov["units"]:
        L.append(f"| {u['unit']} | {u['dal']} | {cell(u['statement'])} | {cell(u['branch'])} | {cell(u['mcdc'])} |")
    L += ["", "## MISRA C:2012 (cppcheck 2.10 addon, rule numbers only)", ""]
    if mis:
        L += [f"{mis['total']} findings over {len(mis['per_rule'])} rules, {mis['unjustified']} without a recorded "
              f"deviation; recorded sites: {mis.get('site_reviewed_sites', 0)} reviewed with their own justification, "
              f"{mis.get('rule_record_sites', 0)} covered by their rule's record, {mis.get('bulk_recorded_sites', 0)} "
              f"awaiting a per-site review (bulk-recorded under their rule's record); justifications in certification/deviations.yaml, sites in certification/misra-baseline.tsv, "
              f"every finding with its justification in analysis/misra.json.", "",
              "| rule | findings | deviation scope | status |", "|---|---|---|---|"]
        for r, n in mis["per_rule"].items():
            d = mis.get("rules", {}).get(r, {})
            L.append(f"| {r} | {n} | {d.get('scope', 'NONE')} | {d.get('status', 'unjustified')} |")
    else:
        L.append("not run")
    L += ["", "## Test results", "", "| program / script | passed | failed |", "|---|---|---|"]
    for p, (ok, bad) in sorted(tests_summary.items()):
        L.append(f"| {p} | {ok} | {bad} |")
    if not any(p.endswith("system.tap") for p in present):
        L.append("\nSystem-test results (build/test-results/system.tap) are absent: run `make check-system`.")
    L += ["", "## Proof results (Frama-C/WP CSV, spin)", "", "| report | status | properties |", "|---|---|---|"]
    for (csv, s), n in sorted(proof_sum.items()):
        L.append(f"| {csv} | {s} | {n} |")
    for name, s in sorted(spin.items()):
        L.append(f"| spin {name} | {s} | 1 |")
    if not rows and not spin:
        L.append("| (none) | `make proofs` has not been run | |")
    if open_props:
        L.append(f"\n{open_props} properties not proved in modules outside proofs/wp/gated.list (open, issue 12).")
    L += ["", "## Proof modules (build/proofs/report.json)", ""]
    if report is None:
        L.append("build/proofs/report.json is absent (`make proofs`, or the gated modules `make certification` runs).")
    else:
        L += ["| module | gated | status | properties | valid | trusted | WP goals |", "|---|---|---|---|---|---|---|"]
        for m in report:
            goals = (f"{m.get('wp_goals_proved')}/{m.get('wp_goals_total')}"
                     if m.get("wp_goals_total") is not None else "-")
            L.append(f"| {m['module']} | {'yes' if m['module'] in gated else 'no'} | {m.get('status')} | "
                     f"{m.get('properties') if m.get('properties') is not None else '-'} | "
                     f"{m.get('valid') if m.get('valid') is not None else '-'} | "
                     f"{m.get('trusted') if m.get('trusted') is not None else '-'} | {goals} |")
    L += ["", "## Fault-injection campaigns", "",
          "| campaign | requirements | result | outcomes | results file |", "|---|---|---|---|---|"]
    L += [f"| {c['name']} | {', '.join(c['reqs']) or '-'} | {c['status']} | {outcomes(c)} | "
          f"{c['results'] or 'not run (make inject)'} |" for c in camps]
    L += ["", "## Inputs (what this package was made from)", "",
          "Each input is made by an earlier step of the same `make test` (or `make certification`) run and "
          "checked here: present, and made from the sources of this tree.", "",
          "| input | file | SHA-256 | written | made from | state |", "|---|---|---|---|---|---|"]
    for i in ins:
        state = ("not run (optional here)" if i["optional"] else f"**{i['problem']}**" if i["problem"] else "fresh")
        L.append(f"| {i['input']} | {i['file']} | {(i['sha256'] or '-')[:16]} | {i['made'] or '-'} | {i['basis']} | {state} |")
    L += ["", "## Plans and standards: review and SQA records (certification/reviews.yaml)", "",
          "| document | last changed (git) | review | SQA |", "|---|---|---|---|"]
    for r in revs:
        def rec(x):
            if x["state"] == "none":
                return "none"
            return (("" if x["state"] == "current" else "OUTDATED (the document changed since): ")
                    + f"{x['reviewer']}, {x['date']}, read {str(x['commit'])[:10]}: {x['result']}")
        L.append(f"| {r['document']} | {r['changed'][0][:10]} {r['changed'][2]} {r['changed'][1]}"
                 f"{' + uncommitted changes' if r['uncommitted'] else ''} | {rec(r['review'])} | {rec(r['sqa'])} |")
    L += ["", "## DO-178C Annex A objectives (by table and objective number)", "",
          "Status, judged from this run's data: evidence = produced by this package; partial = some evidence, "
          "gaps named; none = no evidence yet; out of scope = not this package's to give.", "",
          "| objective | status | evidence |", "|---|---|---|"]
    for o in objectives(st, cov, mis, status, rows, spin, res, revs, ins, coup):
        L.append(f"| {o[0]} | {o[1]} | {o[2]} |")
    L += ["", "## Untraced and pending", ""]
    for e in tr["matrix"]:
        if e["state"] != "traced":
            L.append(f"- {e['id']} ({e['state']}): " + "; ".join(f"{m}: {s}" for m, s in e["methods"].items()))
    if tr["errors"]:
        L += ["", "## Errors", ""] + [f"- {x}" for x in tr["errors"]]
    # Plans and standards, configuration index, ISO 26262-6 view, accomplishment summary.
    os.makedirs(os.path.join(out, "plans"), exist_ok=True)
    plans = sorted(glob.glob(os.path.join(CERT, "plans", "*.md")))
    for p in plans:
        name = os.path.basename(p)[:-3]
        write_html(os.path.join(out, "plans", name + ".html"), read(p), name)
    write_config_index(out, build)
    write_iso26262(out, st, cov, mis, rows)
    L[L.index("## Structural coverage (host tests)"):L.index("## Structural coverage (host tests)")] = [
        "## Plans and standards", ""] + [
        f"- [{read(p).splitlines()[0].lstrip('# ')}](plans/{os.path.basename(p)[:-3]}.html)" for p in plans] + [
        "", "## Other records", "",
        "- [Configuration index](configuration-index.md): SHA-256 of every tracked source and produced artifact, tool versions",
        "- [ISO 26262-6 work products](iso26262-6.md)",
        "- [Data and control coupling](coupling/coupling.md): shared pages per system description, monitor entry "
        "points with their policies, read from the code", "",
        "## Software accomplishment summary (figures)", "",
        f"- Requirements: {st.get('requirements', 0)} ({st.get('hlr', 0)} high-level, {st.get('llr', 0)} low-level); "
        f"{st.get('traced', 0)} fully traced, {st.get('partial', 0)} traced except methods pending on open issues, "
        f"{st.get('untraced', 0)} untraced.",
        f"- Tests: {sum(a for a, _ in tests_summary.values())} passed, {sum(b for _, b in tests_summary.values())} failed "
        f"over {len(tests_summary)} programs/scripts; {st.get('tagged_tests', 0)} tagged test items.",
        f"- Proofs: {sum(1 for r in rows if r['status'] == 'Valid')} of {len(rows)} Frama-C properties Valid in the "
        f"reports present; {sum(1 for v in spin.values() if v == 'Valid')} of {len(spin)} spin properties hold.",
        f"- MISRA C:2012: {mis['total'] if mis else 'not run'} findings, "
        f"{mis['unjustified'] if mis else '-'} unjustified." ,
        "- Open items: the pending methods and the partial objectives below.", ""]
    L.insert(L.index("## Software accomplishment summary (figures)") + 2,
             "The full summary: [Software Accomplishment Summary](sas.md).")
    md = "\n".join(L) + "\n"
    with open(os.path.join(out, "index.md"), "w") as f:
        f.write(md)
    write_sas(out, build, st, tests_summary, rows, spin, report, cov, mis, status, camps, tr)
    write_html(os.path.join(out, "index.html"), md, "Triad certification evidence")
    write_html(os.path.join(out, "trace", "matrix.html"), read(os.path.join(out, "trace", "matrix.md")), "Triad traceability")
    for name in ("configuration-index", "iso26262-6", "sas"):
        write_html(os.path.join(out, name + ".html"), read(os.path.join(out, name + ".md")), name)
    if not write_pdf(out, plans):
        rc = 1
    print(f"certgen: package: {rel(os.path.join(out, 'index.html'))}, {rel(os.path.join(out, PDF_NAME))}")
    return rc


PDF_NAME = "triad-certification.pdf"


def outcomes(c):
    """A campaign's non-zero outcome counts, for the index and the SAS."""
    return ", ".join(f"{k} {v}" for k, v in c["counts"].items() if v) or "no results"


def source_lines():
    """Lines of tracked C, assembly and Python per top-level folder."""
    per = collections.Counter()
    for f in sh(f"git -C {TOP} ls-files").splitlines():
        if re.search(r"\.(c|h|S|py)$", f) and not f.startswith("tests/"):
            p = os.path.join(TOP, f)
            if os.path.isfile(p):
                with open(p, "rb") as fh:
                    per[f.split("/")[0]] += sum(1 for _ in fh)
    return per


def write_sas(out, build, st, tests_summary, rows, spin, report, cov, mis, status, camps, tr):
    """The Software Accomplishment Summary (DO-178C section 11.20), filled in
    with the figures of this run; what is not claimed is said so."""
    dal = collections.Counter(e["dal"] for e in tr["matrix"])
    loc = source_lines()
    sizes = []
    for p in ("monitor/monitor.elf", "sandbox-kernel/sandbox-kernel.elf", "system.bin"):
        full = os.path.join(build, p)
        if os.path.exists(full):
            txt = sh(f"size -A {full} 2>/dev/null | awk '$1==\".text\"{{print $2}}'") if p.endswith(".elf") else ""
            sizes.append(f"| build/{p} | {os.path.getsize(full)} | {txt or '-'} |")
    passed = sum(a for a, _ in tests_summary.values())
    failed = sum(b for _, b in tests_summary.values())
    valid = sum(1 for r in rows if r["status"] == "Valid")
    pend = [e for e in tr["matrix"] if e["state"] != "traced"]
    mods = report or []
    L = ["# Software Accomplishment Summary", "",
         f"Triad separation kernel, git {sh('git -C ' + TOP + ' rev-parse --short HEAD')}. Structure of DO-178C section 11.20; "
         f"every figure below is computed at {utc_now()} from the inputs of this run (index: Inputs, each "
         "checked present and made from this tree's sources).", "",
         "## 1. System overview", "",
         "A UAV flight computer partitioned by per-core monitors (VMX root with EPT, SVM/NPT backend) into "
         "sandboxes running a real-time kernel; a triple-modular-redundant flight controller voted in the I/O "
         "sandbox; online recovery; measured launch with a TPM 2.0 (docs/architecture.md).", "",
         "## 2. Software overview and levels", "",
         "| level (DAL) | requirements |", "|---|---|"]
    for d in sorted(dal):
        L.append(f"| {d} | {dal[d]} |")
    L += ["", "Source lines (tracked C, assembly, Python, without tests):", "", "| folder | lines |", "|---|---|"]
    for k, v in sorted(loc.items()):
        L.append(f"| {k}/ | {v} |")
    L += ["", "## 3. Software characteristics", "", "| artifact | bytes | .text bytes |", "|---|---|---|"] + (sizes or ["| (not built) | - | - |"])
    L += ["", "Timing: the monitor has no steady-state VM exits by design; exit counts and virtual-time "
          "figures are measured by `make bench` (tests/bench/), not by this package.", "",
          "## 4. Software life cycle and life cycle data", "",
          "Plans: plans/ (PSAC, SVP, SCMP, TQP, coding and ACSL standards). Data: requirements "
          "(certification/requirements.yaml), trace (trace/), tests (tests/junit.xml), proofs (proofs/, "
          "build/proofs/report.json), analyses (analysis/), coverage (coverage/), configuration index.", "",
          "## 5. Verification results", "",
          f"- Requirements: {st.get('requirements', 0)}; {st.get('traced', 0)} fully traced, {st.get('partial', 0)} "
          f"traced except methods pending on open issues, {st.get('untraced', 0)} untraced.",
          f"- Tests: {passed} passed, {failed} failed over {len(tests_summary)} programs/scripts.",
          f"- Proofs: {valid} of {len(rows)} Frama-C properties Valid in the CSV reports present; "
          f"{sum(1 for m in mods if m.get('status') == 'pass')} of {len(mods)} proof modules pass in report.json; "
          f"{sum(1 for v in spin.values() if v == 'Valid')} of {len(spin)} spin properties hold.",
          (f"- MISRA C:2012: {mis['total']} findings, {mis['unjustified']} without a recorded deviation "
           if mis else "- MISRA C:2012: ") + f"(analysis: {status.get('misra')}); clang-tidy: {status.get('clang-tidy')}.",
          f"- Coverage floors: {status.get('coverage')}; MC/DC floors: {status.get('mcdc')}."]
    for u in cov.get("units", []):
        if u.get("dal") == "A" and u["mcdc"]["total"]:
            L.append(f"  - {u['unit']}: statement {u['statement']['percent']:.1f}%, "
                     f"MC/DC {u['mcdc']['percent']:.1f}% ({u['mcdc']['covered']}/{u['mcdc']['total']})")
    L += [f"- Campaign {c['name']}: {c['status']} ({outcomes(c)})." for c in camps]
    L += ["", "## 6. Software identification", "",
          "The configuration index (configuration-index.md) lists the SHA-256 of every tracked source and "
          "built artifact and the Debian version of every tool package.", "",
          "## 7. Change history", "", "Last changes (git log):", ""]
    for ln in sh(f"git -C {TOP} log --format='%h %ad %s' --date=short -10").splitlines():
        L.append(f"- {ln[:160]}")
    L += ["", "## 8. Software status (open items)", ""]
    L += [f"- {e['id']}: " + "; ".join(f"{m}: {v}" for m, v in e["methods"].items()) for e in pend] or ["- none"]
    L += ["", "## 9. Compliance statement", "",
          "Not claimed. This package is evidence for the integrator's certification: the partial and "
          "out-of-scope objectives of the DO-178C Annex A table in the index, the open items above and "
          "the coverage gaps against the level-A criterion remain to be closed."]
    with open(os.path.join(out, "sas.md"), "w") as f:
        f.write("\n".join(L) + "\n")


PDF_CSS = ("body{font-family:sans-serif;font-size:9pt} table{border-collapse:collapse;margin:4pt 0}"
           "td,th{border:1px solid #999;padding:1pt 4pt;vertical-align:top;font-size:8pt}"
           "h1{page-break-before:always;font-size:15pt} h1:first-of-type{page-break-before:avoid}"
           "code{font-size:8pt} @page{size:A4;margin:15mm}")


def write_pdf(out, plans):
    """One PDF: the index, the SAS, the ISO 26262-6 table and the plans,
    through pandoc (Markdown to HTML) and weasyprint (HTML to PDF)."""
    parts = [os.path.join(out, "index.md"), os.path.join(out, "sas.md"), os.path.join(out, "iso26262-6.md")] + plans
    css = os.path.join(out, ".pdf.css")
    with open(css, "w") as f:
        f.write(PDF_CSS)
    cmd = ["pandoc", "-f", "gfm", "-s", "--metadata", "title=Triad certification evidence",
           "--css", css, "--pdf-engine=weasyprint", "-o", os.path.join(out, PDF_NAME)] + parts
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"certgen: error: PDF: {e} (pandoc and weasyprint come from tools/setup/deps.sh)", file=sys.stderr)
        return False
    os.unlink(css)
    if r.returncode != 0 or not os.path.exists(os.path.join(out, PDF_NAME)):
        print(f"certgen: error: PDF: pandoc failed: {r.stderr.strip()[:400]}", file=sys.stderr)
        return False
    return True


def coupling_cmd(out):
    """certgen.py coupling --out DIR: the data and control coupling analysis
    (coupling.py) as coupling.md/.json, each coupling traced to the
    requirements-based test checks certification/couplings.yaml names for it
    (checked against the test scripts, their REQ tags and the TAP results of
    build/test-results); (rc, summary)."""
    import coupling
    a, errors = coupling.analyse(TOP)
    spec_path = os.path.join(TOP, coupling.COUPLINGS_FILE)
    spec = None
    if not os.path.exists(spec_path):
        errors.append(f"{coupling.COUPLINGS_FILE}: missing (the checks that exercise each coupling)")
    else:
        try:
            spec = yaml.safe_load(read(spec_path)) or {}
        except yaml.YAMLError as e:
            errors.append(f"{coupling.COUPLINGS_FILE}: not YAML: {str(e).splitlines()[0]}")
    tests = scan_tests(Errors())           # tag errors are the trace's to report
    build = os.path.join(TOP, "build")
    tap, _ = tap_results([os.path.join(build, "test-results", "unit.tap"),
                          os.path.join(build, "test-results", "system.tap")])
    rows, verrors = coupling.verify(TOP, a, spec, tests, tap) if spec is not None else ([], [])
    errors += verrors
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "coupling.md"), "w") as f:
        f.write(coupling.markdown(a, rows if spec is not None else None))
    with open(os.path.join(out, "coupling.json"), "w") as f:
        json.dump({k: v for k, v in a.items() if k != "hypercalls"} |
                  {"hypercalls": [{k: v for k, v in h.items() if k != "eval"} for h in a["hypercalls"]],
                   "verification": rows}, f, indent=1)
    for e in errors:
        print(f"certgen: error: coupling: {e}", file=sys.stderr)
    st = collections.Counter(c["status"] for r in rows for c in r["checks"])
    summary = {"errors": errors, "hypercalls": len(a["hypercalls"]), "exits": len(a["exits"]),
               "systems": len(a["systems"]), "channels": sum(len(x["channels"]) for x in a["systems"]),
               "cross": [h["name"] for h in a["hypercalls"]
                         if any("every sandbox" in t or "any running core" in t for t in h["data"])],
               "couplings": len(rows), "verified": sum(1 for r in rows if r["checks"]),
               "pending": [r["id"] for r in rows if r["pending"] is not None],
               "checks": dict(st)}
    print(f"certgen: coupling: {summary['hypercalls']} hypercalls, {summary['exits']} VM exit reasons, "
          f"{summary['channels']} channels over {summary['systems']} system descriptions; "
          f"{summary['verified']} of {summary['couplings']} couplings verified by named test checks "
          f"({st['ok']} ok, {st['fail']} failed, {st['not run']} not run), {len(summary['pending'])} pending"
          f"{'' if not errors else f', {len(errors)} error(s)'} ({rel(os.path.join(out, 'coupling.md'))})")
    return (1 if errors else 0), summary


def coupling_objective(c):
    """A-7 (8) from the analysis of this run: (status, evidence)."""
    if not c:
        return "none", "coupling analysis not run"
    if c["errors"]:
        return "none", "coupling analysis failed: " + c["errors"][0]
    st = c.get("checks", {})
    return ("partial", f"coupling/coupling.md from the code and {c['systems']} system descriptions: {c['channels']} "
            f"channels (shared pages, access per side), {c['hypercalls']} hypercalls with their policies and the monitor "
            f"data each reads or writes, {c['exits']} VM exit reasons; data reaching a sandbox about others through the "
            f"monitor: {', '.join(c['cross']) or 'none'}; {c['verified']} of {c['couplings']} couplings traced to "
            f"requirements-based test checks ({st.get('ok', 0)} ok, {st.get('not run', 0)} not run in this run), "
            f"{len(c['pending'])} pending ({', '.join(c['pending']) or 'none'}); not shown: coverage of the coupling "
            f"code by those tests (the system tests are not instrumented)")


def objectives(st, cov, mis, status, rows, spin, res, revs, ins, coup=None):
    """DO-178C Annex A, each objective judged from this run's data: evidence
    (this package holds it), partial (some, the gap named), none (nothing yet),
    out of scope (not this package's to give)."""
    trace_ok = st.get("requirements", 0) > 0 and st.get("untraced", 0) == 0

    def full(kind):
        units = [u for u in cov.get("units", []) if u.get("dal") == "A" and u[kind]["total"]]
        done = [u for u in units if u[kind]["covered"] == u[kind]["total"]]
        ran = status.get("mcdc" if kind == "mcdc" else "coverage")
        if not units:
            return "none", f"no data ({ran})"
        return ("evidence" if len(done) == len(units) and ran == "pass" else "partial",
                f"{len(done)} of {len(units)} level-A units at 100%; floors {ran}")

    def tests(prefix_system):
        progs = {p: v for p, v in res.items() if (p[:2].isdigit()) == prefix_system}
        n = sum(len(v) for v in progs.values())
        bad = sum(1 for v in progs.values() for _, ok in v if not ok)
        return n, bad, len(progs)
    un, ubad, uprogs = tests(False)
    sn, sbad, sprogs = tests(True)
    reviewed = [r for r in revs if r["review"]["state"] == "current"]
    audited = [r for r in revs if r["sqa"]["state"] == "current"]
    unreviewed = [os.path.basename(r["document"]) for r in revs if r["review"]["state"] != "current"]
    stale = [i["input"] for i in ins if i["problem"] and not i["optional"]]
    gated_ok = [m for m in (proof_report() or []) if m["module"] in gated_modules() and m.get("status") == "pass"]
    return [
        ("A-1 (1-7) planning", "partial",
         f"PSAC, SVP, SCMP, TQP, coding and ACSL standards (plans/): {len(reviewed)} of {len(revs)} with a review "
         f"record of their current text" + (f" (not: {', '.join(unreviewed)})" if unreviewed else "")
         + "; no development plan or transition criteria yet"),
        ("A-2 (1,2) high-level requirements developed", "evidence", f"certification/requirements.yaml: {st.get('hlr', 0)} HLR-*"),
        ("A-2 (3,4) derived requirements / low-level requirements", "evidence",
         f"certification/requirements.yaml: {st.get('llr', 0)} low-level, parent links checked"),
        ("A-2 (5,6) architecture, source code", "evidence", "docs/architecture.md and component docs; sources under git"),
        ("A-2 (7) executable object code", "partial", "built by make all; no object-code analysis"),
        ("A-3 (1-7) HLR reviewed", "partial", "requirements reviewed as code (git history, no review records per requirement); trace checked by certgen"),
        ("A-4 (1-13) LLR and architecture verified", "partial",
         f"parent and code links checked mechanically; {len(gated_ok)} proof modules proved in full"),
        ("A-5 (1-4) source code complies, traceable", "partial",
         f"trace {'complete' if trace_ok else 'has untraced requirements'}; MISRA {status.get('misra', 'not run')}"
         f"{' (' + str(mis['total']) + ' findings, each deviated; recorded sites: ' + str(mis.get('site_reviewed_sites', 0)) + ' with their own justification, ' + str(mis.get('rule_record_sites', 0)) + ' under their rule record only, ' + str(mis.get('bulk_recorded_sites', 0)) + ' pending review)' if mis else ''}, clang-tidy {status.get('clang-tidy', 'not run')}; "
         "no source-code review records"),
        ("A-5 (5) code accurate and consistent", "partial" if rows else "none",
         f"Frama-C/WP: {sum(1 for r in rows if r['status'] == 'Valid')} of {len(rows)} properties Valid" if rows
         else "proof reports absent"),
        ("A-5 (6) integration process", "out of scope", "no separate integration review record yet"),
        ("A-6 (1-2) EOC complies with HLR / robust", ("partial" if sn and not sbad else "none"),
         f"system tests in Bochs/QEMU: {sn - sbad} of {sn} checks pass in {sprogs} scripts" if sn else "system tests not run"),
        ("A-6 (3-4) EOC complies with LLR / robust", "evidence" if un and not ubad else "partial" if un else "none",
         f"host unit tests: {un - ubad} of {un} cases pass in {uprogs} programs (tests/junit.xml)"),
        ("A-6 (5) EOC compatible with target", "partial" if sn else "none", "system tests in Bochs/QEMU, not on hardware"),
        ("A-7 (1-2) test procedures and results correct", "partial", "results in tests/; no review record of the procedures"),
        ("A-7 (3-4) requirements coverage", "evidence" if trace_ok else "partial",
         f"trace/matrix.md: {st.get('traced', 0)} traced, {st.get('partial', 0)} pending, {st.get('untraced', 0)} untraced"),
        ("A-7 (5) structural coverage MC/DC", full("mcdc")[0], "coverage/mcdc (clang-19), host-tested units only: " + full("mcdc")[1]),
        ("A-7 (6) structural coverage decision", full("branch")[0], "coverage/gcov branch coverage, host-tested units only: " + full("branch")[1]),
        ("A-7 (7) structural coverage statement", full("statement")[0], "coverage/gcov, host-tested units only: " + full("statement")[1]),
        ("A-7 (8) data and control coupling", *coupling_objective(coup)),
        ("A-7 (9) untraceable object code", "none", "level A object-to-source analysis not done"),
        ("A-8 (1-6) configuration management", "partial",
         "git, plans/scmp, configuration-index.md, the inputs table of this index"
         + (f" (stale or missing: {', '.join(stale)})" if stale else " (every input fresh)")
         + "; no formal baselines or problem-report records"),
        ("A-9 (1-5) quality assurance", "partial" if audited else "none",
         f"SQA records of the current text of {len(audited)} of {len(revs)} plans (certification/reviews.yaml); "
         "not by an independent SQA function" if audited else "no SQA records"),
        ("A-10 (1-3) certification liaison", "partial", "lean PSAC; Software Accomplishment Summary (sas.md) with this run's figures"),
    ]


def write_config_index(out, build):
    sha = file_sha
    L = ["# Configuration index", "",
         f"git commit {sh('git -C ' + TOP + ' rev-parse HEAD')}; uncommitted changes to tracked files: "
         f"{'yes' if sh('git -C ' + TOP + ' status --porcelain --untracked-files=no') else 'no'}.", "",
         "## Tools (Debian package versions)", "", "| package | version |", "|---|---|"]
    deps = read(os.path.join(TOP, "tools", "setup", "deps.sh"))
    m = re.search(r"PACKAGES=\((.*?)\n\)", deps, re.S)
    pkgs = sorted(set(w for ln in (m.group(1) if m else "").splitlines()
                      for w in ln.split("#")[0].split()))
    q = sh("dpkg-query -W -f='${Package}\\t${Version}\\n' " + " ".join(pkgs)) if pkgs else ""
    for ln in q.splitlines():
        a, _, b = ln.partition("\t")
        L.append(f"| {a} | {b} |")
    L += ["", "## Artifacts", "", "| file | SHA-256 |", "|---|---|"]
    for p in [os.path.join(build, "monitor", "monitor.elf"), os.path.join(build, "sandbox-kernel", "sandbox-kernel.elf"),
              os.path.join(build, "system.bin"), os.path.join(build, "triad.iso")]:
        if os.path.exists(p):
            L.append(f"| {rel(p)} | {sha(p)} |")
    L += ["", "## Sources (git ls-files)", "", "| file | SHA-256 |", "|---|---|"]
    for f in sh(f"git -C {TOP} ls-files").splitlines():
        p = os.path.join(TOP, f)
        if os.path.isfile(p):
            L.append(f"| {f} | {sha(p)} |")
    with open(os.path.join(out, "configuration-index.md"), "w") as f:
        f.write("\n".join(L) + "\n")


def write_iso26262(out, st, cov, mis, rows):
    L = ["# ISO 26262-6 work products (by clause number)", "",
         "| clause | work product | status | evidence |", "|---|---|---|---|",
         "| 6-5 | software development environment, coding guidelines | partial | plans/coding-standard, plans/acsl-standard, tools/setup/deps.sh |",
         "| 6-6 | software safety requirements | partial | certification/requirements.yaml (ASIL per requirement); not derived from a technical safety concept: the integrator's |",
         "| 6-7 | software architectural design | partial | docs/architecture.md, docs/*.md |",
         "| 6-8 | unit design and implementation | partial | sources, ACSL contracts, MISRA analysis (" +
         (f"{mis['total']} findings, {mis['unjustified']} unjustified" if mis else "not run") + ") |",
         f"| 6-9 | unit verification | partial | host unit tests, {len(rows)} proof properties reported, coverage with MC/DC for ASIL D units |",
         "| 6-10 | software integration and verification | partial | system tests in Bochs/QEMU |",
         "| 6-11 | testing of the embedded software | out of scope | no target hardware in the loop yet |",
         "| 8-11 | confidence in software tools | partial | plans/tqp |"]
    with open(os.path.join(out, "iso26262-6.md"), "w") as f:
        f.write("\n".join(L) + "\n")


def write_junit(path, res):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    x = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for prog, cases in sorted(res.items()):
        fails = sum(1 for _, ok in cases if not ok)
        x.append(f'  <testsuite name="{html.escape(prog)}" tests="{len(cases)}" failures="{fails}">')
        for c, ok in cases:
            x.append(f'    <testcase classname="{html.escape(prog)}" name="{html.escape(c)}">'
                     + ("" if ok else '<failure message="not ok"/>') + "</testcase>")
        x.append("  </testsuite>")
    x.append("</testsuites>")
    with open(path, "w") as f:
        f.write("\n".join(x) + "\n")


def write_html(path, md, title):
    """Markdown to a standalone HTML page with pandoc (tables, links to the
    package's other .md files pointed at their .html renderings)."""
    r = subprocess.run(["pandoc", "-f", "gfm", "-t", "html5", "-s", "--metadata", "title=" + title,
                        "--metadata", "pagetitle=" + title],
                       input=md, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit(f"certgen: error: pandoc failed on {rel(path)}: {r.stderr.strip()[:300]}")
    body = re.sub(r'href="([^":]+)\.md"', r'href="\1.html"', r.stdout)
    body = body.replace("</head>", "<style>body{max-width:1200px}table{border-collapse:collapse}"
                        "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top;font-size:90%}</style></head>", 1)
    with open(path, "w") as f:
        f.write(body)


def inputs_cmd(args):
    """certgen.py inputs: the package's inputs (present, fresh) and the review
    records, without making the package: what cert-package would refuse."""
    build = os.path.join(TOP, "build")
    optional = tuple(x for x in (args.optional or "").split(",") if x)
    err = Errors()
    for i in check_inputs(build, optional):
        if i["problem"] and not i["optional"]:
            err(f"input {i['input']}: {i['file']}: {i['problem']}")
        else:
            print(f"certgen: input {i['input']}: {i['file']}: {'not run (optional)' if i['optional'] else 'fresh'}")
    review_status(err)
    return err.report("inputs")


def check(args):
    """The fast checking core `make test` runs (tests/system/95-certification.sh):
    the trace with its failure checks, LOBSTER files that parse, JUnit XML from
    the TAP results, the configuration index.  No coverage build, no MISRA run,
    no PDF: those are `make certification`'s."""
    out = args.out
    build = os.path.dirname(out)
    os.makedirs(out, exist_ok=True)
    rc, tr = trace(argparse.Namespace(out=os.path.join(out, "trace"), core=True))
    for name, schema in (("requirements", "lobster-req-trace"), ("code", "lobster-imp-trace"),
                         ("activities", "lobster-act-trace")):
        p = os.path.join(out, "trace", name + ".lobster")
        try:
            d = json.loads(read(p))
            if d.get("schema") != schema or d.get("version") != 3 or not isinstance(d.get("data"), list):
                raise ValueError("schema, version or data wrong")
        except (OSError, ValueError) as e:
            print(f"certgen: error: {rel(p)}: not a LOBSTER {schema} file: {e}", file=sys.stderr)
            rc = 1
    res, _ = tap_results([os.path.join(build, "test-results", "unit.tap"),
                          os.path.join(build, "test-results", "system.tap")])
    write_junit(os.path.join(out, "tests", "junit.xml"), res)
    write_config_index(out, build)
    print(f"certgen: check: {'pass' if rc == 0 else 'FAIL'}: trace, LOBSTER, {rel(os.path.join(out, 'tests', 'junit.xml'))} "
          f"({sum(len(v) for v in res.values())} test cases), {rel(os.path.join(out, 'configuration-index.md'))}")
    return rc


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("trace"); p.add_argument("--out")
    p = sub.add_parser("misra"); p.add_argument("--results", required=True); p.add_argument("--out")
    p.add_argument("--write-baseline", action="store_true", help="record every current sites-scoped finding")
    p = sub.add_parser("coverage"); p.add_argument("--out", required=True)
    p.add_argument("--record-floors", action="store_true", help="rewrite the floors with today's figures")
    p = sub.add_parser("package"); p.add_argument("--out", required=True)
    p.add_argument("--optional", help="inputs that may be absent: " + ",".join(OPTIONAL_INPUTS))
    p = sub.add_parser("inputs"); p.add_argument("--optional")
    p = sub.add_parser("stamp"); p.add_argument("name"); p.add_argument("--to", required=True)
    p = sub.add_parser("tidy"); p.add_argument("--results", required=True)
    p = sub.add_parser("review"); p.add_argument("document")
    p.add_argument("--kind", choices=REVIEW_KINDS, default="review"); p.add_argument("--reviewer", required=True)
    p.add_argument("--result", required=True)
    p = sub.add_parser("check"); p.add_argument("--out", required=True)
    p = sub.add_parser("coupling"); p.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.cmd == "trace":
        return trace(a)[0]
    return {"misra": misra, "coverage": coverage, "package": package, "check": check, "stamp": stamp,
            "tidy": tidy, "review": review, "inputs": inputs_cmd,
            "coupling": lambda x: coupling_cmd(x.out)[0]}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
