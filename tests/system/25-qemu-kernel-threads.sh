# QEMU TCG with -icount: threads inside one process (the `threads` program,
# system calls 20-28): a shared counter under a mutex, the same without it,
# bad arguments refused, a process exit ending its blocked/asleep/spinning
# threads, a thread bound to its own VCPU, kill of a multi-threaded program,
# and nothing leaked (pages, thread slots, processes, semaphores) per `stats`.
# REQ: KRN-USER-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-threads.iso" >/dev/null
boot kernel-threads qemu "$BUILD/iso/kernel-threads.iso" --icount 5 --timeout 120
log=$RUNS/kernel-threads/com1.log
check "boot script runs to its halt (status 0)" test "$status" -eq 0
expect_line "4 threads print their ids" "$log" '^threads: thread 3 has id [0-9]+$'
expect_line "each thread's return value is its join status" "$log" '^threads: joined id [0-9]+, status 103$'
expect_line "mutex: 4 x 1000 increments, none lost" "$log" '^threads: final count 4000, expected 4000$'
expect_line "mutex: 6 x 500 increments, none lost" "$log" '^threads: final count 3000, expected 3000$'
expect_line "a destroyed mutex cannot be destroyed again (EINVAL)" "$log" '^threads: mutex destroy -> 0, again -> -22$'
check "both mutex runs exit 0" test "$(console "$log" | grep -cE "^shell: 'threads' \(pid [12]\) exited with status 0$")" -eq 2
# Without the mutex the read-yield-write loop loses updates: the mutex is what makes the count right.
expect_line "without the mutex updates are lost" "$log" '^threads: without the mutex: count ([0-9]|[1-7][0-9]{0,2}) of 800$'
for what in "entry 0 -> -14" "entry in the kernel -> -14" "entry unmapped -> -14" \
            "stack in the kernel -> -14" "stack unmapped -> -14" "stack read-only \(program text\) -> -14" \
            "stack misaligned -> -22" "join it again -> -3" "join a nonexistent thread -> -3" \
            "join a kernel thread -> -3" "join oneself -> -45" "join with status into the kernel -> -14" \
            "the thread is still joinable -> 0" "semaphore: wait on a bad id -> -22" \
            "semaphore: destroy while a thread waits -> -16" "semaphore: use after destroy -> -22" \
            "threads past the per-process cap \(EAGAIN\) -> -11"; do
  expect_line "bad input: $what" "$log" "^threads: $what\$"
done
expect_line "every bad argument refused as expected" "$log" '^threads: bad arguments refused \(15 threads left waiting; exit ends them\)$'
check "the program with 15 blocked threads exits 0" bash -c "grep -q \"'threads' (pid 4) exited with status 0\" <(tr -d '\r' <\"\$0\")" "$log"
expect_line "main exits while 4 threads block, sleep or spin: status 5" "$log" "^shell: 'threads' \(pid 5\) exited with status 5$"
expect_line "a thread bound to its own Main VCPU runs on it" "$log" '^threads: thread bound to vcpu ([0-9]+), now on vcpu \1$'
expect_line "binding another process's thread refused (ESRCH)" "$log" '^threads: main still on vcpu 0; bind of a foreign thread -> -3$'
expect_line "bad program arguments: usage and status 2" "$log" "^shell: 'threads' \(pid 7\) exited with status 2$"
expect_line "ps -t shows both threads of the background program" "$log" '^  [0-9]+ +ready +0 +[0-9]+ +8 +threads$'
expect_line "kill -c ends the multi-threaded program (137)" "$log" '^shell: pid 8 exited with status 137$'
# Leak check: the first and the last `stats` agree (pages, thread slots, processes, semaphores).
stats=$(console "$log" | grep -E '^stats: ([0-9]+ pages free|[0-9]+ thread slots)')
check "free pages before == after" test "$(sed -n 1p <<<"$stats")" = "$(sed -n 3p <<<"$stats")"
check "thread slots, processes and semaphores before == after" test "$(sed -n 2p <<<"$stats")" = "$(sed -n 4p <<<"$stats")"
expect_line "no process and no semaphore left" "$log" '^stats: 4 thread slots used, 0 processes, 0 user semaphores$'
finish
