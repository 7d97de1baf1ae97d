# Bochs (the Intel target): GRUB loads the monitor, which reports the boot
# information and the VMX features the partitioning needs.
. tests/system/lib.sh
boot monitor-vmx bochs "$BUILD/iso/monitor.iso" --cores 1 --memory 256 --timeout 180
log=$RUNS/monitor-vmx/com1.log
check "monitor run ends with a guest exit status 0" test "$status" -eq 0
expect_line "monitor starts and reads the TSC" "$log" '^\[monitor\] Triad monitor .* boot tsc [0-9]+'
expect_line "GRUB is named as the boot loader" "$log" 'boot loader: GRUB'
expect_line "memory map lists RAM above 1 MiB" "$log" '0x0000000000100000-0x[0-9a-f]+ available'
expect_line "usable RAM matches the 256 MiB given" "$log" 'usable RAM: 25[0-5] MiB'
expect_line "the sandbox-kernel module is listed" "$log" 'module 0: 0x[0-9a-f]+-0x[0-9a-f]+ [0-9]+ bytes sandbox-kernel'
expect_line "VMX is present" "$log" '\[monitor\] vmx: present'
expect_line "EPT and unrestricted guest are reported" "$log" 'vmx features: ept=yes unrestricted-guest=yes vpid=yes preemption-timer=yes'
expect_line "no SVM on the Intel model" "$log" '\[monitor\] svm: absent'
expect_line "the same console on port 0xE9" "$RUNS/monitor-vmx/debugcon.log" 'vmx: present'
tsc=$(grep -oE 'boot tsc [0-9]+' "$log" | awk '{print $3}')
echo "# instructions from power-on to the monitor's first line: ${tsc:-?}"
finish
