# Bochs, 3 cores: a sandbox that owns two cores (config/tests/monitor-smp.xml).
# The monitor launches alpha's kernel on core 0 and enters core 1 in VMX
# non-root in the wait-for-SIPI activity state (the guest kernel starts it
# with INIT-SIPI-SIPI through its own LAPIC; today's kernel leaves it
# waiting); beta runs on core 2.  The waiting core costs no exits.
. tests/system/lib.sh
boot monitor-smp bochs "$BUILD/iso/cfg-monitor-smp.iso" --cores 3 --memory 256 --serial-ports 3 --timeout 240
d=$RUNS/monitor-smp
log=$d/com1.log
check "run ends with the monitor's exit status 0" test "$status" -eq 0
expect_line "alpha owns cores 0 and 1" "$log" 'sandbox 0 alpha: .* cores 0x03 '
expect_line "alpha's kernel launched on its boot core" "$log" 'core 0: launching sandbox 0 \(alpha\) '
expect_line "core 1 entered non-root waiting for alpha's SIPI" "$log" \
  'core 1: secondary core of sandbox 0 waits in VMX non-root for the guest.s INIT-SIPI-SIPI'
check "the wait-for-SIPI VM entry did not fail" test "$(console "$log" | grep -c VMLAUNCH)" -eq 0
expect_line "beta launched on core 2" "$log" 'core 2: launching sandbox 1 \(beta\) '
expect_line "trap table has a column per core with its sandbox" "$log" 'TRAPS reason +core0/sb0 +core1/sb0 +core2/sb1'
expect_line "alpha: banner and a 2-core command line on COM2" "$d/com2.log" 'triad.name=alpha triad.console=0x2f8 triad.cores=2'
expect_line "alpha: kernel ready" "$d/com2.log" '^kernel: ready'
expect_line "beta: kernel ready on COM3" "$d/com3.log" '^kernel: ready'
check "no fault record" test "$(console "$log" | grep -c FAULT)" -eq 0
expect_line "steady state: zero exits on all three cores, the waiting one included" "$log" \
  'steady-state window closed at tsc [0-9]+ after 100 ms: exits core0=0 core1=0 core2=0$'
finish
