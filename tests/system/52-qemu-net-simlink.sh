# QEMU TCG with -icount: the PX4 simulator link, the link going down and up,
# and fault/recovery events as STATUSTEXT, in one boot.
#  - tools/simlink (the plant and sensors of tools/sim) listens on TCP 4560 as
#    a PX4 simulator does; hil_fc in the kernel connects (10.0.2.2:4560 on
#    QEMU's user network), answers every HIL_SENSOR with HIL_ACTUATOR_CONTROLS
#    (lockstep) and flies 6 s of the mission: climb to 2 m; a HIL_GPS fix
#    every 5th step gives the controller its horizontal position.
#  - hil_fc votes three replicas of the flight-control law; a bit flipped in
#    replica b at period 300 is outvoted and b reloaded from the majority:
#    both events are posted to the kernel's event queue and the telemetry
#    program sends them to tools/gcs (UDP 14550) as STATUSTEXT, which
#    node-mavlink (npm, written by nobody here) decodes too.
#  - at step 200 the simulator holds; the test takes the NIC's link down with
#    QEMU's monitor (set_link), waits until telemetry reports dropped sends,
#    brings the link up, waits until telemetry sends again, and lets the
#    flight go on: nothing crashes, drops are counted, telemetry resumes.
#  - net_event_check posts bad events (refused) and 40 good ones at once into
#    the 32-entry queue: the overflow is counted and reported as STATUSTEXT.
# REQ: NET-SIM-001, NET-LINK-001, NET-EVT-001
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/kernel-net-simlink.iso" "$PWD/$BUILD/tools/gcs" \
  "$PWD/$BUILD/tools/sim-link" >/dev/null
name=net-simlink
out=$RUNS/$name-host
rm -rf "$out" "$RUNS/$name"
mkdir -p "$out" "$RUNS/$name"
log=$RUNS/$name/com1.log
hold=$out/sim-paused
hmp=$out/hmp.sock
# 14550 and 4560 are fixed ports (the ground station's and PX4's): runs of
# the network tests on one machine take turns.
exec 9>/tmp/triad-gcs-14550.lock
flock 9
"$BUILD/tools/gcs" --port 14550 --json "$out/messages.json" --raw "$out/datagrams.hex" \
  --until-text "Triad telemetry stopping" --timeout 200 >"$out/gcs.log" 2>&1 &
gcs_pid=$!
"$BUILD/tools/sim-link" --port 4560 --seconds 6 --rate 100 --pause-at 200 --pause-file "$hold" \
  --step-timeout 60 --accept-timeout 150 --csv "$out/trajectory.csv" >"$out/sim-link.log" 2>&1 &
sim_pid=$!

# The link toggler: QEMU's human monitor on a socket; each step waits for the
# guest's console line that says the previous one took effect.
hmp_cmd() {
  python3 - "$hmp" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
time.sleep(0.2)
s.close()
PY
}
wait_for() {  # FILE REGEX SECONDS
  for _ in $(seq 1 $(($3 * 10))); do
    console "$1" 2>/dev/null | grep -qE -- "$2" && return 0
    sleep 0.1
  done
  return 1
}
(
  for _ in $(seq 1 1500); do [ -e "$hold" ] && break; sleep 0.1; done
  [ -e "$hold" ] || { echo "toggler: the simulator never paused" >"$out/toggler.log"; exit 1; }
  { hmp_cmd "set_link n0 off" && wait_for "$log" '^telemetry: send failed' 60 &&
    hmp_cmd "set_link n0 on" && wait_for "$log" '^telemetry: sending again after' 60 &&
    echo "toggler: link went down and up"; } >"$out/toggler.log" 2>&1
  rm -f "$hold"
) &
toggler_pid=$!

boot $name qemu "$BUILD/iso/kernel-net-simlink.iso" --icount 5 --timeout 200 --net "" \
  --extra=-chardev --extra="socket,id=hmp,path=$hmp,server=on,wait=off" --extra=-mon --extra=chardev=hmp,mode=readline
