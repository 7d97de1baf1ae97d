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
# The plant checks every command against its own reference controller: no
# period without a command, 0 wrong.  The run ends at the restarted io's
# role line (one period after the voter's report of period 2800).
# REQ: REC-FO-001, REC-FO-002, REC-HM-001, TMR-SYS-001
. tests/system/lib.sh
ISO=$BUILD/iso/uav-failover.iso
boot uav-failover qemu "$ISO" --cores 7 --memory 512 --serial-ports 3 --icount 5 --timeout 900 \
  --until 'io_voter: role shadow after period'
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

# Bad input: failover declared for a replica (fc-c), which has no voter-standby.
expect_line "fc-c's fault: failover decided by its table" "$c1" \
  'HEALTH t=[0-9]+ core=3 sandbox=3 name=fc-c kind=ept-violation declared=failover action=failover restarts=1/3 reason=policy'
expect_line "fc-c: failover refused, no voter-standby (restart cold without it)" "$c1" \
  'RECOVERY sandbox=3 name=fc-c failover refused: no-voter-standby \(restart cold without it\)'
expect_line "fc-c restarted cold as before the failover existed" "$c1" 'RECOVERY sandbox=3 name=fc-c restart=1 cause=fault'
expect_line "the restarted fc-c rejoined (seen by io2 in shadow)" "$c3" '\[tmr\] period [0-9]+: rejoined replica c'

# io's fault: the failover.
fault_t=$(console "$c1" | sed -nE 's/.*FAULT seq=[0-9]+ t=([0-9]+) core=0 sandbox=0 name=io kind=ept-violation .*action=failover.*/\1/p' | head -1)
check "io's fault recorded with action failover" test -n "$fault_t"
expect_line "io's fault: failover decided by its table" "$c1" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=io kind=ept-violation declared=failover action=failover restarts=1/3 reason=policy'
fo=$(console "$c1" | grep -m1 -E 'RECOVERY sandbox=0 name=io failover to=6 to-name=io2 channels=4 ')
check "failover applied: io's 4 channels to io2, both sandboxes' cores flushed" \
  grep -qE 'channels=4 t=[0-9]+ flip=[0-9]+ flush=[0-9]+ total=[0-9]+ cores-flushed=1/1$' <<<"$fo"
fo_total=$(sed -nE 's/.* total=([0-9]+) .*/\1/p' <<<"$fo")
check "the failover itself took under 1 ms of virtual time (${fo_total:-?} TSC ticks at ~1 GHz)" test "${fo_total:-99999999}" -lt 1000000
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
# periods; the period count above is the goal's measure (docs/recovery.md).
check "io2's first command within two control periods (20 ms) of io's fault: ${lat_us} us" \
  test -n "$tsc" -a "$lat_us" -ge 0 -a "$lat_us" -lt 20000

# The plant: every period commanded, none wrong.
expect_line "plant: 2800 commands checked, 0 wrong, 0 without a majority (report by io2, the voter now)" "$c3" \
  '^uav: report plant checked=2800 wrong=0 first_wrong=0 not_voted=0$'
expect_line "io2: voter after period 2800, its shadow votes agreed with io's commands" "$c3" \
  "^io_voter: role voter after period 2800: compared [1-9][0-9]* disagreed 0 first-disagreed 0 promoted-at ${p_now:-x} "

# io back in shadow.
check "io's fresh program starts in shadow (after its restart)" \
  test "$(console "$c2" | grep -c 'io_voter: shadow of the voter (channels 0x161 are read-only here)')" -eq 1
join=$(console "$c2" | sed -nE 's/.*io_voter: joins the flight in period ([0-9]+).*/\1/p' | head -1)
check "io joins the flight in shadow after the takeover (period ${join:-none} > ${p_now:-?})" test "${join:-0}" -gt "${p_now:-0}"
expect_line "io in shadow: its votes agree with io2's commands, it published nothing" "$c2" \
  '^io_voter: role shadow after period 2800: compared [1-9][0-9]* disagreed 0 first-disagreed 0 promoted-at 0 '
finish
