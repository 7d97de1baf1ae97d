# The checking core of the certification package (make cert-check: the trace
# with its failure checks, LOBSTER files, JUnit XML, configuration index) on
# this tree, then on doctored copies of it: a removed test, a renamed
# requirement, a test naming an unknown requirement, a requirement without a
# verification method, an orphan ACSL contract, a proof that failed, a
# coverage figure under its recorded floor.  Each must fail with a message
# naming the culprit.  Runs after the proofs (90) so their CSVs are fresh.
# The full package (coverage builds, MISRA, clang-tidy, PDF) is
# `make certification`, not part of make test (docs/certification.md).
# REQ: CERT-GEN-001
# triad-test: exclusive (tests/run-system.sh runs it alone, after the others)
. tests/system/lib.sh
out=$BUILD/certification
make -s --no-print-directory cert-check >"$RUNS/cert-check.log" 2>&1
check "cert-check passes on this tree" test $? -eq 0
sed 's/^/# /' "$RUNS/cert-check.log" | tail -3
for f in trace/matrix.md trace/trace.json trace/requirements.lobster trace/code.lobster trace/activities.lobster; do
  check "trace output $f written" test -s "$out/$f"
done
# (the TAP files are counted by cert-check itself: other runs may rewrite them
# in a shared tree while this test runs)
taps=$(grep -oE '\(([0-9]+) test cases\)' "$RUNS/cert-check.log" | grep -oE '[0-9]+')
check "JUnit XML parses, one testcase per TAP line read (${taps:-none}), SHA-256 tests among them" \
  python3 - "$out/tests/junit.xml" "${taps:-0}" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall('.//testcase')
sha = [c for c in cases if c.get('classname') == 'test_sha256']
sys.exit(0 if len(cases) == int(sys.argv[2]) > 0 and sha else 1)
PY
check "configuration index names HEAD" grep -q "git commit $(git rev-parse HEAD)" "$out/configuration-index.md"
check "configuration index carries the SHA-256 of monitor/main.c" \
  grep -q "| monitor/main.c | $(sha256sum monitor/main.c | cut -c1-64) |" "$out/configuration-index.md"
check "configuration index has tool versions from dpkg" grep -qE '^\| frama-c-base \| [0-9]' "$out/configuration-index.md"

# Doctored copies: the tree's files as they are now (tracked and new, not
# ignored ones), plus the test results.
tmp=$(mktemp -d /tmp/triad-cert.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fresh() {
  rm -rf "$tmp/t" && mkdir -p "$tmp/t/build/test-results"
  git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$tmp/t" 2>/dev/null
  cp "$BUILD"/test-results/*.tap "$tmp/t/build/test-results/" 2>/dev/null
  return 0
}
gen() { /usr/bin/python3 "$tmp/t/certification/tools/certgen.py" "$@" >"$tmp/out" 2>&1; }
fails_saying() {  # NAME PATTERN CERTGEN-ARGS...
  local name=$1 pat=$2; shift 2
  gen "$@"; local s=$?
  check "$name: fails" test "$s" -ne 0
  check "$name: says so" grep -qE -- "$pat" "$tmp/out"
  grep -E -- "$pat" "$tmp/out" | head -1 | sed 's/^/# /'
}
fresh; gen trace; check "an untouched copy traces" test $? -eq 0
fresh; rm "$tmp/t/tests/system/63-bochs-attest-eventlog.sh"
fails_saying "removed test" "ATT-LOG-001: untraced requirement: verification method 'test'" trace
fresh; sed -i 's/^- id: ATT-LOG-001$/- id: ATT-LOG-009/' "$tmp/t/certification/requirements.yaml"
fails_saying "renamed requirement" "orphan test: 63-bochs-attest-eventlog.* claims unknown requirement ATT-LOG-001" trace
fresh; sed -i 's/^# REQ: ATT-GOLD-001$/# REQ: ATT-GOLD-001, ATT-NOPE-001/' "$tmp/t/tests/system/62-qemu-golden-images.sh"
fails_saying "test naming an unknown requirement" "orphan test: 62-qemu-golden-images.* claims unknown requirement ATT-NOPE-001" trace
fresh; printf -- '- id: ATT-NONE-001\n  parent: HLR-MLA-001\n  title: t\n  text: t\n  dal: B\n  verification: []\n' \
  >>"$tmp/t/certification/requirements.yaml"
fails_saying "requirement without verification" "ATT-NONE-001: no verification method" trace
fresh; sed -i 's/ensures REQ_MON_PART_001:/ensures REQ_MON_PART_999:/' "$tmp/t/monitor/partition/validate.h"
fails_saying "orphan contract" "orphan contract: clause REQ_MON_PART_999 claims requirement MON-PART-999" trace
fresh; mkdir -p "$tmp/t/build/proofs"
printf 'directory\tfile\tline\tfunction\tproperty kind\tstatus\tproperty\nmonitor/partition\tvalidate.h\t97\ttriad_table_validate\tpostcondition\tUnknown\tREQ_MON_PART_001: x\n' \
  >"$tmp/t/build/proofs/monitor-validate.csv"
fails_saying "proof failure" "MON-PART-001: proof of REQ_MON_PART_001 .* is not Valid" trace
fresh; mkdir -p "$tmp/c/gcov" "$tmp/c/mcdc"
echo '{"files": [{"filename": "monitor/boot/multiboot2.c", "line_covered": 50, "line_total": 100, "branch_covered": 1, "branch_total": 2}]}' >"$tmp/c/gcov/summary.json"
echo '{"data": [{"files": []}]}' >"$tmp/c/mcdc/export.json"
fails_saying "coverage drop" "monitor/boot/multiboot2.c: statement coverage 50.0% is below the recorded floor" coverage --out "$tmp/c"
finish
