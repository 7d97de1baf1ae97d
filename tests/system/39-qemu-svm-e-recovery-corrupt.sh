# QEMU TCG (AMD SVM with nested paging): recovery's bad input of 37 on the
# SVM backend, same ISO, same checks (37 run with the emulator switched):
# a corrupted pristine image refused at restart, a restart request for
# another sandbox refused (TRIAD_E_PERM), the clean sandboxes keep running.
# REQ: REC-RST-002, REC-HM-002, REC-HC-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/37-bochs-recovery-corrupt.sh
