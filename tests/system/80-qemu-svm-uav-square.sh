# QEMU TCG (AMD SVM with nested paging, 6 cores, -icount 5): the whole
# mission flown inside the sandboxes (build/iso/uav-square.iso, made from
# config/uav-tmr.xml by sandbox-kernel/programs/uav/rules.mk): take-off to
# 2 m, the 3 m square (6 s per corner), down to 1 m, landing, report at
# period 3900 (the mission's end).  io_voter runs in the foreground of the I/O
# sandbox's shell and reads the commands the runner types on COM2
# (tests/system/input/80-uav-commands.txt, one line per `tmr: ` answer, from
# the hover reminder on): help, status, every bad input (unknown replica,
# missing or extra argument, unknown command, an overlong line), then
# `corrupt b`, which is masked (outvoted, failed, fc-d promoted in the same
# period, fc-b restarted by the monitor and rejoining as the standby), and
# `corrupt b` again, refused because fc-b is failed.  Then, in the square's
# third leg, fc-c's kernel writes into the monitor (a wild write at its 4th
# 5 s heartbeat): the monitor restarts fc-c for its own fault, refuses io's
# restart request meanwhile (in-recovery), and io takes the fresh program's
# channel starting over as that restart (restarted-by-monitor), which
# rejoins on probation.  The plant checks every applied command against its
# own reference controller: 0 wrong.  Also the runner's refusals of a bad
# --input-port, and io_voter's of three bad --members values.
# After the report, system safe mode: fc-a's kernel faults at a chosen
# heartbeat (its description's ladder says safe_mode), io_voter switches to
# the safe command, the monitor restarts nothing; the plant tells that safe
# command from the landing before it (both motors off), and the ground
# station on the host (tools/gcs, decoded by node-mavlink) receives the
# monitor's SYSTEM SAFE MODE decision and the voter's safe-mode event as
# critical STATUSTEXTs: the run has its NIC.
# Leaving safe mode (issue 9): the runner types `safe-exit` on io_voter's
# console (the same input file, one line per `tmr: ` line; empty lines wait
# for io_voter's once-a-second safe-mode reminder): in flight (refused
# not-in-safe-mode), with an argument (refused), at the entry (refused
# hold-not-elapsed: config/uav-tmr.xml's hold-ms 2000), 3 s after it
# (accepted): the voted command goes out again, the monitor revives fc-a,
# which restarts cold and rejoins; telemetry stops after the exit's two
# critical texts, and the run ends when fc-a has rejoined (full TMR).
# REQ: TMR-SYS-001, TMR-RS-001, TMR-RS-002, TMR-VOTE-002
. tests/system/lib.sh
. tests/system/uav_lib.sh
. tests/system/gcs_lib.sh
ISO=$BUILD/iso/uav-square.iso
INPUT=tests/system/input/80-uav-commands.txt

# The runner refuses a bad --input-port before any emulator starts.
out=$(tools/run-emu --emu qemu --iso "$ISO" --serial-ports 2 --input "$INPUT" --input-port 3 2>&1); s=$?
check "--input-port beyond --serial-ports exits 125" test "$s" -eq 125
check "--input-port beyond --serial-ports is explained" grep -q -- "--input-port 3: the machine has COM1..COM2" <<<"$out"
out=$(tools/run-emu --emu qemu --iso "$ISO" --input-port 2 2>&1); s=$?
check "--input-port without --input exits 125" test "$s" -eq 125
out=$(tools/run-emu --emu qemu --iso "$ISO" --input-port x --input "$INPUT" 2>&1); s=$?
check "--input-port that is not a number exits 125" test "$s" -eq 125
out=$(tools/run-emu --emu qemu --iso "$ISO" --input - --input-prompt 'tmr: ' 2>&1); s=$?
check "--input - (typed by the user) with --input-prompt exits 125" test "$s" -eq 125

# The ground station beside the boot; gcs stops by itself at telemetry's
# last text (sent after the four safe-mode ones), or when killed after the run.
make -s --no-print-directory "$PWD/$BUILD/tools/gcs" >/dev/null
gout=$RUNS/uav-square-gcs
gcs_start "$gout" "Triad telemetry stopping" 1500 --raw "$gout/datagrams.hex"
boot uav-square qemu "$ISO" --cores 6 --memory 512 --serial-ports 2 --icount 5 --timeout 1200 --net "" \
  --until ': rejoined replica a (' --input "$INPUT" --input-port 2 --input-after '[flight] t=1.000 s' --input-prompt 'tmr: '
