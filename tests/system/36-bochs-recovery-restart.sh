# Bochs, 3 cores: sandbox restart (issue 9).  beta faults on its first boot
# only (triad.test_once): its health action restart_warm restarts it from
# the pristine image (triad.restart=1 on the new command line), it prints
# its banner again and keeps its heartbeat.  alpha faults on every boot:
# restarted up to its limit (2), then halted (escalation, reason
# restart-limit).  gamma is never disturbed.  Phase costs in the log.
# REQ: REC-HM-001, REC-RST-001
. tests/system/lib.sh
boot recovery-once bochs "$BUILD/iso/cfg-recovery-once.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
d=$RUNS/recovery-once
log=$d/com1.log
check "run ends with status 0" test "$status" -eq 0
# beta: one fault, one restart, banner twice, heartbeats after the restart
check "beta: exactly one fault record" test "$(console "$log" | grep -c 'FAULT .* name=beta ')" -eq 1
expect_line "beta: fault record says restart-warm" "$log" 'FAULT seq=[0-9]+ t=[0-9]+ core=1 sandbox=1 name=beta kind=ept-violation .* action=restart-warm'
expect_line "beta: decision logged with its time" "$log" 'HEALTH t=[0-9]+ core=1 sandbox=1 name=beta kind=ept-violation declared=restart-warm action=restart-warm restarts=1/3 reason=policy'
expect_line "beta: restart phases logged" "$log" 'RECOVERY sandbox=1 name=beta restart=1 cause=fault t=[0-9]+ detect=[0-9]+ stop=[0-9]+ verify=[0-9]+ scrub=[0-9]+ reload=[0-9]+ relaunch=[0-9]+ total=[0-9]+'
expect_line "beta: back in its kernel (first hypercall)" "$log" 'RECOVERY sandbox=1 name=beta restart=1 t=[0-9]+ back=[0-9]+'
check "beta: banner printed twice" test "$(console "$d/com3.log" | grep -c '^Triad sandbox kernel')" -eq 2
expect_line "beta: the restarted kernel skipped its test" "$d/com3.log" 'kernel: restart 1: test write-monitor skipped'
n=$(console "$d/com3.log" | sed -n '/restart 1: test/,$p' | grep -c '^kernel: alive')
check "beta: heartbeats after the restart ($n)" test "$n" -ge 3
# alpha: escalation
check "alpha: three fault records (boot + 2 restarts)" test "$(console "$log" | grep -c 'FAULT .* name=alpha ')" -eq 3
expect_line "alpha: second restart" "$log" 'RECOVERY sandbox=0 name=alpha restart=2 cause=fault'
expect_line "alpha: limit reached, escalated to halt" "$log" 'HEALTH t=[0-9]+ core=0 sandbox=0 name=alpha kind=ept-violation declared=restart-cold action=halt restarts=2/2 reason=restart-limit'
expect_line "alpha: halted" "$log" 'core 0: sandbox 0 halted'
check "alpha: banner three times" test "$(console "$d/com2.log" | grep -c '^Triad sandbox kernel')" -eq 3
check "alpha: no third restart" bash -c "! console $log | grep -q 'name=alpha restart=3'"
# gamma: undisturbed
check "gamma: no fault, no restart" bash -c "! console $log | grep -q 'name=gamma '"
check "gamma: banner once" test "$(console "$d/com4.log" | grep -c '^Triad sandbox kernel')" -eq 1
n=$(console "$d/com4.log" | grep -c '^kernel: alive')
check "gamma keeps printing ($n heartbeats)" test "$n" -ge 3
finish
