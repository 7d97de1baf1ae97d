#!/usr/bin/env bash
# Structural coverage of the host-tested code, built apart from build/tests:
#   certification/tools/coverage.sh OUT      (OUT: build/certification/coverage)
# 1. gcc --coverage: every host test (make check-unit with BUILD=build/coverage/gcc),
#    then gcovr: statement (line) and branch coverage, HTML + JSON summary.
# 2. clang-19 -fcoverage-mcdc: the monitor's host tests, the voter's and the
#    channels' (BUILD=build/coverage/mcdc), then llvm-profdata-19 and
#    llvm-cov-19 show -show-mcdc (HTML, text) and export (JSON).
# At most -j2 (shared 2-core machine).  Exit 1 if a build or a test fails.
# The stamps OUT/../stamps/coverage-{gcc,mcdc}.json (certgen.py stamp) say
# which sources the figures come from.  coverage.sh OUT [gcc|mcdc|all].
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${1:?usage: coverage.sh OUT}
mkdir -p "$out/gcov" "$out/mcdc"
out=$(cd "$out" && pwd)
wrap=$top/certification/tools/cov-cc
base_cflags="-std=c11 -O0 -g -Wall -Wextra -Werror -D_DEFAULT_SOURCE"
die() { echo "coverage: $*" >&2; exit 1; }
# COVERAGE_JOBS (default 2): make -j; COVERAGE_MAKE: the make to run (make test's
# runner puts a serialising wrapper first on PATH; its coverage step calls
# /usr/bin/make directly, its builds are apart from everyone else's).
jobs=${COVERAGE_JOBS:-2}
mk=${COVERAGE_MAKE:-make}
# The stamp of each part: the SHA-256 of every source its figures are made
# from, taken before its build; kept only when the part completes with every
# host test passing (make cert-package then knows the figures belong to the
# tree it packages).  PART: gcc, mcdc or both (the default); make test runs
# the two parts as two tests (06, 07), each within the runner's time limit.
part=${2:-all}
case $part in gcc|mcdc|all) ;; *) die "unknown part '$part' (gcc, mcdc or all)" ;; esac
stamps=$(dirname "$out")/stamps
mkdir -p "$stamps"
begin() {  # begin PART: the stamp taken now
  rm -f "$stamps/coverage-$1.json"
  /usr/bin/python3 "$top/certification/tools/certgen.py" stamp "coverage-$1" --to "$out/.stamp-$1" || die "stamp failed"
}
tests_failed=0
done_part() {  # done_part PART: keep the stamp if the part's tests passed
  if [ $tests_failed -ne 0 ]; then die "host tests failed in the $1 coverage build: its figures are from a failing run"; fi
  mv "$out/.stamp-$1" "$stamps/coverage-$1.json"
}

# make does not track flags: a build directory made with other flags is wiped.
fresh() {   # fresh DIR FLAGS...
  local d=$1; shift
  if [ "$(cat "$d/.flags" 2>/dev/null)" != "$*" ]; then rm -rf "$d"; fi
  mkdir -p "$d"; printf '%s' "$*" >"$d/.flags"; touch "$d/.deps-checked"  # deps checked by the caller
  # Third-party sources and newlib live in the main build directory (deps.sh).
  local t
  for t in third_party newlib; do [ -e "$top/build/$t" ] && ln -sfn "$top/build/$t" "$d/$t"; done
}
# ---- 1. gcc + gcovr ----------------------------------------------------------
if [ "$part" != mcdc ]; then
begin gcc
gcc_flags="$base_cflags --coverage -fprofile-update=atomic"
gb=$top/build/coverage/gcc
fresh "$gb" "$wrap gcc $gcc_flags"
find "$gb" -name '*.gcda' -delete 2>/dev/null
# sysgen's runs on config/*.xml are part of its coverage: always redo them.
rm -rf "$gb/config" "$gb/system.bin"
echo "coverage: gcc --coverage build and run of every host test in build/coverage/gcc"
# -O0 with atomic counters: the channel stress test's threads take more than
# the usual 120 s per program on a loaded 2-core machine (88 s measured alone).
export UNIT_TIMEOUT=600
"$mk" -s --no-print-directory -j"$jobs" BUILD="$gb" HOST_CC="$wrap gcc" \
  HOST_CFLAGS="$gcc_flags" check-unit >"$out/gcov/check-unit.log" 2>&1
status=$?
tail -1 "$out/gcov/check-unit.log"
# Failed tests still leave coverage data: report it, but fail at the end.
if [ $status -ne 0 ]; then
  grep -q '^unit tests:' "$out/gcov/check-unit.log" || { tail -20 "$out/gcov/check-unit.log"; die "coverage build failed (see $out/gcov/check-unit.log)"; }
  grep -E '^FAIL|not ok' "$out/gcov/check-unit.log" | head -10 | sed 's/^/coverage: /'
  tests_failed=1
