# Bochs (the Intel target): GRUB loads the monitor, which reports the boot
# information and the VMX features the partitioning needs, validates the
# UAV system.bin and, on this one-core machine, refuses to start a system
# that needs six cores (exit status 4) instead of running part of it.
# REQ: MON-BOOT-001, MON-CAP-001, MON-CAP-002
. tests/system/lib.sh
boot monitor-vmx bochs "$BUILD/iso/monitor.iso" --cores 1 --memory 256 --timeout 180
log=$RUNS/monitor-vmx/com1.log
check "monitor refuses the 6-core system on 1 core with status 4" test "$status" -eq 4
expect_line "monitor starts and reads the TSC" "$log" '^\[monitor\] Triad monitor .* boot tsc [0-9]+'
expect_line "GRUB is named as the boot loader" "$log" 'boot loader: GRUB'
expect_line "memory map lists RAM above 1 MiB" "$log" '0x0000000000100000-0x[0-9a-f]+ available'
expect_line "usable RAM matches the 256 MiB given" "$log" 'usable RAM: 25[0-5] MiB'
expect_line "the sandbox-kernel module is listed" "$log" 'module 0: 0x[0-9a-f]+-0x[0-9a-f]+ [0-9]+ bytes sandbox-kernel'
expect_line "VMX is present" "$log" '\[monitor\] vmx: present'
expect_line "EPT and unrestricted guest are reported" "$log" 'vmx features: ept=yes unrestricted-guest=yes vpid=yes preemption-timer=yes'
expect_line "no SVM on the Intel model" "$log" '\[monitor\] svm: absent'
expect_line "system.bin (uav-tmr) is validated" "$log" 'system.bin: uav-tmr, [0-9]+ sandboxes, [0-9]+ channels, 6 cores: valid'
expect_line "every sandbox is prepared before the cores start" "$log" 'sandbox 0 io: ram 0x[0-9a-f]+\+0x[0-9a-f]+ cores 0x01 entry 0x[0-9a-f]+ ept pages [0-9]+ io ports [0-9]+'
expect_line "the missing cores are named" "$log" 'core 1 did not answer INIT-SIPI-SIPI'
expect_line "and the system is refused" "$log" 'fatal: this machine has fewer cores than system.bin needs'
expect_line "the same console on port 0xE9" "$RUNS/monitor-vmx/debugcon.log" 'vmx: present'
tsc=$(grep -oE 'boot tsc [0-9]+' "$log" | awk '{print $3}')
echo "# instructions from power-on to the monitor's first line: ${tsc:-?}"
finish
