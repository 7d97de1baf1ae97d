# QEMU TCG with -icount: the sandbox kernel boots standalone from GRUB.
. tests/system/lib.sh
boot kernel-standalone qemu "$BUILD/iso/standalone.iso" --icount 5 --until "kernel: ready, idle" --timeout 60
log=$RUNS/kernel-standalone/com1.log
check "standalone kernel reaches its ready marker" test "$status" -eq 0
expect_line "kernel banner on COM1" "$log" '^Triad sandbox kernel [0-9.]+'
expect_line "kernel was started by a multiboot2 loader" "$log" 'kernel: boot information at [0-9a-f]+ \(valid\)'
expect_line "console on COM1 by default (no triad.console=)" "$log" "^kernel: command line ''"
expect_line "TSC calibrated and the one-shot timer chosen" "$log" '^kernel: tsc [0-9]+ Hz \(pit\), lapic 0, timer (one-shot|tsc-deadline), legacy pic programmed$'
expect_line "scheduler, console input and shell up" "$log" '^kernel: ready, idle$'
finish
