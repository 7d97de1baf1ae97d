# Checks of the in-sandbox UAV flight (issue 8), shared by the Bochs tests
# (80, 81) and by any later variant on another emulator or backend: each
# takes the I/O sandbox's console log (COM2) and prints TAP lines through
# lib.sh's check/expect_line.  Sourced after lib.sh.

# uav_num LOG KEY: the value of KEY=... on the `uav: report` lines.
uav_num() {
  console "$1" | grep '^uav: report' | tr '\n' ' ' | sed -E "s/.* $2=([-0-9.]+).*/\\1/"
}

# uav_event_period LOG 'failed replica b': period of the first such [tmr] event, or none.
uav_event_period() {
  console "$1" | grep -m1 -E "^\[tmr\] period [0-9]+: $2( |$)" | sed -E 's/^\[tmr\] period ([0-9]+):.*/\1/'
}

# uav_check_plant LOG PERIODS: the plant's own check of every applied command
# against its reference controller (sim_plant): all PERIODS checked, none
# wrong, none without a majority.
uav_check_plant() {
  local c2=$1 n=$2
  check "plant checked $n applied commands (checked=$(uav_num "$c2" checked))" test "$(uav_num "$c2" checked)" = "$n"
  check "zero wrong commands reached the plant (wrong=$(uav_num "$c2" wrong), first at $(uav_num "$c2" first_wrong))" \
    test "$(uav_num "$c2" wrong)" = 0
  check "every applied command had a majority (not_voted=$(uav_num "$c2" not_voted))" test "$(uav_num "$c2" not_voted)" = 0
}

# uav_check_hover LOG: flew, no crash, hover error within the fault-free bound.
uav_check_hover() {
  local c2=$1
  check "airborne (airborne_periods=$(uav_num "$c2" airborne_periods))" test "$(uav_num "$c2" airborne_periods)" -gt 200
  check "no crash" test "$(uav_num "$c2" crashed)" = 0
  check "hover window measured ($(uav_num "$c2" hover_periods) periods)" test "$(uav_num "$c2" hover_periods)" -ge 100
  check "hover error max $(uav_num "$c2" hover_max) m <= 0.1 m" awk -v v="$(uav_num "$c2" hover_max)" 'BEGIN { exit !(v <= 0.1) }'
  check "tilt max $(uav_num "$c2" max_tilt) deg <= 5 deg" awk -v v="$(uav_num "$c2" max_tilt)" 'BEGIN { exit !(v <= 5) }'
}

# uav_check_detect LOG WHAT REPLICA FAULT_PERIOD: the [tmr] event WHAT
# (disagree or late) names REPLICA within 2 periods of FAULT_PERIOD and the
# failure is declared in the same period.  Prints the detection period.
uav_check_detect() {
  local c2=$1 what=$2 r=$3 at=$4 p f
  p=$(uav_event_period "$c2" "$what replica $r")
  f=$(uav_event_period "$c2" "failed replica $r")
  check "fc-$r named ($what) within 2 periods of its fault at $at (period ${p:-none})" \
    test -n "$p" -a "${p:-0}" -ge "$at" -a "${p:-0}" -le $((at + 2))
  check "fc-$r declared failed in the period it was named (${f:-none})" test -n "$f" -a "${f:-0}" = "${p:-x}"
}

# uav_check_relayed_boots COM1 LOG NAME: io's relay of NAME's channel
# console (LOG, io's COM2) carried its boots whole: each relayed boot with
# its banner, "kernel: ready" and channels line, the first boot and, when
# the monitor restarted NAME (COM1), at least one fresh kernel's (until
# session 9 a restarted sandbox created its console channel again and its
# fresh kernel's boot lines were lost - docs/channels.md).  A restart that
# another one stops within milliseconds, before its kernel opened the
# channel, has nothing to relay: so at least 2 boots, at most one per
# restart.  A shell prompt may begin the line, io's or the sandbox's.  And
# io's relay never had to reopen a console channel nor the writer say it
# lost lines.
uav_check_relayed_boots() {
  local c1=$1 c2=$2 n=$3 restarts nb nr nc need
  restarts=$(console "$c1" | grep -cE "RECOVERY sandbox=[0-9]+ name=$n restart=[0-9]+ cause=")
  nb=$(console "$c2" | grep -cE "^(triad> )?\[$n\] (triad> )?Triad sandbox kernel [0-9.]+$")
  nr=$(console "$c2" | grep -cE "^(triad> )?\[$n\] (triad> )?kernel: ready$")
  nc=$(console "$c2" | grep -cE "^(triad> )?\[$n\] (triad> )?chan: [0-9]+ channels at [0-9a-f]+, .*$")
  need=$(( restarts > 0 ? 2 : 1 ))
  check "io relayed $n's boots whole: $nb banners, $nr ready, $nc channels lines; at least $need, at most $((restarts + 1)) ($restarts restarts)" \
    test "$nb" -eq "$nr" -a "$nb" -eq "$nc" -a "$nb" -ge "$need" -a "$nb" -le $((restarts + 1))
  check "io relayed $n's console without a reopen, nothing lost" \
    bash -c "! console '$c2' | grep -qE '^(chan: console channel [0-9]+ from $n:|\[$n\] console: .*(lost|no longer waited))'"
}
