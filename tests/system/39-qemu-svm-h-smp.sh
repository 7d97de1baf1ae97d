# QEMU TCG (AMD SVM with nested paging, 3 cores, -icount): test 33's checks
# on the SVM backend (tests/system/lib.sh: boot).  alpha owns cores 0 and 1:
# SVM has no wait-for-SIPI guest state, so core 1 waits in its monitor (GIF
# clear: no INIT or NMI from a sandbox reaches it) for alpha's start request
# (hypercall TRIAD_HC_START_CORE, docs/monitor.md); today's kernel leaves it
# waiting.  beta runs on core 2; zero exits on all three cores.
# REQ: MON-SMP-001, MON-SVM-002
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/33-bochs-monitor-smp.sh
