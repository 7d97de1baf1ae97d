# Sandbox-kernel costs in guest instructions, and the cost of isolation.
#  1. QEMU TCG with -icount shift=0: every instruction advances virtual time,
#     and the TSC (1 GHz), by exactly 1 ns, so TSC differences are
#     instruction counts and repeat exactly.  forkwait runs 40,000
#     fork/exit/wait cycles as in the Quest-V paper.
#  2. Bochs, the same kernel standalone (kernel-bench-bochs.iso) and as a
#     sandbox of the monitor (cfg-kernel-bench.iso, config/tests/kernel-bench.xml),
#     same boot script, same emulator: Bochs' TSC advances one tick per
#     instruction of a busy core, so both sides count instructions and their
#     ratio is the cost of running under the monitor.
# The `bench` program (sandbox-kernel/programs/bench) measures from user mode;
# the shell's `stats` gives the timer interrupt handler's cost and free pages
# before and after (fork's copy-on-write pages must all come back).
set -euo pipefail
out=$1
runs=build/runs/bench
make -s --no-print-directory "$PWD/build/iso/kernel-bench.iso" "$PWD/build/iso/kernel-bench-bochs.iso" \
  "$PWD/build/iso/cfg-kernel-bench.iso" >/dev/null
tools/run-emu --emu qemu --iso build/iso/kernel-bench.iso --icount 0 --out $runs/kernel-qemu --timeout 600 --quiet
tools/run-emu --emu bochs --iso build/iso/kernel-bench-bochs.iso --out $runs/kernel-bochs --timeout 600 --quiet
tools/run-emu --emu bochs --iso build/iso/cfg-kernel-bench.iso --cores 2 --memory 128 --serial-ports 3 \
  --out $runs/kernel-monitor --timeout 600 --quiet

# figures LOG: sets syscall switch timer forks forkcycle forktotal free0 free1 from one run's console.
figures() {
  local log=$1
  val() { tr -d '\r' <"$log" | sed -nE "$1" | head -1; }
  syscall=$(val 's/^bench: null system call: ([0-9]+) ticks.*/\1/p')
  switch=$(val 's/^bench: yield with a context switch: ([0-9]+) ticks.*/\1/p')
  forks=$(val 's/^bench: forkwait: ([0-9]+) fork.* ([0-9]+) per cycle$/\1/p')
  forkcycle=$(val 's/^bench: forkwait: ([0-9]+) fork.* ([0-9]+) per cycle$/\2/p')
  forktotal=$(val 's/^bench: forkwait: [0-9]+ fork\/exit\/wait cycles in ([0-9]+) ticks.*/\1/p')
  timer=$(tr -d '\r' <"$log" | sed -nE 's/^stats: timer interrupt handler ([0-9]+) ticks each.*/\1/p' | tail -1)
  free0=$(tr -d '\r' <"$log" | sed -nE 's/^stats: ([0-9]+) pages free$/\1/p' | head -1)
  free1=$(tr -d '\r' <"$log" | sed -nE 's/^stats: ([0-9]+) pages free$/\1/p' | tail -1)
  # the console's own boot line: a 40-byte printk's cost to the caller, buffered and synchronous
  pk_buf=$(val 's/^console: buffered .* costs the caller ([0-9]+) ticks, ([0-9]+) synchronously$/\1/p')
  pk_sync=$(val 's/^console: buffered .* costs the caller ([0-9]+) ticks, ([0-9]+) synchronously$/\2/p')
  for v in "$syscall" "$switch" "$forkcycle" "$timer" "$free0" "$pk_buf" "$pk_sync"; do
    [ -n "$v" ] || { echo "20-kernel: a figure is missing in $log" >&2; exit 1; }
  done
  [ "$free0" = "$free1" ] || { echo "20-kernel: $log: pages leaked ($free0 free before, $free1 after)" >&2; exit 1; }
}
# ratio A B: B/A with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

figures $runs/kernel-qemu/com1.log
q=($syscall $switch $timer $forks $forkcycle $forktotal $pk_buf $pk_sync)
figures $runs/kernel-bochs/com1.log
s=($syscall $switch $timer $forks $forkcycle $pk_buf $pk_sync)
figures $runs/kernel-monitor/com2.log
m=($syscall $switch $timer $forks $forkcycle $pk_buf $pk_sync)

printf '%-52s %14s\n' "QEMU TCG, -icount shift=0 (instructions)" "value"
printf '%-52s %14s\n' "null system call (int 0x80 round trip)" "${q[0]}"
printf '%-52s %14s\n' "yield + context switch between two processes" "${q[1]}"
printf '%-52s %14s\n' "timer interrupt handler, no switch (C part)" "${q[2]}"
printf '%-52s %14s\n' "forkwait cycles run" "${q[3]}"
printf '%-52s %14s\n' "forkwait instructions per fork/exit/wait cycle" "${q[4]}"
printf '%-52s %14s\n' "forkwait total instructions" "${q[5]}"
printf '%-52s %14s\n' "printk of 40 bytes, caller's cost: buffered" "${q[6]}"
printf '%-52s %14s\n' "printk of 40 bytes, caller's cost: synchronous" "${q[7]}"
printf '\n%-52s %12s %12s %7s\n' "Bochs (instructions)" "standalone" "monitor" "ratio"
names=("null system call" "yield + context switch" "timer interrupt handler" "forkwait cycles run" "forkwait per cycle")
for i in 0 1 2 4; do
  printf '%-52s %12s %12s %7s\n' "${names[$i]}" "${s[$i]}" "${m[$i]}" "$(ratio "${s[$i]}" "${m[$i]}")"
done
printf '%-52s %12s %12s\n' "forkwait cycles run" "${s[3]}" "${m[3]}"
printf '%-52s %12s %12s\n' "printk of 40 bytes: buffered (caller's cost)" "${s[5]}" "${m[5]}"
printf '%-52s %12s %12s\n' "printk of 40 bytes: synchronous (paced UART)" "${s[6]}" "${m[6]}"
cat >"$out/kernel.json" <<JSON
{"qemu_icount0": {"syscall_instructions": ${q[0]}, "yield_switch_instructions": ${q[1]},
  "timer_interrupt_instructions": ${q[2]}, "forkwait_cycles": ${q[3]},
  "forkwait_instructions_per_cycle": ${q[4]}, "forkwait_total_instructions": ${q[5]},
  "printk40_buffered_instructions": ${q[6]}, "printk40_synchronous_instructions": ${q[7]}},
 "bochs_standalone": {"syscall_instructions": ${s[0]}, "yield_switch_instructions": ${s[1]},
  "timer_interrupt_instructions": ${s[2]}, "forkwait_cycles": ${s[3]}, "forkwait_instructions_per_cycle": ${s[4]},
  "printk40_buffered_ticks": ${s[5]}, "printk40_synchronous_ticks": ${s[6]}},
 "bochs_under_monitor": {"syscall_instructions": ${m[0]}, "yield_switch_instructions": ${m[1]},
  "timer_interrupt_instructions": ${m[2]}, "forkwait_cycles": ${m[3]}, "forkwait_instructions_per_cycle": ${m[4]},
  "printk40_buffered_ticks": ${m[5]}, "printk40_synchronous_ticks": ${m[6]}},
 "isolation_ratio": {"syscall": $(ratio ${s[0]} ${m[0]}), "yield_switch": $(ratio ${s[1]} ${m[1]}),
  "timer_interrupt": $(ratio ${s[2]} ${m[2]}), "forkwait_per_cycle": $(ratio ${s[4]} ${m[4]})}}
JSON
echo "wrote $out/kernel.json"
