#!/usr/bin/env bash
# Static analysis for the evidence package:
#   certification/tools/analysis.sh OUT      (OUT: build/certification)
# 1. cppcheck 2.10 with the MISRA C:2012 addon (no rule texts: rule numbers
#    only) over monitor/, tmr/ and channels/ (not channels/bench, a host
#    benchmark harness); certgen.py misra checks every finding against
#    certification/deviations.yaml and certification/misra-baseline.tsv.
# 2. clang-tidy with the check set below (docs/certification.md); the count
#    per check may not exceed certification/clang-tidy-baseline.tsv.
# Writes OUT/analysis/{misra.txt,clang-tidy.txt} and their stamp
# OUT/stamps/analysis.json; exit 1 when a check fails.  ANALYSIS_JOBS: 2.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${1:?usage: analysis.sh OUT}
mkdir -p "$out/analysis" "$out/stamps" build/coverage/cppcheck
a=$out/analysis
mapfile -t srcs < <(find monitor tmr channels -name '*.c' -not -path 'channels/bench/*' | sort)
incs=(-Imonitor -I. -Ichannels -Itmr -Iattest)
rc=0

# The stamp: the SHA-256 of every source file the results are made from, as
# they are now (before the run); kept only when the run completes, so
# make cert-package can tell fresh results from stale ones.
rm -f "$out/stamps/analysis.json"
/usr/bin/python3 certification/tools/certgen.py stamp analysis --to "$a/.stamp" || exit 1

echo "analysis: cppcheck --addon=misra over ${#srcs[@]} files of monitor/, tmr/, channels/"
cppcheck --version >"$a/cppcheck-version.txt"
cppcheck --addon=misra --std=c11 --platform=unix64 "${incs[@]}" -D__x86_64__ \
  --suppress=missingIncludeSystem --quiet -j"${ANALYSIS_JOBS:-2}" --cppcheck-build-dir=build/coverage/cppcheck \
  --template='{file}:{line}:{column}: {severity}: {message} [{id}]' "${srcs[@]}" >"$a/misra.txt" 2>&1 \
  || { echo "analysis: cppcheck failed (see $a/misra.txt)"; exit 1; }
if grep -q "Bailing out\|internal error" "$a/misra.txt"; then
  echo "analysis: cppcheck's MISRA addon failed on a file (see $a/misra.txt)"; grep -m3 "Bailing out" "$a/misra.txt"; exit 1
fi

# clang-tidy: the path-sensitive analyzer, bug-prone constructs and the CERT C
# rules, minus checks that only restate naming conventions of this code base.
# One output file per source, joined in source order (two at a time).
TIDY_CHECKS='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,cert-*,-cert-dcl37-c,-cert-dcl51-cpp,misc-redundant-expression,readability-misleading-indentation'
echo "analysis: clang-tidy ($TIDY_CHECKS)"
clang-tidy --version | head -2 >"$a/clang-tidy-version.txt"
rm -rf "$a/tidy" && mkdir -p "$a/tidy"
printf '%s\n' "${srcs[@]}" | xargs -P"${ANALYSIS_JOBS:-2}" -I{} sh -c \
  'clang-tidy --quiet -checks="$1" "$2" -- -std=c11 -ffreestanding $3 >"$4/$(echo "$2" | tr / _).txt" 2>/dev/null; exit 0' \
  sh "$TIDY_CHECKS" {} "${incs[*]}" "$a/tidy"
for f in "${srcs[@]}"; do cat "$a/tidy/$(echo "$f" | tr / _).txt"; done >"$a/clang-tidy.txt"
rm -rf "$a/tidy"
mv "$a/.stamp" "$out/stamps/analysis.json"

# The judgement (also made again by make cert-package against the records of
# the day): every MISRA finding deviated, clang-tidy within its ceilings.
/usr/bin/python3 certification/tools/certgen.py misra --results "$a/misra.txt" --out "$a/misra.json" || rc=1
/usr/bin/python3 certification/tools/certgen.py tidy --results "$a/clang-tidy.txt" || rc=1
exit $rc
