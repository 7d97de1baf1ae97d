#!/usr/bin/env bash
# EVA (Frama-C's abstract interpreter) over the whole monitor from its C
# entry points (proofs/eva/entries.c: boot, secondary core, VMX and SVM exit
# handlers, host exception), `make proofs-eva`, and in `make test` (test
# 90): about 20 s of CPU.
#   proofs/eva/run.sh
# Output: $BUILD/proofs/eva/{eva.log,eva.csv,alarms.tsv,summary.json}
# (BUILD defaults to build).  TRIAD_EVA selects EVA's spelling of a few
# predicates (monitor/console.h: con_string).
# Exit 1 when EVA reports a red alarm (a property that fails on some
# execution, status Invalid) or an orange one (Unknown) that
# proofs/eva/justified.tsv does not justify; exit 2 when EVA did not run.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${BUILD:-build}/proofs/eva
mkdir -p "$out"
# Every tracked C file of monitor/ (the scope of proofs/wp/scope.sh) plus
# the code the monitor links from recovery/ and attest/ is read through
# its headers' contracts (not analysed: their own modules prove them).
mapfile -t files < <(git ls-files 'monitor/*.c')
# -absolute-valid-range: the monitor reaches device registers, the boot
# information and sandbox RAM by physical address (identity map); EVA checks
# the arithmetic, the platform map is an assumption (proofs/ASSUMPTIONS.md).
# -eva-no-alloc-returns-null: no allocation at all in the monitor.
start=$(date +%s)
frama-c -machdep gcc_x86_64 -c11 \
  -cpp-extra-args="-nostdinc -I$(gcc -print-file-name=include) -I$top/monitor -I$top -DFRAMA_C -DTRIAD_EVA -include $(frama-c -print-share-path)/libc/__fc_string_axiomatic.h" \
  "${files[@]}" proofs/eva/entries.c \
  -eva -main eva_entries -eva-no-alloc-returns-null \
  -absolute-valid-range 0x1000-0xFFFFFFFFFFFF -eva-msg-key=-summary \
  -then -report-csv "$out/eva.csv" >"$out/eva.log" 2>&1
fc=$?
end=$(date +%s)
python3 proofs/eva/alarms.py "$out" "$fc" "$((end - start))"
