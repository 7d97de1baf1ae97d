# Bochs 2.7 (VMX + EPT): local NIC driver recovery under the monitor
# (issue 9).  config/tests/kernel-net-recovery.xml: the I/O sandbox owns Bochs'
# 82540EM and sends telemetry through slirp to tools/gcs on the host.  The
# test option triad.test_nic=wedge@1500 disables the NIC's receiver and
# transmitter behind the driver; the kernel's NIC watchdog
# (recovery/driver_watchdog.c) calls it config-lost and re-initialises the
# driver in its own sandbox (device reset and rings, lwIP link down/up);
# telemetry resumes and reaches the host.  The monitor sees no fault and
# restarts nothing.  Phase costs in instructions (Bochs' TSC) in the log.
# REQ: REC-DRV-001
. tests/system/lib.sh
. tests/system/gcs_lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/cfg-kernel-net-recovery.iso" "$PWD/$BUILD/tools/gcs" >/dev/null
name=recovery-nic
out=$RUNS/$name-gcs
gcs_start "$out" "Triad telemetry stopping" 280
boot $name bochs "$BUILD/iso/cfg-kernel-net-recovery.iso" --cores 1 --serial-ports 2 --net "" --timeout 280
gcs_wait
mon=$RUNS/$name/com1.log
log=$RUNS/$name/com2.log
check "the run ends with the boot script's halt (status 0)" test "$status" -eq 0
expect_line "DHCP through Bochs' slirp" "$log" '^net: address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 \(dhcp\)$'
expect_line "the fault is injected: NIC wedged behind the driver" "$log" '^net: test: e1000 wedged'
expect_line "the watchdog's decision, with its time" "$log" \
  '^net: HEALTH t=[0-9]+ driver=e1000 verdict=config-lost action=recover-driver-local$'
expect_line "the driver re-initialised in its sandbox, phases logged" "$log" \
  '^net: RECOVERY driver=e1000 local n=1 t=[0-9]+ detect=[0-9]+ reinit=[0-9]+ netif=[0-9]+ total=[0-9]+ total_us=[0-9]+$'
expect_line "the link went down and up through lwIP" "$log" '^net: link up$'
expect_line "service back: a frame sent after the reset" "$log" \
  '^net: RECOVERY driver=e1000 local n=1 first frame sent after=[0-9]+ \([0-9]+ us\)$'
check "one recovery only" test "$(console "$log" | grep -c '^net: HEALTH ')" -eq 1
us=$(console "$log" | sed -nE 's/^net: RECOVERY driver=e1000 local n=1 .* total_us=([0-9]+)$/\1/p')
echo "# local NIC recovery: ${us:-?} us of virtual time (goal < 50000)"
check "local recovery under 50 ms of virtual time (${us:-?} us)" test "${us:-999999}" -lt 50000
check "gcs on the host received the run to its end (exit 0)" test "$gcs_status" -eq 0
expect_line "telemetry reached its end" "$log" '^telemetry: sent [1-9][0-9]* messages'
before=$(console "$log" | sed -nE 's/^net: test: e1000 wedged .*tx frames ([0-9]+).*/\1/p')
got=$(sed -nE 's/^gcs: [0-9]+ datagrams, ([0-9]+) frames.*/\1/p' "$out/gcs.log")
echo "# frames sent before the wedge ${before:-?}, gcs decoded ${got:-?}"
check "telemetry resumed: the host decoded more frames than were sent before the wedge" \
  test -n "$before" -a -n "$got" -a "${got:-0}" -gt "${before:-0}"
check "monitor: no fault record, no sandbox restart" bash -c "! console $mon | grep -Eq 'FAULT|RECOVERY'"
finish
