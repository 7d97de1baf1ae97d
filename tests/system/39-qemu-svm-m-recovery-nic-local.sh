# QEMU TCG (AMD SVM with nested paging), 1 core: test 41's local driver
# recovery applied by the monitor on the SVM backend, same ISO, same checks
# (41 run with the emulator switched): the #VE goes in through EVENTINJ
# and the event-in-delivery check reads EXITINTINFO.  The 50 ms bound is
# asserted on Bochs only (QEMU's TSC under -icount is not instructions).
# REQ: REC-DRV-001, REC-DRV-004
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/41-bochs-recovery-nic-local.sh
