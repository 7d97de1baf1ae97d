# QEMU TCG (AMD SVM with nested paging, 7 cores, -icount 5): I/O sandbox
# failover (issue 9, docs/recovery.md).  build/iso/uav-failover.iso boots
# config/uav-failover.xml as sandbox-kernel/programs/uav/rules.mk derives it:
# io votes and commands the plant; io2 (core 6, COM3) is the group's
# voter-standby and runs the same io_voter in shadow (the channels io writes
# are read-only in its tables: it votes each period on the same inputs,
# compares with io's published command, writes nothing).  A paced 100 Hz
# hover at 1 m with two kernel faults at 2 s heartbeats:
#   - fc-c's kernel writes into the monitor at its 3rd (6 s).  Its
#     description says failover, but a replica has no voter-standby: the
#     monitor refuses the failover with a line and restarts it cold as
#     before (bad input); it rejoins.
#   - io's kernel writes into the monitor at its 8th (16 s): the monitor
#     hands sensors, sim-actuators, transfer and commands to io2 (pages
#     flipped, cores flushed, RECOVERY ... failover line), then restarts io
#     cold.  io2 sees it is the voter within the period and publishes from
#     there; the restarted io joins the flight again in shadow.
#   - (session 7, the role's authority) fc-b hangs at period 2250: io2, the
#     voter now, has the monitor restart it; io in shadow asks too
#     (--shadow-ask 1) and is refused: the table's voter lost the role.
#   - (the hung voter) io2 spins at period 2400 without faulting (--hang-at):
#     io in shadow sees no sensor frame for IO_SHADOW_STALL_PERIODS (100)
#     periods and asks the monitor for io2's failover (--peer 6): io2's core
#     is stopped and restarted cold, its channels move to io, which publishes
#     the command of that same period; io2 comes back in shadow.
#   - bad input at boot: fc-a asks for io's restart (the voter; fc-a is not
#     its standby) and sim for io2's (not the voter now): refused.
# The plant checks every command against its own reference controller: no
# period without a command, 0 wrong.  The run ends at the restarted io2's
# role line (one period after the voter's report of period 3100).
# REQ: REC-FO-001, REC-FO-002, REC-FO-003, REC-HM-001, TMR-SYS-001, TMR-RST-001
. tests/system/lib.sh
. tests/system/uav_lib.sh
ISO=$BUILD/iso/uav-failover.iso
# --settle: the sandbox kernels' consoles are buffered (a drain on each
# core's idle time, docs/sandbox-kernel.md): io's report of period 3101 and
# the marker line itself are still going out when the marker appears.
boot uav-failover qemu "$ISO" --cores 7 --memory 512 --serial-ports 3 --icount 5 --timeout 900 \
  --until 'io_voter: role shadow after period' --settle 3
d=$RUNS/uav-failover
c1=$d/com1.log c2=$d/com2.log c3=$d/com3.log
check "run stops at the restarted io's role line" test "$status" -eq 0
expect_line "SVM backend" "$c1" 'backend: SVM with nested paging'
expect_line "the table with io2 validated (7 sandboxes, 7 cores)" "$c1" 'system.bin: uav-failover, 7 sandboxes, 14 channels, 7 cores: valid'

# io2 in shadow from the start: the 4 channels io writes are read-only there.
expect_line "io2 starts in shadow: sensors, commands, transfer, sim-actuators read-only" "$c3" \
  'io_voter: shadow of the voter \(channels 0x161 are read-only here\)'
check "io starts as the voter (no shadow line before its fault)" \
  test "$(console "$c2" | grep -m1 -n 'io_voter: 100 Hz' | cut -d: -f1)" -lt "$(console "$c2" | grep -m1 -n 'io_voter: shadow of the voter' | cut -d: -f1 || echo 0)"

# Every sandbox's console channel reached io's relay (COM2).
expect_line "console channel of fc-a reached io" "$c2" '^\[fc-a\] kernel: '
expect_line "console channel of fc-b reached io" "$c2" '^\[fc-b\] kernel: '
expect_line "console channel of fc-c reached io" "$c2" '^\[fc-c\] kernel: '
expect_line "console channel of fc-d reached io" "$c2" '^\[fc-d\] kernel: '
expect_line "console channel of sim reached io" "$c2" '^\[sim\] .*sim_plant: '
# ... and every boot of each, the restarted ones' fresh kernels included
# (session 9: they resume their console channel; io's own cold restart in
# between resumes its reader where the old io left off).
for sb in fc-a fc-b fc-c fc-d sim; do uav_check_relayed_boots "$c1" "$c2" $sb; done

