# Helpers for system tests: each check prints one TAP line.
# Sourced by tests/system/*.sh, which run from the repository root.
BUILD=${BUILD:-build}
RUNS=$BUILD/runs/system
failures=0

ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }

# check DESCRIPTION COMMAND...: ok when the command succeeds.
check() {
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# console FILE: the log as a person reads it: no CR, no terminal escapes.
console() {
  tr -d '\r' <"$1" 2>/dev/null | sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g'
}
# Exported, so checks written as `bash -c "... console FILE ..."` really run it
# (an unexported function there is "command not found", and a negated grep on
# nothing passes vacuously).
export -f console

# expect_line DESCRIPTION FILE REGEX: some console line of FILE matches REGEX (ERE).
expect_line() {
  if console "$2" | grep -qE -- "$3"; then ok "$1"
  else not_ok "$1 (no line matching /$3/ in $2)"; fi
}

# boot NAME EMU ISO [run-emu options...]: runs the ISO, logs in $RUNS/NAME;
# sets $status to the runner's exit status.
boot() {
  local name=$1 emu=$2 iso=$3; shift 3
  tools/run-emu --emu "$emu" --iso "$iso" --out "$RUNS/$name" "$@" 2>"$RUNS-$name.stderr"
  status=$?
  sed 's/^/# /' "$RUNS-$name.stderr"
}

finish() { [ "$failures" -eq 0 ]; }

mkdir -p "$RUNS"
