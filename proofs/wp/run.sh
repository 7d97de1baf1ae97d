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
# A function-focused run (proofs/wp/functions.list): a module's files, only
# the named functions proved (-wp-fct), only their properties judged.
fct=""
focus=$(awk -v m="$module" '!/^#/ && $1 == m {print $2, $3}' proofs/wp/functions.list 2>/dev/null)
if [ -n "$focus" ] && [ -z "${WP_MODULES_LIST:-}" ]; then
  read -r base fct <<<"$focus"
  line=$(grep -E "^$base[[:space:]]" "$list") \
    || { echo "proofs: $module: unknown module '$base' (see proofs/wp/functions.list)" >&2; exit 2; }
else
  line=$(grep -E "^$module[[:space:]]" "$list") \
    || { echo "proofs: unknown module '$module' (see $list)" >&2; exit 2; }
fi
read -r _ incs files <<<"$line"
includes=""
for d in ${incs//,/ }; do includes+=" -I$top/$d"; done

# A repo-local why3 configuration: without it WP reports the provers missing.
# `why3 config detect` finds z3 and cvc4; `why3 config show` expands that into
# full prover entries, in which z3's step limit is scaled by 10 (rlimit=%S0):
# one -wp-steps value serves both provers, and a z3 step (its rlimit count) is
# about a tenth of a cvc4 step (resource units) for the same work: our goals
# take cvc4 up to ~30,000 and z3 up to ~1,500,000 (docs/proofs.md).
export WHY3CONFIG=$top/$out/why3-steps.conf
if [ ! -s "$WHY3CONFIG" ]; then
  (flock 9
   [ -s "$WHY3CONFIG" ] && exit 0
   detected=$out/why3-detected.conf
   why3 config detect -C "$detected" >/dev/null 2>&1 || exit 1
   why3 -C "$detected" config show 2>/dev/null \
     | awk 'function flush() { if (blk ~ /\nshortcut = "z3"\n/) sub(/rlimit=%S /, "rlimit=%S0 ", blk)
                               printf "%s", blk; blk = "" }
            /^\[/ { flush() } { blk = blk $0 "\n" } END { flush() }' \
     >"$WHY3CONFIG.tmp" || exit 1
   grep -q 'rlimit=%S0 ' "$WHY3CONFIG.tmp" || exit 1
   mv "$WHY3CONFIG.tmp" "$WHY3CONFIG") 9>"$out/.why3.lock" \
    || { rm -f "$WHY3CONFIG.tmp"; echo "proofs: why3 configuration failed (detect, or z3's step command not found)" >&2; exit 2; }
fi

# Provers stop on a step limit, not on time: a step count does not depend on
# the machine's load, so a goal proved once is proved on every run (the gate
# of session 2 used a wall-clock timeout and lost goals under load).  The
# limit: 150,000 steps, or the module's own in proofs/wp/steps.list;
# WP_STEPS overrides.  The wall-clock timeout stays only as a safety net
# against a runaway prover: far above what the step limit takes (a
# 1,500,000-step z3 run is under 1 s of CPU), never the limit that decides.
steps=$(awk -v m="$module" '!/^#/ && $1 == m {print $2}' proofs/wp/steps.list 2>/dev/null)
steps=${WP_STEPS:-${steps:-150000}}
timeout=${WP_TIMEOUT:-60}

# The one fixed flag set (issue 12).  alt-ergo is not packaged: z3, cvc4.
# Smoke tests look for inconsistent preconditions, loop invariants and dead
# code; not at every call site (-wp-no-smoke-dead-call): a proved callee
# cannot return into a contradiction (its body establishes its
# postcondition, its own smoke tests check its contract), a contradictory
# postcondition of a trusted stub makes the code after the call dead, which
# the dead-code smoke tests of the following blocks look for.  That cut
# about 30% of the smoke tests, which are most of a cold run's time: a smoke
# test passes only when both provers give up, so each runs both to the step
# limit or to the 2 s smoke timeout (-wp-smoke-timeout), whichever comes
# first.  That timeout is wall-clock, but it can only make a smoke test pass
# (not find \false), never fail a goal: on consistent code the verdict is
# the same at any load.
# FRAMA_C selects the contract stubs of the inline-assembly wrappers
# (monitor/cpu.h, monitor/vmx/vmx_asm.h): trusted, see proofs/ASSUMPTIONS.md.
FLAGS=(-machdep gcc_x86_64 -c11
  -cpp-extra-args="-nostdinc -I$(gcc -print-file-name=include)$includes -DFRAMA_C"
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast
  -warn-invalid-pointer -wp-prover z3,cvc4 -wp-smoke-tests -wp-no-smoke-dead-call -wp-literals
  -wp-steps "$steps" -wp-timeout "$timeout" -wp-smoke-timeout 2 -wp-par "${WP_PAR:-1}"
  -wp-cache update -wp-cache-dir "${WP_CACHE_DIR:-$top/$out/cache}")
[ -z "$fct" ] || FLAGS+=(-wp-fct "$fct")

rm -f "$out/$module.csv" "$out/$module.result.json"
# The SHA-256 of the module's sources as the run begins: the certification
# package judges the result by content (issue 13; none for a mutant's list).
python3 certification/tools/certgen.py stamp "proof:$module" --to "$out/$module.stamp.json" >/dev/null 2>&1 \
  || rm -f "$out/$module.stamp.json"
start=$(date +%s.%N)
frama-c "${FLAGS[@]}" $files -then -report-csv "$out/$module.csv" >"$out/$module.log" 2>&1
fc=$?
end=$(date +%s.%N)
python3 proofs/wp/gate.py "$module" "$out" "$fc" "$start" "$end" "$files" "$fct"
rc=$?
# The summary covers every module that has a result; a lock keeps parallel
# modules from writing it at the same time.
(flock 9; python3 proofs/wp/summary.py "$out" >/dev/null) 9>"$out/.summary.lock"
exit $rc
