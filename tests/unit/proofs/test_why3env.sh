#!/usr/bin/env bash
# The provers' step limits and the proof cache's key (proofs/wp/why3env.sh,
# proofs/wp/cvc4-steps.sh, proofs/wp/z3-steps.sh): z3 takes -wp-steps as
# its rlimit (a fifteenth of it on a smoke test) and cvc4 a tenth of it, so
# a cached result's step count is comparable with -wp-steps; every step setting has its own cache directory (WP keys a
# cached result by the goal's text alone); a step limit that is not a
# number is refused; the prover order of provers.list is one of the two
# permutations of z3 and cvc4.  Uses the real why3 and the installed provers' entries.
# REQ: PROOF-GATE-001
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() {  # check NAME COMMAND...
  if "${@:2}"; then pass=$((pass + 1)); echo "ok - $1"; else fail=$((fail + 1)); echo "not ok - $1"; fi
}

# why3_setup in a scratch build directory.
mkdir -p "$tmp/build/proofs"
conf=$(bash -c 'top=$1; out=$2; . "$top/proofs/wp/why3env.sh"; why3_setup >/dev/null 2>&1 && echo "$WHY3CONFIG"' \
       _ "$top" "$tmp/build/proofs") || conf=""
check "why3 configuration written" test -s "$conf"
z3_steps=$(awk '/^\[prover\]/{b=""} {b=b $0 "\n"} /^shortcut = "z3"$/{print b}' "$conf" | grep '^command_steps')
cvc4_steps=$(awk '/^\[prover\]/{b=""} {b=b $0 "\n"} /^shortcut = "cvc4"$/{print b}' "$conf" | grep '^command_steps')
check "z3's step command goes through z3-steps.sh with the time limit" grep -q 'z3-steps.sh %S %t /' <<<"$z3_steps"
check "z3's own rlimit=%S removed" test "$(grep -c 'rlimit=%S' <<<"$z3_steps")" -eq 0
check "cvc4's step command goes through cvc4-steps.sh" grep -q 'cvc4-steps.sh %S /' <<<"$cvc4_steps"
check "cvc4's own --rlimit=%S removed" test "$(grep -c -- '--rlimit=%S' <<<"$cvc4_steps")" -eq 0

# cvc4-steps.sh: a tenth of the limit, appended to the real command line.
args=$("$top/proofs/wp/cvc4-steps.sh" 1500000 echo --stats --lang=smt2 goal.smt2)
check "cvc4 gets a tenth of the step limit" test "$args" = "--stats --lang=smt2 goal.smt2 --rlimit=150000"
"$top/proofs/wp/cvc4-steps.sh" 15x echo never >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
check "a step limit that is not a number is refused (exit 2)" test "$rc" -eq 2
check "the refusal names the bad limit" grep -q "step limit '15x' is not a number" "$tmp/bad.err"
check "nothing runs on a refused limit" test ! -s "$tmp/bad.out"

# z3-steps.sh: the limit unscaled on a goal, a fifteenth on a smoke test
# (why3's time limit is then the smoke timeout run.sh exports).
args=$(WP_SMOKE_TIMEOUT=2 "$top/proofs/wp/z3-steps.sh" 1500000 60 echo -smt2 goal.smt2)
check "z3 gets the step limit on a goal" test "$args" = "-smt2 goal.smt2 rlimit=1500000"
args=$(WP_SMOKE_TIMEOUT=2 "$top/proofs/wp/z3-steps.sh" 1500000 2 echo -smt2 goal.smt2)
check "z3 gets a fifteenth of it on a smoke test" test "$args" = "-smt2 goal.smt2 rlimit=100000"
args=$(env -u WP_SMOKE_TIMEOUT "$top/proofs/wp/z3-steps.sh" 1500000 2 echo -smt2 goal.smt2)
check "without a smoke timeout exported, z3 gets the whole limit" test "$args" = "-smt2 goal.smt2 rlimit=1500000"
WP_SMOKE_TIMEOUT=2 "$top/proofs/wp/z3-steps.sh" 15x 2 echo never >"$tmp/bad3.out" 2>"$tmp/bad3.err"
rc=$?
check "z3-steps.sh refuses a step limit that is not a number (exit 2)" test "$rc" -eq 2
check "its refusal names the bad limit" grep -q "step limit '15x' is not a number" "$tmp/bad3.err"
check "nothing runs on z3-steps.sh's refused limit" test ! -s "$tmp/bad3.out"

