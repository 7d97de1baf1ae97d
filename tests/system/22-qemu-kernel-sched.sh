# QEMU TCG with -icount: the Quest-style VCPU scheduler, in-kernel scenario
# `triad.selftest=sched` (sandbox-kernel/sched/selftest.c).  Virtual time is
# deterministic, so the figures repeat exactly from run to run.
# REQ: KRN-SCHED-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-sched.iso" >/dev/null
boot kernel-sched qemu "$BUILD/iso/kernel-sched.iso" --icount 5 --timeout 90
log=$RUNS/kernel-sched/com1.log
check "scheduler self-test ends with status 0" test "$status" -eq 0
expect_line "admission accepts a set under the bound" "$log" '^sched: ok: a set under the bound'
expect_line "admission refuses a VCPU over the bound (-EBUSY)" "$log" '^sched: admission: main 40/100 over the bound -> -16, load 590000000 ppb'
expect_line "admission accepts a smaller VCPU afterwards" "$log" '^sched: ok: a smaller VCPU that keeps the set under the bound is admitted'
expect_line "malformed VCPU parameters are refused" "$log" '^sched: ok: malformed parameters'
expect_line "setparams over the bound is refused and changes nothing" "$log" '^sched: ok: the refused change left'
expect_line "VCPU load back to its start: nothing leaks" "$log" '^sched: ok: the load returns to where it was'
# The hog's share over one virtual second, checked here as a number too.
share=$(console "$log" | sed -nE 's/^sched: window [0-9]+ us, hog [0-9]+ us = ([0-9]+)\.([0-9]+)%.*/\1\2/p')
check "hog on C=20 ms T=100 ms gets 20% +- 2% of one virtual second (measured ${share:-none}/100 %)" \
  test -n "$share" -a "${share:-0}" -ge 1800 -a "${share:-0}" -le 2200
expect_line "periodic task on the higher-priority VCPU misses no deadline" "$log" '^sched: periodic: (99|1[0-9][0-9]) releases, 0 deadline misses'
expect_line "PIBS I/O VCPU stays within its bandwidth" "$log" '^sched: ok: I/O VCPU stays within'
expect_line "scenario threads exit, VCPUs destroyed, no page leaked" "$log" '^sched: ok: no page leaked'
expect_line "self-test summary" "$log" '^sched: selftest passed \(0 failures\)'
finish
