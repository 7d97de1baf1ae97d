#!/usr/bin/env bash
# Runs host unit-test programs (cmocka) and writes one TAP line per test case
# to RESULTS, each named "<program>: <case>".  A program that dies without
# reporting a failure counts as one failed test: a crash never passes.
#   tests/run-unit.sh RESULTS.tap PROGRAM...
# UNIT_TIMEOUT (seconds per program, default 120): the coverage builds
# (certification/tools/coverage.sh) raise it, their instrumented threads run slower.
set -uo pipefail
results=$1; shift
mkdir -p "$(dirname "$results")"
: >"$results"
# The SHA-256 of the sources these results are made from, as the run begins:
# certification/tools/certgen.py judges the results by content (issue 13).
/usr/bin/python3 "$(dirname "$0")/../certification/tools/certgen.py" stamp unit-tests \
  --to "${results%.tap}.stamp.json" || echo "run-unit: no source stamp written" >&2
pass=0 fail=0
for prog in "$@"; do
  name=$(basename "$prog")
  out=$(CMOCKA_MESSAGE_OUTPUT=TAP timeout "${UNIT_TIMEOUT:-120}" "$prog" 2>&1); status=$?
  oks=$(grep -cE '^ok ' <<<"$out"); nots=$(grep -cE '^not ok ' <<<"$out")
  # Every line carries its program's name, numbered TAP ("ok 3 - case",
  # cmocka) or not ("ok - case", the shell tests): the certification
  # package reads "ok - PROGRAM: CASE" and counts nothing else.
  grep -E '^(not )?ok ' <<<"$out" | sed -E "s/^(not ok|ok)( [0-9]+)?( -)? /\1 - $name: /" >>"$results"
  if [ "$status" -ne 0 ] && [ "$nots" -eq 0 ]; then
    echo "not ok - $name: exited with status $status" >>"$results"; nots=1
  fi
  if [ "$oks" -eq 0 ] && [ "$nots" -eq 0 ]; then
    echo "not ok - $name: ran no test" >>"$results"; nots=1
  fi
  pass=$((pass + oks)); fail=$((fail + nots))
  if [ "$nots" -gt 0 ]; then
    printf 'FAIL  %-28s %d passed, %d failed\n' "$name" "$oks" "$nots"
    grep -vE '^(ok |1\.\.)' <<<"$out" | sed 's/^/      /' | head -40
  else
    printf 'ok    %-28s %d passed\n' "$name" "$oks"
  fi
done
echo "unit tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
