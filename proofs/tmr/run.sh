#!/usr/bin/env bash
# Frama-C/WP proof of the TMR voter (tmr/voter.c): every goal, including the
# runtime-error guards (-wp-rte plus unsigned overflow and downcasts), must be
# Valid.  Frama-C's own exit status misses failed goals, so the gate is the
# CSV report: any row whose status is not "Valid" fails the run.
#   proofs/tmr/run.sh [OUTDIR]      (default build/proofs/tmr)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build/proofs/tmr}
mkdir -p "$out"
cd "$top"

# why3 finds z3 and cvc4 only through a configuration file: the one of
# proofs/wp/run.sh (proofs/wp/why3env.sh), whose step commands let one
# -wp-steps value bound both provers.  Provers stop on steps, not on the
# clock (load-insensitive): the voter's hardest goals take cvc4 202,218
# resource units and z3 2,341,618 rlimit steps (proofs/wp/steps.list), so
# 2,500,000; the 60 s timeout is only a safety net against a runaway prover.
# The cache directory is that of this step setting.
. proofs/wp/why3env.sh
out=build/proofs why3_setup || exit 2
steps=2500000
cache=$(out=build/proofs wp_cache_dir "$steps" 60 2)
mkdir -p "$cache"

csv=$out/voter.csv
rm -f "$csv"
frama-c -c11 -cpp-extra-args="-Itmr -D__FRAMAC__" -machdep x86_64 \
  -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast -warn-invalid-pointer \
  -wp -wp-rte -wp-smoke-tests -wp-prover z3,cvc4 -wp-steps "$steps" -wp-timeout 60 -wp-smoke-timeout 2 -wp-par 2 -wp-cache update -wp-cache-dir "$cache" \
  tmr/voter.c -then -report-csv "$csv" >"$out/frama-c.log" 2>&1 || {
    echo "proofs-tmr: frama-c failed, see $out/frama-c.log"; tail -20 "$out/frama-c.log"; exit 1; }

[ -s "$csv" ] || { echo "proofs-tmr: no report written"; exit 1; }
# The CSV is tab-separated with a header; column 6 is the status.  A
# property text may continue on the next line (Frama-C does not quote it):
# such continuation lines carry no status and are skipped.
read -r total bad < <(python3 - "$csv" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1], newline=''), delimiter='\t',
                              quoting=csv.QUOTE_NONE)][1:]
rows = [r for r in rows if len(r) >= 7]
bad = [r for r in rows if r[5] != 'Valid']
for r in bad:
    print('\t'.join(r[:7]).replace('\n', ' '), file=sys.stderr)
print(len(rows), len(bad))
PY
)
grep -E '^\[wp\] Proved goals' "$out/frama-c.log" || true
if [ "$bad" -ne 0 ] || [ "$total" -eq 0 ]; then
  echo "proofs-tmr: $bad of $total properties not Valid (listed above)"
  exit 1
fi
echo "proofs-tmr: all $total properties of tmr/voter.c Valid (report $csv)"
