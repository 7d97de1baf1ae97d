# Helpers for system tests: each check prints one TAP line.
# Sourced by tests/system/*.sh, which run from the repository root.
BUILD=${BUILD:-build}
# TRIAD_RUNS: where the logs go (the SVM runs of the monitor tests keep
# theirs apart from the Bochs runs of the same script).
RUNS=${TRIAD_RUNS:-$BUILD/runs/system}
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
# With TRIAD_MONITOR_EMU=qemu a monitor test written for Bochs (VMX) boots the
# same ISO under QEMU TCG instead, i.e. on the monitor's SVM backend, with
# deterministic time (-icount shift TRIAD_ICOUNT, default 5: 32 virtual ns per instruction): the
# tests/system/39-qemu-svm-*.sh wrappers run the Bochs scripts this way, so
# both backends pass the very same assertions.
boot() {
  local name=$1 emu=$2 iso=$3; shift 3
  if [ "$emu" = bochs ] && [ "${TRIAD_MONITOR_EMU:-bochs}" = qemu ]; then
    emu=qemu
    set -- "$@" --icount "${TRIAD_ICOUNT:-5}"
  fi
  tools/run-emu --emu "$emu" --iso "$iso" --out "$RUNS/$name" "$@" 2>"$RUNS-$name.stderr"
  status=$?
  sed 's/^/# /' "$RUNS-$name.stderr"
}

finish() { [ "$failures" -eq 0 ]; }

# on_svm: true when this run boots the monitor's SVM backend (QEMU).
on_svm() { [ "${TRIAD_MONITOR_EMU:-bochs}" = qemu ]; }

# expect_backend LOG: the monitor chose the backend of this emulator.
expect_backend() {
  if on_svm; then
    expect_line "SVM backend chosen by CPUID (nested paging)" "$1" 'backend: SVM with nested paging'
  else
    expect_line "VMX capabilities still reported" "$1" 'vmx features: ept=yes unrestricted-guest=yes vpid=yes'
    expect_line "VMX backend chosen by CPUID" "$1" 'backend: VMX with EPT'
  fi
}

mkdir -p "$RUNS"
