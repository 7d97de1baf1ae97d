# Bochs, 3 cores: a second fault during recovery, then system safe mode
# (issue 9).  delta faults before its kernel's first hypercall on every
# boot (triad.test_early).  The first fault restarts it (restart_cold); its
# fresh kernel faults again before it came back: recovery lasts until the
# fresh kernel's first hypercall, so this fault escalates to safe mode
# (declared for the watchdog kind) instead of a second restart, although
# the restart limit (3) is not reached.  That decision puts the system in
# safe mode: keeper (system-safe-mode="run") keeps running, reads the state
# and the fault records and asks for its own restart, refused; payload
# (system-safe-mode="halt") is stopped.  The monitor ends the run itself on
# its test clock.
# REQ: REC-HM-002, REC-HM-001, REC-SAFE-001
. tests/system/lib.sh
boot recovery-early bochs "$BUILD/iso/cfg-recovery-early.iso" --cores 3 --memory 128 --serial-ports 4 --timeout 300
d=$RUNS/recovery-early
log=$d/com1.log
check "run ends with status 0" test "$status" -eq 0
expect_line "delta: early fault on its first boot" "$d/com2.log" '^kernel: running early test write-monitor \(before the first hypercall\)'
expect_line "delta: the first fault restarts it" "$log" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=delta kind=ept-violation declared=restart-cold action=restart-cold restarts=1/3 reason=policy'
# The translations are flushed the way the backend can: INVEPT+INVVPID on VMX,
# the VMCB's TLB control on SVM.
flush='invept\+invvpid'; on_svm && flush=tlb-control
expect_line "delta: restarted once, translations flushed" "$log" "RECOVERY sandbox=0 name=delta restart=1 cause=fault .* flush=$flush"
expect_line "delta: the fresh kernel faults before it came back: escalated to safe mode" "$log" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=delta kind=ept-violation declared=restart-cold action=safe-mode restarts=1/3 reason=fault-during-recovery'
expect_line "delta: safe mode" "$log" 'sandbox 0: safe mode'
expect_line "delta: halted" "$log" 'core 0: sandbox 0 halted'
check "delta: never came back, no second restart" bash -c "! console $log | grep -Eq 'name=delta restart=(1 t=|2)'"
check "delta: two fault records" test "$(console "$log" | grep -c 'FAULT .* name=delta ')" -eq 2
check "delta: banner twice (boot, one restart)" test "$(console "$d/com2.log" | grep -c '^Triad sandbox kernel')" -eq 2

# --- system safe mode (REC-SAFE-001) ---
# One entry line with its virtual time, right after delta's escalated decision.
expect_line "system safe mode entered once, with its virtual time and cause" "$log" \
  'SAFE-MODE system t=[0-9]+ cause=0 name=delta kind=ept-violation reason=fault-during-recovery restarts=off halt-mask=4$'
check "one SAFE-MODE system line" test "$(console "$log" | grep -c 'SAFE-MODE system')" -eq 1
safe_t=$(console "$log" | sed -nE 's/.*SAFE-MODE system t=([0-9]+) .*/\1/p' | head -1)
esc_t=$(console "$log" | sed -nE 's/.*HEALTH t=([0-9]+) .*reason=fault-during-recovery.*/\1/p' | head -1)
check "entered after the escalated decision (virtual time)" test "${safe_t:-0}" -ge "${esc_t:-1}"
# payload (system-safe-mode="halt") is stopped by NMI on its core; it ran before.
expect_line "payload: halted by the monitor (its core stopped by NMI)" "$log" \
  'SAFE-MODE sandbox=2 name=payload halted cores-stopped=1 t=[0-9]+ stop=[0-9]+'
expect_line "payload: its core halted" "$log" 'core 2: sandbox 2 halted'
check "payload: launched before safe mode" bash -c "console $log | sed -n '/SAFE-MODE system/q;p' | grep -q 'launching sandbox 2 (payload)'"
# Its heartbeats stop at the halt while keeper's go on to the end of the run
# (Bochs: 23 against 45; QEMU's slower cores may not reach payload's first).
alive_p=$(console "$d/com4.log" | grep -c '^kernel: alive')
alive_k=$(console "$d/com3.log" | grep -c '^kernel: alive')
check "payload: fewer heartbeats than keeper ($alive_p < $alive_k)" test "$alive_p" -lt "$alive_k"
# keeper (system-safe-mode="run") keeps running and learns the state.
k=$d/com3.log
expect_line "keeper: reads system safe mode, cause delta, entry time" "$k" \
  "^kernel: system safe mode seen: cause sandbox 0 since t=${safe_t:-x}\$"
expect_line "keeper: the fault records are kept (delta's two, in order)" "$k" \
  '^kernel: fault records kept: 2 0:sandbox0 1:sandbox0$'
expect_line "keeper: its own restart request is refused (PERM)" "$k" '^kernel: restart request in safe mode returned -4$'
expect_line "monitor: the refusal is logged with its reason" "$log" \
  'HEALTH t=[0-9]+ core=1 sandbox=1 name=keeper kind=restart-request target=self action=refused reason=system-safe-mode'
check "keeper: still running after safe mode (heartbeats after the refusal)" \
  bash -c "console $k | sed -n '/restart request in safe mode/,\$p' | grep -Eq '^kernel: alive [0-9]+'"
check "no restart after safe mode anywhere" bash -c "! console $log | sed -n '/SAFE-MODE system/,\$p' | grep -q 'RECOVERY .* restart='"
check "keeper never halted" bash -c "! console $log | grep -q 'sandbox 1 halted'"
finish