kill -TERM "$gcs_pid" 2>/dev/null
gcs_wait
d=$RUNS/uav-square
c2=$d/com2.log
check "run stops at the flight report" test "$status" -eq 0
expect_line "SVM backend" "$d/com1.log" 'backend: SVM with nested paging'
expect_line "io_voter runs in the shell's foreground (it reads the console)" "$c2" '^shell> io_voter --alt 2 --square 3 '
expect_line "the banner tells the user what to type" "$c2" '^tmr: commands on this console: help, status, corrupt a\|b\|c\|d'
expect_line "the hover reminder" "$c2" '^tmr: hovering: type corrupt a\|b\|c\|d'

# The typed commands: each echoed, each answered; bad ones refused with a reason, nothing changed.
check "every typed line echoed (15: the empty ones are not)" test "$(console "$c2" | grep -c '^tmr> ')" -eq 15
expect_line "help lists the commands" "$c2" '^tmr: commands: help \| status \| corrupt a\|b\|c\|d'
expect_line "status before the fault: a, b, c vote, d standby" "$c2" \
  '^tmr: status period [0-9]+: 3 vote slots, 0 failures, 0 promotions, 0 rejoins \| a=active b=active c=active d=standby$'
expect_line "unknown replica refused" "$c2" "^tmr: no replica 'x': corrupt a\|b\|c\|d$"
check "missing and extra replica refused with the usage (2)" \
  test "$(console "$c2" | grep -c '^tmr: usage: corrupt a|b|c|d (one replica)$')" -eq 2
expect_line "argument to status refused" "$c2" "^tmr: 'status' takes no argument$"
expect_line "unknown command refused" "$c2" "^tmr: unknown command 'launch' \(commands: help, status, corrupt R, safe-exit\)$"
expect_line "overlong line refused" "$c2" '^tmr: line longer than 64 characters refused \(type help\)$'
check "no refused line changed anything: no TMR event before the corrupt command" \
  test "$(console "$c2" | grep -m1 '^\[tmr\] period' | grep -c 'corrupt-command replica b')" -eq 1
k=$(console "$c2" | sed -nE 's/^tmr: corrupt b: sent in period ([0-9]+)$/\1/p' | head -1)
check "corrupt b accepted in period ${k:-none}, in flight (hover from period 300)" test -n "$k" -a "${k:-0}" -ge 300
check "corrupt b sent to fc-b in that period's transfer" test "$(uav_event_period "$c2" 'corrupt-command replica b')" = "${k:-x}"
expect_line "fc-b obeys: its state corrupted" "$c2" '^\[fc-b\] .*fc_replica b: corrupted on the voter.s command'
uav_check_detect "$c2" disagree b "${k:-0}"
f=$(uav_event_period "$c2" 'failed replica b')
check "fc-b named and failed in the next period (${f:-none} = $k + 1)" test "${f:-0}" = "$(( ${k:-0} + 1 ))"
check "standby fc-d promoted in the period of the failure" test "$(uav_event_period "$c2" 'promoted replica d')" = "${f:-x}"
expect_line "corrupt b again: refused, fc-b already failed" "$c2" \
  '^tmr: corrupt b refused: that replica is already failed \(being restarted\): nothing to mask$'
expect_line "status after the fault: a, c, d vote, b failed" "$c2" \
  '^tmr: status period [0-9]+: 3 vote slots, 1 failures, 1 promotions, 0 rejoins \| a=active b=failed c=active d=active$'
check "only one corruption sent" test "$(console "$c2" | grep -c 'corrupt-command replica')" -eq 1
# fc-b's restart and return as the standby.
expect_line "the monitor reloads fc-b from its pristine image" "$d/com1.log" 'RECOVERY sandbox=2 name=fc-b restart=1 cause=request'
rj=$(uav_event_period "$c2" 'rejoining replica b'); ok=$(uav_event_period "$c2" 'rejoined replica b')
check "fc-b rejoined after K = 10 agreeing periods (${rj:-none} .. ${ok:-none})" \
  test -n "$ok" -a "$(( ${ok:-0} - ${rj:-0} ))" -eq 9

