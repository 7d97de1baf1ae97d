# Bochs, 1 core: a second fault during recovery (issue 9).  delta faults
# before its kernel's first hypercall on every boot (triad.test_early).  The
# first fault restarts it (restart_cold); its fresh kernel faults again
# before it came back: recovery lasts until the fresh kernel's first
# hypercall, so this fault escalates to safe mode (declared for the
# watchdog kind) instead of a second restart, although the restart limit (3)
# is not reached.  The monitor ends the run itself on its test clock.
# REQ: REC-HM-002, REC-HM-001
. tests/system/lib.sh
boot recovery-early bochs "$BUILD/iso/cfg-recovery-early.iso" --cores 1 --memory 128 --serial-ports 2 --timeout 240
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
finish
