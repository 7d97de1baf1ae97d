# QEMU TCG (AMD SVM with nested paging, 3 cores, -icount): the monitor's SVM
# backend boots the same ISO as 30 and passes the same checks (the script
# itself is run with the emulator switched, tests/system/lib.sh: boot):
# three NPT-isolated sandboxes, one per core, each kernel on its own UART,
# zero exits on every core in the 100 ms steady-state window.
# REQ: MON-EPTMAP-001, MON-SMP-001, MON-EXIT-001, MON-EXIT-002, MON-SVM-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/30-bochs-monitor-three-sandboxes.sh
