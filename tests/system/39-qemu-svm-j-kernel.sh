# QEMU TCG (AMD SVM with nested paging, 2 cores): test 24's checks on the
# SVM backend: the scheduler self-test as sandbox "sched" on core 1, user
# programs as sandbox "user" on core 0, time from the monitor, zero I/O
# exits at boot.  -icount 3 rather than the usual 5: QEMU runs its virtual
# CPUs in turns of several virtual ms (no fine interleaving as Bochs'
# quantum), and at 32 ns per instruction the periodic task of the self-test
# missed 3 of 103 deadlines while core 0 ran its programs; at 8 ns it
# misses none (worst response 9.7 ms of its 10 ms).
# REQ: MON-SVM-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm TRIAD_ICOUNT=${TRIAD_ICOUNT:-3}
. tests/system/24-bochs-kernel-under-monitor.sh
