# QEMU TCG (AMD SVM with nested paging): the isolation faults of 31 on the
# SVM backend, same ISOs, same checks (31 run with the emulator switched):
# a nested page fault is the same ept-violation record (same gpa and
# qualification), I/O and MSR violations and bad hypercalls the same
# records, an SVM instruction (VMLOAD) the vmx-instruction record, while a
# clean sandbox keeps its heartbeat.
# REQ: MON-FLT-001, MON-EPTMAP-001, MON-SVM-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/31-bochs-monitor-faults.sh
