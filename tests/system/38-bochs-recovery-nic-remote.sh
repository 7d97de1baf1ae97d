# Bochs 2.7 (VMX + EPT, 2 cores): local then remote NIC driver recovery
# (issue 9), one boot.  config/tests/kernel-net-remote.xml: io owns Bochs'
# 82540EM and sends telemetry through slirp to tools/gcs on the host; spare
# is the NIC's declared standby (<device standby="spare">) and waits for it.
# Local: triad.test_nic=wedge@1000 disables the NIC's receiver and
# transmitter behind io's driver; io's NIC watchdog (recovery/driver_watchdog.c)
# calls it config-lost and re-initialises the driver in io (device reset and
# rings, lwIP link down/up); telemetry goes on; the monitor sees nothing.
# Remote: at wild@2500 io's driver side writes outside its RAM: an EPT
# violation, recover_driver_remote in its health table.  The monitor hands the NIC over (BAR revoked in io's EPT and
# granted in spare's, ports 0xCF8-0xCFF moved between the I/O bitmaps,
# translations flushed on both sandboxes' cores), then restarts io; spare
# initialises the driver and takes the telemetry over, which reaches the
# host.  The restarted io writes to the NIC's registers: an EPT violation
# (its restart limit is reached, so it is halted) - the old owner can no
# longer touch the device.  Phase costs in instructions (Bochs' TSC).
# REQ: REC-DRV-001, REC-DRV-003, REC-DRV-002, NET-IRQ-001
. tests/system/lib.sh
. tests/system/gcs_lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/cfg-kernel-net-remote.iso" "$PWD/$BUILD/tools/gcs" >/dev/null
name=recovery-nic-remote
out=$RUNS/$name-gcs
gcs_start "$out" "Triad telemetry stopping" 400
slot="--nic-slot 2"; on_svm && slot=""   # Bochs' e1000 to 00:03.0, where QEMU has it
boot $name bochs "$BUILD/iso/cfg-kernel-net-remote.iso" --cores 2 --serial-ports 3 --net "" $slot --timeout 400
flush='invept\+invvpid'; on_svm && flush=tlb-control
gcs_wait
mon=$RUNS/$name/com1.log
io=$RUNS/$name/com2.log
spare=$RUNS/$name/com3.log
check "the run ends with the standby's script halt (status 0)" test "$status" -eq 0
expect_line "io: DHCP through Bochs' slirp" "$io" '^net: address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 \(dhcp\)$'
expect_line "spare waits for the NIC it stands by for" "$spare" '^net: standby: waiting for the NIC \(devices 1\)'
# local recovery first (io's own watchdog; the monitor sees no fault)
expect_line "local: the NIC wedged behind io's driver" "$io" '^net: test: e1000 wedged'
expect_line "local: the watchdog's decision, with its time" "$io" \
  '^net: HEALTH t=[0-9]+ driver=e1000 verdict=config-lost action=recover-driver-local$'
expect_line "local: the driver re-initialised in its sandbox, phases logged" "$io" \
  '^net: RECOVERY driver=e1000 local n=1 t=[0-9]+ detect=[0-9]+ reinit=[0-9]+ netif=[0-9]+ total=[0-9]+ total_us=[0-9]+$'
expect_line "local: the link went down and up through lwIP" "$io" '^net: link up$'
expect_line "local: service back, a frame sent after the reset" "$io" \
  '^net: RECOVERY driver=e1000 local n=1 first frame sent after=[0-9]+ \([0-9]+ us\)$'
check "local: one recovery only" test "$(console "$io" | grep -c '^net: HEALTH ')" -eq 1
us=$(console "$io" | sed -nE 's/^net: RECOVERY driver=e1000 local n=1 .* total_us=([0-9]+)$/\1/p')
echo "# local NIC recovery: ${us:-?} us of virtual time (goal < 50000)"
check "local: under 50 ms of virtual time (${us:-?} us)" test "${us:-999999}" -lt 50000
wedged=$(console "$io" | sed -nE 's/^net: test: e1000 wedged .*tx frames ([0-9]+).*/\1/p')
# then the remote one
expect_line "the fault is injected: io's driver writes outside its RAM" "$io" '^net: test: driver writes outside its RAM at 3ff00000'
wild=$(console "$io" | sed -nE 's/^net: test: driver writes outside its RAM at [0-9a-f]+, tx frames ([0-9]+).*/\1/p')
check "local: io sent frames after its local recovery (${wedged:-?} at the wedge, ${wild:-?} at the wild write)" \
  test -n "$wedged" -a -n "$wild" -a "${wild:-0}" -gt "${wedged:-0}"