# Bad input: failover declared for a replica (fc-c), which has no voter-standby.
expect_line "fc-c's fault: failover decided by its table" "$c1" \
  'HEALTH t=[0-9]+ core=3 sandbox=3 name=fc-c kind=ept-violation declared=failover action=failover restarts=1/3 reason=policy'
expect_line "fc-c: failover refused, no voter-standby (restart cold without it)" "$c1" \
  'RECOVERY sandbox=3 name=fc-c failover refused: no-voter-standby \(restart cold without it\)'
expect_line "fc-c restarted cold as before the failover existed" "$c1" 'RECOVERY sandbox=3 name=fc-c restart=1 cause=fault'
# (Seen by io, the voter then: a shadow's own view of the replicas can lag
# the voter's - its vCPU may read a replica's output of k+1 before its
# answer of k - docs/recovery.md.)
expect_line "the restarted fc-c rejoined (seen by io, the voter then)" "$c2" '\[tmr\] period [0-9]+: rejoined replica c'

# io's fault: the failover.
fault_t=$(console "$c1" | sed -nE 's/.*FAULT seq=[0-9]+ t=([0-9]+) core=0 sandbox=0 name=io kind=ept-violation .*action=failover.*/\1/p' | head -1)
check "io's fault recorded with action failover" test -n "$fault_t"
expect_line "io's fault: failover decided by its table" "$c1" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=failover action=failover restarts=1/3 reason=policy'
fo=$(console "$c1" | grep -m1 -E 'RECOVERY sandbox=0 name=io failover to=6 to-name=io2 channels=4 ')
check "failover applied: io's 4 channels to io2, both sandboxes' cores flushed" \
  grep -qE 'channels=4 t=[0-9]+ flip=[0-9]+ flush=[0-9]+ total=[0-9]+ cores-flushed=1/1$' <<<"$fo"
fo_total=$(sed -nE 's/.* total=([0-9]+) .*/\1/p' <<<"$fo")
# The issue's goal: failover within one control period (10 ms).  The
# monitor's part is about 0.5 ms; its flush waits for io2's core to answer an
# IPI, and under -icount that core runs only when QEMU's round-robin reaches
# its vCPU, so runs of the same build vary (1.01 ms seen in session 8).
check "the failover itself took under one control period of virtual time (${fo_total:-?} TSC ticks at ~1 GHz)" test "${fo_total:-99999999}" -lt 10000000
check "the failover came before io's cold restart" \
  test "$(console "$c1" | grep -n 'name=io failover to=' | cut -d: -f1)" -lt "$(console "$c1" | grep -n 'RECOVERY sandbox=0 name=io restart=1 cause=fault' | cut -d: -f1 || echo 0)"
expect_line "io restarted cold after the failover" "$c1" 'RECOVERY sandbox=0 name=io restart=1 cause=fault'
check "io2 never faulted (it wrote only once the pages were granted)" bash -c "! console '$c1' | grep -q 'FAULT .*name=io2'"
check "one failover, one restart of io" test "$(console "$c1" | grep -c 'name=io failover to=')$(console "$c1" | grep -c 'RECOVERY sandbox=0 name=io restart=1 cause=')" = 11

# io2 takes over within the control period of the fault.
p_now=$(console "$c3" | sed -nE 's/.*\[tmr\] period ([0-9]+): failover-voter now .*/\1/p' | head -1)
first=$(console "$c3" | grep -m1 'io_voter: failover: first command published for period')
p_first=$(sed -nE 's/.*for period ([0-9]+),.*/\1/p' <<<"$first")
us=$(sed -nE 's/.*period [0-9]+, ([0-9]+) us after.*/\1/p' <<<"$first")
tsc=$(sed -nE 's/.* tsc=([0-9]+)$/\1/p' <<<"$first")
check "io2 learnt it is the voter (period ${p_now:-none})" test -n "$p_now"
check "io2's first command is for the period it took over in: the plant waited for no period (${p_first:-?} = ${p_now:-?})" \
  test -n "$p_first" -a "${p_first:-x}" = "${p_now:-y}"
