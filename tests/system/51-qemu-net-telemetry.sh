# QEMU TCG with -icount: MAVLink v2 telemetry from the kernel's `telemetry`
# program (10 Hz flight state, 1 Hz HEARTBEAT, for 6 s of virtual time) to
# tools/gcs on the host's 127.0.0.1:14550 through QEMU's user network; then
# node-mavlink (from the npm registry: an implementation nobody here wrote)
# decodes the same datagrams and must accept every frame's CRC.
. tests/system/lib.sh
. tests/system/gcs_lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-net-telemetry.iso" "$PWD/$BUILD/tools/gcs" >/dev/null
out=$RUNS/net-telemetry-gcs
gcs_start "$out" "telemetry stopping" 150 --raw "$out/datagrams.hex"
boot net-telemetry qemu "$BUILD/iso/kernel-net-telemetry.iso" --icount 5 --timeout 120 --net ""
gcs_wait
log=$RUNS/net-telemetry/com1.log
check "the run ends with the boot script's halt (status 0)" test "$status" -eq 0
expect_line "telemetry sends every message without an error" "$log" '^telemetry: sent [0-9]+ messages, 0 send errors'
check "gcs saw the closing STATUSTEXT and ended (exit 0)" test "$gcs_status" -eq 0
expect_line "gcs refused nothing" "$out/gcs.log" 'refused: 0 bad crc, 0 truncated, 0 unknown id, 0 bad length, 0 incompatible'
expect_line "gcs decodes a STATUSTEXT" "$out/gcs.log" '^STATUSTEXT seq 0 sys 1 comp 1 \{"severity":6,"text":"Triad telemetry up"\}$'
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
check "sequence numbers start at 0 and are consecutive (nothing lost)" grep -qE '^messages [0-9]+ first_seq 0 gaps 0 ' <<<"$analysis"
check "6 HEARTBEATs in 6 s of virtual time" grep -qE ' heartbeats 6$' <<<"$analysis"
check "HEARTBEAT at 1 Hz: 10 ATTITUDE (10 Hz) between consecutive HEARTBEATs, +-1" \
  grep -qE '^attitude [0-9]+ per_heartbeat (9|10|11)(,(9|10|11)){4} ' <<<"$analysis"
check "ATTITUDE time_boot_ms advances by 100 ms" grep -qE 'steps_ms 100$' <<<"$analysis"
# The independent decoder, installed by the test setup from the npm registry.
nm=$BUILD/node-mavlink
if [ ! -d "$nm/node_modules/node-mavlink" ]; then
  mkdir -p "$nm"
  npm install --no-audit --no-fund --prefix "$nm" node-mavlink@2.3.0 >"$out/npm.log" 2>&1 || sed 's/^/# npm: /' "$out/npm.log"
fi
node tests/system/mavlink_independent_check.mjs "$PWD/$nm/node_modules" "$out/datagrams.hex" >"$out/node-mavlink.log" 2>&1
sed 's/^/# /' "$out/node-mavlink.log"
expect_line "node-mavlink accepts every frame's CRC" "$out/node-mavlink.log" '^node-mavlink: valid [1-9][0-9]* invalid 0 '
expect_line "node-mavlink decodes our HEARTBEAT" "$out/node-mavlink.log" '^node-mavlink: HEARTBEAT type 2 autopilot 0 system_status 4 mavlink_version 3$'
expect_line "node-mavlink decodes our ATTITUDE" "$out/node-mavlink.log" '^node-mavlink: ATTITUDE time_boot_ms 0 pitch 0\.0200$'
expect_line "node-mavlink decodes our STATUSTEXT" "$out/node-mavlink.log" "^node-mavlink: STATUSTEXT severity 6 text 'Triad telemetry up'$"
finish
