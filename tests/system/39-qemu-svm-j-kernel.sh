# QEMU TCG (AMD SVM with nested paging, 2 cores, -icount 5): test 24's checks
# on the SVM backend: the scheduler self-test as sandbox "sched" on core 1,
# user programs as sandbox "user" on core 0, time from the monitor, zero I/O
# exits at boot.  Under -icount QEMU runs its virtual CPUs in turns of up to
# half the time to the next virtual timer, and the guest charges a lost turn
# to the VCPU it was running: without help the self-test's 2 ms periodic
# VCPU lost its budget in one turn (4 of 100 deadlines missed, worst
# response 13 ms).  The ISO's monitor runs its SVM test clock every 500 us
# (triad.svm-clock-us, sandbox-kernel/rules.mk; clock exits of core 0 only,
# outside the window), which keeps every turn short: 0 misses, worst
# response 1.8 ms (docs/monitor.md).
# REQ: MON-SVM-001
export TRIAD_MONITOR_EMU=qemu TRIAD_RUNS=${BUILD:-build}/runs/system-svm
. tests/system/24-bochs-kernel-under-monitor.sh