fi
filters=(-f 'monitor/' -f 'tmr/' -f 'channels/' -f 'attest/' -f 'sandbox-kernel/' -f 'tools/sysgen/' -f 'recovery/')
gcovr --root "$top" --object-directory "$gb" "${filters[@]}" --exclude-unreachable-branches \
  --json-summary-pretty --json-summary "$out/gcov/summary.json" \
  --html-details "$out/gcov/index.html" --txt "$out/gcov/summary.txt" "$gb" >"$out/gcov/gcovr.log" 2>&1 \
  || die "gcovr failed (see $out/gcov/gcovr.log)"
gcovr --root "$top" --object-directory "$gb" "${filters[@]}" --exclude-unreachable-branches --branches \
  --txt "$out/gcov/branches.txt" "$gb" >>"$out/gcov/gcovr.log" 2>&1 || die "gcovr --branches failed"
grep TOTAL "$out/gcov/summary.txt" | sed 's/^/coverage: gcov statements /'
grep TOTAL "$out/gcov/branches.txt" | sed 's/^/coverage: gcov branches /'

done_part gcc
fi

# ---- 2. clang-19 MC/DC ---------------------------------------------------------
[ "$part" != gcc ] || exit 0
begin mcdc
mcdc_flags="$base_cflags -fprofile-instr-generate -fcoverage-mapping -fcoverage-mcdc"
mb=$top/build/coverage/mcdc
fresh "$mb" "$wrap clang-19 $mcdc_flags"
rm -rf "$mb/prof"; mkdir -p "$mb/prof"
# The monitor's, the voter's and the channels' host tests (not the TSan build).
mapfile -t progs < <("$mk" -s --no-print-directory BUILD="$mb" cert-print-unit-tests | tr ' ' '\n' |
  grep -E "/tests/(monitor/|partition/test_validate$|tmr/test_voter$|channels/)" | grep -v tsan)
[ ${#progs[@]} -gt 0 ] || die "no MC/DC test programs found"
echo "coverage: clang-19 MC/DC build and run of ${#progs[@]} test programs in build/coverage/mcdc"
# Instrumented host tools run during the build (sysgen making the test tables)
# write their profiles apart, not into the current directory.
LLVM_PROFILE_FILE="$mb/prof-build/%p.profraw" \
"$mk" -s --no-print-directory -j"$jobs" BUILD="$mb" HOST_CC="$wrap clang-19" \
  HOST_CFLAGS="$mcdc_flags" \
  "${progs[@]}" >"$out/mcdc/build.log" 2>&1 \
  || { tail -20 "$out/mcdc/build.log"; die "MC/DC build failed (see $out/mcdc/build.log)"; }
LLVM_PROFILE_FILE="$mb/prof/%p.profraw" tests/run-unit.sh "$mb/test-results/unit.tap" "${progs[@]}" \
  >"$out/mcdc/run.log" 2>&1 || { grep -E '^FAIL' "$out/mcdc/run.log" | sed 's/^/coverage: /'; tests_failed=1; }
tail -1 "$out/mcdc/run.log"
llvm-profdata-19 merge -sparse -o "$mb/merged.profdata" "$mb"/prof/*.profraw || die "llvm-profdata-19 merge failed"
objs=("${progs[0]}"); for p in "${progs[@]:1}"; do objs+=(-object "$p"); done
ignore='(^|/)tests/|^/usr/'
llvm-cov-19 export -instr-profile "$mb/merged.profdata" -ignore-filename-regex="$ignore" -summary-only \
  "${objs[@]}" >"$out/mcdc/export.json" || die "llvm-cov-19 export failed"
llvm-cov-19 show -instr-profile "$mb/merged.profdata" -ignore-filename-regex="$ignore" -show-mcdc \
  -show-mcdc-summary -format=html -output-dir "$out/mcdc/html" "${objs[@]}" || die "llvm-cov-19 show (html) failed"
llvm-cov-19 show -instr-profile "$mb/merged.profdata" -ignore-filename-regex="$ignore" -show-mcdc \
  "${objs[@]}" >"$out/mcdc/show-mcdc.txt" || die "llvm-cov-19 show failed"
llvm-cov-19 report -instr-profile "$mb/merged.profdata" -ignore-filename-regex="$ignore" -show-mcdc-summary \
  "${objs[@]}" >"$out/mcdc/report.txt" || die "llvm-cov-19 report failed"
grep TOTAL "$out/mcdc/report.txt" | sed 's/^/coverage: llvm-cov /'
done_part mcdc
