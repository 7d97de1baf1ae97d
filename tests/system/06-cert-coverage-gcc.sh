# Certification input for make test's package (test 95), made by no other
# test: gcc --coverage build of every host test and its run, then gcovr (statement and branch coverage), stamped with the SHA-256 of the sources it was made from
# (certification/tools/coverage.sh, docs/certification.md).  The floors are
# judged by the package (test 95) once both coverage parts (06, 07) are in.
# One core (-j1), side by side with the emulator tests, started early (its
# number).  Its build lives in build/coverage/, apart from everyone's, so it
# calls make directly, not through the runner's serialising wrapper.
# REQ: ANA-COV-001
. tests/system/lib.sh
out=$BUILD/certification
log=$RUNS/cert-coverage-gcc
mkdir -p "$log" "$out"
COVERAGE_JOBS=1 COVERAGE_MAKE=/usr/bin/make certification/tools/coverage.sh "$out/coverage" gcc >"$log/coverage.log" 2>&1
check "gcc coverage build and its host tests pass" test $? -eq 0
grep '^coverage: \(gcov\|llvm-cov\|host\)' "$log/coverage.log" | sed 's/^/# /'
check "gcc coverage stamped with the SHA-256 of its sources" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d["files"]) > 100 and len(d["sha256"]) == 64 else 1)' \
  "$out/stamps/coverage-gcc.json"
finish
