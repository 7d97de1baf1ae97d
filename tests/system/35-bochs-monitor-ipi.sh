# Bochs, 3 cores: IPIs between sandboxes (issue 4).  The sandbox kernels run
# their LAPIC in x2APIC mode (the xAPIC page is not mapped); only ICR writes
# (MSR 0x830) exit.  alpha sends INIT and gamma sends NMI to beta's core
# (APIC ID 1): each is refused with an ipi-violation record naming the
# sender (gpa = destination, qual = the ICR value), nothing reaches core 1
# (no INIT, no NMI exit there), beta keeps its heartbeat; the fixed IPI each
# sender then sends to its own APIC ID is delivered.  Steady state: zero exits.
# REQ: MON-EXIT-001, MON-EXIT-002
. tests/system/lib.sh
boot monitor-ipi bochs "$BUILD/iso/cfg-monitor-ipi.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
d=$RUNS/monitor-ipi
log=$d/com1.log
check "run ends with the monitor's exit status 0" test "$status" -eq 0
expect_line "all three sandboxes launched" "$log" 'all 3 sandboxes launched'
for n in 2 3 4; do
  expect_line "COM$n: kernel runs its LAPIC in x2APIC mode" "$d/com$n.log" '^kernel: tsc [0-9]+ Hz \(monitor\), lapic [0-2],'
done
expect_line "alpha: x2APIC, INIT to APIC 1 sent" "$d/com2.log" '^kernel: lapic in x2APIC mode, sending INIT to apic 1$'
expect_line "gamma: x2APIC, NMI to APIC 1 sent" "$d/com4.log" '^kernel: lapic in x2APIC mode, sending NMI to apic 1$'
expect_line "alpha's INIT refused: ipi-violation record names alpha" "$log" \
  'FAULT seq=[0-9]+ t=[0-9]+ core=0 sandbox=0 name=alpha kind=ipi-violation gpa=0x0000000000000001 rip=0x[0-9a-f]{16} qual=0x0000000100004500 action=log'
expect_line "gamma's NMI refused: ipi-violation record names gamma" "$log" \
  'FAULT seq=[0-9]+ t=[0-9]+ core=2 sandbox=2 name=gamma kind=ipi-violation gpa=0x0000000000000001 rip=0x[0-9a-f]{16} qual=0x0000000100000400 action=log'
check "exactly two fault records" test "$(console "$log" | grep -c 'FAULT seq=')" -eq 2
check "no record for beta" bash -c "! grep -q 'name=beta ' '$log'"
check "no INIT reached beta's core" bash -c "! grep -q 'core 1: INIT signal' '$log'"
check "no NMI exit on beta's core" bash -c "grep -a 'TRAPS NMI ' '$log' | head -1 | awk '{print \$5}' | grep -qx 0"
expect_line "alpha: IPI to its own APIC ID delivered" "$d/com2.log" '^kernel: IPI to own apic 0 delivered$'
expect_line "gamma: IPI to its own APIC ID delivered" "$d/com4.log" '^kernel: IPI to own apic 2 delivered$'
check "alpha and gamma carry on after the refusal" bash -c "grep -q '^kernel: test send-init done' '$d/com2.log' && grep -q '^kernel: test send-nmi done' '$d/com4.log'"
n=$(console "$d/com3.log" | grep -c '^kernel: alive')
check "beta keeps its heartbeat (beats: $n)" test "$n" -ge 5
expect_line "steady state: 100 ms with zero exits on every core" "$log" \
  'steady-state window closed at tsc [0-9]+ after 100 ms: exits core0=0 core1=0 core2=0$'
finish
