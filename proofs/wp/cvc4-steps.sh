#!/bin/sh
# cvc4 under a tenth of WP's step limit (proofs/wp/why3env.sh writes this
# script into the why3 configuration as cvc4's step command).
#   cvc4-steps.sh STEPS CVC4 ARGS...
# -wp-steps is z3's rlimit; a cvc4 resource unit does about ten times the
# work of a z3 rlimit step on our goals, so cvc4 gets STEPS / 10.  Both
# provers then report step counts at or under -wp-steps, which is what WP's
# proof cache compares a cached result with: with the old scaling (z3 given
# ten times -wp-steps) a z3 proof that took more than -wp-steps came back
# from the cache as a step-out, and a warm run differed from a cold one.
steps=$1
shift
case $steps in
  ''|*[!0-9]*) echo "cvc4-steps.sh: step limit '$steps' is not a number" >&2; exit 2 ;;
esac
exec "$@" --rlimit=$((steps / 10))