# fc-c restarted by the monitor for its own fault (issue 8, io_voter's
# restarted-by-monitor path; fc-c's description restarts it cold).
# REQ: TMR-RST-001, TMR-RS-001, TMR-RS-002
expect_line "fc-c armed for its 4th heartbeat (one-shot: triad.test_once)" "$c2" \
  '^\[fc-c\] kernel: late test write-monitor armed for heartbeat 4$'
expect_line "the monitor records fc-c's EPT violation and restarts it cold" "$d/com1.log" \
  'FAULT seq=0 t=[0-9]+ core=3 sandbox=3 name=fc-c kind=ept-violation .* action=restart-cold$'
cf=$(uav_event_period "$c2" 'late replica c')
check "fc-c found late by timeliness (period ${cf:-none}, after fc-b's rejoin at ${ok:-none})" \
  test -n "$cf" -a "${cf:-0}" -gt "${ok:-99999}"
check "fc-c failed and standby fc-b promoted in that period" \
  test "$(uav_event_period "$c2" 'failed replica c')-$(uav_event_period "$c2" 'promoted replica b')" = "${cf:-x}-${cf:-x}"
check "io asks fc-c to restart in that period" test "$(uav_event_period "$c2" 'restart-request replica c')" = "${cf:-x}"
rf=$(uav_event_period "$c2" 'voter-restart-refused replica c')
check "io has the monitor restart it 25 periods later (${rf:-none}): refused, TRIAD_E_PERM" \
  grep -qx "\[tmr\] period $(( ${cf:-0} + 25 )): voter-restart-refused replica c (detail 1)" <(console "$c2")
expect_line "the monitor refuses io's request: fc-c is already being recovered" "$d/com1.log" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=restart-request target=3 action=refused reason=in-recovery target-name=fc-c$'
expect_line "the monitor reloads fc-c from its pristine image for its fault" "$d/com1.log" \
  'RECOVERY sandbox=3 name=fc-c restart=1 cause=fault '
check "fc-c restarted once only: no second restart" \
  test "$(console "$d/com1.log" | grep -c 'RECOVERY sandbox=3 name=fc-c restart=[0-9]* cause=')" = 1
# io's relay carried the fresh kernels' boot lines (session 9: a restarted
# sandbox resumes its console channel instead of creating it again, which
# lost them - d9b838a had to stop depending on this line).
expect_line "the fresh fc-c skipped the late test (relayed by io)" "$c2" \
  '^\[fc-c\] kernel: restart 1: late test skipped \(triad\.test_once\)$'
for sb in fc-a fc-b fc-c fc-d; do uav_check_relayed_boots "$d/com1.log" "$c2" $sb; done
check "the fresh fc-c did not obey io's request to its old run" \
  test "$(console "$c2" | grep -c '^\[fc-c\] fc_replica c: declared failed')" -eq 0
mb=$(uav_event_period "$c2" 'restarted-by-monitor replica c')
check "io takes fc-c's writer starting over as the monitor's restart (period ${mb:-none})" \
  test -n "$mb" -a "${mb:-0}" -gt "${rf:-99999}"
check "io reconnects fc-c's channel in that period" \
  grep -qx "\[tmr\] period ${mb:-x}: reconnected replica c (detail 0)" <(console "$c2")
expect_line "the fresh fc-c loads the winner's state" "$c2" \
  '^\[fc-c\] (triad> )?fc_replica c: restarted: loaded the state of period [0-9]+ from replica [abd], stepping from period [0-9]+$'
crj=$(uav_event_period "$c2" 'rejoining replica c'); cok=$(uav_event_period "$c2" 'rejoined replica c')
check "fc-c rejoining at once (${crj:-none} - ${mb:-none} <= 1), rejoined after K = 10 (${cok:-none})" \
  test -n "$cok" -a "$(( ${crj:-0} - ${mb:-0} ))" -le 1 -a "$(( ${crj:-0} - ${mb:-0} ))" -ge 0 -a "$(( ${cok:-0} - ${crj:-0} ))" -eq 9