# run.sh refuses a goal timeout equal to the smoke timeout (z3-steps.sh
# could not tell a smoke test from a goal), before any prover runs.
WP_OUT_DIR=$tmp/out WP_TIMEOUT=2 "$top/proofs/wp/run.sh" monitor-console >"$tmp/t.out" 2>"$tmp/t.err"
rc=$?
check "run.sh refuses WP_TIMEOUT equal to the smoke timeout (exit 2)" test "$rc" -eq 2
check "the refusal says why" grep -q "must not equal the smoke timeout" "$tmp/t.err"
check "no result written on that refusal" test ! -e "$tmp/out/monitor-console.result.json"

# The cache directory: one per setting, stable for the same setting.
key() { WHY3CONFIG=$conf WP_CACHE_DIR=$tmp/cache bash -c \
  'top=$1; out=$2; shift 2; . "$top/proofs/wp/why3env.sh"; wp_cache_dir "$@"' _ "$top" "$tmp/build/proofs" "$@"; }
a=$(key 1500000 60 2); b=$(key 1500000 60 2); c=$(key 2500000 60 2); d=$(key 1500000 60 5); e=$(key 1500000 30 2)
check "same setting, same cache directory" test -n "$a" -a "$a" = "$b"
check "cache directory under WP_CACHE_DIR, named by its steps" test "${a#"$tmp"/cache/steps-1500000-}" != "$a"
check "another step limit, another cache directory" test "$a" != "$c"
check "another smoke timeout, another cache directory" test "$a" != "$d"
check "another prover timeout, another cache directory" test "$a" != "$e"

# The prover order (why3env.sh's wp_provers, proofs/wp/provers.list): the
# default, a listed module's order, and every order that is not one of the
# two permutations refused, since one prover alone would change verdicts.
prov() { bash -c 'top=$1; shift; . "$top/proofs/wp/why3env.sh"; wp_provers "$@"' _ "$top" "$@"; }
printf '# comment\nmod-a cvc4,z3   # why\nmod-b z3,cvc4\nmod-c z3\nmod-d cvc4,z3,alt-ergo\nmod-e z3;rm\n' >"$tmp/provers.list"
check "a module not listed: z3 first" test "$(prov mod-x "$tmp/provers.list")" = "z3,cvc4"
check "a listed module: its order" test "$(prov mod-a "$tmp/provers.list")" = "cvc4,z3"
check "the default order may be listed" test "$(prov mod-b "$tmp/provers.list")" = "z3,cvc4"
for m in mod-c mod-d mod-e; do
  prov "$m" "$tmp/provers.list" >"$tmp/p.out" 2>"$tmp/p.err"
  rc=$?
  check "$m: an order that is not both provers is refused (exit 2)" test "$rc" -eq 2
  check "$m: the refusal names the module" grep -q "proofs: $m: prover order" "$tmp/p.err"
  check "$m: nothing printed on a refusal" test ! -s "$tmp/p.out"
done
# Every module of the real list is a run run.sh knows, with a valid order.
prov_ok() { prov "$1" >/dev/null; }
while read -r m _; do
  known=$(awk -v m="$m" '!/^#/ && $1 == m' "$top/proofs/wp/modules.list" "$top/proofs/wp/functions.list")
  check "provers.list: $m is a module of modules.list or functions.list" test -n "$known"
  check "provers.list: $m has a valid order" prov_ok "$m"
done < <(grep -vE '^(#|[[:space:]]*$)' "$top/proofs/wp/provers.list")

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
