#!/usr/bin/env bash
# Runs every system test (tests/system/*.sh).  Each prints TAP lines
# "ok - what" / "not ok - what"; a script that exits non-zero without printing
# a failure counts as one failed test, and so does a script that runs no check.
#   tests/run-system.sh RESULTS.tap [TEST...]
#
# Two phases, so that a 2-core machine is kept busy without two heavy runs
# fighting over it:
#   1. tests that occupy one core (one emulator) run TRIAD_TEST_JOBS at a time
#      (default: the number of cores, at most 2);
#   2. tests marked `# triad-test: exclusive` (they use every core themselves,
#      like the proof gate and the two-worker campaign, or read the other
#      tests' results) run afterwards, one at a time, in name order.
# In phase 1 each test gets its own network namespace when the machine allows
# it (`unshare -n`, as root): the emulators' user networks and the host tools
# (ground station on UDP 14550, simulator on TCP 4560, swtpm) then cannot see
# another test's ports.  Without it (or TRIAD_TEST_NETNS=0) tests still run
# side by side and the ground-station tests serialise on their lock file.
# TRIAD_TEST_JOBS=1 gives the old strictly serial run.
# The results file lists the tests in name order whatever order they ran in.
set -uo pipefail
results=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$(dirname "$results")"
: >"$results"
# The SHA-256 of the sources these results are made from, as the run begins:
# certification/tools/certgen.py judges the results by content (issue 13).
/usr/bin/python3 "$top/certification/tools/certgen.py" stamp system-tests \
  --to "${results%.tap}.stamp.json" || echo "run-system: no source stamp written" >&2
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=("$top"/tests/system/[0-9]*.sh)

cores=$(nproc 2>/dev/null || echo 1)
jobs=${TRIAD_TEST_JOBS:-$(( cores < 2 ? cores : 2 ))}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1

netns=0
if [ "${TRIAD_TEST_NETNS:-1}" != 0 ] && [ "$jobs" -gt 1 ] &&
   unshare -n sh -c 'ip link set lo up' 2>/dev/null; then
  netns=1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/triad-system.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Tests build what they boot with `make` (a no-op after `make test`'s own
# build); side by side, two of them must not rebuild one file at once, so in
# phase 1 their `make` is serialised through a lock (recursive makes inside
# run as /usr/bin/make directly and do not take it again).
real_make=$(command -v make)
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec flock "%s" "%s" "$@"\n' "$work/make.lock" "$real_make" >"$work/bin/make"
chmod +x "$work/bin/make"

# run_one TEST: runs one script from the top of the tree, keeps its output,
# exit status and duration in $work/NAME.{out,status,secs}.
run_one() {
  local t=$1 name start status
  name=$(basename "$t" .sh)
  start=$(date +%s)
  if [ "${2:-}" = isolated ]; then
    (cd "$top" && timeout 1200 unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$t") \
      >"$work/$name.out" 2>&1
  else
    (cd "$top" && timeout 1200 bash "$t") >"$work/$name.out" 2>&1
  fi
  status=$?
  echo "$status" >"$work/$name.status"
  echo $(( $(date +%s) - start )) >"$work/$name.secs"
}

# report NAME: the one-line verdict (and the tail of a failure) on stdout.
report() {
  local name=$1 out status secs oks nots
  out=$(cat "$work/$name.out"); status=$(cat "$work/$name.status"); secs=$(cat "$work/$name.secs")
  oks=$(grep -cE '^ok ' <<<"$out"); nots=$(grep -cE '^not ok ' <<<"$out")
  if [ "$nots" -gt 0 ] || [ "$status" -ne 0 ] || [ "$oks" -eq 0 ]; then
    [ "$nots" -gt 0 ] || nots=1
    printf 'FAIL  %-34s %d passed, %d failed (%ds)\n' "$name" "$oks" "$nots" "$secs"
    sed 's/^/      /' <<<"$out" | tail -40
  else
    printf 'ok    %-34s %d passed (%ds)\n' "$name" "$oks" "$secs"
  fi
}

# tap NAME: the test's TAP lines, each named after its script, plus one
# failure line for a script that died quietly or checked nothing.
tap() {
  local name=$1 out status oks nots
  out=$(cat "$work/$name.out"); status=$(cat "$work/$name.status")
  oks=$(grep -cE '^ok ' <<<"$out"); nots=$(grep -cE '^not ok ' <<<"$out")
  grep -E '^(not )?ok ' <<<"$out" | sed -E "s/^(not ok|ok) (- )?/\1 - $name: /"
  if [ "$status" -ne 0 ] && [ "$nots" -eq 0 ]; then
    echo "not ok - $name: exited with status $status"
  elif [ "$oks" -eq 0 ] && [ "$nots" -eq 0 ]; then
    echo "not ok - $name: ran no test"
  fi
}

# write_results: the TAP of every test finished so far, in name order.
write_results() {
  local t name
  for t in "${tests[@]}"; do
    name=$(basename "$t" .sh)
    [ -f "$work/$name.status" ] && tap "$name"
  done >"$results"
}

shared=() exclusive=()
for t in "${tests[@]}"; do
  if [ "$jobs" -gt 1 ] && grep -q '^# triad-test: exclusive' "$t"; then
    exclusive+=("$t")
  else
    shared+=("$t")
  fi
done

start_all=$(date +%s)
if [ "$jobs" -gt 1 ]; then
  echo "system tests: ${#shared[@]} side by side ($jobs at a time$([ "$netns" = 1 ] && echo ', each in its own network namespace')), then ${#exclusive[@]} alone"
  declare -A running=()
  for t in "${shared[@]}"; do
    while [ "${#running[@]}" -ge "$jobs" ]; do
      wait -n
      for pid in "${!running[@]}"; do
        if ! kill -0 "$pid" 2>/dev/null; then
          wait "$pid"; report "${running[$pid]}"; unset "running[$pid]"
        fi
      done
    done
    PATH="$work/bin:$PATH" run_one "$t" "$([ "$netns" = 1 ] && echo isolated)" &
    running[$!]=$(basename "$t" .sh)
  done
  for pid in "${!running[@]}"; do wait "$pid"; report "${running[$pid]}"; done
  # The exclusive tests may read the results so far (the certification
  # check counts them): write them before each one.
  for t in "${exclusive[@]}"; do
    write_results; run_one "$t"; report "$(basename "$t" .sh)"
  done
else
  for t in "${tests[@]}"; do run_one "$t"; report "$(basename "$t" .sh)"; done
fi

write_results
pass=$(grep -cE '^ok ' "$results"); fail=$(grep -cE '^not ok ' "$results")
echo "system tests: $pass passed, $fail failed ($(( $(date +%s) - start_all ))s)"
[ "$fail" -eq 0 ]
