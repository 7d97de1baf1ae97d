#!/usr/bin/env bash
# Runs every benchmark (tests/bench/[0-9]*.sh); each prints a table and
# writes build/bench/<name>.json.
set -uo pipefail
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
status=0
for b in "$top"/tests/bench/[0-9]*.sh; do
  (cd "$top" && bash "$b" "$out") || { echo "bench: $(basename "$b") failed"; status=1; }
done
exit $status
