# QEMU TCG (AMD SVM with nested paging, 6 cores): the default UAV TMR system
# of 32 on the SVM backend, same ISO, same checks (32 run with the emulator
# switched): six sandboxes on their own cores, channel consoles, zero exits
# in the steady state everywhere.
# REQ: MON-SMP-001, MON-EXIT-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/32-bochs-monitor-uav.sh
