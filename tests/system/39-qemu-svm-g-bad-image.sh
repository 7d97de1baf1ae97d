# QEMU TCG (AMD SVM with nested paging): secure launch of 34 on the SVM
# backend, same ISO, same checks (34 run with the emulator switched): an
# image that differs from its golden digest is not launched (one
# image-mismatch record), the verified sandboxes boot.
# REQ: MON-EPT-001, MON-EXIT-001, ATT-GOLD-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/34-bochs-monitor-bad-image.sh
