# Bochs 2.7 (VMX + EPT, 1 core): local NIC driver recovery applied by the
# monitor (issue 9), one boot (one restart in it).  config/tests/kernel-net-local.xml: io owns
# the 82540EM and sends telemetry through slirp; its kernel registers the
# driver's code range and the #VE upcall (TRIAD_HC_DRIVER_RECOVERY).  At
# wild@800 io's driver writes outside its RAM: an EPT violation whose
# health action is recover_driver_local.  The monitor does not restart io:
# HEALTH action=recover-driver-local, the fault record, and a #VE injected
# where the write was; the kernel's handler sends the faulting thread to
# its recovery (device reset, rings, lwIP link down/up), which tells the
# monitor it is done and starts a fresh watchdog thread; telemetry goes on
# with the same kernel (no second boot line).  The fallback: at
# wildout@1600 the same write comes from net.c, outside the driver's code:
# a cold restart, reason outside-driver.  Bad input: the restarted kernel's
# driver faults again (wild@800) and its recovery faults once more before
# done (again): the second fault during the recovery escalates
# (fault-during-recovery, halt).  The
# phases: VM exit, #VE in the kernel, driver re-initialised, interface up,
# done; goal < 50 ms of virtual time.
# REQ: REC-DRV-001, REC-DRV-004
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/cfg-kernel-net-local.iso" >/dev/null
name=recovery-nic-local
slot="--nic-slot 2"; on_svm && slot=""   # Bochs' e1000 to 00:03.0, where QEMU has it
boot $name bochs "$BUILD/iso/cfg-kernel-net-local.iso" --cores 1 --serial-ports 2 --net "" $slot --timeout 400 \
  --until "core 0: sandbox 0 halted"
mon=$RUNS/$name/com1.log
io=$RUNS/$name/com2.log
check "the run reaches the escalation's halt (status 0)" test "$status" -eq 0
expect_line "io's network up (static address: no DHCP wait before the faults)" "$io" \
  '^net: address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 \(static\)$'
expect_line "io's kernel registered the driver's code and the #VE upcall" "$io" \
  '^net: driver recovery upcall registered: vector 20, code [0-9a-f]+-[0-9a-f]+$'
expect_line "monitor: the upcall registered for io" "$mon" \
  'RECOVERY sandbox=0 name=io driver-local upcall registered vector=20 code=0x[0-9a-f]+-0x[0-9a-f]+'
expect_line "the fault is injected: io's driver writes outside its RAM" "$io" '^net: test: driver writes outside its RAM at 3ff00000'
expect_line "monitor: EPT violation of io at the wild address, recorded with the applied action" "$mon" \
  'FAULT seq=0 .*sandbox=0 name=io kind=ept-violation gpa=0x0*3ff00000 .*action=recover-driver-local'
expect_line "monitor: the health table's decision, local recovery, counted" "$mon" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=recover-driver-local action=recover-driver-local restarts=1/3 reason=policy'
expect_line "io's kernel: its own HEALTH line for the upcall" "$io" \
  '^net: HEALTH t=[0-9]+ driver=e1000 verdict=fault action=recover-driver-local$'
expect_line "io's driver re-initialised in its sandbox (device reset, rings)" "$io" '^net: e1000 re-initialised \(reset 1\)$'
expect_line "io's interface went down and up through lwIP" "$io" '^net: link up$'
expect_line "io's kernel: the recovery's phases, with the fault's address and instruction" "$io" \
  '^net: RECOVERY driver=e1000 upcall n=1 gpa=3ff00000 rip=[0-9a-f]+ t=[0-9]+ upcall=[0-9]+ reinit=[0-9]+ netif=[0-9]+ total=[0-9]+ total_us=[0-9]+$'
expect_line "monitor: the kernel said done; no restart; exit to done measured" "$mon" \
  'RECOVERY sandbox=0 name=io driver-local n=1 upcall vector=20 gpa=0x0*3ff00000 rip=0x[0-9a-f]+ no restart, done t=[0-9]+ exit-to-done=[0-9]+ total_us=[0-9]+'
rip_mon=$(console "$mon" | sed -nE 's/.*FAULT seq=0 .* rip=0x0*([0-9a-f]+) .*/\1/p')
rip_io=$(console "$io" | sed -nE 's/^net: RECOVERY driver=e1000 upcall n=1 gpa=[0-9a-f]+ rip=([0-9a-f]+) .*/\1/p')
check "the #VE came where the faulting write was (rip ${rip_mon:-?} in the record, ${rip_io:-?} in the kernel)" \
  test -n "$rip_mon" -a "$rip_mon" = "$rip_io"
fault1=$(console "$mon" | grep -n 'FAULT seq=1 ' | head -1 | cut -d: -f1)
restart1=$(console "$mon" | grep -n 'RECOVERY sandbox=0 name=io restart=' | head -1 | cut -d: -f1)
check "no restart for the local recovery: io's first restart comes after the fault outside the driver (lines ${fault1:-?} < ${restart1:-?})" \
  test -n "$fault1" -a -n "$restart1" -a "${restart1:-0}" -gt "${fault1:-0}"
