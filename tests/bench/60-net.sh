# Networking costs in guest instructions: QEMU TCG with -icount shift=0, where
# one instruction advances virtual time (and the 1 GHz TSC) by exactly 1 ns,
# so kernel-time figures are instruction counts and repeat exactly.
#  - per telemetry message: the sendto system call through lwIP (UDP, IP,
#    ARP) and the e1000 transmit ring, measured by the telemetry program;
#  - interrupt-to-thread latency: from the e1000 IRQ handler to its I/O VCPU
#    thread running (TSC ticks), averaged over the frames of the run.
# A run of the telemetry ISO (10 Hz for 6 s) to tools/gcs on 127.0.0.1:14550;
# writes OUT/net.json.
set -euo pipefail
out=$1/net.json
runs=build/runs/bench
make -s --no-print-directory "$PWD/build/iso/kernel-net-telemetry.iso" "$PWD/build/tools/gcs" >/dev/null
mkdir -p $runs/net-gcs
exec 9>/tmp/triad-gcs-14550.lock
flock 9
build/tools/gcs --port 14550 --quiet --until-text "telemetry stopping" --timeout 150 >$runs/net-gcs/gcs.log 2>&1 &
gcs=$!
tools/run-emu --emu qemu --iso build/iso/kernel-net-telemetry.iso --icount 0 --net "" --out $runs/net-qemu \
  --timeout 300 --quiet
wait $gcs || true
flock -u 9
log=$runs/net-qemu/com1.log
val() { tr -d '\r' <"$log" | sed -nE "$1" | head -1; }
per_msg=$(val 's/^telemetry: ([0-9]+) ns of kernel time per message sent.*/\1/p')
irqs=$(val 's/.* irqs ([0-9]+), irq-to-thread latency.*/\1/p')
lat_avg=$(val 's/.*latency avg ([0-9]+) max.*/\1/p')
lat_max=$(val 's/.*latency avg [0-9]+ max ([0-9]+) ticks$/\1/p')
sent=$(val 's/^telemetry: sent ([0-9]+) messages.*/\1/p')
received=$(sed -nE 's/^gcs: [0-9]+ datagrams, ([0-9]+) frames.*/\1/p' $runs/net-gcs/gcs.log)
for v in "$per_msg" "$irqs" "$lat_avg" "$lat_max" "$sent" "$received"; do
  [ -n "$v" ] || { echo "60-net: a figure is missing in $log or the gcs log" >&2; exit 1; }
done
cat >"$out" <<JSON
{
  "emulator": "qemu-tcg -icount shift=0 (1 instruction = 1 ns = 1 TSC tick)",
  "telemetry_messages_sent": $sent,
  "telemetry_messages_decoded_by_gcs": $received,
  "instructions_per_telemetry_message": $per_msg,
  "nic_interrupts": $irqs,
  "irq_to_thread_latency_avg_instructions": $lat_avg,
  "irq_to_thread_latency_max_instructions": $lat_max
}
JSON
echo "60-net: $per_msg instructions per telemetry message, irq-to-thread latency avg $lat_avg max $lat_max ($sent sent, $received decoded)"
