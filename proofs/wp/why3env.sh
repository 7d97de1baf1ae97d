# Sourced by proofs/wp/run.sh and proofs/tmr/run.sh (needs $top, the
# checkout, and $out, the proofs' build directory: relative to $top or
# absolute):
# the repo-local why3 configuration and the proof cache directory of a step
# setting.  Provers stop on a step limit, never on the clock: a step count
# does not depend on the machine's load (docs/proofs.md, "Step limits").

# why3_setup: exports WHY3CONFIG, the configuration `why3 config detect`
# finds (z3, cvc4), expanded by `why3 config show`, in which
#  - z3's step command is proofs/wp/z3-steps.sh, which gives z3 -wp-steps
#    as its rlimit, unchanged, and a fifteenth of it on a smoke test (why3's
#    %t is then the smoke timeout);
#  - cvc4's step command is proofs/wp/cvc4-steps.sh, which gives cvc4 a
#    tenth of it (a cvc4 resource unit is about ten z3 rlimit steps of
#    work on our goals).
# Both provers then report at most -wp-steps steps, the figure WP's cache
# compares a cached result with.  Made once per build directory, under a
# lock (modules run in parallel).
why3_dir() { case $out in /*) echo "$out" ;; *) echo "$top/$out" ;; esac; }

why3_current() { [ -s "$WHY3CONFIG" ] && grep -q 'z3-steps.sh %S %t ' "$WHY3CONFIG"; }

why3_setup() {
  local dir
  dir=$(why3_dir)
  export WHY3CONFIG=$dir/why3-provers.conf
  # A configuration written before z3-steps.sh existed is written again.
  why3_current && return 0
  (flock 9
   why3_current && exit 0
   detected=$dir/why3-detected.conf
   why3 config detect -C "$detected" >/dev/null 2>&1 || exit 1
   why3 -C "$detected" config show 2>/dev/null \
     | awk -v wrap="$top/proofs/wp/cvc4-steps.sh" -v z3wrap="$top/proofs/wp/z3-steps.sh" '
         function flush() {
           if (blk ~ /\nshortcut = "z3"\n/ && match(blk, /command_steps = "[^"]*"/)) {
             cmd = substr(blk, RSTART + 17, RLENGTH - 18)
             sub(/ rlimit=%S0?/, "", cmd)
             blk = substr(blk, 1, RSTART - 1) "command_steps = \"" z3wrap " %S %t " cmd "\"" substr(blk, RSTART + RLENGTH)
           }
           if (blk ~ /\nshortcut = "cvc4"\n/ && match(blk, /command_steps = "[^"]*"/)) {
             cmd = substr(blk, RSTART + 17, RLENGTH - 18)
             sub(/ --rlimit=%S/, "", cmd)
             blk = substr(blk, 1, RSTART - 1) "command_steps = \"" wrap " %S " cmd "\"" substr(blk, RSTART + RLENGTH)
           }
           printf "%s", blk; blk = ""
         }
         /^\[/ { flush() } { blk = blk $0 "\n" } END { flush() }' \
     >"$WHY3CONFIG.tmp" || exit 1
   grep -q 'cvc4-steps.sh %S ' "$WHY3CONFIG.tmp" || exit 1
   grep -q 'z3-steps.sh %S %t ' "$WHY3CONFIG.tmp" || exit 1
   mv "$WHY3CONFIG.tmp" "$WHY3CONFIG") 9>"$dir/.why3.lock" \
    || { rm -f "$WHY3CONFIG.tmp"
         echo "proofs: why3 configuration failed (detect, or a prover's step command not found)" >&2
         return 2; }
}

# wp_cache_dir STEPS TIMEOUT SMOKE_TIMEOUT: the proof cache of these limits,
# under WP_CACHE_DIR (default build/proofs/cache).  WP keys a cached result
# by the goal's text only, and replays it under whatever limits the run has;
# a result proved or given up under other limits or another prover command
# must not stand for this setting's, so each setting has its own directory:
# cache/<hash of the Frama-C version, the limits, the provers' step
# commands, cvc4-steps.sh and z3-steps.sh>.
wp_cache_dir() {
  local key
  key=$( { frama-c -version
           echo "steps=$1 timeout=$2 smoke-timeout=$3"
           grep -E '^(command_steps|shortcut|version) = ' "$WHY3CONFIG"
           cat "$top/proofs/wp/cvc4-steps.sh" "$top/proofs/wp/z3-steps.sh"; } | sha256sum | cut -c1-12)
  echo "${WP_CACHE_DIR:-$(why3_dir)/cache}/steps-$1-$key"
}

# wp_provers MODULE [LIST]: the order in which WP tries the two provers on
# a goal of MODULE, from LIST (default proofs/wp/provers.list): "z3,cvc4"
# unless the list says "cvc4,z3".  WP runs them one after the other
# (-wp-par 1) and stops at the first that proves the goal, so the order
# decides the cost only: a goal is Valid when either prover proves it
# within its step limit, whichever runs first, and a smoke test passes only
# when both give up.  Anything but those two orders is refused (exit 2):
# one prover alone would change which goals prove.
wp_provers() {
  local list=${2:-$top/proofs/wp/provers.list} order
  order=$(awk -v m="$1" '!/^#/ && $1 == m {print $2}' "$list" 2>/dev/null)
  case ${order:-z3,cvc4} in
    z3,cvc4|cvc4,z3) echo "${order:-z3,cvc4}" ;;
    *) echo "proofs: $1: prover order '$order' in $list is not z3,cvc4 or cvc4,z3" >&2; return 2 ;;
  esac
}
