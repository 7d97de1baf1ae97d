# QEMU TCG with -icount: user mode on the sandbox kernel.  A boot script
# (triad.shell=..., see the kernel-user.iso rule in sandbox-kernel/rules.mk)
# drives the console shell through newlib programs from the program archive.
# REQ: KRN-USER-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-user.iso" >/dev/null
boot kernel-user qemu "$BUILD/iso/kernel-user.iso" --icount 5 --timeout 90
log=$RUNS/kernel-user/com1.log
check "boot script runs to its halt (status 0)" test "$status" -eq 0
expect_line "program archive module found" "$log" '^kernel: program archive: hello_world fork_test vcpu_test bad_syscalls sleeper bench( [a-z_]+)* not_elf$'
expect_line "hello_world: newlib printf/malloc in ring 3 with its arguments" "$log" '^hello, world from pid 1 \(argc 3, argv\[0\] hello_world\)$'
expect_line "hello_world exits with status 0" "$log" "^shell: 'hello_world' \(pid 1\) exited with status 0$"
expect_line "fork_test: children have their own copy of memory" "$log" '^fork_test: child 2 pid [0-9]+ sees 102$'
expect_line "fork_test: parent reaps every child's exit status" "$log" '^fork_test: reaped pid [0-9]+ status 12$'
expect_line "fork_test: verdict" "$log" '^fork_test: passed$'
expect_line "vcpu_test: parameters before binding" "$log" '^vcpu_test: before binding: vcpu [0-9]+ type main C=20 T=100 \(getparams 0\)$'
expect_line "vcpu_test: runs on its VCPU after binding" "$log" '^vcpu_test: bound to vcpu ([0-9]+) \(result 0\), now on vcpu [1-9]'
expect_line "vcpu_test: parameters after binding" "$log" '^vcpu_test: after binding: vcpu [0-9]+ type main C=20 T=100 \(getparams 0\)$'
expect_line "vcpu_test: a VCPU over the bound is refused (EBUSY)" "$log" '^vcpu_test: create over the bound -> -16$'
expect_line "vcpu_test: C > T refused (EINVAL)" "$log" '^vcpu_test: create with C > T -> -22$'
expect_line "bad pointer from user: kernel address (EFAULT)" "$log" '^bad_syscalls: write from a kernel address -> -14$'
expect_line "bad pointer from user: unmapped (EFAULT)" "$log" '^bad_syscalls: write from an unmapped address -> -14$'
expect_line "unknown system call (ENOSYS)" "$log" '^bad_syscalls: unknown system call -> -38$'
expect_line "waitpid status pointer into the kernel (EFAULT)" "$log" '^bad_syscalls: waitpid into the kernel -> -14$'
expect_line "a user page fault ends only that process" "$log" '^kernel: process [0-9]+ \(bad_syscalls\) killed by exception 14$'
expect_line "invalid ELF refused by the loader" "$log" "^shell: cannot start 'not_elf' \(error -8\)$"
expect_line "unknown shell command reported" "$log" "^shell: unknown command 'no_such_cmd'$"
expect_line "nowait starts a program in the background" "$log" "^shell: started 'fork_test' as pid [0-9]+$"
expect_line "wait collects background programs" "$log" '^shell: no more programs running$'
expect_line "ps -t lists threads with their VCPU and CPU time" "$log" '^  [0-9]+ +sleeping +0 +[0-9]+ +[0-9]+ +sleeper$'
expect_line "ps -v lists VCPUs" "$log" '^  1 +io +0 +10000 +10000 '
expect_line "kill -t refuses a kernel thread" "$log" '^shell: task 1 is a kernel thread: not killed$'
expect_line "kill -t kills a program's task" "$log" '^shell: killed task 15 \(pid 14\)$'
expect_line "kill -c kills the rest" "$log" '^shell: killed 1 program\(s\)$'
expect_line "killed programs exit with status 137" "$log" '^shell: pid 15 exited with status 137$'
# Nothing leaks: after everything exited, only the kernel's own VCPUs remain (vcpu_test's was destroyed).
last_ps=$(console "$log" | awk '/^shell> ps -v/{buf=""} {buf=buf"\n"$0} END{print buf}')
check "VCPUs created by exited programs are destroyed" bash -c '! grep -qE "^  2 +main" <<<"$0"' "$last_ps"
finish
