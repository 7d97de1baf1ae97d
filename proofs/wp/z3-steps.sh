#!/bin/sh
# z3 under WP's step limit, or a fifteenth of it on a smoke test
# (proofs/wp/why3env.sh writes this script into the why3 configuration as
# z3's step command).
#   z3-steps.sh STEPS TIMELIMIT Z3 ARGS...
# TIMELIMIT is why3's %t: -wp-smoke-timeout on a smoke test, -wp-timeout on
# any other goal; proofs/wp/run.sh exports the smoke timeout as
# WP_SMOKE_TIMEOUT and refuses the two equal.  A smoke test passes only when
# both provers give up, so every one of them ran z3 to 1,500,000 steps or
# the 2 s smoke timeout: on 20 smoke goals of console.c, 9 reached the
# limit in 0.7-1.6 s of CPU, 11 ran into the timeout (most of a cold run's
# CPU, and how far z3 got hung on the machine's load).  z3 now stops a smoke test at STEPS / 15 (100,000 at the
# default: about 0.1 s), a step count, so the same at any load; cvc4 still
# runs every smoke test to its full limit (cvc4-steps.sh).  Measured in
# docs/proofs.md ("Session 8: the cost of test 90").
steps=$1
tl=$2
shift 2
case $steps in
  ''|*[!0-9]*) echo "z3-steps.sh: step limit '$steps' is not a number" >&2; exit 2 ;;
esac
if [ -n "${WP_SMOKE_TIMEOUT:-}" ] && [ "$tl" = "$WP_SMOKE_TIMEOUT" ]; then
  steps=$((steps / 15))
fi
exec "$@" rlimit=$steps
