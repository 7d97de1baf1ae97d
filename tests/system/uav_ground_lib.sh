# The ground link of the UAV TMR system (config/uav-tmr.xml: telemetry in the
# I/O sandbox, docs/networking.md) checked beside a flight boot, so that no
# extra boot is paid for it: the ground station (tools/gcs) records every
# datagram, node-mavlink (from the npm registry: written by nobody here)
# decodes them, and the voter's [tmr] events on the I/O sandbox's console must
# arrive as STATUSTEXT, every one, in the same order.
#   uav_ground_start OUTDIR      before the boot (which needs --net "")
#   ... boot ...
#   uav_ground_check OUTDIR COM2LOG STORY   (STORY: the fault's events in
#                                           order, e.g. "failed b|promoted d")
# REQ: NET-EVT-001
. tests/system/gcs_lib.sh
uav_ground_start() {
  gcs_start "$1" "never-sent: stopped by uav_ground_check" 600 --raw "$1/datagrams.hex"
}
uav_ground_check() {
  local out=$1 c2=$2 story=$3
  kill -TERM "$gcs_pid" 2>/dev/null     # the flight is over: gcs prints its summary
  gcs_wait
  sed -n 's/^gcs: /# gcs: /p' "$out/gcs.log"
  expect_line "ground station: HEARTBEATs and the flight state received, nothing refused" "$out/gcs.log" \
    '^gcs: [0-9]+ datagrams, [0-9]+ frames \([1-9][0-9]* HEARTBEAT, [1-9][0-9]* ATTITUDE, [1-9][0-9]* LOCAL_POSITION_NED, [1-9][0-9]* SYS_STATUS, [1-9][0-9]* STATUSTEXT\); refused: 0 bad crc, 0 truncated, 0 unknown id, 0 bad length, 0 incompatible'
  # The flight state is the voter's: the hover altitude shows as NED z (up is negative).
  check "LOCAL_POSITION_NED carries the flight (z below -0.5 m at some point: the vehicle airborne, NED)" \
    grep -qE '^LOCAL_POSITION_NED .*"z":-(0\.[5-9]|[1-9])' "$out/gcs.log"
  local nm=$BUILD/node-mavlink
  if [ ! -d "$nm/node_modules/node-mavlink" ]; then
    check "node-mavlink installed (make test installs it before the tests)" false
    return
  fi
  node tests/system/mavlink_independent_check.mjs "$PWD/$nm/node_modules" "$out/datagrams.hex" >"$out/node-mavlink.log" 2>&1
  grep -E '^node-mavlink: (valid|HEARTBEAT |ATTITUDE )' "$out/node-mavlink.log" | sed 's/^/# /'
  expect_line "node-mavlink accepts every frame's CRC" "$out/node-mavlink.log" '^node-mavlink: valid [1-9][0-9]* invalid 0 '
  expect_line "node-mavlink decodes our HEARTBEAT (quadrotor)" "$out/node-mavlink.log" '^node-mavlink: HEARTBEAT type 2 autopilot 0 '
  expect_line "node-mavlink decodes our ATTITUDE" "$out/node-mavlink.log" '^node-mavlink: ATTITUDE time_boot_ms [0-9]+ pitch '
  # Every [tmr] event the voter printed (but 'reconnected', a channel detail),
  # as the STATUSTEXT it posts: "TMR p<period>: <event> <replica>".
  console "$c2" | sed -nE 's/^\[tmr\] period ([0-9]+): ([a-z-]+) replica (.) .*/TMR p\1: \2 \3/p' |
    grep -v ': reconnected ' >"$out/events-console.txt"
  sed -nE "s/^node-mavlink: STATUSTEXT severity [0-9] text '(TMR p.*)'$/\1/p" "$out/node-mavlink.log" >"$out/events-host.txt"
  sed 's/^/# event: /' "$out/events-host.txt"
  check "every TMR event of the console reached the host as STATUSTEXT, in order ($(wc -l <"$out/events-host.txt") of $(wc -l <"$out/events-console.txt"))" \
    cmp -s "$out/events-console.txt" "$out/events-host.txt"
  # The fault's story, in this order, decoded by node-mavlink.
  local want got
  want=$(tr '|' '\n' <<<"$story" | sed 's/^/: /' | tr -d '\n')
  got=$(grep -oE ": ($story)\$" "$out/events-host.txt" | tr -d '\n')
  check "the fault's events on the host in order: $story" test "$got" = "$want"
}
