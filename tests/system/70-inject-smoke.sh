# Fault-injection smoke campaigns (docs/fault-injection.md), real emulators:
# QEMU -icount + gdbstub: a bit flip in the standalone kernel's free-page
# counter (silent data corruption: stats prints another count) and a burst in
# an unused buffer (masked); the replay of one injection gives the same
# outcome and the same console; bad specs are refused.  The Bochs side (wild
# writes contained, every fault model, replay at the same tick) is the UAV
# flight campaign of tests/system/71; smoke-bochs (three sandboxes) stays
# available through make inject.
# REQ: MON-FLT-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/fault-injection/iso/fi-kernel.iso" >/dev/null
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

finish
