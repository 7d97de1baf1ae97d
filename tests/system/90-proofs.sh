# The Frama-C/WP proofs gate `make test`: `make -k -j2 proofs` with the proof
# cache (build/proofs/cache), one TAP line per proof target, judged from the
# CSV-derived result files; then the gate itself is tested: a removed bounds
# check and a deliberately broken contract must each make a module fail.
# REQ: PROOF-GATE-001
. tests/system/lib.sh
out=$BUILD/proofs
mkdir -p "$out"

make --no-print-directory -k -j2 proofs >"$out/make-proofs.log" 2>&1
status=$?
sed 's/^/# /' "$out/make-proofs.log" | grep -E '^# proofs' | head -60
check "make proofs exits 0" test "$status" -eq 0
check "proof scope complete (every C file in a module)" proofs/wp/scope.sh
for m in $(awk '!/^#/ && NF {print $1}' proofs/wp/modules.list); do
  r=$out/$m.result.json
  if [ -s "$r" ] && [ "$(jq -r .status "$r")" = pass ]; then
    ok "proofs $m: $(jq -r '"\(.valid) valid + \(.trusted) trusted of \(.properties) properties, \(.wp_goals_proved)/\(.wp_goals_total) goals"' "$r")"
  else
    not_ok "proofs $m: $( [ -s "$r" ] && jq -r '"\(.bad | length) properties not proved"' "$r" || echo "no result")"
  fi
done
check "summary cross-check (assumed contracts proved where defined)" \
  python3 proofs/wp/summary.py "$out" --check

# Mutants: copies of proved code with one defect each, run through the same
# driver and gate.  Each must FAIL.
mut=$out/mutants
mkdir -p "$mut"
# 1. the bound of con_dec's digit buffer removed (an out-of-bounds write).
sed 's/} while (value != 0 \&\& n < 20);/} while (value != 0);/' monitor/console.c >"$mut/console_nobound.c"
# 2. a contract that does not hold: a copy of svm_decode_caps claiming NPT
#    on every processor.
{ echo '#include "svm/caps.h"'
  echo '#define EXT1_ECX_SVM   (1u << 2)'
  echo '#define LEAFA_EDX_NPT  (1u << 0)'
  echo '/*@ assigns \nothing;'
  echo '    ensures broken: \result.npt; */'
  sed -n '/^struct svm_caps svm_decode_caps/,/^}/p' monitor/svm/caps.c | sed '1s/svm_decode_caps(/mutant_decode(/'
} >"$mut/svm_caps_contract.c"
cat >"$mut/modules.list" <<L
mutant-nobound   monitor,.   $mut/console_nobound.c
mutant-contract  monitor,.   $mut/svm_caps_contract.c
L
grep -q 'while (value != 0);' "$mut/console_nobound.c"
check "mutant 1 prepared (bounds check removed)" test $? -eq 0
for m in mutant-nobound mutant-contract; do
  WP_MODULES_LIST=$mut/modules.list WP_PAR=2 proofs/wp/run.sh "$m" >"$mut/$m.out" 2>&1
  s=$?
  sed 's/^/# /' "$mut/$m.out" | head -5
  check "gate rejects $m" test "$s" -ne 0
  check "$m fails on a named property" grep -qE '\[(Unknown|Invalid|Partially proven|Timeout)' "$mut/$m.out"
done
finish
