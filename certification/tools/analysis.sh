#!/usr/bin/env bash
# Static analysis for the evidence package:
#   certification/tools/analysis.sh OUT      (OUT: build/certification)
# 1. cppcheck 2.10 with the MISRA C:2012 addon (no rule texts: rule numbers
#    only) over monitor/, tmr/ and channels/ (not channels/bench, a host
#    benchmark harness); certgen.py misra checks every finding against
#    certification/deviations.yaml and certification/misra-baseline.tsv.
# 2. clang-tidy with the check set below (docs/certification.md); the count
#    per check may not exceed certification/clang-tidy-baseline.tsv.
# Writes OUT/analysis/* and OUT/status/{misra,clang-tidy} (pass|fail).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${1:?usage: analysis.sh OUT}
mkdir -p "$out/analysis" "$out/status" build/coverage/cppcheck
a=$out/analysis
mapfile -t srcs < <(find monitor tmr channels -name '*.c' -not -path 'channels/bench/*' | sort)
incs=(-Imonitor -I. -Ichannels -Itmr -Iattest)
rc=0

echo "analysis: cppcheck --addon=misra over ${#srcs[@]} files of monitor/, tmr/, channels/"
cppcheck --version >"$a/cppcheck-version.txt"
if cppcheck --addon=misra --std=c11 --platform=unix64 "${incs[@]}" -D__x86_64__ \
     --suppress=missingIncludeSystem --quiet -j2 --cppcheck-build-dir=build/coverage/cppcheck \
     --template='{file}:{line}:{column}: {severity}: {message} [{id}]' "${srcs[@]}" >"$a/misra.txt" 2>&1 \
   && /usr/bin/python3 certification/tools/certgen.py misra --results "$a/misra.txt" --out "$a/misra.json"; then
  echo pass >"$out/status/misra"
else
  echo fail >"$out/status/misra"; rc=1
fi

# clang-tidy: the path-sensitive analyzer, bug-prone constructs and the CERT C
# rules, minus checks that only restate naming conventions of this code base.
TIDY_CHECKS='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,cert-*,-cert-dcl37-c,-cert-dcl51-cpp,misc-redundant-expression,readability-misleading-indentation'
echo "analysis: clang-tidy ($TIDY_CHECKS)"
clang-tidy --version | head -2 >"$a/clang-tidy-version.txt"
: >"$a/clang-tidy.txt"
for f in "${srcs[@]}"; do
  clang-tidy --quiet -checks="$TIDY_CHECKS" "$f" -- -std=c11 -ffreestanding "${incs[@]}" >>"$a/clang-tidy.txt" 2>/dev/null
done
grep -oE '(warning|error): .*\[[a-z0-9.,-]+\]$' "$a/clang-tidy.txt" | grep -oE '\[[^]]+\]$' | tr -d '[]' |
  sort | uniq -c | awk '{print $2"\t"$1}' >"$a/clang-tidy-counts.tsv"
tidy_ok=1
while IFS=$'\t' read -r check n; do
  allowed=$(awk -F'\t' -v c="$check" '$1 == c {print $2}' certification/clang-tidy-baseline.tsv 2>/dev/null)
  if [ "$n" -gt "${allowed:-0}" ]; then
    echo "analysis: error: clang-tidy $check: $n findings, recorded ceiling ${allowed:-0} (certification/clang-tidy-baseline.tsv)"
    grep "\[$check\]" "$a/clang-tidy.txt" | head -5 | sed 's/^/  /'
    tidy_ok=0
  fi
done <"$a/clang-tidy-counts.tsv"
if grep -q 'error:' "$a/clang-tidy.txt"; then
  echo "analysis: error: clang-tidy reported compiler errors (see $a/clang-tidy.txt)"; tidy_ok=0
fi
echo "analysis: clang-tidy $(awk -F'\t' '{s+=$2} END {print s+0}' "$a/clang-tidy-counts.tsv") findings over $(wc -l <"$a/clang-tidy-counts.tsv") checks"
if [ $tidy_ok -eq 1 ]; then echo pass >"$out/status/clang-tidy"; else echo fail >"$out/status/clang-tidy"; rc=1; fi
exit $rc
