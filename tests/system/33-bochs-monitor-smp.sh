# Bochs, 3 cores: a sandbox that owns two cores (config/tests/monitor-smp.xml).
# The monitor launches alpha's kernel on core 0 and enters core 1 in VMX
# non-root in the wait-for-SIPI activity state; alpha's kernel starts it
# (triad.smp=park: a real-mode halt loop) with its own start-up IPI on VMX,
# through the monitor on SVM (TRIAD_HC_START_CORE).  beta runs on core 2
# and asks the monitor to start core 1 (bad input, refused).  Neither the
# waiting nor the started core costs exits in the steady state.
# REQ: MON-SMP-001, MON-SVM-002
. tests/system/lib.sh
boot monitor-smp bochs "$BUILD/iso/cfg-monitor-smp.iso" --cores 3 --memory 256 --serial-ports 3 --timeout 240
d=$RUNS/monitor-smp
log=$d/com1.log
check "run ends with the monitor's exit status 0" test "$status" -eq 0
expect_line "alpha owns cores 0 and 1" "$log" 'sandbox 0 alpha: .* cores 0x03 '
expect_line "alpha's kernel launched on its boot core" "$log" 'core 0: launching sandbox 0 \(alpha\) '
# The waiting place differs: VMX enters the core in the wait-for-SIPI
# activity state; SVM has none, so the core waits in its monitor for the
# kernel's start request (hypercall TRIAD_HC_START_CORE).
if on_svm; then
  expect_line "core 1 waits in its monitor for alpha's start request" "$log" \
    'core 1: secondary core of sandbox 0 waits in its monitor for the guest.s start request \(SVM, asid 1\)'
  expect_line "core 1 started by alpha's request at vector 7" "$log" \
    'core 1: started by sandbox 0 at vector 0x07, tsc [0-9]+ \([0-9]+ ticks after the request\)'
else
  expect_line "core 1 entered non-root waiting for alpha's SIPI" "$log" \
    'core 1: secondary core of sandbox 0 waits in VMX non-root for the guest.s INIT-SIPI-SIPI'
fi
check "the wait-for-SIPI VM entry did not fail" test "$(console "$log" | grep -c VMLAUNCH)" -eq 0
expect_line "beta launched on core 2" "$log" 'core 2: launching sandbox 1 \(beta\) '
expect_line "trap table has a column per core with its sandbox" "$log" 'TRAPS reason +core0/sb0 +core1/sb0 +core2/sb1'
expect_line "alpha: banner and a 2-core command line on COM2" "$d/com2.log" 'triad.name=alpha triad.console=0x2f8 triad.cores=2'
expect_line "alpha: kernel ready" "$d/com2.log" '^kernel: ready'
expect_line "alpha: its second core started" "$d/com2.log" '^kernel: core 1 started, parked in hlt$'
expect_line "beta: kernel ready on COM3" "$d/com3.log" '^kernel: ready'
# Bad input: beta asks the monitor to start alpha's core 1 (hypercall
# TRIAD_HC_START_CORE, vector 7): refused with TRIAD_E_PERM and an
# ipi-violation record of beta (gpa = the core, qual = the start-up IPI in
# x2APIC ICR form), the same on both backends; core 1 keeps waiting.
expect_line "beta: start request for alpha's core refused (TRIAD_E_PERM)" "$d/com3.log" \
  '^kernel: start request for core 1 returned -4$'
expect_line "beta's request recorded as beta's ipi-violation" "$log" \
  'FAULT seq=0 t=[0-9]+ core=2 sandbox=1 name=beta kind=ipi-violation gpa=0x0000000000000001 rip=0x[0-9a-f]{16} qual=0x0000000100000607 '
check "exactly one fault record" test "$(console "$log" | grep -c 'FAULT seq=')" -eq 1
expect_line "beta keeps running after the refusal" "$d/com3.log" '^kernel: test start-core done, kernel still running$'
expect_line "steady state: zero exits on all three cores, the started one included" "$log" \
  'steady-state window closed at tsc [0-9]+ after 100 ms: exits core0=0 core1=0 core2=0$'
finish
