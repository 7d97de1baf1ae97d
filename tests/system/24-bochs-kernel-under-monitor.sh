# Bochs, 2 cores, the monitor (config/tests/kernel-under-monitor.xml): the
# sandbox kernel's scheduler self-test runs as sandbox "sched" on core 1 and
# user programs (from the archive built into the kernel image) run as sandbox
# "user" on core 0.  Time comes from the monitor (hypercall 1, tsc_khz), the
# legacy PIC and PIT are left alone, so booting costs no I/O exit.
# A low --ips makes the virtual second of the self-test cheap.
. tests/system/lib.sh
. tests/system/sched-checks.sh
make -s --no-print-directory "$PWD/$BUILD/iso/cfg-kernel-under-monitor.iso" >/dev/null
boot kernel-monitor bochs "$BUILD/iso/cfg-kernel-under-monitor.iso" --cores 2 --memory 128 \
  --serial-ports 3 --ips 10000000 --timeout 180
d=$RUNS/kernel-monitor
mon=$d/com1.log sched=$d/com2.log user=$d/com3.log
check "the sched sandbox ends the run with TRIAD-EXIT 0" test "$status" -eq 0
expect_line "sched: kernel runs as a sandbox of the monitor" "$sched" "^kernel: boot information at 8000 \(valid\), loader 'Triad monitor"
# The TSC the monitor reports: Bochs counts instructions (--ips 10 M), QEMU
# -icount runs a 1 GHz virtual TSC (the SVM run, 39-qemu-svm-j).
tsc='(99[0-9]{5}|100[0-9]{5})'; on_svm && tsc='(99[0-9]{7}|100[0-9]{7})'
expect_line "sched: TSC rate from the monitor, legacy PIC untouched" "$sched" \
  "^kernel: tsc $tsc Hz \\(monitor\\), lapic 1, timer (tsc-deadline|one-shot), legacy pic untouched\$"
sched_selftest_checks "$sched" " under the monitor"
expect_line "user: program archive built into the kernel image" "$user" '^kernel: program archive \(built in\): hello_world fork_test vcpu_test '
expect_line "user: hello_world in ring 3 with its arguments" "$user" '^hello, world from pid 1 \(argc 3, argv\[0\] hello_world\)$'
expect_line "user: hello_world exits with status 0" "$user" "^shell: 'hello_world' \(pid 1\) exited with status 0$"
expect_line "user: fork_test children have their own memory" "$user" '^fork_test: child 2 pid [0-9]+ sees 102$'
expect_line "user: fork_test verdict" "$user" '^fork_test: passed$'
expect_line "user: vcpu_test parameters after binding" "$user" '^vcpu_test: after binding: vcpu [0-9]+ type main C=20 T=100 \(getparams 0\)$'
expect_line "user: vcpu_test over the bound refused" "$user" '^vcpu_test: create over the bound -> -16$'
expect_line "user: bad pointer from a program gives EFAULT" "$user" '^bad_syscalls: write from a kernel address -> -14$'
expect_line "user: invalid ELF refused" "$user" "^shell: cannot start 'not_elf' \(error -8\)$"
expect_line "user: unknown command reported" "$user" "^shell: unknown command 'no_such_cmd'$"
expect_line "user: shell idle after the script" "$user" '^kernel: ready, idle$'
expect_line "monitor: both sandboxes launched" "$mon" 'all 2 sandboxes launched'
# Quest-V's point: no legacy device emulation on the way up.
expect_line "monitor: zero I/O exits on both cores during boot" "$mon" '^\[monitor\] TRAPS I/O Instruction +0 +0$'
check "monitor: no fault record" bash -c "! grep -q 'FAULT' $mon"
finish
