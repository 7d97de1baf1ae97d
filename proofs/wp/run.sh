#!/usr/bin/env bash
# Runs Frama-C/WP on one proof module of proofs/wp/modules.list and gates on
# the CSV report.  Frama-C's exit status alone misses failed smoke tests, so it
# is not trusted: proofs/wp/gate.py reads the CSV.
#   proofs/wp/run.sh MODULE
# Output: build/proofs/MODULE.{log,csv,result.json}; one summary line; the
# summary table build/proofs/summary.{txt,json} is regenerated after every
# module.  Exit 1 if any property of our files is not proved.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
module=${1:?usage: proofs/wp/run.sh MODULE}
out=build/proofs
mkdir -p "$out/cache"
# WP_CACHE_DIR: another proof cache (an empty one measures a cold run).

# WP_MODULES_LIST: another list (the mutation test's broken copies).
list=${WP_MODULES_LIST:-proofs/wp/modules.list}
line=$(grep -E "^$module[[:space:]]" "$list") \
  || { echo "proofs: unknown module '$module' (see $list)" >&2; exit 2; }
read -r _ incs files <<<"$line"
includes=""
for d in ${incs//,/ }; do includes+=" -I$top/$d"; done

# A repo-local why3 configuration: without it WP reports the provers missing.
export WHY3CONFIG=$top/$out/why3.conf
if [ ! -s "$WHY3CONFIG" ]; then
  (flock 9; [ -s "$WHY3CONFIG" ] || why3 config detect -C "$WHY3CONFIG" >/dev/null 2>&1) 9>"$out/.why3.lock" \
    || { echo "proofs: why3 config detect failed" >&2; exit 2; }
fi

# The prover timeout: 10 s, or the module's own in proofs/wp/timeouts.list
# (a module whose hardest goals need seconds of CPU); WP_TIMEOUT overrides.
timeout=$(awk -v m="$module" '!/^#/ && $1 == m {print $2}' proofs/wp/timeouts.list 2>/dev/null)
timeout=${WP_TIMEOUT:-${timeout:-10}}

# The one fixed flag set (issue 12).  alt-ergo is not packaged: z3, cvc4.
# Smoke tests look for inconsistent preconditions, loop invariants and dead
# code; not at every call site (-wp-no-smoke-dead-call): a proved callee
# cannot return into a contradiction (its body establishes its
# postcondition, its own smoke tests check its contract), a contradictory
# postcondition of a trusted stub makes the code after the call dead, which
# the dead-code smoke tests of the following blocks look for.  That cut
# about 30% of the smoke tests, which are most of a cold run's time (each
# lets both provers run to the 2 s smoke timeout).
# FRAMA_C selects the contract stubs of the inline-assembly wrappers
# (monitor/cpu.h, monitor/vmx/vmx_asm.h): trusted, see proofs/ASSUMPTIONS.md.
FLAGS=(-machdep gcc_x86_64 -c11
  -cpp-extra-args="-nostdinc -I$(gcc -print-file-name=include)$includes -DFRAMA_C"
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast
  -warn-invalid-pointer -wp-prover z3,cvc4 -wp-smoke-tests -wp-no-smoke-dead-call -wp-literals
  -wp-timeout "$timeout" -wp-par "${WP_PAR:-1}"
  -wp-cache update -wp-cache-dir "${WP_CACHE_DIR:-$top/$out/cache}")

rm -f "$out/$module.csv" "$out/$module.result.json"
start=$(date +%s.%N)
frama-c "${FLAGS[@]}" $files -then -report-csv "$out/$module.csv" >"$out/$module.log" 2>&1
fc=$?
end=$(date +%s.%N)
python3 proofs/wp/gate.py "$module" "$out" "$fc" "$start" "$end" "$files"
rc=$?
# The summary covers every module that has a result; a lock keeps parallel
# modules from writing it at the same time.
(flock 9; python3 proofs/wp/summary.py "$out" >/dev/null) 9>"$out/.summary.lock"
exit $rc
