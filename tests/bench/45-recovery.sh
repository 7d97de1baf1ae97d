# Recovery phase costs (issue 9), laid out like the Quest-V fault-recovery
# table: one Bochs run of config/tests/recovery-once.xml (beta restarted once
# after a first-boot fault), phases in TSC ticks = Bochs instructions, and
# virtual microseconds at the calibrated TSC rate.  Counts repeat exactly.
set -euo pipefail
out=$1
runs=build/runs/bench/recovery
make --no-print-directory -s "$PWD/build/iso/cfg-recovery-once.iso" >/dev/null
tools/run-emu --emu bochs --iso build/iso/cfg-recovery-once.iso --cores 3 --memory 256 --serial-ports 4 \
  --out $runs --timeout 240 --quiet || true
log=$(tr -d '\r' <$runs/com1.log)
khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$log" | awk '{print $2}')
rec=$(grep -E 'RECOVERY sandbox=1 name=beta restart=1 cause=' <<<"$log" | head -1)
back=$(grep -oE 'RECOVERY sandbox=1 name=beta restart=1 t=[0-9]+ back=[0-9]+' <<<"$log" | grep -oE '[0-9]+$')
json=""
printf '%-34s %14s %12s\n' "phase (beta, 32 MiB)" "instructions" "virtual us"
for p in detect stop verify scrub reload relaunch total; do
  v=$(grep -oE " $p=[0-9]+" <<<"$rec" | cut -d= -f2)
  printf '%-34s %14s %12s\n' "$p" "$v" "$(( v * 1000 / khz ))"
  json="$json\"$p\": $v, "
done
printf '%-34s %14s %12s\n' "back (relaunch to first hypercall)" "$back" "$(( back * 1000 / khz ))"
echo "{${json}\"back\": $back, \"tsc_khz\": $khz}" >"$out/recovery.json"