check "local: the monitor saw no fault before the wild write (first FAULT record is it)" \
  bash -c "console $mon | grep -m1 'FAULT ' | grep -q 'gpa=0x0*3ff00000'"
expect_line "monitor: EPT violation of io at the wild address" "$mon" \
  'FAULT .*sandbox=0 .*kind=ept-violation .*gpa=0x0*3ff00000'
expect_line "monitor: the health table's decision, with its time" "$mon" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=recover-driver-remote action=recover-driver-remote restarts=1/1 reason=policy'
expect_line "monitor: the NIC handed to spare, phases logged, spare's core flushed" "$mon" \
  'RECOVERY sandbox=0 name=io handover dev=nic0 to=1 to-name=spare t=[0-9]+ unmap=[0-9]+ ports=[0-9]+ map=[0-9]+ flush=[0-9]+ total=[0-9]+ bars=1 port-ranges=1 cores-flushed=1/1 irq=11 irq-core=1 irq-path=ioapic route=[0-9]+'
expect_line "monitor: at boot the NIC's line went to its owner io's core 0" "$mon" \
  'irq: nic0 gsi 11 -> core 0 vector 0x3b \(ioapic, level, owner\)'
expect_line "monitor: then io restarted from its pristine image" "$mon" \
  'RECOVERY sandbox=0 name=io restart=1 cause=fault .* flush='$flush
expect_line "spare sees the device handed over" "$spare" '^net: standby: device handed over by the monitor \(devices 1\)'
expect_line "spare's driver found the NIC through the ports it received, at the routed vector" "$spare" \
  '^net: e1000 at pci 00:03\.0 mmio febc0000 irq 11 vector 0x3b \(ioapic\) '
expect_line "spare's driver is woken by the NIC's interrupt, now routed to its core" "$spare" \
  '^e1000: first interrupt on vector 0x3b '
expect_line "spare's network up with the static address" "$spare" '^net: address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 \(static\)$'
expect_line "spare: remote recovery phases (driver re-init, interface up)" "$spare" \
  '^net: RECOVERY driver=e1000 remote t=[0-9]+ reinit=[0-9]+ netif=[0-9]+ total=[0-9]+ total_us=[0-9]+$'
expect_line "spare's telemetry reached its end" "$spare" '^telemetry: sent [1-9][0-9]* messages'
check "gcs on the host received the run to its end (exit 0)" test "$gcs_status" -eq 0
before=$(console "$io" | sed -nE 's/^net: test: driver writes outside its RAM at [0-9a-f]+, tx frames ([0-9]+).*/\1/p')
got=$(sed -nE 's/^gcs: [0-9]+ datagrams, ([0-9]+) frames.*/\1/p' "$out/gcs.log")
echo "# frames io sent before its fault ${before:-?}, gcs decoded ${got:-?}"
check "telemetry resumed from spare: the host decoded more frames than io sent before its fault" \
  test -n "$before" -a -n "$got" -a "${got:-0}" -gt "${before:-0}"
# the old owner: restarted io's write to the NIC's registers faults
expect_line "restarted io runs its after-restart test on the NIC's BAR" "$io" '^kernel: writing to febc0000'
expect_line "monitor: io's access to the NIC it lost is an EPT violation" "$mon" \
  'FAULT .*sandbox=0 .*kind=ept-violation .*gpa=0x0*febc0000'
expect_line "monitor: io at its restart limit is halted (no second hand-over)" "$mon" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=recover-driver-remote action=halt restarts=1/1 reason=restart-limit'
check "one hand-over only" test "$(console "$mon" | grep -c 'handover dev=')" -eq 1
check "spare never faulted" bash -c "! console $mon | grep -Eq 'FAULT .*sandbox=1 '"
h=$(console "$mon" | sed -nE 's/.*handover dev=nic0 .* total=([0-9]+) .*/\1/p')
r=$(console "$spare" | sed -nE 's/^net: RECOVERY driver=e1000 remote .* total_us=([0-9]+)$/\1/p')
echo "# hand-over in the monitor ${h:-?} ticks; spare's driver re-init + interface up ${r:-?} us"
finish
