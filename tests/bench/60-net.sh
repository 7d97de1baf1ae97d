# Networking costs in guest instructions: QEMU TCG with -icount shift=0, where
# one instruction advances virtual time (and the 1 GHz TSC) by exactly 1 ns,
# so kernel-time figures are instruction counts and repeat exactly.
#  1. per telemetry message: the sendto system call through lwIP (UDP, IP,
#     ARP) and the e1000 transmit ring, measured by the telemetry program;
#     interrupt-to-thread latency: from the e1000 IRQ handler to its I/O VCPU
#     thread running (TSC ticks), averaged over the frames of the run.
#  2. UDP round trip: the host pings udp_echo 200 times, one datagram at a
#     time (64 bytes); the driver measures from each receive interrupt to the
#     echo's transmit doorbell (driver, lwIP, the program's recvfrom and
#     sendto, and back).  One packet in flight, so this is also the
#     instructions per packet of echo throughput.
#  3. VM exits during a network run, under the monitor in Bochs 2.7
#     (config/tests/kernel-net-exits.xml: the I/O sandbox with the e1000 on
#     core 1, away from the monitor's test clock on core 0): the kernel reads
#     its core's exit counters before and after 4 s of telemetry.
#     The same run twice: the NIC's line routed by the monitor through the
#     I/O APIC (interrupt-driven driver) and config/tests/kernel-net-exits-polled.xml
#     (triad.nic-poll=1: the driver thread wakes every 1 ms): interrupts per
#     second, driver-thread wakeups and the TSC ticks (Bochs: instructions)
#     the driver's passes took, per frame the NIC moved.
#  4. VM exits during a network run of the default system under the SVM
#     backend (QEMU -icount 5, 6 cores: build/iso/uav-ground-exits.iso, the
#     TMR flight of config/uav-tmr.xml with the demo fault; telemetry on the
#     I/O sandbox's core for 5 s of its time, beside the voter, the consoles
#     and the polled driver), counted the same way.
# Writes OUT/net.json.
set -euo pipefail
out=$1/net.json
runs=build/runs/bench
make -s --no-print-directory "$PWD/build/iso/kernel-net-telemetry.iso" "$PWD/build/iso/kernel-net-echo.iso" \
  "$PWD/build/iso/cfg-kernel-net-exits.iso" "$PWD/build/iso/cfg-kernel-net-exits-polled.iso" \
  "$PWD/build/iso/uav-ground-exits.iso" "$PWD/build/tools/gcs" >/dev/null
mkdir -p $runs/net-gcs $runs/net-echo $runs/net-exits-gcs $runs/net-polled-gcs $runs/net-svm-gcs
val() { tr -d '\r' <"$1" | sed -nE "$2" | head -1; }
need() { for v in "$@"; do [ -n "$v" ] || { echo "60-net: a figure is missing (logs in $runs)" >&2; exit 1; }; done; }

# 1. telemetry (sendto cost, interrupt latency)
exec 9>/tmp/triad-gcs-14550.lock
flock 9
build/tools/gcs --port 14550 --quiet --until-text "telemetry stopping" --timeout 150 >$runs/net-gcs/gcs.log 2>&1 &
gcs=$!
tools/run-emu --emu qemu --iso build/iso/kernel-net-telemetry.iso --icount 0 --net "" --out $runs/net-qemu \
  --timeout 300 --quiet
wait $gcs || true
log=$runs/net-qemu/com1.log
per_msg=$(val $log 's/^telemetry: ([0-9]+) ns of kernel time per message sent.*/\1/p')
irqs=$(val $log 's/.* irqs ([0-9]+), irq-to-thread latency.*/\1/p')
lat_avg=$(val $log 's/.*latency avg ([0-9]+) max.*/\1/p')
lat_max=$(val $log 's/.*latency avg [0-9]+ max ([0-9]+) ticks.*/\1/p')
sent=$(val $log 's/^telemetry: sent ([0-9]+) messages.*/\1/p')
received=$(sed -nE 's/^gcs: [0-9]+ datagrams, ([0-9]+) frames.*/\1/p' $runs/net-gcs/gcs.log)
need "$per_msg" "$irqs" "$lat_avg" "$lat_max" "$sent" "$received"

# 2. UDP round trip (ping-pong with udp_echo through a hostfwd port)
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$port" "$tport" >$runs/net-echo/client.log 2>&1 <<'PY' &
import socket, sys, time
addr = ("127.0.0.1", int(sys.argv[1]))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
def ping(payload, tries):
    for _ in range(tries):
        s.sendto(payload, addr)
        try:
            while True:
                data, _ = s.recvfrom(2048)
                if data == payload:
                    return True
        except socket.timeout:
            pass
    return False
if not ping(b"ready?", 240):
    print("no answer"); sys.exit(1)
ok = sum(ping(b"%04d" % i + b"p" * 60, 5) for i in range(200))
print(f"pings: {ok}/200 answered")
ping(b"quit", 10)
try:    # the ISO's tcp_echo waits for one connection before the run can end
    socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=5).close()
