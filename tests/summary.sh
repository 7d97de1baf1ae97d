#!/usr/bin/env bash
# Adds up TAP result files into the closing line "N passed, N failed".
# A missing result file means that half never ran: it counts as a failure.
set -uo pipefail
pass=0 fail=0
for f in "$@"; do
  if [ ! -f "$f" ]; then
    echo "summary: $f missing (that half of the suite did not run)"
    fail=$((fail + 1)); continue
  fi
  pass=$((pass + $(grep -cE '^ok ' "$f"))); fail=$((fail + $(grep -cE '^not ok ' "$f")))
done
if [ "$fail" -gt 0 ]; then
  echo "failed tests:"
  grep -hE '^not ok ' "$@" 2>/dev/null | sed 's/^not ok - /  /'
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
