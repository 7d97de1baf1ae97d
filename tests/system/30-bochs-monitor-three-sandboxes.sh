# Bochs, 3 cores: the monitor validates three-sandboxes.bin, loads the kernel
# into three EPT-isolated regions, starts the APs and launches one sandbox per
# core; each kernel prints on its own UART (COM2-4) while the others run.
# After boot, a steady-state window of 100 virtual ms has zero VM exits on
# every core (the monitor's test clock counts them before and after).
# REQ: MON-EPTMAP-001, MON-SMP-001, MON-EXIT-001, MON-EXIT-002
. tests/system/lib.sh
boot monitor-three bochs "$BUILD/iso/cfg-three-sandboxes.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
d=$RUNS/monitor-three
log=$d/com1.log
check "run ends with the monitor's exit status 0" test "$status" -eq 0
expect_line "system.bin validated" "$log" 'system.bin: three-sandboxes, 3 sandboxes, 0 channels, 3 cores: valid'
expect_backend "$log"
for sb in 0 1 2; do
  expect_line "sandbox $sb launched on core $sb" "$log" "core $sb: launching sandbox $sb "
done
expect_line "all three cores run the monitor" "$log" 'cores: 3 of 3 running the monitor'
n=2
for name in alpha beta gamma; do
  expect_line "$name: kernel banner on COM$n" "$d/com$n.log" '^Triad sandbox kernel'
  expect_line "$name: kernel got its command line on COM$n" "$d/com$n.log" "triad.name=$name triad.console=0x"
  expect_line "$name: kernel reaches ready on COM$n" "$d/com$n.log" '^kernel: ready'
  n=$((n + 1))
done
check "no kernel output leaks onto the monitor console" bash -c "! grep -q 'Triad sandbox kernel' $log"
check "no fault during a clean boot" bash -c "! grep -q 'FAULT' $log"
expect_line "steady state: 100 ms with zero exits on every core" "$log" \
  'steady-state window closed at tsc [0-9]+ after 100 ms: exits core0=0 core1=0 core2=0$'
expect_line "trap count table printed" "$log" 'TRAPS Total +[0-9]+ +[0-9]+ +[0-9]+'
last=$(console "$log" | grep -oE 'last launch at tsc [0-9]+' | awk '{print $5}')
echo "# instructions from power-on to the last sandbox launched: ${last:-?}"
finish
