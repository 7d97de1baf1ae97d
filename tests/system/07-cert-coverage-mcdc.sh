# Certification input for make test's package (test 95), made by no other
# test: clang-19 -fcoverage-mcdc build of the monitor's, the voter's and the channels' host tests and their run, then llvm-cov (MC/DC), stamped with the SHA-256 of the sources it was made from
# (certification/tools/coverage.sh, docs/certification.md).  The floors are
# judged by the package (test 95) once both coverage parts (06, 07) are in.
# One core (-j1), side by side with the emulator tests, started early (its
# number).  Its build lives in build/coverage/, apart from everyone's, so it
# calls make directly, not through the runner's serialising wrapper.
# REQ: ANA-COV-001
. tests/system/lib.sh
out=$BUILD/certification
log=$RUNS/cert-coverage-mcdc
mkdir -p "$log" "$out"
COVERAGE_JOBS=1 COVERAGE_MAKE=/usr/bin/make certification/tools/coverage.sh "$out/coverage" mcdc >"$log/coverage.log" 2>&1
check "mcdc coverage build and its host tests pass" test $? -eq 0
grep '^coverage: \(gcov\|llvm-cov\|host\)' "$log/coverage.log" | sed 's/^/# /'
check "mcdc coverage stamped with the SHA-256 of its sources" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["files"]) > 100 and len(d["sha256"]) == 64 else 1)' \
  "$out/stamps/coverage-mcdc.json"
finish
