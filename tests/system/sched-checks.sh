# Checks of the scheduler self-test (sandbox-kernel/sched/selftest.c), shared by
# the standalone run (22, QEMU) and the run under the monitor (24, Bochs): the
# same scenario must give the same verdicts wherever the kernel runs.
#   sched_selftest_checks LOG "WHERE"   (WHERE is appended to the hog-share check)
sched_selftest_checks() {
  local log=$1 where=$2 share
  expect_line "admission accepts a set under the bound" "$log" '^sched: ok: a set under the bound'
  expect_line "admission refuses a VCPU over the bound (-EBUSY)" "$log" '^sched: admission: main 40/100 over the bound -> -16'
  expect_line "admission accepts a smaller VCPU afterwards" "$log" '^sched: ok: a smaller VCPU that keeps the set under the bound is admitted'
  expect_line "VCPU load back to its start: nothing leaks" "$log" '^sched: ok: the load returns to where it was'
  share=$(console "$log" | sed -nE 's/^sched: window [0-9]+ us, hog [0-9]+ us = ([0-9]+)\.([0-9]+)%.*/\1\2/p')
  check "hog on C=20 ms T=100 ms gets 20% +- 2% of one virtual second$where (measured ${share:-none}/100 %)" \
    test -n "$share" -a "${share:-0}" -ge 1800 -a "${share:-0}" -le 2200
  expect_line "periodic task on the higher-priority VCPU misses no deadline" "$log" '^sched: periodic: (99|1[0-9][0-9]) releases, 0 deadline misses'
  expect_line "PIBS I/O VCPU stays within its bandwidth" "$log" '^sched: ok: I/O VCPU stays within'
  expect_line "self-test summary" "$log" '^sched: selftest passed \(0 failures\)'
}