lat_us=$(( (${tsc:-0} - ${fault_t:-0}) / 1000 ))
echo "# failover: io's fault t=$fault_t, io2's first command (period $p_first) tsc=$tsc: ${lat_us} us of virtual time; ${us} us after the plant's readings of that period; monitor's part ${fo_total} ticks"
# Virtual time under -icount 5 (7 cores on one instruction clock): a normal
# period's readings-to-command takes about 8.7 ms here, so the bound is two
# periods, counted from the plant's readings of the period io2 took over in.
# The fault-to-command time above is printed, not asserted: io's cold restart
# (3 virtual s of SHA-256 and scrub on core 0) starts right after the
# failover and, on QEMU's one instruction clock, delays the plant's vCPU by
# a varying amount (4.5 ms in session 7's runs, 50 ms in one of session 8's)
# - on hardware, and in Bochs, the cores run side by side.  The period count
# above (no period without a command) is the goal's measure
# (docs/recovery.md).
check "io2's first command within two control periods (20 ms) of the plant's readings it answers: ${us:-?} us (fault to command ${lat_us} us)" \
  test -n "$tsc" -a -n "$us" -a "$lat_us" -ge 0 -a "${us:-99999}" -lt 20000

# The plant: every period commanded, none wrong (through both failovers).
expect_line "plant: 3100 commands checked, 0 wrong, 0 without a majority (report by io, the voter again)" "$c2" \
  '^uav: report plant checked=3100 wrong=0 first_wrong=0 not_voted=0$'

# io back in shadow.
check "io's fresh program starts in shadow (after its restart)" \
  test "$(console "$c2" | grep -c 'io_voter: shadow of the voter (channels 0x161 are read-only here)')" -eq 1
join=$(console "$c2" | sed -nE 's/.*io_voter: joins the flight in period ([0-9]+).*/\1/p' | head -1)
check "io joins the flight in shadow after the takeover (period ${join:-none} > ${p_now:-?})" test "${join:-0}" -gt "${p_now:-0}"

# The role's authority moved with it (io2 the voter, io in shadow): fc-b
# hangs; io2's restart request for it is accepted, io's refused.
expect_line "fc-b hangs (injected)" "$c2" '^\[fc-b\] fc_replica b: hang injected at period 2250'
expect_line "io2, the voter now, may restart fc-b: accepted (tmr-voter)" "$c1" \
  'HEALTH t=[0-9]+ core=6 sandbox=6 name=io2 kind=restart-request target=2 action=restart-cold reason=tmr-voter target-name=fc-b'
expect_line "io, the table's voter but in shadow now, may not: refused (not-permitted)" "$c1" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=restart-request target=2 action=refused reason=not-permitted target-name=fc-b'
expect_line "io's refusal reached its program" "$c2" '^\[tmr\] period [0-9]+: shadow-restart-refused replica b \(detail [0-9]+\)'
expect_line "io2's request reached its program as accepted" "$c3" '^\[tmr\] period [0-9]+: voter-restart replica b '
expect_line "fc-b restarted on io2's request" "$c1" 'RECOVERY sandbox=2 name=fc-b restart=1 cause=tmr-voter'
# (io, the voter from 2400, may ask the fresh fc-b to restart again: its
# replica set is its own, nothing moves between voters - docs/recovery.md.)
check "fc-b's first restart is io2's request" \
  grep -q 'cause=tmr-voter' <<<"$(console "$c1" | grep -m1 'RECOVERY sandbox=2 name=fc-b restart=1 cause=')"

# Bad input for the hung-voter request (at boot: io votes, io2 shadows).
expect_line "fc-a may not ask for io's failover: not its voter-standby" "$c1" \
  'HEALTH t=[0-9]+ core=1 sandbox=1 name=fc-a kind=restart-request target=0 action=refused reason=not-voter-standby target-name=io'
