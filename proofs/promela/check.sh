#!/usr/bin/env bash
# Model-checks the channel protocols with spin: every LTL property of every
# model must hold (spin -a, gcc, ./pan -a -f -N <property>), no assertion may
# fail, and the deliberately broken variant (-DBROKEN) of each model must be
# caught, so that a model that checks nothing cannot pass.  The x86-TSO
# model of the four-slot (fourslot_tso.pml, store buffers) is checked by its
# assertions (property "asserts": pan without a never claim) and must fail
# with either of its two fences left out: each fence is needed.
#   proofs/promela/check.sh OUTDIR
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-build/proofs/spin}
mkdir -p "$out"
command -v spin >/dev/null || { echo "proofs-spin: spin is not installed (make deps)"; exit 1; }
fail=0

# run MODEL PROPERTY [CPPFLAG]: prints pan's verdict; status 0 when clean.
run() {
  local model=$1 prop=$2 flag=${3:-} dir
  dir=$out/$model${flag:+-$(tr -dc 'A-Za-z_' <<<"${flag#-D}")}-$prop
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$here/$model.pml" "$dir/"
  ( cd "$dir" &&
    spin ${flag:+$flag} -a "$model.pml" >spin.log 2>&1 &&
    gcc -O2 -o pan pan.c >gcc.log 2>&1 &&
    if [ "$prop" = asserts ]; then ./pan -m100000 >pan.log 2>&1; else ./pan -a -f -m100000 -N "$prop" >pan.log 2>&1; fi )
  local status=$?
  local errors
  errors=$(grep -oE 'errors: [0-9]+' "$dir/pan.log" 2>/dev/null | awk '{print $2}')
  local states
  states=$(grep -oE '[0-9]+ states, stored' "$dir/pan.log" 2>/dev/null | awk '{print $1}')
  if [ "$status" -ne 0 ] || [ -z "$errors" ]; then
    echo "  $model $prop ${flag:+(broken) }: spin/gcc/pan failed, see $dir"; return 2
  fi
  echo "  $model ${flag:+($flag) }$prop: errors $errors, states $states"
  [ "$errors" -eq 0 ]
}

echo "proofs-spin: model checking channel protocols"
for spec in "fourslot no_torn" "fifo no_overwrite" "fifo all_delivered" "fourslot_tso asserts"; do
  set -- $spec
  run "$1" "$2" || fail=1
done
# The broken variants must fail (their safety property or an assertion).
for spec in "fourslot no_torn -DBROKEN" "fifo no_overwrite -DBROKEN" \
            "fourslot_tso asserts -DNO_WRITER_FENCE" "fourslot_tso asserts -DNO_READER_FENCE"; do
  set -- $spec
  if run "$1" "$2" "$3"; then
    echo "  $1: the variant $3 passed: the model does not check what it claims"; fail=1
  else
    [ $? -eq 1 ] || fail=1
  fi
done
if [ "$fail" -ne 0 ]; then echo "proofs-spin: FAILED"; exit 1; fi
echo "proofs-spin: all properties hold, broken variants caught"
