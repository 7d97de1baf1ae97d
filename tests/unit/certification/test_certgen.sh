#!/usr/bin/env bash
# Tests of the certification generator (certification/tools/certgen.py) on a
# small fixture project (fixture/): the clean fixture passes, and each kind of
# bad input makes it fail with a message naming the culprit.  TAP output in
# cmocka's form, so tests/run-unit.sh counts each case.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
n=0 failed=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

fresh() {   # a clean copy of the fixture with the generator in it
  rm -rf "$tmp/p"; cp -r "$here/fixture" "$tmp/p"
  mkdir -p "$tmp/p/certification/tools" "$tmp/p/build/test-results"
  cp "$top/certification/tools/certgen.py" "$top/certification/tools/coupling.py" "$tmp/p/certification/tools/"
  cp "$here/fixture/unit.tap" "$tmp/p/build/test-results/unit.tap"
}
gen() { /usr/bin/python3 "$tmp/p/certification/tools/certgen.py" "$@" >"$tmp/out" 2>&1; }
result() {  # result NAME OK
  n=$((n + 1))
  if [ "$2" -eq 1 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; sed 's/^/# /' "$tmp/out"; failed=$((failed + 1)); fi
}
# expect_fail NAME PATTERN CMD...: the generator fails and says PATTERN.
expect_fail() { local name=$1 pat=$2; shift 2; gen "$@"; local s=$?
  [ $s -ne 0 ] && grep -qE -- "$pat" "$tmp/out"; result "$name" $(( $? == 0 )); }
expect_pass() { local name=$1; shift; gen "$@"; result "$name" $(( $? == 0 )); }

echo "1..28"
fresh; expect_pass clean_fixture_traces trace
fresh; sed -i 's/id: FIX-B-001/id: FIX-B-002/' "$tmp/p/certification/requirements.yaml"
expect_fail renamed_requirement_orphans_its_test 'orphan test: test_fix: case_one claims unknown requirement FIX-B-001' trace
fresh; sed -i '/REQ: FIX-B-001/d' "$tmp/p/tests/unit/fix/test_fix.c"
expect_fail removed_test_leaves_requirement_untraced "FIX-B-001: untraced requirement: verification method 'test'" trace
fresh; sed -i 's/REQ_FIX_A_001/REQ_FIX_A_007/' "$tmp/p/monitor/x.c"
expect_fail orphan_contract_is_named 'orphan contract: clause REQ_FIX_A_007 claims requirement FIX-A-007' trace
fresh; echo '{"requirements": ["FIX-Z-001"]}' >"$tmp/p/fault-injection/campaigns/c.json"
expect_fail orphan_campaign_is_named 'orphan campaign: c claims unknown requirement FIX-Z-001' trace
fresh; sed -i 's/pending: {campaign: "issue 10: campaigns"}/pending: {campaign: "later"}/' "$tmp/p/certification/requirements.yaml"
expect_fail pending_must_name_an_issue "FIX-C-001: pending campaign must name the open issue" trace
# Tags inside a block comment: on a line of their own before the case, or in
# the file's opening comment (every case of the program); both were once
# silently ignored (12 tags of the tree).
fresh; sed -i '1s|.*|/* the first case\n   REQ: FIX-B-001 */|' "$tmp/p/tests/unit/fix/test_fix.c"
gen trace; result tag_on_a_comment_line_counts $(( $? == 0 ))
fresh; sed -i '1s|.*|/*\n * The fixture program.\n * REQ: FIX-B-001\n */\n#include <cmocka.h>|' "$tmp/p/tests/unit/fix/test_fix.c"
gen trace; s=$?; grep -q "1 tagged tests" "$tmp/out"; result tag_in_the_opening_comment_covers_the_program $(( s == 0 && $? == 0 ))
fresh; echo 'not ok - test_fix: case_one' >"$tmp/p/build/test-results/unit.tap"
expect_fail failed_test_fails_the_trace 'FIX-B-001: test test_fix: case_one failed' trace
fresh; mkdir -p "$tmp/p/build/proofs"
printf 'directory\tfile\tline\tfunction\tproperty kind\tstatus\tproperty\nmonitor\tx.c\t1\tf\tpostcondition\tUnknown\tREQ_FIX_A_001: \\result >= 0\n' >"$tmp/p/build/proofs/m.csv"
expect_fail unproved_clause_fails_the_trace 'FIX-A-001: proof of REQ_FIX_A_001 .* is not Valid' trace
fresh; printf 'monitor/x.c:4:5: style: misra violation [misra-c2012-10.4]\nmonitor/x.c:2:1: style: misra violation [misra-c2012-15.5]\n' >"$tmp/r.txt"
expect_pass recorded_and_project_deviations_pass misra --results "$tmp/r.txt"
fresh; printf 'monitor/x.c:1:1: style: misra violation [misra-c2012-10.4]\n' >"$tmp/r.txt"
expect_fail new_site_of_a_sites_rule_fails 'monitor/x.c:1: MISRA C:2012 rule 10.4: unjustified deviation \(new finding' misra --results "$tmp/r.txt"
fresh; printf 'monitor/x.c:4:5: style: misra violation [misra-c2012-17.7]\n' >"$tmp/r.txt"
expect_fail rule_without_record_fails 'rule 17.7: unjustified deviation \(no record' misra --results "$tmp/r.txt"
fresh; mkdir -p "$tmp/c/gcov" "$tmp/c/mcdc"
echo '{"files": [{"filename": "monitor/x.c", "line_covered": 8, "line_total": 10, "branch_covered": 1, "branch_total": 2}]}' >"$tmp/c/gcov/summary.json"
echo '{"data": [{"files": [{"filename": "monitor/x.c", "summary": {"mcdc": {"covered": 1, "count": 2}}}]}]}' >"$tmp/c/mcdc/export.json"
expect_fail coverage_below_floor_fails 'monitor/x.c: statement coverage 80.0% is below the recorded floor 90%' coverage --out "$tmp/c"
# The reviewed ways to accept a finding: a re-recorded MISRA site and a
# lowered floor fail until someone writes why.
fresh; printf 'monitor/x.c:1:1: style: misra violation [misra-c2012-10.4]\n' >"$tmp/r.txt"
gen misra --results "$tmp/r.txt" --write-baseline
expect_fail rerecorded_site_needs_a_justification 'misra-baseline.tsv:[0-9]+: rule 10.4 at monitor/x.c:1: deviation without a justification' misra --results "$tmp/r.txt"
fresh; printf 'monitor/x.c:1:1: style: misra violation [misra-c2012-10.4]\n' >"$tmp/r.txt"
gen misra --results "$tmp/r.txt" --write-baseline
sed -i 's/TODO: justify$/the literal is unsigned by design here/' "$tmp/p/certification/misra-baseline.tsv"
expect_pass justified_site_passes misra --results "$tmp/r.txt"
fresh; mkdir -p "$tmp/c/gcov" "$tmp/c/mcdc"
echo '{"files": [{"filename": "monitor/x.c", "line_covered": 8, "line_total": 10, "branch_covered": 1, "branch_total": 2}]}' >"$tmp/c/gcov/summary.json"
echo '{"data": [{"files": [{"filename": "monitor/x.c", "summary": {"mcdc": {"covered": 1, "count": 2}}}]}]}' >"$tmp/c/mcdc/export.json"
gen coverage --out "$tmp/c" --record-floors
expect_fail lowered_floor_needs_a_reason 'monitor/x.c: floor lowered without a reason' coverage --out "$tmp/c"
fresh; printf '/x/monitor/x.c:3:5: warning: narrowing [bugprone-narrowing-conversions]\n%.0s' 1 2 >"$tmp/t.txt"
printf 'bugprone-narrowing-conversions\t1\n' >"$tmp/p/certification/clang-tidy-baseline.tsv"
expect_fail tidy_over_its_ceiling_fails 'clang-tidy bugprone-narrowing-conversions: 2 findings, recorded ceiling 1' tidy --results "$tmp/t.txt"
# Data and control coupling (A-7 (8)): the fixture's monitor, description
# and system test (fixture-coupling/, laid over the fixture).  Every coupling
# the analysis finds must be traced to a requirements-based test check that
# exists and passed (or be pending with its issue); each way of losing that
# trace fails naming the coupling.
coupled() { fresh; cp -r "$here/fixture-coupling/." "$tmp/p/"; rm "$tmp/p/system.tap"
  cp "$here/fixture-coupling/system.tap" "$tmp/p/build/test-results/system.tap"; }
coupled; gen coupling --out "$tmp/cpl"
result clean_fixture_couplings_traced $(( $? == 0 ))
coupled; gen coupling --out "$tmp/cpl"
grep -qF "| 1 | TRIAD_HC_PING | hc_ping | no | every sandbox | - | - | - | 10-fix-boot: ping answered (FIX-B-001) [ok] |" "$tmp/cpl/coupling.md" &&
  grep -qF "| data | 1 | async-4slot | 64 B | left | right | 10-fix-boot: right received left's value over the channel (FIX-B-001) [ok] |" "$tmp/cpl/coupling.md" &&
  grep -qF "| VE_HYPERCALL | hypercall dispatcher (table below) | PENDING (issue 13:" "$tmp/cpl/coupling.md"
result coupling_table_has_verified_by_column $(( $? == 0 ))
coupled; rm "$tmp/p/tests/system/10-fix-boot.sh"
expect_fail removed_test_uncovers_its_couplings \
  'coupling hypercall:PING \(hypercall 1, hc_ping\): not verified by any test' coupling --out "$tmp/cpl"
coupled; sed -i 's/TRIAD_HC_COUNT = 3/TRIAD_HC_RESET = 3,\n    TRIAD_HC_COUNT = 4/' "$tmp/p/monitor/abi/hypercall.h"
sed -i 's/^    \[TRIAD_HC_FAULT_LOG\] = { 1, 2, 3 },/&\n    [TRIAD_HC_RESET] = { 1, 0, 0 },/; s/^    case TRIAD_HC_PING: .*/&\n    case TRIAD_HC_RESET: return hc_reset(c, s, r);/' "$tmp/p/monitor/hypercall.c"
printf 'static int64_t hc_reset(struct core *c)\n{\n    return restart_request(c);\n}\n' >>"$tmp/p/monitor/hypercall.c"
expect_fail new_hypercall_without_a_test_is_named \
  'coupling hypercall:RESET \(hypercall 3, hc_reset\): not verified by any test' coupling --out "$tmp/cpl"
coupled; sed -i 's|</system>|  <channel name="extra" key="2" kind="async-4slot" msg-size="8" writer="right"><reader sandbox="left"/></channel>\n</system>|' "$tmp/p/config/fix.xml"
expect_fail new_channel_without_a_test_is_named 'coupling channel:fix/extra \(right -> left\): not verified by any test' coupling --out "$tmp/cpl"
coupled; sed -i 's/^ok - 10-fix-boot: ping answered/not ok - 10-fix-boot: ping answered/' "$tmp/p/build/test-results/system.tap"
expect_fail failed_check_fails_its_coupling 'coupling hypercall:PING: its verifying check failed: 10-fix-boot: ping answered' coupling --out "$tmp/cpl"
coupled; sed -i 's/check "ping answered"/check "pong answered"/' "$tmp/p/tests/system/10-fix-boot.sh"
expect_fail renamed_check_is_named "coupling hypercall:PING: check 'ping answered' not found in tests/system/10-fix-boot.sh" coupling --out "$tmp/cpl"
coupled; printf '  hypercall:GONE: ["10-fix-boot: ping answered"]\n' >>"$tmp/p/certification/couplings.yaml"
sed -i 's/^pending:$//; s/^  exit:VE_HYPERCALL: .*//' "$tmp/p/certification/couplings.yaml"
printf 'pending:\n  exit:VE_HYPERCALL: "issue 13: fixture"\n' >>"$tmp/p/certification/couplings.yaml"
expect_fail orphan_coupling_record_is_named 'orphan coupling hypercall:GONE: the analysis finds no such coupling' coupling --out "$tmp/cpl"
coupled; sed -i "s/channel:fix\/data: .*/channel:fix\/data: [\"test_fix: case_one\"]/" "$tmp/p/certification/couplings.yaml"
expect_fail host_test_does_not_verify_a_channel 'coupling channel:fix/data: test_fix is a host test; a channel coupling exists only on the target' coupling --out "$tmp/cpl"
coupled; sed -i 's/"issue 13: the fixture.*"/"later"/' "$tmp/p/certification/couplings.yaml"
expect_fail pending_coupling_must_name_an_issue "coupling exit:VE_HYPERCALL: pending must name the open issue" coupling --out "$tmp/cpl"
[ $failed -eq 0 ]
