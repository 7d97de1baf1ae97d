# QEMU TCG (AMD SVM with nested paging, 3 cores, -icount): test 35's checks
# on the SVM backend (tests/system/lib.sh: boot).  QEMU 7.2 TCG has no
# x2APIC, so the sandbox kernels drive the xAPIC page; the description marks
# the three sandboxes ipi="contained", the monitor leaves the page out of
# their nested page tables and emulates every access (monitor/xapic_trap.c):
# alpha's INIT and gamma's NMI to beta's core give the same ipi-violation
# records as on VMX, the self IPIs are delivered, and the steady state costs
# only the emulated xAPIC accesses (bounded, counted as EPT violations).
# REQ: MON-EXIT-001, MON-EXIT-002, MON-SVM-002, MON-SVM-003
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/35-bochs-monitor-ipi.sh
