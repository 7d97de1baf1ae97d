# Sandbox-kernel costs in guest instructions.  QEMU runs with -icount
# shift=0: every instruction advances virtual time, and the TSC (1 GHz of
# virtual time), by exactly 1 ns, so TSC differences are instruction counts
# and repeat exactly.  The `bench` program (sandbox-kernel/programs/bench)
# measures from user mode; the kernel's `stats` shell command gives the
# timer interrupt handler's cost.  Standalone only: the run under the monitor
# (and the ratio, the cost of isolation) waits for the monitor to boot sandboxes.
set -euo pipefail
out=$1
runs=build/runs/bench
make -s --no-print-directory "$PWD/build/iso/kernel-bench.iso" >/dev/null
tools/run-emu --emu qemu --iso build/iso/kernel-bench.iso --icount 0 --out $runs/kernel-qemu --timeout 600 --quiet
log=$runs/kernel-qemu/com1.log
val() { tr -d '\r' <"$log" | sed -nE "$1" | head -1; }
syscall=$(val 's/^bench: null system call: ([0-9]+) ticks.*/\1/p')
switch=$(val 's/^bench: yield with a context switch: ([0-9]+) ticks.*/\1/p')
forks=$(val 's/^bench: forkwait: ([0-9]+) fork.* ([0-9]+) per cycle$/\1/p')
forkcycle=$(val 's/^bench: forkwait: ([0-9]+) fork.* ([0-9]+) per cycle$/\2/p')
forktotal=$(val 's/^bench: forkwait: [0-9]+ fork\/exit\/wait cycles in ([0-9]+) ticks.*/\1/p')
timer=$(val 's/^stats: timer interrupt handler ([0-9]+) ticks each.*/\1/p')
printf '%-56s %14s\n' "measure (QEMU TCG, -icount shift=0: instructions)" "value"
printf '%-56s %14s\n' "null system call (int 0x80 round trip)" "$syscall"
printf '%-56s %14s\n' "yield + context switch between two processes" "$switch"
printf '%-56s %14s\n' "timer interrupt handler, no switch (C part)" "$timer"
printf '%-56s %14s\n' "forkwait cycles run" "$forks"
printf '%-56s %14s\n' "forkwait instructions per fork/exit/wait cycle" "$forkcycle"
printf '%-56s %14s\n' "forkwait total instructions" "$forktotal"
cat >"$out/kernel.json" <<JSON
{"emulator": "qemu-tcg-icount0", "syscall_instructions": $syscall, "yield_switch_instructions": $switch,
 "timer_interrupt_instructions": $timer, "forkwait_cycles": $forks,
 "forkwait_instructions_per_cycle": $forkcycle, "forkwait_total_instructions": $forktotal}
JSON
echo "wrote $out/kernel.json"
