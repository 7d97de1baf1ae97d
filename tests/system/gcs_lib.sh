# The host ground station (tools/gcs) beside a boot, for the network tests.
# UDP 14550 is a fixed port (the ground station's), so runs of these tests on
# one machine take turns through a lock held from gcs_start to gcs_wait.
#   gcs_start OUTDIR UNTIL_TEXT TIMEOUT [extra gcs options]
#   ... boot ...
#   gcs_wait          (sets gcs_status to the ground station's exit status)
gcs_start() {
  local out=$1 until=$2 timeout=$3; shift 3
  mkdir -p "$out"
  exec 9>/tmp/triad-gcs-14550.lock
  flock 9
  "$BUILD/tools/gcs" --port 14550 --json "$out/messages.json" "$@" \
    --until-text "$until" --timeout "$timeout" >"$out/gcs.log" 2>&1 &
  gcs_pid=$!
}
gcs_wait() {
  wait "$gcs_pid"
  gcs_status=$?
  flock -u 9
}
