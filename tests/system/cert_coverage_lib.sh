# Shared by tests 06 and 07: one part of the structural coverage for make
# test's package (test 95), made by no other test, stamped with the SHA-256
# of the sources it was made from (certification/tools/coverage.sh,
# docs/certification.md).  The floors are judged by the package once both
# parts are in.  One core (-j1), side by side with the emulator tests,
# started early (their numbers).  The builds live in build/coverage/, apart
# from everyone's, so make is called directly, not through the runner's
# serialising wrapper.
#   coverage_part gcc|mcdc
. tests/system/lib.sh
coverage_part() {
  local part=$1 out=$BUILD/certification log=$RUNS/cert-coverage-$1
  mkdir -p "$log" "$out"
  COVERAGE_JOBS=1 COVERAGE_MAKE=/usr/bin/make certification/tools/coverage.sh "$out/coverage" "$part" \
    >"$log/coverage.log" 2>&1
  check "$part coverage build and its host tests pass" test $? -eq 0
  grep '^coverage: \(gcov\|llvm-cov\|FAIL\|host\)' "$log/coverage.log" | sed 's/^/# /'
  check "$part coverage stamped with the SHA-256 of its sources" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["files"]) > 100 and len(d["sha256"]) == 64 else 1)' \
    "$out/stamps/coverage-$part.json"
}
