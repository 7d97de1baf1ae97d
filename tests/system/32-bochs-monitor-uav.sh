# Bochs, 6 cores: the default UAV TMR system (build/system.bin, config/uav-tmr.xml)
# as `make run` boots it.  All six sandboxes launch on their own cores; io,
# the only sandbox with a serial console (COM2), prints its banner and reaches
# its shell; the five others (channel consoles) prove they run in VMX
# non-root by the exits their kernels caused on their cores (CPUID and the
# sandbox-info VMCALL at boot), and the steady state has zero exits everywhere.
. tests/system/lib.sh
boot monitor-uav bochs "$BUILD/iso/cfg-uav-tmr.iso" --cores 6 --memory 512 --serial-ports 2 --timeout 300
d=$RUNS/monitor-uav
log=$d/com1.log
check "run ends with the monitor's exit status 0" test "$status" -eq 0
expect_line "uav-tmr system.bin validated" "$log" 'system.bin: uav-tmr, 6 sandboxes, 14 channels, 6 cores: valid'
expect_line "six cores run the monitor" "$log" 'cores: 6 of 6 running the monitor'
n=0
for name in io fc-a fc-b fc-c fc-d sim; do
  expect_line "sandbox $n ($name) launched on core $n" "$log" "core $n: launching sandbox $n \\($name\\) "
  n=$((n + 1))
done
expect_line "all six launched" "$log" 'all 6 sandboxes launched'
expect_line "io: kernel banner on COM2" "$d/com2.log" '^Triad sandbox kernel'
expect_line "io: command line from system.bin" "$d/com2.log" 'triad.sandbox=0 triad.name=io triad.console=0x2f8'
expect_line "io: shell up" "$d/com2.log" '^kernel: ready'
# Isolation faults: none.  Records of kind "reported" are the sandbox kernels'
# own reports by hypercall (a console channel that cannot open is reported
# once): none either, now that io reads every console channel.
check "no isolation fault (EPT, I/O, MSR, VMX, triple fault)" \
  test "$(console "$log" | grep FAULT | grep -vc 'kind=reported')" -eq 0
check "no sandbox-reported fault (every console channel opened)" \
  test "$(console "$log" | grep -c 'kind=reported')" -eq 0
# Exits can only come from VMX non-root: a nonzero count of CPUID and VMCALL
# exits on a core means its sandbox kernel ran there.
for row in CPUID VMCALL; do
  counts=$(console "$log" | grep -E "TRAPS $row " | tail -1 | sed -E "s/.*TRAPS $row +//")
  check "every core's kernel ran in non-root ($row exits per core: $counts)" \
    bash -c "[ \$(wc -w <<<'$counts') -eq 6 ] && ! grep -qw 0 <<<'$counts'"
done
# Zero exits in steady state on every core.
expect_line "steady state: 100 ms window measured on all six cores, zero exits on every core" "$log" \
  'steady-state window closed at tsc [0-9]+ after 100 ms: exits core0=0 core1=0 core2=0 core3=0 core4=0 core5=0$'
# The channel consoles: io prints each sandbox's banner prefixed with its name
# (triad.console_in in config/uav-tmr.xml).
for name in fc-a fc-b fc-c fc-d sim; do
  expect_line "io prints $name's banner from its console channel" "$d/com2.log" "\\[$name\\] Triad sandbox kernel"
done
echo "# $(console "$log" | grep -oE 'steady-state window closed .*')"
finish
