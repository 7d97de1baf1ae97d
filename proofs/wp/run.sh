#!/usr/bin/env bash
# Runs Frama-C/WP on one proof module of proofs/wp/modules.list and gates on
# the CSV report.  Frama-C's exit status alone misses failed smoke tests, so it
# is not trusted: proofs/wp/gate.py reads the CSV.
#   proofs/wp/run.sh MODULE
# Output: build/proofs/MODULE.{log,csv,result.json,wp.json}; one summary
# line; the summary table build/proofs/summary.{txt,json} is regenerated
# after every module.  Exit 1 if any property of our files is not proved.
# WP_OUT_DIR: another output directory (a cold measurement beside a live
# run; it also holds that run's why3 configuration).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
module=${1:?usage: proofs/wp/run.sh MODULE}
out=${WP_OUT_DIR:-build/proofs}
mkdir -p "$out"
# WP_CACHE_DIR: another proof cache root (an empty one measures a cold run).

# WP_MODULES_LIST: another list (the mutation test's broken copies).
list=${WP_MODULES_LIST:-proofs/wp/modules.list}
# A function-focused run (proofs/wp/functions.list): a module's files, only
# the named functions proved (-wp-fct), only their properties judged.
# An optional fourth column names the properties proved (-wp-prop: a WP
# category such as @assigns, or clause names); the gate then judges only
# those properties of the named functions.
# A lemma-only run: the functions column "-" (no -wp-fct) and the
# properties column naming lemmas (@lemma: every lemma of the module's files
# and headers).  A lemma is a goal only in a run without -wp-fct, and a
# whole run proves every function too: this form proves the lemmas alone,
# and the gate judges only them.
fct=""
props=""
focus=$(awk -v m="$module" '!/^#/ && $1 == m {print $2, $3, $4}' proofs/wp/functions.list 2>/dev/null)
if [ -n "$focus" ] && [ -z "${WP_MODULES_LIST:-}" ]; then
  read -r base fct props <<<"$focus"
  if [ "$fct" = "-" ]; then
    fct=""
    [ -n "$props" ] \
      || { echo "proofs: $module: a run without functions ('-') must name its properties (proofs/wp/functions.list)" >&2; exit 2; }
  fi
  line=$(grep -E "^$base[[:space:]]" "$list") \
    || { echo "proofs: $module: unknown module '$base' (see proofs/wp/functions.list)" >&2; exit 2; }
else
  line=$(grep -E "^$module[[:space:]]" "$list") \
    || { echo "proofs: unknown module '$module' (see $list)" >&2; exit 2; }
fi
read -r _ incs files <<<"$line"
includes=""
for d in ${incs//,/ }; do includes+=" -I$top/$d"; done

# The repo-local why3 configuration and the proof cache of this step
# setting (proofs/wp/why3env.sh).
. proofs/wp/why3env.sh
why3_setup || exit 2

# Provers stop on a step limit, not on time: a step count does not depend on
# the machine's load, so a goal proved once is proved on every run (the gate
# of session 2 used a wall-clock timeout and lost goals under load).  The
# limit: -wp-steps 1,500,000, or the module's own in proofs/wp/steps.list;
# WP_STEPS overrides.  It is z3's rlimit; cvc4 gets a tenth of it
# (cvc4-steps.sh).  The wall-clock timeout stays only as a safety net
# against a runaway prover: far above what the step limit takes (a
# 1,500,000-step z3 run is under 1 s of CPU), never the limit that decides.
steps=$(awk -v m="$module" '!/^#/ && $1 == m {print $2}' proofs/wp/steps.list 2>/dev/null)
steps=${WP_STEPS:-${steps:-1500000}}
case $steps in ''|*[!0-9]*) echo "proofs: step limit '$steps' is not a number" >&2; exit 2 ;; esac
timeout=${WP_TIMEOUT:-60}
smoke_timeout=2
# z3-steps.sh tells a smoke test from another goal by why3's time limit:
# the two must differ.
[ "$timeout" != "$smoke_timeout" ] \
  || { echo "proofs: WP_TIMEOUT must not equal the smoke timeout ($smoke_timeout s)" >&2; exit 2; }
export WP_SMOKE_TIMEOUT=$smoke_timeout
# Which prover WP tries first on a goal (proofs/wp/provers.list): cost only,
# never the verdict.
provers=$(wp_provers "$module") || exit 2
cache=$(wp_cache_dir "$steps" "$timeout" "$smoke_timeout")
mkdir -p "$cache"

# The one fixed flag set (issue 12).  alt-ergo is not packaged: z3, cvc4.
# Smoke tests look for inconsistent preconditions, loop invariants and dead
# code; not at every call site (-wp-no-smoke-dead-call): a proved callee
# cannot return into a contradiction (its body establishes its
# postcondition, its own smoke tests check its contract), a contradictory
# postcondition of a trusted stub makes the code after the call dead, which
# the dead-code smoke tests of the following blocks look for.  That cut
# about 30% of the smoke tests, which are most of a cold run's time: a smoke
# test passes only when both provers give up, so each runs both to their
# step limit or to the 2 s smoke timeout (-wp-smoke-timeout), whichever
# comes first: z3 took 0.7 s to the full 2 s on every smoke goal sampled
# (most of a cold run's CPU).  Since session 8 z3 stops a smoke test at a
# fifteenth of the limit (proofs/wp/z3-steps.sh, about 0.1 s), cvc4 still
# at its full one.  The
# timeout is wall-clock, but it can only make a smoke test pass (not find
# \false), never fail a goal: on consistent code the verdict is the same at
# any load.
# FRAMA_C selects the contract stubs of the inline-assembly wrappers
# (monitor/cpu.h, monitor/vmx/vmx_asm.h): trusted, see proofs/ASSUMPTIONS.md.
FLAGS=(-machdep gcc_x86_64 -c11
  -cpp-extra-args="-nostdinc -I$(gcc -print-file-name=include)$includes -DFRAMA_C"
  -wp -wp-rte -warn-unsigned-overflow -warn-unsigned-downcast -warn-signed-downcast
  -warn-invalid-pointer -wp-prover "$provers" -wp-smoke-tests -wp-no-smoke-dead-call -wp-literals
  -wp-steps "$steps" -wp-timeout "$timeout" -wp-smoke-timeout "$smoke_timeout" -wp-par "${WP_PAR:-1}"
  -wp-cache update -wp-cache-dir "$cache" -wp-report-json "$out/$module.wp.json")
[ -z "$fct" ] || FLAGS+=(-wp-fct "$fct")
[ -z "$props" ] || FLAGS+=(-wp-prop "$props")

rm -f "$out/$module.csv" "$out/$module.result.json" "$out/$module.wp.json"
# The SHA-256 of the module's sources as the run begins: the certification
# package judges the result by content (issue 13; none for a mutant's list).
python3 certification/tools/certgen.py stamp "proof:$module" --to "$out/$module.stamp.json" >/dev/null 2>&1 \
  || rm -f "$out/$module.stamp.json"
start=$(date +%s.%N)
frama-c "${FLAGS[@]}" $files -then -report-csv "$out/$module.csv" >"$out/$module.log" 2>&1
fc=$?
end=$(date +%s.%N)
python3 proofs/wp/gate.py "$module" "$out" "$fc" "$start" "$end" "$files" "$fct" "$props"
rc=$?
# The summary covers every module that has a result; a lock keeps parallel
# modules from writing it at the same time.
(flock 9; python3 proofs/wp/summary.py "$out" >/dev/null) 9>"$out/.summary.lock"
exit $rc
