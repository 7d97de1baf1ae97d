# The monitor's figures: VM exits by reason per core during boot and in a
# 100 ms steady-state window, Bochs instructions from power-on to the last
# sandbox launched, and the monitor's size (lines without comments or
# blanks, .text bytes).  All counts repeat exactly from run to run.
set -euo pipefail
out=$1
runs=build/runs/bench/monitor
make --no-print-directory -s build/iso/cfg-three-sandboxes.iso >/dev/null 2>&1 || make --no-print-directory "$PWD/build/iso/cfg-three-sandboxes.iso"
tools/run-emu --emu bochs --iso build/iso/cfg-three-sandboxes.iso --cores 3 --memory 256 --serial-ports 4 \
  --out $runs --timeout 240 --quiet
log=$(tr -d '\r' <$runs/com1.log)
last=$(grep -oE 'last launch at tsc [0-9]+' <<<"$log" | awk '{print $5}')
window=$(grep -oE 'steady-state window closed .*' <<<"$log")
# the table printed when the window opens = exits during boot
boot_table=$(awk '/monitor trap count: boot/{f=1;next} f&&/TRAPS/{print} f&&!/TRAPS/&&!/trap count/{if(n++)exit}' <<<"$log" | sed 's/^\[monitor\] TRAPS //')
json_rows=$(sed -nE 's/^(.*[^ ]) +([0-9]+) +([0-9]+) +([0-9]+)$/"\1": [\2, \3, \4],/p' <<<"$boot_table" | tr -d '\n' | sed 's/,$//')
steady=$(grep -oE 'core[0-9]+=[0-9]+' <<<"$window" | awk -F= '{printf "%s%s", (NR>1?", ":""), $2}')
loc() { cat "$@" | sed -E 's://.*$::' | awk '/\/\*/{c=1} !c && NF{n++} /\*\//{c=0} END{print n+0}'; }
vmx_files=$(find monitor -path monitor/partition -prune -o -path monitor/svm -prune -o \( -name '*.c' -o -name '*.h' \) -print)
cloc=$(loc $vmx_files)
sloc=$(loc $(find monitor -name '*.S'))
text=$(size -A build/monitor/monitor.elf | awk '$1==".text"{print $2}')
echo "$boot_table"
printf '%-58s %14s\n' "Bochs instructions, power-on to last sandbox launched" "$last"
printf '%-58s %14s\n' "steady-state exits per core (100 virtual ms)" "$steady"
printf '%-58s %14s\n' "monitor lines of C, VMX path (no partition/, svm/)" "$cloc"
printf '%-58s %14s\n' "monitor lines of assembly" "$sloc"
printf '%-58s %14s\n' "monitor .text bytes" "$text"
cat >"$out/monitor.json" <<JSON
{"bochs_instructions_to_last_sandbox_launch": $last,
 "boot_exits_per_core": {$json_rows},
 "steady_state_window_ms": 100, "steady_state_exits_per_core": [$steady],
 "monitor_vmx_c_lines": $cloc, "monitor_asm_lines": $sloc, "monitor_text_bytes": $text}
JSON
echo "wrote $out/monitor.json"