check "rejoined before the square ends (period ${cok:-none} < 3000)" test "${cok:-99999}" -lt 3000
echo "# fc-c: late/failed ${cf:-none}, voter-restart refused ${rf:-none}, restarted-by-monitor ${mb:-none} (+$(( ${mb:-0} - ${cf:-0} )) periods), rejoined ${cok:-none} (+$(( ${cok:-0} - ${cf:-0} )))"
check "vote state at the end: a, b, d vote, c the standby (full TMR again)" \
  grep -q '^uav: report roles slots=3 a=active b=active c=standby d=active$' <(console "$c2")
check "two failures, two promotions, two rejoins, no period without a majority" \
  test "$(uav_num "$c2" failures)-$(uav_num "$c2" promotions)-$(uav_num "$c2" rejoined)-$(uav_num "$c2" no_majority)" = "2-2-2-0"
# io_voter's bad --members values (started beside the real voter, triad.run):
# each refused with its reason before any channel is opened.
for m in 1:2:3 1:2:3:x 1:2:3:256; do
  check "io_voter --members $m refused with the reason" \
    grep -qx "io_voter: --members '$m' refused: four sandbox ids (0..255) for a,b,c,d, separated by ',' or ':' (',' separates programs on a kernel command line)" <(console "$c2")
done
check "each refusal followed by the usage, and nothing else started: one voter flies (its banner once)" \
  test "$(console "$c2" | grep -c '^usage: io_voter .*--members A,B,C,D|A:B:C:D\]')-$(console "$c2" | grep -c '^io_voter: 100 Hz, exact vote')" = "3-1"

# The mission: square and landing, with the fault masked.
check "report at the mission's end (periods=$(uav_num "$c2" periods))" test "$(uav_num "$c2" periods)" = 3900
uav_check_plant "$c2" 3900
check "airborne from take-off to touchdown (airborne_periods=$(uav_num "$c2" airborne_periods))" \
  test "$(uav_num "$c2" airborne_periods)" -gt 3400
check "no crash" test "$(uav_num "$c2" crashed)" = 0
check "hover before the square within 0.1 m ($(uav_num "$c2" hover_periods) periods, max $(uav_num "$c2" hover_max) m)" \
  awk -v n="$(uav_num "$c2" hover_periods)" -v v="$(uav_num "$c2" hover_max)" 'BEGIN { exit !(n >= 100 && v <= 0.1) }'
# The square tilts the vehicle (up to 14 deg in the host flight of tools/sim);
# the host test's bound.
check "tilt max $(uav_num "$c2" max_tilt) deg < 25 deg" awk -v v="$(uav_num "$c2" max_tilt)" 'BEGIN { exit !(v < 25) }'
check "four corners measured (corners=$(uav_num "$c2" corners))" test "$(uav_num "$c2" corners)" = 4
check "each corner reached within 0.5 m by the end of its leg (max $(uav_num "$c2" corner_err_max) m)" \
  awk -v v="$(uav_num "$c2" corner_err_max)" 'BEGIN { exit !(v > 0 && v < 0.5) }'
check "altitude held within 0.2 m along the square (max $(uav_num "$c2" square_alt_max) m)" \
  awk -v v="$(uav_num "$c2" square_alt_max)" 'BEGIN { exit !(v < 0.2) }'
check "landed: on the ground, landing phase, disarmed, motors off" \
  grep -q '^uav: report landing phase=land on_ground=1 touchdown=[0-9.]* m/s armed=0 motors_off=1$' <(console "$c2")
check "soft touchdown: $(uav_num "$c2" touchdown) m/s < 0.5 m/s" \
  awk -v v="$(uav_num "$c2" touchdown)" 'BEGIN { exit !(v > 0 && v < 0.5) }'
check "no isolation fault but the injected ones (fc-c's, fc-a's below)" test "$(console "$d/com1.log" | grep -c FAULT)" -eq 2

