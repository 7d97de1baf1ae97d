# Fault-injection smoke campaigns (docs/fault-injection.md), real emulators:
# QEMU -icount + gdbstub: a bit flip in the standalone kernel's free-page
# counter (silent data corruption: stats prints another count) and a burst in
# an unused buffer (masked); the replay of one injection gives the same
# outcome and the same console; bad specs are refused.
# Bochs (the debugger driven from an rc script, the other injection path of
# the same spec format): smoke-bochs' wild write, alpha's own next push moved
# into beta's RAM under the VMX monitor: contained (an EPT-violation record
# naming alpha, alpha halted, beta and gamma as golden), and its replay from
# the recorded golden run stops at the same tick with the same writes, outcome
# and consoles (Bochs with clock sync=none is deterministic).  The QEMU/SVM
# flight campaign (20 injections) is test 71.
# REQ: MON-FLT-001
. tests/system/lib.sh
. tests/system/inject_lib.sh
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

# Bochs: the wild write (smoke-bochs injection 0), then its replay from the golden run.
FI_ISO=fi-three.iso
fi_campaign fault-injection/campaigns/smoke-bochs.json "$out/bochs" --only 0
b=$fi_results
check "smoke-bochs: the wild write's run passes its criteria (status $fi_status)" test "$fi_status" -eq 0
check "smoke-bochs: alpha's write into beta is contained ($(fi_q "$b" field 0 outcome): $(fi_q "$b" field 0 reason))" \
  test "$(fi_q "$b" wild "$out/bochs")" = ok
check "smoke-bochs: the write was read back by the debugger ($(fi_q "$b" unconfirmed))" test "$(fi_q "$b" unconfirmed)" = ok
check "smoke-bochs: no system failure (beta and gamma as golden)" test "$(fi_q "$b" count system_failure)" = 0
python3 fault-injection/tools/inject.py fault-injection/campaigns/smoke-bochs.json --only 0 --golden "$out/bochs/golden" \
  --out "$out/bochs-replay" >"$out.bochs-replay.txt" 2>&1
rb=$out/bochs-replay/results.json
check "smoke-bochs: replay of injection 0: same tick ($(fi_q "$b" field 0 tick), replay $(fi_q "$rb" field 0 tick))" \
  bash -c "[[ '$(fi_q "$b" field 0 tick)' =~ ^[0-9]+$ ]] && test '$(fi_q "$b" field 0 tick)' = '$(fi_q "$rb" field 0 tick)'"
fi_replay_same smoke-bochs "$b" "$rb" 0
check "smoke-bochs: replay of injection 0: same consoles (monitor, alpha, beta, gamma)" \
  bash -c "for c in com1 com2 com3 com4; do cmp -s <(console $out/bochs/runs/0000/\$c.log) <(console $out/bochs-replay/runs/0000/\$c.log) || exit 1; done"

finish