except OSError as e:
    print(f"tcp: {e}")
PY
client=$!
tools/run-emu --emu qemu --iso build/iso/kernel-net-echo.iso --icount 0 --net "hostfwd=udp:127.0.0.1:$port-:7,hostfwd=tcp:127.0.0.1:$tport-:7" \
  --out $runs/net-echo/qemu --timeout 300 --quiet || true
wait $client || true
elog=$runs/net-echo/qemu/com1.log
pings=$(sed -nE 's/^pings: ([0-9]+)\/200 answered/\1/p' $runs/net-echo/client.log)
rt_n=$(val $elog 's/^udp_echo: receive interrupt to next transmit: ([0-9]+) round trips.*/\1/p')
rt_avg=$(val $elog 's/.* round trips, avg ([0-9]+) min.*/\1/p')
rt_min=$(val $elog 's/.* round trips, avg [0-9]+ min ([0-9]+) max.*/\1/p')
rt_max=$(val $elog 's/.* round trips, avg [0-9]+ min [0-9]+ max ([0-9]+) ticks$/\1/p')
need "$pings" "$rt_n" "$rt_avg" "$rt_min" "$rt_max"

# 3. VM exits under the monitor (Bochs), interrupt-driven, then polled
for mode in exits polled; do
  iso=cfg-kernel-net-exits.iso; [ $mode = exits ] || iso=cfg-kernel-net-exits-polled.iso
  build/tools/gcs --port 14550 --quiet --until-text "telemetry stopping" --timeout 280 >$runs/net-$mode-gcs/gcs.log 2>&1 &
  gcs=$!
  tools/run-emu --emu bochs --iso build/iso/$iso --cores 2 --serial-ports 3 --net "" \
    --out $runs/net-$mode --timeout 300 --quiet || true
  wait $gcs || true
done
flock -u 9
drv() {  # LOG -> "irqs wakeups ticks frames"
  val "$1" 's/.*nic rx ([0-9]+) tx ([0-9]+) irqs ([0-9]+), .*driver wakeups ([0-9]+), ticks ([0-9]+)$/\3 \4 \5 \1 \2/p' |
    awk '{print $1, $2, $3, $4 + $5}'
}
read -r i_irqs i_wake i_ticks i_frames <<<"$(drv $runs/net-exits/com2.log)" || true
read -r p_irqs p_wake p_ticks p_frames <<<"$(drv $runs/net-polled/com2.log)" || true
p_exits=$(val $runs/net-polled/com2.log 's/^net: VM exits on this core since the mark: ([0-9]+) .*/\1/p')
need "$i_irqs" "$i_wake" "$i_ticks" "$i_frames" "$p_irqs" "$p_wake" "$p_ticks" "$p_frames" "$p_exits"
grep -q 'vector 0x39 (ioapic)' $runs/net-exits/com2.log || { echo "60-net: the routed run was not interrupt-driven" >&2; exit 1; }
grep -q 'polled, irq 9' $runs/net-polled/com2.log || { echo "60-net: the polled run did not poll" >&2; exit 1; }
xlog=$runs/net-exits/com2.log
exits=$(val $xlog 's/^net: VM exits on this core since the mark: ([0-9]+) .*/\1/p')
exits_detail=$(val $xlog 's/^net: VM exits on this core since the mark: [0-9]+ \((.*)\)$/\1/p')
bochs_sent=$(val $xlog 's/^telemetry: sent ([0-9]+) messages.*/\1/p')
bochs_recv=$(sed -nE 's/^gcs: [0-9]+ datagrams, ([0-9]+) frames.*/\1/p' $runs/net-exits-gcs/gcs.log)
need "$exits" "$bochs_sent" "$bochs_recv"

# 4. VM exits under the monitor's SVM backend, in the flying default system
exec 9>/tmp/triad-gcs-14550.lock
flock 9
build/tools/gcs --port 14550 --quiet --until-text "telemetry stopping" --timeout 600 >$runs/net-svm-gcs/gcs.log 2>&1 &
gcs=$!
tools/run-emu --emu qemu --iso build/iso/uav-ground-exits.iso --cores 6 --memory 512 --serial-ports 2 --icount 5 \
  --net "" --out $runs/net-svm --timeout 900 --until 'uav: report end' --quiet || true
wait $gcs || true
flock -u 9
slog=$runs/net-svm/com2.log
svm_exits=$(val $slog 's/^net: VM exits on this core since the mark: ([0-9]+) .*/\1/p')
svm_detail=$(val $slog 's/^net: VM exits on this core since the mark: [0-9]+ \((.*)\)$/\1/p')
svm_sent=$(val $slog 's/^telemetry: sent ([0-9]+) messages.*/\1/p')
svm_recv=$(sed -nE 's/^gcs: [0-9]+ datagrams, ([0-9]+) frames.*/\1/p' $runs/net-svm-gcs/gcs.log)
read -r s_irqs s_wake s_ticks s_frames <<<"$(drv $slog)" || true
need "$svm_exits" "$svm_sent" "$svm_recv" "$s_irqs" "$s_wake"