# System safe mode after the flight (issue 9): fc-a's kernel writes into the
# monitor at its 9th 5 s heartbeat (triad.test_late_beat, 45 s virtual, after
# the report), and the test build of the description (uav/rules.mk) declares
# that EPT violation safe_mode for fc-a.  The monitor enters system safe mode;
# io_voter reads the state (every 10 periods) and commands the replica set's
# safe value from then on; no restart follows.
# REQ: REC-SAFE-001
c1=$d/com1.log
expect_line "fc-a armed for its 9th heartbeat" "$c2" '^\[fc-a\] kernel: late test write-monitor armed for heartbeat 9$'
expect_line "the monitor records fc-a's EPT violation, applied as safe mode" "$c1" \
  'FAULT seq=1 t=[0-9]+ core=1 sandbox=1 name=fc-a kind=ept-violation .* action=safe-mode$'
expect_line "the HEALTH decision: declared and applied safe-mode, no restart used" "$c1" \
  'HEALTH t=[0-9]+ core=1 sandbox=1 name=fc-a kind=ept-violation declared=safe-mode action=safe-mode restarts=0/3 reason=policy$'
check "one SAFE-MODE system line: cause fc-a, restarts off, no sandbox marked halt, none halted" \
  test "$(console "$c1" | grep -cE 'SAFE-MODE system t=[0-9]+ cause=1 name=fc-a kind=ept-violation reason=policy restarts=off halt-mask=0$')-$(console "$c1" | grep -c 'SAFE-MODE sandbox=.* halted')" = "1-0"
# io_voter reads the state every 10 periods: seen after period 3910 means
# entered after the report of period 3900 (the flight checks above hold).
sp=$(uav_event_period "$c2" 'system-safe-mode')
check "io_voter commands the safe value from period ${sp:-none} on (entered after the report)" \
  test "${sp:-0}" -gt 3910
expect_line "io_voter says so on its console" "$c2" '^\[tmr\] period [0-9]+: system-safe-mode safe command from now on \(detail 0\)$'
check "no restart after the entry: no RECOVERY line follows the SAFE-MODE line" \
  test "$(console "$c1" | awk '/SAFE-MODE system left/ { on = 0 } /SAFE-MODE system t=/ { on = 1; e++ } on && /RECOVERY/ { n++ } END { print e "-" n + 0 }')" = "1-0"
# The plant tells the safe command apart from the landing (both motors off):
# io_voter marks each command it sends in safe mode (UAV_CMD_SYSTEM_SAFE),
# the plant checks it is the safe action and prints the flight's outcome.
# The sim's shell prints its prompt (no newline) after it started the
# plant in the background, so the plant's next line may carry it: the
# landing line when the prompt came after the plant's first line.
l=$(console "$c2" | sed -nE 's/^\[sim\] (triad> )?sim_plant: outcome landed period=([0-9]+) on_ground=1 .*motors=0,0,0,0 .*/\2/p')
check "the plant saw a normal landing in period ${l:-none}, before the report" test -n "$l" -a "${l:-9999}" -lt 3900
so=$(console "$c2" | sed -nE 's/^\[sim\] (triad> )?sim_plant: outcome safe-command period=([0-9]+) on_ground=1 alt_cm=0 motors=0,0,0,0 landed=([0-9]+)$/\2:\3/p')
check "the plant saw the safe command from io_voter's safe-mode period on (${so:-none} = ${sp:-x}:${l:-x}), on the ground after the landing" \
  test "${so:-none}" = "${sp:-x}:${l:-x}"
check "two outcomes only: landed, then the safe command (no crash)" \
  test "$(console "$c2" | grep -cE '^\[sim\] (triad> )?sim_plant: outcome ')" -eq 2

# Leaving safe mode from the operator's console (issue 9): typed by the
# runner on COM2 (tests/system/input/80-uav-commands.txt).  io_voter reads
# the entry's time (safe_tsc), computes the vehicle word from its own state
# (on the ground from the plant's sensors, disarmed = the safe command sent)
# and asks the monitor through SYS_SAFE_MODE_EXIT (hypercall 12).
# REQ: REC-SAFE-002
ne=$(console "$c2" | sed -nE 's/^tmr: safe-exit refused: not-in-safe-mode: .* \(period ([0-9]+), ack=0, vehicle=0: not on the ground, not disarmed\)$/\1/p' | head -1)
check "safe-exit in flight refused: not in safe mode (period ${ne:-none}, before the landing at ${l:-x})" \
  test -n "$ne" -a "${ne:-99999}" -lt "${l:-0}"