check "same kernel: one 'kernel: ready' before the fault outside the driver" \
  test "$(console "$io" | sed -n "1,/a write outside the driver's code/p" | grep -c '^kernel: ready')" -eq 1
expect_line "service back: a frame sent after the recovery" "$io" \
  '^net: RECOVERY driver=e1000 upcall n=1 first frame sent after=[0-9]+ \([0-9]+ us\)$'
first=$(console "$io" | sed -nE 's/^net: test: driver writes outside its RAM at [0-9a-f]+, tx frames ([0-9]+).*/\1/p' | sed -n 1p)
second=$(console "$io" | sed -nE "s/^net: test: a write outside the driver's code \(net\.c\) at [0-9a-f]+, tx frames ([0-9]+).*/\1/p" | sed -n 1p)
check "telemetry went on: io sent frames between the two faults (${first:-?} at the first, ${second:-?} at the second)" \
  test -n "$first" -a -n "$second" -a "${second:-0}" -gt "${first:-0}"
us=$(console "$io" | sed -nE 's/^net: RECOVERY driver=e1000 upcall n=1 .* total_us=([0-9]+)$/\1/p')
all=$(console "$mon" | sed -nE 's/.*driver-local n=1 .* exit-to-done=[0-9]+ total_us=([0-9]+).*/\1/p')
echo "# local recovery: upcall to driver re-initialised and interface up ${us:-?} us; VM exit to done ${all:-?} us (virtual)"
if on_svm; then
  echo "# QEMU's TSC under -icount does not give the Bochs figures: time asserted on Bochs only"
else
  check "upcall to driver re-initialised and interface up under 50 ms of virtual time (${us:-?} us)" \
    test "${us:-999999}" -lt 50000
  # the issue's goal, from the VM exit (the monitor's clock): the driver's
  # own lines come after done (e1000_say_reset), the monitor's before the #VE
  check "VM exit to done under 50 ms of virtual time (${all:-?} us)" test "${all:-999999}" -lt 50000
  # the monitor's FAULT, HEALTH and done lines are queued on this path and
  # go out at the exits after it (monitor/console_defer.h): 30.1 ms with
  # them printed before the #VE (session 7), about 1.3 ms without
  check "VM exit to done under 5 ms: the monitor's lines are off the recovery's path (${all:-?} us)" \
    test "${all:-999999}" -lt 5000
fi
# the lines carry the decision's time, not the time they were printed: the
# HEALTH and FAULT stamps come before the kernel took the #VE (upcall=)
h_t=$(console "$mon" | sed -nE 's/.*HEALTH t=([0-9]+) .*action=recover-driver-local restarts=1\/3 .*/\1/p' | head -1)
f_t=$(console "$mon" | sed -nE 's/.*FAULT seq=0 t=([0-9]+) .*/\1/p' | head -1)
ve_t=$(console "$io" | sed -nE 's/^net: RECOVERY driver=e1000 upcall n=1 .* upcall=([0-9]+) .*/\1/p' | head -1)
check "HEALTH t=${h_t:-?} and FAULT t=${f_t:-?} stamped at the decision, before the #VE at ${ve_t:-?}" \
  test -n "$h_t" -a -n "$f_t" -a -n "$ve_t" -a "${h_t:-0}" -lt "${ve_t:-0}" -a "${f_t:-0}" -lt "${ve_t:-0}"
# the fallback: the same write from code outside the driver is not the
# driver's to recover: a cold restart with its reason
expect_line "the fault outside the driver is injected (net.c)" "$io" "^net: test: a write outside the driver's code \(net\.c\) at 3ff00000"
expect_line "monitor: outside the driver's code: a cold restart, reason outside-driver" "$mon" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=recover-driver-local action=restart-cold restarts=2/3 reason=outside-driver'
expect_line "monitor: its fault record says restart-cold" "$mon" 'FAULT seq=1 .*sandbox=0 name=io kind=ept-violation gpa=0x0*3ff00000 .*action=restart-cold'
expect_line "monitor: io restarted cold from its pristine image" "$mon" 'RECOVERY sandbox=0 name=io restart=[0-9]+ cause=fault'
check "the restarted kernel registered its upcall again" test "$(console "$mon" | grep -c 'driver-local upcall registered')" -eq 2
# bad input: a second fault while the kernel recovers escalates (the
# restarted kernel's recovery faults again before done)
expect_line "the restarted kernel's driver faults and is handed its upcall (restarts 3/3)" "$mon" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=recover-driver-local action=recover-driver-local restarts=3/3 reason=policy'
expect_line "the second fault is injected during the recovery" "$io" '^net: test: the driver faults again during its recovery$'
expect_line "monitor: a fault during the local recovery escalates (halt, not another upcall)" "$mon" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=recover-driver-local action=halt restarts=3/3 reason=fault-during-recovery'
expect_line "monitor: its fault record says halt" "$mon" 'FAULT seq=3 .*sandbox=0 name=io kind=ept-violation .*action=halt'
check "the escalated recovery never said done (one done line)" test "$(console "$mon" | grep -c 'driver-local n=[0-9]* .*done')" -eq 1
finish
