# QEMU TCG (AMD SVM with nested paging, 6 cores, -icount 5): the ground link
# of the default system, as make run has it.  build/iso/uav-ground.iso is
# config/uav-tmr.xml (nic0 in the I/O sandbox, telemetry at 10 Hz, static
# address) flying a short hover paced at 100 Hz with the demo fault early:
# the voter corrupts fc-b at period 150 (outvoted, failed, fc-d promoted,
# fc-b restarted by the monitor, rejoining) and reports at period 750.
# tools/gcs on the host's UDP 14550 records every datagram through QEMU's
# user network; node-mavlink (from the npm registry: an implementation nobody
# here wrote) decodes them: every CRC valid, our HEARTBEAT and ATTITUDE, and
# every [tmr] event of the voter as STATUSTEXT in the console's order.  The
# flight state is the voter's: ATTITUDE at 10 Hz of flight time between
# HEARTBEATs at 1 Hz, sequence numbers without a gap from 0.  The monitor's
# recovery decisions about the fault (issue 7) follow as STATUSTEXT.
# The NIC's line is routed by the monitor through the I/O APIC to the I/O
# sandbox's core (vector 0x3b): the driver is interrupt-driven under SVM too.
# REQ: NET-EVT-001, NET-DMA-001, NET-PCI-001, NET-IRQ-001, NET-DEC-001
. tests/system/lib.sh
. tests/system/uav_ground_lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/uav-ground.iso" "$PWD/$BUILD/tools/gcs" >/dev/null
out=$RUNS/net-telemetry-gcs
uav_ground_start "$out"
boot net-telemetry qemu "$BUILD/iso/uav-ground.iso" --cores 6 --memory 512 --serial-ports 2 --icount 5 \
  --timeout 900 --net "" --until 'uav: report end'
d=$RUNS/net-telemetry
c2=$d/com2.log
check "the flight runs to its report (status 0)" test "$status" -eq 0
expect_line "SVM backend" "$d/com1.log" 'backend: SVM with nested paging'
expect_line "the monitor found nic0 where the description puts it" "$d/com1.log" 'pci: nic0 00:03\.0 BARs (placed|already) at the described bases'
expect_line "the monitor routed nic0's line (GSI 11) to the I/O sandbox's core 0 at vector 0x3b" "$d/com1.log" \
  '^\[monitor\] irq: nic0 gsi 11 -> core 0 vector 0x3b \(ioapic, level, owner\)$'
expect_line "the I/O sandbox drives nic0 at the described BAR with the monitor's DMA offset, at the routed vector" "$c2" \
  '^net: e1000 at pci 00:03\.0 mmio febc0000 irq 11 vector 0x3b \(ioapic\) dma \+2000000, mac 52:54:00:12:34:56, link up$'
expect_line "the driver is interrupt-driven under SVM: its thread woken by the routed interrupt" "$c2" \
  '^e1000: first interrupt on vector 0x3b \(routed by the monitor'"'"'s I/O APIC entry\)$'
check "ARP answered in time (no 'did not answer')" bash -c "! grep -q 'did not answer ARP' '$c2'"
expect_line "static address from the description" "$c2" '^net: address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 \(static\)$'
expect_line "telemetry started by triad.ground" "$c2" 'telemetry: to 10\.0\.2\.2:14550, flight state at 10 Hz'
expect_line "the demo fault is masked: the plant saw no wrong command" "$c2" '^uav: report plant checked=750 wrong=0 '
uav_ground_check "$out" "$c2" \
  "corrupt-command b|disagree b|failed b|promoted d|restart-request b|restarting b|rejoining b|rejoined b"
# The monitor's own decision about the demo fault (fc-b's restart request,
# granted, then the restart done) as its COM1 prints it, read by the I/O
# sandbox with TRIAD_HC_DECISION_LOG (1 Hz) and sent as STATUSTEXT after the
# voter's restart-request, in the monitor's order.
sed -nE "s/^node-mavlink: STATUSTEXT severity [0-9] text '(.*)'$/\1/p" "$out/node-mavlink.log" |
  grep -E '^(TMR p[0-9]+: restart-request b|recovery: )' >"$out/recovery-host.txt"
sed 's/^/# recovery: /' "$out/recovery-host.txt"
expect_line "hypercall 11 refuses a buffer below one record and a sequence past the newest (TRIAD_E_INVAL)" "$c2" \
  'net: monitor decisions read at 1 Hz \(hypercall 11\); refused: short buffer -3, future sequence -3$'
