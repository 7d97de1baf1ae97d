#!/usr/bin/env bash
# Runs Frama-C/WP on one proof module of proofs/wp/modules.list and gates on
# the CSV report: every property must be Valid.  Frama-C's exit status alone
# misses failed smoke tests, so it is not trusted.
#   proofs/wp/run.sh MODULE
# Output: build/proofs/MODULE.{log,csv}; one summary line; exit 1 if any
# property is not Valid.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
module=${1:?usage: proofs/wp/run.sh MODULE}
out=build/proofs
mkdir -p "$out/cache"

line=$(grep -E "^$module[[:space:]]" proofs/wp/modules.list) \
  || { echo "proofs: unknown module '$module' (see proofs/wp/modules.list)" >&2; exit 2; }
read -r _ incs files <<<"$line"
includes=""
for d in ${incs//,/ }; do includes+=" -I$top/$d"; done

# A repo-local why3 configuration: without it WP reports the provers missing.
export WHY3CONFIG=$top/$out/why3.conf
if [ ! -s "$WHY3CONFIG" ]; then
  (flock 9; [ -s "$WHY3CONFIG" ] || why3 config detect -C "$WHY3CONFIG" >/dev/null 2>&1) 9>"$out/.why3.lock" \
    || { echo "proofs: why3 config detect failed" >&2; exit 2; }
fi

# The one fixed flag set (issue: proofs).  alt-ergo is not packaged: z3, cvc4.
FLAGS=(-machdep gcc_x86_64
  -cpp-extra-args="-nostdinc -I$(gcc -print-file-name=include)$includes -DFRAMA_C"
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast
  -warn-invalid-pointer -wp-prover z3,cvc4 -wp-smoke-tests
  -wp-timeout "${WP_TIMEOUT:-10}" -wp-par "${WP_PAR:-1}"
  -wp-cache update -wp-cache-dir "$top/$out/cache")

frama-c "${FLAGS[@]}" $files -then -report-csv "$out/$module.csv" >"$out/$module.log" 2>&1
fc=$?
if [ ! -s "$out/$module.csv" ]; then
  echo "proofs: $module: Frama-C produced no report (exit $fc); see $out/$module.log" >&2
  tail -5 "$out/$module.log" >&2
  exit 1
fi
# Columns (tab-separated): directory, file, line, function, property kind, status, property.
# Rows from Frama-C's own library (FRAMAC_SHARE) are its axioms, not ours.
ours=$(tail -n +2 "$out/$module.csv" | awk -F'\t' '$1 !~ /^FRAMAC_SHARE/')
total=$(grep -c . <<<"$ours")
bad=$(awk -F'\t' '$6 != "Valid"' <<<"$ours")
nbad=$(grep -c . <<<"$bad")
if [ "$fc" -ne 0 ] || [ "$nbad" -gt 0 ]; then
  echo "proofs: $module: $((total - nbad)) of $total properties valid (frama-c exit $fc)"
  awk -F'\t' '{printf "  %s:%s %s %s: %s\n", $2, $3, $4, $7, $6}' <<<"$bad" | head -20
  exit 1
fi
echo "proofs: $module: all $total properties valid"