expect_line "sim may not ask for io2's: io2 does not vote then" "$c1" \
  'HEALTH t=[0-9]+ core=5 sandbox=5 name=sim kind=restart-request target=6 action=refused reason=not-current-voter target-name=io2'
check "the refused requests moved nothing: two failovers in all (io's fault, io2's hang)" \
  test "$(console "$c1" | grep -c ' failover to=')" -eq 2

# The hung voter: io2 spins at 2400; io in shadow asks for its failover.
expect_line "io2 hangs without faulting (injected)" "$c3" '^io_voter: hang injected at period 2400: the voter spins from now on'
hung=$(console "$c2" | grep -m1 -E '^\[tmr\] period [0-9]+: voter-hung ')
p_hung=$(sed -nE 's/^\[tmr\] period ([0-9]+): .*/\1/p' <<<"$hung")
waited=$(sed -nE 's/.* waited ([0-9]+) us .*/\1/p' <<<"$hung")
check "io saw no sensor frame of period 2400 and asked for io2's failover: accepted (${hung:-none})" \
  grep -qE '^\[tmr\] period 2400: voter-hung failover-accepted no-sensor-frame \(detail 6\) waited [0-9]+ us tsc=[0-9]+$' <<<"$hung"
check "io asked after 100 periods of silence (1 s), not before: waited ${waited:-?} us" \
  test "${waited:-0}" -ge 1000000 -a "${waited:-0}" -lt 1100000
expect_line "the monitor: io's request for io2 taken as a hung voter's failover" "$c1" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=restart-request target=6 action=failover reason=voter-hung target-name=io2'
fo2=$(console "$c1" | grep -m1 -E 'RECOVERY sandbox=6 name=io2 failover to=0 to-name=io channels=4 ')
check "io2's 4 channels moved back to io (io2's core stopped first: none of its cores flushed)" \
  grep -qE 'channels=4 t=[0-9]+ flip=[0-9]+ flush=[0-9]+ total=[0-9]+ cores-flushed=0/0$' <<<"$fo2"
expect_line "io2 restarted cold on its own core" "$c1" 'RECOVERY sandbox=6 name=io2 restart=1 cause=tmr-voter'
expect_line "io2's fresh kernel is back" "$c1" 'RECOVERY sandbox=6 name=io2 restart=1 t=[0-9]+ back='
check "io2 never faulted: stopped by the request" bash -c "! console '$c1' | grep -q 'FAULT .*name=io2'"
first2=$(console "$c2" | grep -m1 'io_voter: failover: first command published for period')
p_first2=$(sed -nE 's/.*for period ([0-9]+),.*/\1/p' <<<"$first2")
us2=$(sed -nE 's/.*period [0-9]+, ([0-9]+) us after.*/\1/p' <<<"$first2")
expect_line "io is the voter again from period 2400" "$c2" '^\[tmr\] period 2400: failover-voter now'
check "io's first command is for period 2400 itself: the plant waited, no period lost (${p_first2:-?})" \
  test "${p_first2:-x}" = 2400
echo "# hung voter: io2 silent from period 2400; io asked after ${waited} us; its first command for period ${p_first2} ${us2} us after the plant's readings"
# The two role lines come soon after a restarted sandbox's boot: its shell's
# prompt ("triad> ", no newline) may be the start of the same console line.
check "io's votes agreed with io2's commands while in shadow; promoted at 2400" \
  grep -qE '^(triad> )?io_voter: role voter after period 3100: compared [1-9][0-9]* disagreed 0 first-disagreed 0 promoted-at 2400 ' \
  <<<"$(console "$c2")"
check "io2's fresh program starts in shadow" \
  test "$(console "$c3" | grep -c 'io_voter: shadow of the voter (channels 0x161 are read-only here)')" -eq 2
join2=$(console "$c3" | sed -nE 's/.*io_voter: joins the flight in period ([0-9]+).*/\1/p' | tail -1)
check "io2 joins the flight in shadow after the hang (period ${join2:-none} > 2400)" test "${join2:-0}" -gt 2400
expect_line "io2 in shadow: its votes agree with io's commands, it published nothing" "$c3" \
  '^(triad> )?io_voter: role shadow after period 3100: compared [1-9][0-9]* disagreed 0 first-disagreed 0 promoted-at 0 '
finish
