# QEMU TCG (the AMD path): the same monitor ISO reports SVM with nested
# paging and chooses its SVM backend by CPUID.  Bad input: booted on 2 cores
# while its system.bin (uav-tmr) needs 6, it starts what it can, then
# refuses to go on with a clear message and exit status 4.
# REQ: MON-CAP-001
. tests/system/lib.sh
boot monitor-svm qemu "$BUILD/iso/monitor.iso" --cores 2 --icount 5 --timeout 60
log=$RUNS/monitor-svm/com1.log
check "monitor run ends with exit status 4 (too few cores)" test "$status" -eq 4
expect_line "SVM with nested paging is reported" "$log" '\[monitor\] svm: present, npt=yes'
expect_line "no VMX under QEMU TCG" "$log" '\[monitor\] vmx: absent'
expect_line "the SVM backend is chosen" "$log" '\[monitor\] backend: SVM with nested paging'
expect_line "the sandbox-kernel module is listed" "$log" 'sandbox-kernel$'
expect_line "nested page tables built per sandbox" "$log" 'sandbox 0 io: ram 0x[0-9a-f]+\+0x[0-9a-f]+ cores 0x01 entry 0x[0-9a-f]+ npt pages [0-9]+ io ports [0-9]+'
expect_line "too few cores refused with a clear message" "$log" 'fatal: this machine has fewer cores than system.bin needs'
finish
