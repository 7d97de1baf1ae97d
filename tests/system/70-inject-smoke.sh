# Fault-injection smoke campaigns (docs/fault-injection.md), real emulators:
# QEMU -icount + gdbstub: a bit flip in the standalone kernel's free-page
# counter (silent data corruption: stats prints another count) and a burst in
# an unused buffer (masked); the replay of one injection gives the same
# outcome and the same console; bad specs are refused.  Bochs + VMX monitor,
# three sandboxes (smoke-bochs): alpha's own wild write into beta's memory is
# contained (detected, alpha halted, beta and gamma as golden); a bit flip in
# beta's data and one in gamma's RSP are classified; the replay of the wild
# write stops at the same tick with the same outcome and consoles.
# REQ: MON-FLT-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/fault-injection/iso/fi-kernel.iso" "$PWD/$BUILD/fault-injection/iso/fi-three.iso" >/dev/null
out=$RUNS/inject
rm -rf "$out"
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-qemu.json --out "$out/qemu" >"$out.qemu.txt" 2>&1
st=$?
sed 's/^/# /' "$out.qemu.txt"
check "smoke-qemu: campaign passes its criteria" test "$st" -eq 0
r=$out/qemu/results.json
outcome() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['runs'][int(sys.argv[2])]['outcome'])" "$1" "$2"; }
check "smoke-qemu: flip in free_count is silent data corruption" test "$(outcome "$r" 0)" = sdc
check "smoke-qemu: burst in tx_buf is masked" test "$(outcome "$r" 1)" = masked
check "smoke-qemu: the write really happened in the guest (read back)" \
  grep -q 'read back' "$out/qemu/runs/0000/result.json"
check "smoke-qemu: faulty console shows the corrupted count" \
  bash -c "! diff -q $out/qemu/golden/com1.log $out/qemu/runs/0000/com1.log >/dev/null"
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-qemu.json --out "$out/qemu-replay" --only 0 >/dev/null 2>&1
check "smoke-qemu: replay of injection 0 gives the same outcome" test "$(outcome "$out/qemu-replay/results.json" 0)" = sdc
check "smoke-qemu: replay of injection 0 gives the same console" \
  cmp -s "$out/qemu/runs/0000/com1.log" "$out/qemu-replay/runs/0000/com1.log"
python3 fault-injection/tools/inject.py fault-injection/campaigns/no-such.json >"$out.bad.txt" 2>&1
check "a missing campaign is refused (status 2)" test $? -eq 2
printf '{"backend":"qemu","seed":99999999999,"system":{"iso":"x","icount":5},"faults":[]}' >"$out.bad.json"
python3 fault-injection/tools/inject.py "$out.bad.json" --out "$out/bad" >"$out.bad.txt" 2>&1
st=$?
check "a seed out of range is refused (status 2, message names the seed)" \
  bash -c "test $st -eq 2 && grep -q 'seed: 99999999999 out of range' $out.bad.txt"
check "nothing ran for the bad spec" test ! -e "$out/bad"

# Bochs (about 4 to 5 runs of ~450 M instructions each at --ips 10M).
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-bochs.json --out "$out/bochs" >"$out.bochs.txt" 2>&1
st=$?
sed 's/^/# /' "$out.bochs.txt"
b=$out/bochs
check "smoke-bochs: campaign passes its criteria" test "$st" -eq 0
check "smoke-bochs: wild write alpha -> beta detected, alpha halted" test "$(outcome "$b/results.json" 0)" = detected_halted
expect_line "smoke-bochs: one EPT violation record names alpha, at beta's address" "$b/runs/0000/com1.log" \
  'FAULT seq=0 .* name=alpha kind=ept-violation gpa=0x00000000040'
check "smoke-bochs: beta's console as in the golden run" cmp -s "$b/golden/com3.log" "$b/runs/0000/com3.log"
check "smoke-bochs: gamma's console as in the golden run" cmp -s "$b/golden/com4.log" "$b/runs/0000/com4.log"
check "smoke-bochs: alpha's RSP really moved by the debugger (read back)" grep -q 'rsp .* read back 0x40' "$b/runs/0000/result.json"
for i in 1 2; do
  o=$(outcome "$b/results.json" $i)
  check "smoke-bochs: injection $i classified ($o), not a harness error or system failure" \
    bash -c "case $o in masked|sdc|detected_halted) true;; *) false;; esac"
  check "smoke-bochs: injection $i written by the debugger and read back" \
    python3 -c "import json,sys,re; r=json.load(open(sys.argv[1])); sys.exit(0 if any(re.search(r'-> (0x)?([0-9a-f]+) \\(read back (0x)?\\2\\)', l) for l in r['log']) else 1)" "$b/runs/000$i/result.json"
done
tick() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['runs'][0]['tick'])" "$1"; }
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-bochs.json --only 0 --golden "$b/golden" \
  --out "$out/bochs-replay" >"$out.bochs-replay.txt" 2>&1
r2=$out/bochs-replay
check "smoke-bochs: replay of injection 0 gives the same outcome" test "$(outcome "$r2/results.json" 0)" = detected_halted
t1=$(tick "$b/results.json"); t2=$(tick "$r2/results.json")
check "smoke-bochs: replay stops at the same tick ($t1, replay $t2)" \
  bash -c "[[ '$t1' =~ ^[0-9]+$ ]] && test '$t1' = '$t2'"
check "smoke-bochs: replay gives the same consoles (monitor and alpha)" \
  bash -c "cmp -s $b/runs/0000/com1.log $r2/runs/0000/com1.log && cmp -s $b/runs/0000/com2.log $r2/runs/0000/com2.log"
finish
