# Boot cost and image size.  Instruction counts come from Bochs, where the
# TSC advances by one per emulated instruction, and are exactly repeatable.
set -euo pipefail
out=$1
runs=build/runs/bench
tools/run-emu --emu bochs --iso build/iso/monitor.iso --out $runs/boot-bochs --timeout 180 --quiet
tsc=$(tr -d '\r' <$runs/boot-bochs/com1.log | grep -oE 'boot tsc [0-9]+' | awk '{print $3}')
text=$(size -A build/monitor/monitor.elf | awk '$1==".text"{print $2}')
loc() { cat "$@" | sed -E 's://.*$::' | awk '/\/\*/{c=1} !c && NF{n++} /\*\//{c=0} END{print n+0}'; }
cloc=$(loc $(find monitor -name '*.c' -o -name '*.h'))
sloc=$(loc $(find monitor -name '*.S'))
printf '%-52s %14s\n' "measure" "value"
printf '%-52s %14s\n' "Bochs instructions, power-on to monitor first line" "$tsc"
printf '%-52s %14s\n' "monitor .text bytes" "$text"
printf '%-52s %14s\n' "monitor lines of C (no comments, no blanks)" "$cloc"
printf '%-52s %14s\n' "monitor lines of assembly" "$sloc"
cat >"$out/boot.json" <<JSON
{"bochs_instructions_to_monitor_first_line": $tsc, "monitor_text_bytes": $text,
 "monitor_c_lines": $cloc, "monitor_asm_lines": $sloc}
JSON
echo "wrote $out/boot.json"
