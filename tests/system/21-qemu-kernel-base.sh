# QEMU TCG with -icount: the sandbox kernel's base (traps, memory map, timer,
# threads) booted alone with `triad.heartbeat=100 triad.test=vmx-instruction`.
# REQ: KRN-BOOT-001, KRN-CONSOLE-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-base.iso" >/dev/null
boot kernel-base qemu "$BUILD/iso/kernel-base.iso" --icount 5 --until "kernel: alive 5" --timeout 60
log=$RUNS/kernel-base/com1.log
check "kernel reaches its fifth heartbeat" test "$status" -eq 0
expect_line "banner on COM1" "$log" '^Triad sandbox kernel [0-9.]+'
expect_line "command line read from multiboot2" "$log" "^kernel: command line 'triad.heartbeat=100 triad.test=vmx-instruction'"
expect_line "allocator bounded by the memory map (256 MiB machine)" "$log" '^kernel: RAM top ffe0000, [0-9]+ pages free'
expect_line "TSC calibrated against the PIT at 1 GHz of virtual time" "$log" '^kernel: tsc 100[0-9]{7} Hz'
expect_line "fault test announced" "$log" '^kernel: running test vmx-instruction'
expect_line "exception report: vector, error code, RIP, CR2" "$log" '^kernel: exception 6 \(invalid opcode\) error 0x0 at rip [0-9a-f]+ cr2 [0-9a-f]+ in kernel mode'
expect_line "kernel carries on after the fault" "$log" '^kernel: test vmx-instruction done, kernel still running'
expect_line "heartbeat thread prints alive lines" "$log" '^kernel: alive 5$'
expect_line "console buffered once the scheduler runs: a ring and a drain thread on the low VCPU" "$log" \
  '^console: buffered \(16384-byte ring, drain on the low VCPU\); a 40-byte printk costs the caller [0-9]+ ticks, [0-9]+ synchronously$'
check "the exception report's lines (queued with interrupts off) come out whole and in order" \
  bash -c "tr -d '\\r' <'$log' | grep -A1 -m1 '^kernel: running test vmx-instruction' | tail -1 | grep -q '^kernel: exception 6 '"
finish