expect_line "safe-exit in flight: the monitor's refusal" "$c1" \
  'HEALTH t=[0-9]+ core=[0-9]+ sandbox=0 name=io kind=safe-mode-exit action=refused reason=not-in-safe-mode ack=0 vehicle=0$'
expect_line "safe-exit with an argument refused, nothing asked" "$c2" "^tmr: 'safe-exit' takes no argument$"
check "three requests reached the monitor (the argument's did not)" \
  test "$(console "$c1" | grep -c 'kind=safe-mode-exit action=')" -eq 3
expect_line "io_voter's safe-mode reminder tells the operator the way out" "$c2" \
  "^tmr: system safe mode since period ${sp:-x}: safe command applied, vehicle on the ground; type safe-exit to return to full TMR$"
et=$(console "$c1" | sed -nE 's/.*SAFE-MODE system t=([0-9]+) cause=1 .*/\1/p' | head -1)
hp=$(console "$c2" | sed -nE "s/^tmr: safe-exit refused: hold-not-elapsed: .* \(period ([0-9]+), ack=${et:-x}, vehicle=3: on the ground, disarmed\)$/\1/p" | head -1)
check "safe-exit at the entry refused: hold not elapsed (period ${hp:-none}, ack = the entry's t=${et:-none}, on the ground and disarmed)" \
  test -n "$hp" -a "${hp:-0}" -ge "${sp:-99999}" -a "${hp:-99999}" -lt "$(( ${sp:-0} + 200 ))"
expect_line "the monitor's refusal: hold not elapsed, the entry acknowledged, vehicle word 3" "$c1" \
  "HEALTH t=[0-9]+ core=[0-9]+ sandbox=0 name=io kind=safe-mode-exit action=refused reason=hold-not-elapsed ack=${et:-x} vehicle=3$"
ap=$(console "$c2" | sed -nE "s/^tmr: safe-exit accepted: accepted: .* \(period ([0-9]+), ack=${et:-x}, vehicle=3: on the ground, disarmed\)$/\1/p" | head -1)
check "safe-exit 3 s after the entry accepted (period ${ap:-none}, entry seen in ${sp:-x}; hold 2 s)" \
  test -n "$ap" -a "$(( ${ap:-0} - ${sp:-0} ))" -ge 300
expect_line "monitor: the exit accepted" "$c1" \
  "HEALTH t=[0-9]+ core=[0-9]+ sandbox=0 name=io kind=safe-mode-exit action=accepted reason=accepted ack=${et:-x} vehicle=3$"
expect_line "monitor: safe mode left by io, fc-a to revive" "$c1" \
  "SAFE-MODE system left t=[0-9]+ by=io ack=${et:-x} held=[0-9]+ restart-mask=2$"
check "io_voter leaves the safe command in the period of the exit" \
  grep -qx "\[tmr\] period ${ap:-x}: safe-mode-left voted command from the next period on (the operator's safe-exit)" <(console "$c2")
fv=$(console "$c2" | sed -nE "s/^io_voter: safe mode left in period ${ap:-x}: first voted command in period ([0-9]+), .*/\1/p")
check "the voted command again from the next period (${fv:-none} = ${ap:-x} + 1), a majority of 3 slots" \
  grep -qE "^io_voter: safe mode left in period ${ap:-x}: first voted command in period $(( ${ap:-0} + 1 )), 1 periods and [0-9]+ us after the exit \(3 vote slots\)$" <(console "$c2")
console "$c2" | grep '^io_voter: safe mode left' | sed 's/^/# /'
expect_line "monitor: fc-a revived and restarted cold from its pristine image" "$c1" \
  'SAFE-MODE sandbox=1 name=fc-a revived, restarting cold on core=1 '
expect_line "monitor: fc-a's restart is the exit's" "$c1" 'RECOVERY sandbox=1 name=fc-a restart=[0-9]+ cause=safe-mode-exit'
ab=$(uav_event_period "$c2" 'restarted-by-monitor replica a')
check "io takes fc-a's fresh program as the monitor's restart (period ${ab:-none}, after the exit)" \
  test -n "$ab" -a "${ab:-0}" -gt "${ap:-99999}"
