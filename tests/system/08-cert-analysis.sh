# Certification input for make test's package (test 95), made by no other
# test: cppcheck with the MISRA C:2012 addon and clang-tidy over monitor/,
# tmr/ and channels/, stamped with the SHA-256 of the sources they read; then
# the judgements against the records: every MISRA finding under a deviation
# and every recorded site justified, clang-tidy within its ceilings.  A new
# finding fails here, named (file:line, rule); the reviewed way to accept one
# is make misra-baseline (docs/certification.md).  One core, side by side
# with the emulator tests.
# REQ: ANA-MISRA-001
. tests/system/lib.sh
out=$BUILD/certification
log=$RUNS/cert-analysis
mkdir -p "$log" "$out"
certgen() { /usr/bin/python3 certification/tools/certgen.py "$@"; }
ANALYSIS_JOBS=1 certification/tools/analysis.sh "$out" >"$log/analysis.log" 2>&1
check "cppcheck MISRA and clang-tidy ran over monitor/, tmr/, channels/, stamped" \
  test -s "$out/analysis/misra.txt" -a -s "$out/stamps/analysis.json"
certgen misra --results "$out/analysis/misra.txt" --out "$out/analysis/misra.json" >"$log/misra.log" 2>&1
check "every MISRA finding under a recorded, justified deviation" test $? -eq 0
grep 'certgen: \(misra\|error\)' "$log/misra.log" | head -5 | sed 's/^/# /'
certgen tidy --results "$out/analysis/clang-tidy.txt" >"$log/tidy.log" 2>&1
check "clang-tidy findings within their recorded ceilings" test $? -eq 0
grep 'certgen: \(clang-tidy\|error\)' "$log/tidy.log" | head -3 | sed 's/^/# /'
finish