expect_line "the monitor granted fc-b's restart request (COM1)" "$d/com1.log" \
  'HEALTH .* name=fc-b kind=restart-request target=(self|2) action=restart-cold reason=request'
expect_line "the monitor restarted fc-b (COM1)" "$d/com1.log" 'RECOVERY sandbox=2 name=fc-b restart=1 cause=request'
check "the monitor's decisions reached the host after the voter's request, in order: request granted, restart done" \
  test "$(grep -oE '^(TMR p[0-9]+: restart-request b|recovery: restart-cold fc-b requested \(1/[0-9]+\)|recovery: restarted fc-b \(1/[0-9]+\))$' "$out/recovery-host.txt" |
          sed -E 's/^TMR p[0-9]+: //; s/ \(1\/[0-9]+\)$//' | tr '\n' '|')" = \
       "restart-request b|recovery: restart-cold fc-b requested|recovery: restarted fc-b|"
# Hypercall 11's refusals for a sandbox without a device (the simulator's,
# triad.decisions=probe at its boot): TRIAD_E_PERM with a buffer of its own,
# TRIAD_E_FAULT with one outside its RAM and a bad-hypercall record, nothing
# written; the health table logs that fault (policy log) and the decision
# reaches the ground as the fault-decision text.
expect_line "hypercall 11 from the simulator (no device): PERM (-4); buffer outside its RAM: FAULT (-2); nothing written" "$c2" \
  '^\[sim\] net: decisions probe without a device: hypercall 11 -> -4, buffer outside RAM -> -2, record untouched$'
expect_line "the monitor's bad-hypercall record names the simulator and the refused address" "$d/com1.log" \
  'FAULT seq=0 .* sandbox=5 name=sim kind=bad-hypercall gpa=0x000007f000000000 '
expect_line "the health table logs it (policy log, harmless)" "$d/com1.log" \
  'HEALTH t=[0-9]+ core=5 sandbox=5 name=sim kind=bad-hypercall declared=log action=log restarts=0/3 reason=harmless'
expect_line "that decision reaches the ground station as STATUSTEXT" "$out/recovery-host.txt" '^recovery: log sim bad-hypercall$'
check "no other monitor decision on the ground link (nothing refused, no escalation)" \
  test "$(grep -c '^recovery: ' "$out/recovery-host.txt")" -eq 3
analysis=$(python3 - "$out/messages.json" <<'PY'
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
seqs = [m["seq"] for m in msgs]
gaps = sum(1 for a, b in zip(seqs, seqs[1:]) if b != (a + 1) % 256)
beats = [i for i, m in enumerate(msgs) if m["msg"] == "HEARTBEAT"]
att = [m for m in msgs if m["msg"] == "ATTITUDE"]
between = [sum(1 for m in msgs[a:b] if m["msg"] == "ATTITUDE") for a, b in zip(beats, beats[1:])]
steps = sorted({b["time_boot_ms"] - a["time_boot_ms"] for a, b in zip(att, att[1:])})
print(f"messages {len(msgs)} first_seq {seqs[0] if seqs else -1} gaps {gaps} heartbeats {len(beats)}")
print(f"attitude {len(att)} per_heartbeat {','.join(map(str, between))} steps_ms {','.join(map(str, steps))}")
PY
)
echo "$analysis" | sed 's/^/# /'
check "sequence numbers start at 0 and are consecutive (nothing lost, the first burst included)" \
  grep -qE '^messages [0-9]+ first_seq 0 gaps 0 ' <<<"$analysis"
# ATTITUDE goes out at 10 Hz when the voter has a new period (none while the
# loop waits for a restarted replica): never more than 11 per HEARTBEAT, and
# 9 to 11 for most seconds of the flight.
check "HEARTBEAT at 1 Hz, ATTITUDE at 10 Hz: at most 11 between consecutive HEARTBEATs, 9-11 in most" \
  python3 -c "import sys; v = [int(x) for x in sys.argv[1].split(',')]; sys.exit(not (v and max(v) <= 11 and 2 * sum(9 <= x <= 11 for x in v) > len(v)))" \
  "$(sed -nE 's/.* per_heartbeat ([0-9,]+) .*/\1/p' <<<"$analysis")"
check "no fault record on the monitor but the probe's (the PCI scan filtered, not refused)" \
  bash -c "test \$(grep -c FAULT '$d/com1.log') -eq 1 && ! grep FAULT '$d/com1.log' | grep -qv 'name=sim kind=bad-hypercall'"
finish
