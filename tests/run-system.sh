#!/usr/bin/env bash
# Runs every system test (tests/system/*.sh, in name order).  Each prints TAP
# lines "ok - what" / "not ok - what"; a script that exits non-zero without
# printing a failure counts as one failed test.
#   tests/run-system.sh RESULTS.tap [TEST...]
set -uo pipefail
results=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$(dirname "$results")"
: >"$results"
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$top"/tests/system/[0-9]*.sh)
pass=0 fail=0
for t in "${tests[@]}"; do
  name=$(basename "$t" .sh)
  start=$(date +%s)
  out=$(cd "$top" && timeout 1200 bash "$t" 2>&1); status=$?
  secs=$(( $(date +%s) - start ))
  oks=$(grep -cE '^ok ' <<<"$out"); nots=$(grep -cE '^not ok ' <<<"$out")
  grep -E '^(not )?ok ' <<<"$out" | sed -E "s/^(not ok|ok) (- )?/\1 - $name: /" >>"$results"
  if [ "$status" -ne 0 ] && [ "$nots" -eq 0 ]; then
    echo "not ok - $name: exited with status $status" >>"$results"; nots=1
  fi
  if [ "$oks" -eq 0 ] && [ "$nots" -eq 0 ]; then
    echo "not ok - $name: ran no test" >>"$results"; nots=1
  fi
  pass=$((pass + oks)); fail=$((fail + nots))
  if [ "$nots" -gt 0 ]; then
    printf 'FAIL  %-34s %d passed, %d failed (%ds)\n' "$name" "$oks" "$nots" "$secs"
    sed 's/^/      /' <<<"$out" | tail -40
  else
    printf 'ok    %-34s %d passed (%ds)\n' "$name" "$oks" "$secs"
  fi
done
echo "system tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
