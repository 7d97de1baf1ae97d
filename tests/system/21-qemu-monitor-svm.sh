# QEMU TCG (the AMD path): the same monitor ISO reports SVM with nested paging.
# REQ: MON-CAP-001
. tests/system/lib.sh
boot monitor-svm qemu "$BUILD/iso/monitor.iso" --cores 2 --icount 5 --timeout 60
log=$RUNS/monitor-svm/com1.log
check "monitor run ends with a guest exit status 0" test "$status" -eq 0
expect_line "SVM with nested paging is reported" "$log" '\[monitor\] svm: present, npt=yes'
expect_line "no VMX under QEMU TCG" "$log" '\[monitor\] vmx: absent'
expect_line "the sandbox-kernel module is listed" "$log" 'sandbox-kernel$'
finish