cat >"$out" <<JSON
{
  "emulator": "qemu-tcg -icount shift=0 (1 instruction = 1 ns = 1 TSC tick); VM exits: bochs 2.7 VMX+EPT and qemu-tcg -icount 5 SVM+NPT",
  "telemetry_messages_sent": $sent,
  "telemetry_messages_decoded_by_gcs": $received,
  "instructions_per_telemetry_message": $per_msg,
  "nic_interrupts": $irqs,
  "irq_to_thread_latency_avg_instructions": $lat_avg,
  "irq_to_thread_latency_max_instructions": $lat_max,
  "udp_pings_answered": $pings,
  "udp_round_trips_measured": $rt_n,
  "udp_round_trip_instructions_avg": $rt_avg,
  "udp_round_trip_instructions_min": $rt_min,
  "udp_round_trip_instructions_max": $rt_max,
  "monitor_telemetry_messages_sent": $bochs_sent,
  "monitor_telemetry_messages_decoded_by_gcs": $bochs_recv,
  "vm_exits_during_network_run": $exits,
  "vm_exits_by_reason": "$exits_detail",
  "monitor_run_seconds_of_kernel_time": 4,
  "interrupt_mode_nic_interrupts": $i_irqs,
  "interrupt_mode_interrupts_per_second": $(awk -v n="$i_irqs" 'BEGIN{printf "%.2f", n / 4}'),
  "interrupt_mode_driver_wakeups": $i_wake,
  "interrupt_mode_driver_ticks": $i_ticks,
  "interrupt_mode_frames": $i_frames,
  "interrupt_mode_driver_ticks_per_frame": $(( i_ticks / (i_frames > 0 ? i_frames : 1) )),
  "polled_mode_driver_wakeups": $p_wake,
  "polled_mode_driver_ticks": $p_ticks,
  "polled_mode_frames": $p_frames,
  "polled_mode_driver_ticks_per_frame": $(( p_ticks / (p_frames > 0 ? p_frames : 1) )),
  "polled_mode_vm_exits_during_network_run": $p_exits,
  "svm_uav_telemetry_messages_sent": $svm_sent,
  "svm_uav_telemetry_messages_decoded_by_gcs": $svm_recv,
  "svm_uav_vm_exits_during_network_run": $svm_exits,
  "svm_uav_vm_exits_by_reason": "$svm_detail",
  "svm_uav_nic_interrupts": $s_irqs,
  "svm_uav_driver_wakeups": $s_wake,
  "svm_uav_nic_frames": $s_frames
}
JSON
printf '60-net: networking (QEMU -icount shift=0: instructions; Bochs: VM exits)\n'
printf '  %-52s %12s\n' "figure" "value"
printf '  %-52s %12s\n' "instructions per telemetry message (sendto, UDP)" "$per_msg"
printf '  %-52s %12s\n' "IRQ-to-driver-thread latency avg / max (instr.)" "$lat_avg / $lat_max"
printf '  %-52s %12s\n' "UDP round trip avg (IRQ to echo doorbell, instr.)" "$rt_avg"
printf '  %-52s %12s\n' "UDP round trip min / max (instr.)" "$rt_min / $rt_max"
printf '  %-52s %12s\n' "round trips measured ($pings/200 pings answered)" "$rt_n"
printf '  %-52s %12s\n' "VM exits, 4 s telemetry under the monitor (Bochs)" "$exits ($exits_detail)"
printf '  %-52s %12s\n' "  messages sent / decoded on the host" "$bochs_sent / $bochs_recv"
printf '  %-52s %12s\n' "Bochs 4 s run, routed IRQ: NIC interrupts (per s)" "$i_irqs ($(awk -v n="$i_irqs" 'BEGIN{printf "%.2f", n / 4}')/s)"
printf '  %-52s %12s\n' "  driver wakeups, routed IRQ / polled 1 ms" "$i_wake / $p_wake"
printf '  %-52s %12s\n' "  driver ticks, routed IRQ / polled" "$i_ticks / $p_ticks"
printf '  %-52s %12s\n' "  driver ticks per frame, routed IRQ / polled" "$(( i_ticks / (i_frames > 0 ? i_frames : 1) )) / $(( p_ticks / (p_frames > 0 ? p_frames : 1) ))"
printf '  %-52s %12s\n' "  VM exits, routed IRQ / polled" "$exits / $p_exits"
printf '  %-52s %12s\n' "VM exits, 5 s telemetry, UAV flight, SVM (QEMU)" "$svm_exits ($svm_detail)"
printf '  %-52s %12s\n' "  messages sent / decoded on the host" "$svm_sent / $svm_recv"
printf '  %-52s %12s\n' "  NIC interrupts / driver wakeups / frames (routed)" "$s_irqs / $s_wake / $s_frames"
