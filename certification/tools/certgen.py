#!/usr/bin/python3
"""Triad certification evidence generator (issue 13).

  certgen.py trace   [--out DIR]     requirements -> code -> test/proof/campaign
  certgen.py misra   --results F     check cppcheck MISRA findings against deviations
  certgen.py coverage --out DIR      check coverage results against the floors
  certgen.py package --out DIR       all checks, then the evidence index (MD + HTML + PDF)
  certgen.py check --out DIR         the fast core make test runs: trace, LOBSTER,
                                     JUnit XML, configuration index

Every subcommand exits 1 with one line per problem ("certgen: error: ...")
when a check fails; see docs/certification.md for the conventions it enforces.
Python 3 from Debian with python3-yaml; pandoc and weasyprint render HTML and PDF.
"""
import argparse
import collections
import glob
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
        # Deliberately broken variants (proofs-spin checks that they fail):
        # "-broken-" or a part in capitals, the -D define that breaks the
        # model (fifo-BROKEN-no_overwrite, fourslot_tso-NO_WRITER_FENCE-asserts).
        if "-broken-" in name or any(re.fullmatch(r"[A-Z][A-Z0-9_]*", part) for part in name.split("-")):
            continue
        m = re.search(r"errors: (\d+)", read(log))
        spin[name] = "Valid" if m and m.group(1) == "0" else "Failed"
    return rows, spin


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
    for mk in glob.glob(os.path.join(TOP, "*", "rules.mk")) + glob.glob(os.path.join(TOP, "tools", "*", "rules.mk")):
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