wait "$toggler_pid"
wait "$sim_pid"; sim_status=$?
wait "$gcs_pid"; gcs_status=$?
flock -u 9
sed 's/^/# sim-link: /' "$out/sim-link.log" | grep -E 'lockstep|received|paused|resumed'
sed 's/^/# /' "$out/toggler.log"

check "the run ends with the boot script's halt (status 0)" test "$status" -eq 0
# The simulator link.
check "sim-link ends well (every step in lockstep, no crash: exit 0)" test "$sim_status" -eq 0
expect_line "hil_fc connected to the simulator over TCP 4560" "$log" '^hil_fc: connected to the simulator at 10\.0\.2\.2:4560, 100 Hz'
expect_line "600 steps in lockstep: each HIL_SENSOR answered by its HIL_ACTUATOR_CONTROLS" "$out/sim-link.log" \
  '^sim-link: lockstep 600 of 600 steps, '
expect_line "hil_fc answered 600 HIL_SENSOR, refused nothing, sent without error" "$log" \
  '^hil_fc: 600 HIL_SENSOR answered 600, other messages [0-9]+, no-majority 0, reloads 1, send errors 0; refused 0 bad crc, 0 unknown id, 0 bad length$'
check "the simulator refused nothing and saw no stale answer" \
  grep -qE '^sim-link: received [0-9]+ frames \(heartbeat [1-9][0-9]* statustext 0 other 0 stale controls 0\); refused 0 bad crc, 0 unknown id, 0 bad length, 0 incompatible$' "$out/sim-link.log"
alt=$(sed -nE 's/^sim-link: lockstep .* final alt ([0-9.-]+) m, .* max tilt ([0-9.]+) deg, crashed ([01])$/\1 \2 \3/p' "$out/sim-link.log")
echo "# final altitude, max tilt, crashed: ${alt:-none}"
check "after 6 s the vehicle climbed to the 2 m setpoint (1.8..2.2 m), tilt under 5 deg, no crash" \
  python3 -c 'import sys; a, t, c = map(float, sys.argv[1].split()); sys.exit(0 if 1.8 <= a <= 2.2 and t < 5 and c == 0 else 1)' "${alt:-9 99 1}"
expect_line "a HIL_GPS fix every 5th step: 120 sent" "$out/sim-link.log" '^sim-link: final position x -?[0-9.]+ y -?[0-9.]+ m, 120 HIL_GPS fixes sent$'
expect_line "hil_fc used the 120 fixes as its position fix" "$log" '^hil_fc: 120 HIL_GPS fixes used$'
xy=$(sed -nE 's/^sim-link: final position x (-?[0-9.]+) y (-?[0-9.]+) m, .*/\1 \2/p' "$out/sim-link.log")
check "the vehicle held its horizontal position within 0.5 m (x y: ${xy:-none})" \
  python3 -c 'import sys; x, y = map(float, sys.argv[1].split()); sys.exit(0 if (x * x + y * y) ** 0.5 < 0.5 else 1)' "${xy:-9 9}"
