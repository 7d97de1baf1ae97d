# QEMU TCG (AMD SVM with nested paging), 2 cores: local then remote NIC
# driver recovery of 38 on the SVM backend, same ISO, same checks (38 run
# with the emulator switched): the hand-over rewrites NPT leaves, copies the
# I/O permission maps again and flushes through TLB_CONTROL.
# REQ: REC-DRV-001, REC-DRV-003
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/38-bochs-recovery-nic-remote.sh