def scan_tests(err):
    """Tagged tests: cmocka cases (tag before the case function, or before main
    for the whole program) and system-test scripts (tag in the script)."""
    tests = []
    progs = host_test_programs()
    for path in sorted(glob.glob(os.path.join(TOP, "tests", "**", "*.c"), recursive=True)):
        if "/fixture/" in path:     # the generator's own test fixture (tests/unit/certification)
            continue
        text = read(path)
        if "REQ:" not in text:
            continue
        lines = text.splitlines()
        r = rel(path)
        registered = set(re.findall(r"cmocka_unit_test\w*\(\s*([A-Za-z_]\w*)", text))
        for i, ln in enumerate(lines):
            m = TAG_RE.search(ln)
            if not m:
                continue
            where = f"{r}:{i + 1}"
            ids = parse_tags(m.group(1), where, err)
            func = None
            for j in range(i, min(i + 4, len(lines))):
                fm = FUNC_RE.match(lines[j])
                if fm:
                    func = fm.group(1)
                    break
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
        # make inject writes build/fault-injection/NAME/results.json and links
        # build/inject/NAME to it (docs/fault-injection.md); either is read.
        for rp in (os.path.join(TOP, "build", "fault-injection", name, "results.json"),
                   os.path.join(TOP, "build", "inject", name, "results.json")):
            if os.path.exists(rp):
                results = rel(rp)
                try:
                    rj = json.loads(read(rp))
                    status = "ok" if rj.get("passed", rj.get("ok")) is True else "fail"
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
    astatus = ({a: "not run" for a in ANALYSES} if getattr(args, "core", False)
               else analyses_status(build))

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
        # Failed evidence fails the trace.
        for t in e["tests"]:
            if t["status"] == "fail":
                err(f"{rid}: test {t['name']} failed")
        for p in e["proofs"]:
            if p["status"] == "Failed":
                err(f"{rid}: proof of {p['clause']} ({p['file']}:{p['line']}) is not Valid")
        for p in e["models"]:
            if p["status"] == "Failed":
                err(f"{rid}: model check {p['model']} failed")
        for c in e["campaigns"]:
            if c["status"] == "fail":
                err(f"{rid}: campaign {c['name']} failed")
        for a in e["analyses"]:
            if a["status"] == "fail":
                err(f"{rid}: analysis {a['analysis']} failed")
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
    for e in result["matrix"]:
        pass
    for t in tests:
        st = next((x["status"] for e in result["matrix"] for x in e["tests"]
                   if x["name"] == t["name"] and x["file"] == t["file"]), "not run")
        act.append({"tag": f"{t['kind']}test {t['name']}", "location": loc(t["file"], t["line"]), "name": t["name"],
                    "messages": [], "just_up": [], "just_down": [], "just_global": [],
                    "refs": [f"req {i}" for i in t["reqs"]], "framework": "cmocka" if t["kind"] == "unit" else "TAP",
                    "kind": "test", "status": st})
    for e in result["matrix"]:
        for p in e["proofs"]:
            act.append({"tag": f"acsl {p['file']}:{p['line']}:{p['clause']}", "location": loc(p["file"], p["line"]),
                        "name": p["clause"], "messages": [], "just_up": [], "just_down": [], "just_global": [],
                        "refs": [f"req {e['id']}"], "framework": "Frama-C/WP", "kind": "proof",
                        "status": {"Valid": "ok", "Failed": "fail"}.get(p["status"], "not run")})
        for p in e["models"]:
            act.append({"tag": f"promela {p['model']}", "location": loc("proofs/promela/" + p["model"].split("#")[0], None),
                        "name": p["model"], "messages": [], "just_up": [], "just_down": [], "just_global": [],
                        "refs": [f"req {e['id']}"], "framework": "spin", "kind": "model check",
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


def load_baseline():
    sites = collections.Counter()
    if os.path.exists(BASELINE):
        for ln in read(BASELINE).splitlines():
            if ln.startswith("#") or not ln.strip():
                continue
            rule, f, _line, text = (ln.split("\t") + ["", "", "", ""])[:4]
            sites[(rule, f, text)] += 1
    return sites


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
        with open(BASELINE, "w") as fh:
            fh.write("# MISRA C:2012 / cppcheck findings recorded as deviations (certification/deviations.yaml,\n"
                     "# scope: sites).  rule, file, line when recorded, source text.  Regenerate with\n"
                     "# certgen.py misra --write-baseline and review the diff like code.\n")
            for x in findings:
                if devs.get(x["rule"], {}).get("scope") == "sites":
                    fh.write(f"{x['rule']}\t{x['file']}\t{x['line']}\t{x['text']}\n")
    base = load_baseline()
    per_rule = collections.Counter()
    unjust = []
    for x in findings:
        per_rule[x["rule"]] += 1
        d = devs.get(x["rule"])
        key = (x["rule"], x["file"], x["text"])
        if d is None:
            unjust.append((x, "no record for this rule in certification/deviations.yaml"))
        elif d.get("scope") == "sites" and base[key] <= 0:
            unjust.append((x, "new finding, not in certification/misra-baseline.tsv"))
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
    out = {"findings": findings, "per_rule": dict(sorted(per_rule.items(), key=lambda kv: key(kv[0]))),
           "unjustified": len(unjust), "total": len(findings), "stale_baseline_entries": stale,
           "rules": {r: {"scope": d.get("scope"), "status": d.get("status")} for r, d in devs.items()}}
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(out, fh, indent=1)
    print(f"certgen: misra: {len(findings)} findings over {len(per_rule)} rules, {len(unjust)} unjustified, "
          f"{stale} baseline entries no longer found (fixed code: remove them)")
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
        dal = floors["units"].get(unit, {}).get("dal", unit_dal(unit))
        parts = [f"dal: {dal}"]
        for k, key in (("statement", "lines"), ("branch", "branches"), ("mcdc", "mcdc")):
            c = s.get(key)
            if c and c[1] and (k != "mcdc" or dal == "A"):
                parts.append(f"{k}: {int(100 * c[0] // c[1])}")
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


def package(args):
    out = args.out
    build = os.path.dirname(out)
    rc, tr = trace(argparse.Namespace(out=os.path.join(out, "trace")))
    status = {a: read(os.path.join(out, "status", a)).strip() if os.path.exists(os.path.join(out, "status", a)) else "not run"
              for a in ANALYSES}
    cov = json.loads(read(os.path.join(out, "coverage", "coverage.json"))) if os.path.exists(os.path.join(out, "coverage", "coverage.json")) else {"units": []}
    mis = json.loads(read(os.path.join(out, "analysis", "misra.json"))) if os.path.exists(os.path.join(out, "analysis", "misra.json")) else None
    tidy = read(os.path.join(out, "analysis", "clang-tidy.txt")) if os.path.exists(os.path.join(out, "analysis", "clang-tidy.txt")) else ""
    res, present = tap_results([os.path.join(build, "test-results", "unit.tap"), os.path.join(build, "test-results", "system.tap")])
    tests_summary = {p: (sum(1 for _, ok in v if ok), sum(1 for _, ok in v if not ok)) for p, v in res.items()}
    write_junit(os.path.join(out, "tests", "junit.xml"), res)
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
         f"generated by `make certification`.", "",
         "## Checks", "",
         "| check | result |", "|---|---|",
         f"| traceability | {'pass' if rc == 0 else 'FAIL'} ({st.get('requirements', 0)} requirements, {st.get('traced', 0)} traced, "
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
              f"deviation; justifications in certification/deviations.yaml, sites in certification/misra-baseline.tsv, "
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
    for c in camps:
        outc = ", ".join(f"{k} {v}" for k, v in c["counts"].items() if v) or "-"
        L.append(f"| {c['name']} | {', '.join(c['reqs']) or '-'} | {c['status']} | {outc} | {c['results'] or 'not run (make inject)'} |")
    L += ["", "## DO-178C Annex A objectives (by table and objective number)", "",
          "Status: evidence = produced by this package; partial = some evidence, gaps named; "
          "out of scope = not addressed by this package yet.", "",
          "| objective | status | evidence |", "|---|---|---|"]
    for o in objectives(st, cov, mis, status, rows, spin, present):
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
        "- [ISO 26262-6 work products](iso26262-6.md)", "",
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
         "every figure below is computed by `make certification` from this tree.", "",
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
    for c in camps:
        outc = ", ".join(f"{k} {v}" for k, v in c["counts"].items() if v) or "no results"
        L.append(f"- Campaign {c['name']}: {c['status']} ({outc}).")
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


def objectives(st, cov, mis, status, rows, spin, present):
    trace_ok = st.get("requirements", 0) > 0 and st.get("untraced", 0) == 0

    def full(kind):
        units = [u for u in cov.get("units", []) if u.get("dal") == "A" and u[kind]["total"]]
        done = [u for u in units if u[kind]["covered"] == u[kind]["total"]]
        ran = status.get("mcdc" if kind == "mcdc" else "coverage")
        if not units:
            return "partial", f"no data ({ran})"
        return ("evidence" if len(done) == len(units) and ran == "pass" else "partial",
                f"{len(done)} of {len(units)} level-A units at 100%; floors {ran}")
    have_proofs = bool(rows)
    return [
        ("A-1 (1-7) planning", "partial", "lean PSAC, SVP, SCMP, tool qualification plan, coding and ACSL standards (plans/); no development plan or transition criteria yet"),
        ("A-2 (1,2) high-level requirements developed", "evidence", "certification/requirements.yaml (HLR-*)"),
        ("A-2 (3,4) derived requirements / low-level requirements", "evidence", "certification/requirements.yaml (low-level, parent links)"),
        ("A-2 (5,6) architecture, source code", "evidence", "docs/architecture.md and component docs; sources under git"),
        ("A-2 (7) executable object code", "partial", "built by make all; no object-code analysis"),
        ("A-3 (1-7) HLR reviewed", "partial", "requirements reviewed as code (git history); trace checked by certgen"),
        ("A-4 (1-13) LLR and architecture verified", "partial", "parent links and code links checked mechanically; proofs where contracts exist"),
        ("A-5 (1-4) source code complies, traceable", "partial" if trace_ok else "partial (untraced requirements)",
         "trace/matrix.md; MISRA (" + status.get("misra", "not run") + "), clang-tidy (" + status.get("clang-tidy", "not run") + ")"),
        ("A-5 (5) code accurate and consistent", "partial", "Frama-C/WP reports" if have_proofs else "proof reports absent: run make proofs"),
        ("A-5 (6) integration process", "out of scope", "no separate integration review record yet"),
        ("A-6 (1-2) EOC complies with HLR / robust", "partial", "system tests (build/test-results/system.tap)" if any('system' in p for p in present) else "system-test results absent"),
        ("A-6 (3-4) EOC complies with LLR / robust", "evidence", "host unit tests tagged to LLRs (tests/junit.xml)"),
        ("A-6 (5) EOC compatible with target", "partial", "system tests in Bochs/QEMU, not on hardware"),
        ("A-7 (1-2) test procedures and results correct", "partial", "test results in tests/; no review record of procedures"),
        ("A-7 (3-4) requirements coverage", "evidence" if trace_ok else "partial", "trace/matrix.md"),
        ("A-7 (5) structural coverage MC/DC", full("mcdc")[0], "coverage/mcdc (clang-19), host-tested units only: " + full("mcdc")[1]),
        ("A-7 (6) structural coverage decision", full("branch")[0], "coverage/gcov branch coverage, host-tested units only: " + full("branch")[1]),
        ("A-7 (7) structural coverage statement", full("statement")[0], "coverage/gcov, host-tested units only: " + full("statement")[1]),
        ("A-7 (8) data and control coupling", "out of scope", "not analysed yet"),
        ("A-7 (9) untraceable object code", "out of scope", "level A object-to-source analysis not done"),
        ("A-8 (1-6) configuration management", "partial", "git, plans/scmp, configuration-index.md; no formal baselines or problem-report records"),
        ("A-9 (1-5) quality assurance", "out of scope", "no SQA records"),
        ("A-10 (1-3) certification liaison", "partial", "lean PSAC; accomplishment figures in this index, not a full SAS"),
    ]


def write_config_index(out, build):
    import hashlib

    def sha(p):
        h = hashlib.sha256()
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
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
    p = sub.add_parser("check"); p.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.cmd == "trace":
        return trace(a)[0]
    return {"misra": misra, "coverage": coverage, "package": package, "check": check}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