# The link going down and up.
check "the link went down and up while the simulator held" grep -q 'link went down and up' "$out/toggler.log"
expect_line "the driver saw the link go down" "$log" '^net: link down$'
expect_line "the driver saw the link come back" "$log" '^net: link up$'
expect_line "telemetry counted the dropped messages and sent again" "$log" '^telemetry: sending again after [1-9][0-9]* dropped messages$'
expect_line "telemetry counted one outage" "$log" '^telemetry: 1 outages, [0-9]+ events sent as STATUSTEXT, [0-9]+ events lost$'
check "gcs saw the closing STATUSTEXT (exit 0)" test "$gcs_status" -eq 0
expect_line "gcs got the link-back STATUSTEXT" "$out/gcs.log" '^STATUSTEXT seq [0-9]+ sys 1 comp 1 \{"severity":4,"text":"net: link back, [1-9][0-9]* messages dropped"\}$'
check "telemetry resumed: flight state (ATTITUDE) keeps coming after the link-back message" python3 - "$out/messages.json" <<'PY'
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1])]
back = [i for i, m in enumerate(msgs) if m["msg"] == "STATUSTEXT" and m["text"].startswith("net: link back")]
after = sum(1 for m in msgs[back[0]:] if m["msg"] == "ATTITUDE") if back else 0
print(f"# ATTITUDE messages after the link came back: {after}")
sys.exit(0 if after >= 5 else 1)
PY
expect_line "gcs refused nothing" "$out/gcs.log" 'refused: 0 bad crc, 0 truncated, 0 unknown id, 0 bad length, 0 incompatible'
# The event queue: bad posts refused, an overflow counted, nothing else lost.
expect_line "bad event posts are refused (EINVAL, ENAMETOOLONG, EINVAL, EFAULT)" "$log" \
  '^net_event_check: severity 8 -> -22, 51 characters -> -36, empty -> -22, kernel pointer -> -14$'
expect_line "40 events posted at once" "$log" '^net_event_check: posted 40 of 40 events$'
ev=$(console "$log" | sed -nE 's/^telemetry: [0-9]+ outages, ([0-9]+) events sent as STATUSTEXT, ([0-9]+) events lost$/\1 \2/p')
echo "# events forwarded, lost: ${ev:-none}"
check "every event is either forwarded or counted lost (40 + hil_fc's 4), the overflow lost some" \
  python3 -c 'import sys; s, l = map(int, sys.argv[1].split()); sys.exit(0 if s + l == 44 and l >= 1 else 1)' "${ev:-0 0}"
expect_line "gcs got the overflow report as STATUSTEXT" "$out/gcs.log" \
  '^STATUSTEXT seq [0-9]+ sys 1 comp 1 \{"severity":4,"text":"events: [1-9][0-9]* lost \(queue full\)"\}$'
expect_line "the newest event survived the overflow" "$out/gcs.log" '"text":"check event 40 of 40"'
# Fault and recovery events as STATUSTEXT.
expect_line "gcs got the TMR disagreement as STATUSTEXT" "$out/gcs.log" \
  '^STATUSTEXT seq [0-9]+ sys 1 comp 1 \{"severity":4,"text":"TMR: replica b outvoted at period 300"\}$'
expect_line "gcs got the recovery decision as STATUSTEXT" "$out/gcs.log" \
  '^STATUSTEXT seq [0-9]+ sys 1 comp 1 \{"severity":5,"text":"recovery: replica b reloaded at period 300"\}$'
nm=$BUILD/node-mavlink
if [ ! -d "$nm/node_modules/node-mavlink" ]; then
  mkdir -p "$nm"
  npm install --no-audit --no-fund --prefix "$nm" node-mavlink@2.3.0 >"$out/npm.log" 2>&1 || sed 's/^/# npm: /' "$out/npm.log"
fi
node tests/system/mavlink_independent_check.mjs "$PWD/$nm/node_modules" "$out/datagrams.hex" >"$out/node-mavlink.log" 2>&1
grep -E 'valid|STATUSTEXT' "$out/node-mavlink.log" | sed 's/^/# /'
expect_line "node-mavlink accepts every frame's CRC" "$out/node-mavlink.log" '^node-mavlink: valid [1-9][0-9]* invalid 0 '
expect_line "node-mavlink decodes the TMR event" "$out/node-mavlink.log" "^node-mavlink: STATUSTEXT severity 4 text 'TMR: replica b outvoted at period 300'$"
expect_line "node-mavlink decodes the recovery event" "$out/node-mavlink.log" "^node-mavlink: STATUSTEXT severity 5 text 'recovery: replica b reloaded at period 300'$"
finish
