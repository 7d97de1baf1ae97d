# QEMU TCG with -icount: the Quest-style VCPU scheduler, in-kernel scenario
# `triad.selftest=sched` (sandbox-kernel/sched/selftest.c).  Virtual time is
# deterministic, so the figures repeat exactly from run to run.
# REQ: KRN-SCHED-001
. tests/system/lib.sh
. tests/system/sched-checks.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-sched.iso" >/dev/null
boot kernel-sched qemu "$BUILD/iso/kernel-sched.iso" --icount 5 --timeout 90
log=$RUNS/kernel-sched/com1.log
check "scheduler self-test ends with status 0" test "$status" -eq 0
sched_selftest_checks "$log" ""
expect_line "the refusal reports the load the VCPU would have made" "$log" '^sched: admission: main 40/100 over the bound -> -16, load 590000000 ppb'
expect_line "malformed VCPU parameters are refused" "$log" '^sched: ok: malformed parameters'
expect_line "setparams over the bound is refused and changes nothing" "$log" '^sched: ok: the refused change left'
expect_line "scenario threads exit, VCPUs destroyed, no page leaked" "$log" '^sched: ok: no page leaked'
finish