# (fc-a's shell prints its prompt after starting the program: the line may carry it.)
expect_line "the fresh fc-a loads the winner's state" "$c2" \
  '^\[fc-a\] (triad> )?fc_replica a: restarted: loaded the state of period [0-9]+ from replica [bcd], stepping from period [0-9]+$'
arj=$(uav_event_period "$c2" 'rejoining replica a'); aok=$(uav_event_period "$c2" 'rejoined replica a')
check "fc-a rejoined after K = 10 agreeing periods (${arj:-none} .. ${aok:-none}): full TMR again" \
  test -n "$aok" -a "$(( ${aok:-0} - ${arj:-0} ))" -eq 9
echo "# safe mode: entry seen ${sp:-none}, refused ${hp:-none}, accepted ${ap:-none}, first voted ${fv:-none}, fc-a restarted-by-monitor ${ab:-none} (+$(( ${ab:-0} - ${ap:-0} ))), rejoined ${aok:-none} (+$(( ${aok:-0} - ${ap:-0} )) periods)"
# The ground station: the monitor's decision as a critical STATUSTEXT (MAVLink
# severity 2), decoded by node-mavlink, an implementation nobody here wrote.
# REQ: NET-DEC-001
sed -n 's/^gcs: /# gcs: /p' "$gout/gcs.log" | tail -1
expect_line "ground station: frames received, nothing refused" "$gout/gcs.log" \
  '^gcs: [0-9]+ datagrams, [0-9]+ frames .*; refused: 0 bad crc, 0 truncated, 0 unknown id, 0 bad length, 0 incompatible'
nm=$BUILD/node-mavlink
node tests/system/mavlink_independent_check.mjs "$PWD/$nm/node_modules" "$gout/datagrams.hex" >"$gout/node-mavlink.log" 2>&1
grep -E "^node-mavlink: (valid|STATUSTEXT severity [0-2] )" "$gout/node-mavlink.log" | sed 's/^/# /'
expect_line "node-mavlink accepts every frame's CRC" "$gout/node-mavlink.log" '^node-mavlink: valid [1-9][0-9]* invalid 0 '
check "node-mavlink decodes the monitor's decision as a critical STATUSTEXT (severity 2) naming fc-a's fault" \
  grep -qx "node-mavlink: STATUSTEXT severity 2 text 'recovery: SYSTEM SAFE MODE (fc-a ept-violation)'" "$gout/node-mavlink.log"
check "and the voter's own event, critical too, with its safe-mode period (TMR p${sp:-x}: system-safe-mode)" \
  grep -qx "node-mavlink: STATUSTEXT severity 2 text 'TMR p${sp:-x}: system-safe-mode -'" "$gout/node-mavlink.log"
check "the monitor's exit decision reached the ground, critical (recovery: safe mode left (by io))" \
  grep -qx "node-mavlink: STATUSTEXT severity 2 text 'recovery: safe mode left (by io)'" "$gout/node-mavlink.log"
check "and the voter's exit event, critical, with its period (TMR p${ap:-x}: safe-mode-left)" \
  grep -qx "node-mavlink: STATUSTEXT severity 2 text 'TMR p${ap:-x}: safe-mode-left -'" "$gout/node-mavlink.log"
# (STATUSTEXT holds 50 characters: the monitor's text is cut there.)
check "the monitor's refusal of the early exit reached the ground as an error (severity 3)" \
  grep -qx "node-mavlink: STATUSTEXT severity 3 text 'recovery: refused safe-mode exit (hold not elapsed'" "$gout/node-mavlink.log"
check "no other critical STATUSTEXT (severity 0-2) in the whole flight" \
  test "$(grep -cE "^node-mavlink: STATUSTEXT severity [0-2] " "$gout/node-mavlink.log")" -eq 4
expect_line "telemetry stopped after sending the four (--until-severity 2:4), nothing lost" "$c2" \
  '^telemetry: [0-9]+ outages, [0-9]+ events sent as STATUSTEXT, 0 events lost$'
echo "# $(console "$c2" | grep '^uav: report' | sed 's/^uav: report //' | tr '\n' ' ')"
finish
