# Bochs, 6 cores: the in-sandbox closed loop with replica faults and a
# reintegration in one flight (build/iso/uav-flight-fault.iso:
# config/uav-tmr.xml with fc-b started as `fc_replica b --flip 300`, which
# flips bit 22 of its altitude estimate before period 300, fc-c as
# `fc_replica c --hang 410`, which never publishes again from period 410, and
# io paced at 100 Hz of virtual time so the restarts happen in flight).
#   period 300: the exact vote outvotes fc-b, which is declared failed; the
#               standby fc-d takes its slot in the same period; io asks fc-b
#               to restart.
#   period 410: fc-c misses the deadline (timeliness: 10 ms, one period),
#               declared failed; no
#               standby is left, so a and d fly on as a degraded 2-of-2 pair.
#   period 435: hung, fc-c never obeyed its restart request: after 25
#               periods io asks the monitor to restart it (the voter of the
#               TMR group may restart the group's members, monitor/
#               tmr_restart.c); the restart runs on fc-c's own core.
#   later:      the monitor has restarted fc-b from its pristine image; the
#               fresh replica loads the winner's state from the transfer
#               channel, agrees for K = 10 periods and fills the empty slot;
#               then fc-c the same way, back as the standby.
# The policy's refusals in the same boot: fc-a (a member, not the voter)
# asks for fc-c's restart, sim (in no group) for fc-b's: both TRIAD_E_PERM.
# The plant checks every command it applies against its own reference
# controller: zero wrong commands, and the flight is the fault-free one.
# REQ: TMR-SYS-001, TMR-RS-001, TMR-VOTE-002, TMR-RS-002, TMR-RST-001
. tests/system/lib.sh
. tests/system/uav_lib.sh
boot uav-flight-fault bochs "$BUILD/iso/uav-flight-fault.iso" --cores 6 --memory 512 --serial-ports 2 \
  --ips 10000000 --timeout 1100 --until 'uav: report end'
d=$RUNS/uav-flight-fault
c2=$d/com2.log
hang=410
check "run stops at the flight report" test "$status" -eq 0
expect_line "fc-b armed for the fault" "$c2" '^\[fc-b\] .*fc_replica b: active, 100 Hz.*fault injection armed'
expect_line "fc-c armed for the hang" "$c2" '^\[fc-c\] .*fc_replica c: active, 100 Hz.*fault injection armed'
expect_line "fc-b flipped its state at period 300" "$c2" 'fc_replica b: fault injected at period 300: state word 16 bit 22'
expect_line "fc-c hung at period $hang" "$c2" "fc_replica c: hang injected at period $hang: no output"
check "no TMR event before period 300" \
  test "$(console "$c2" | grep '^\[tmr\] period' | awk '{ sub(":", "", $3); if ($3 + 0 < 300) n++ } END { print n + 0 }')" -eq 0
# The corrupted replica: outvoted, failed and replaced by the standby.
uav_check_detect "$c2" disagree b 300
p=$(uav_event_period "$c2" "promoted replica d")
check "standby fc-d in the vote within 1 period of fc-b's failure (period ${p:-none})" \
  test -n "$p" -a "${p:-0}" -le "$(( $(uav_event_period "$c2" 'failed replica b') + 1 ))"
expect_line "status of the flip's second: one majority vote, a and c agreed, b failed, d active" "$c2" \
  '^\[flight\] t=3\.000 s .*vote majority, 99/100 unanimous, agree a,c \| a=active b=failed c=active d=active'
expect_line "the next second: a, c, d unanimous" "$c2" \
  '^\[flight\] t=4\.000 s .*vote unanimous, 100/100 unanimous, agree a,c,d \| a=active b=failed c=active d=active'
# The hung replica: late by timeliness, failed, the pair a, d flies on.
# io waits at most one control period (10 ms at 100 Hz) for a replica.
expect_line "timeliness deadline of one period (10 ms at 100 Hz)" "$c2" '^io_voter: 100 Hz, exact vote of a,b,c, standby d, deadline 10 ms;'
# K is io_voter's --rejoin (session 8), given here as the default 10; a bad
# value is refused with its reason and the usage, before any channel opens.
expect_line "probation K = 10 from io_voter's --rejoin" "$c2" '^io_voter: probation K = 10 agreeing periods before a restarted replica rejoins'
expect_line "bad input: io_voter --rejoin 0 refused with its reason" "$c2" "^io_voter: --rejoin '0' refused: the probation K, 1\.\.1000 agreeing periods"
expect_line "bad input: the refused io_voter prints its usage" "$c2" '^usage: io_voter .*\[--rejoin K\]'
check "bad input: one voter flies (one banner, one refusal)" \
  test "$(console "$c2" | grep -c '^io_voter: 100 Hz, exact vote')-$(console "$c2" | grep -c "^io_voter: --rejoin '0' refused")" = "1-1"
uav_check_detect "$c2" late c $hang
check "no healthy replica late with the one-period deadline (late events: $(console "$c2" | grep -c ': late replica'))" \
  test "$(console "$c2" | grep -E '^\[tmr\] period [0-9]+: late replica' | grep -vc 'late replica c')" -eq 0
expect_line "degraded to 2 slots in period $hang" "$c2" "^\\[tmr\\] period $hang: degraded replica - \\(detail 2\\)"
# The second after the hang (status at period 500): a and d voted alone
# from period 410 until fc-b rejoined (528 in session 9).  A restart fast
# enough to rejoin before period 500 (486 with the branches not landed:
# unrolled SHA-256 rounds and the 8-byte reload) names fc-b back in that
# line; the degraded pair itself is the 'degraded to 2 slots' event above.
okb=$(uav_event_period "$c2" 'rejoined replica b')
if [ "${okb:-999999}" -lt 500 ]; then
  expect_line "status after the hang: c failed, fc-b back (rejoined ${okb})" "$c2" \
    '^\[flight\] t=5\.000 s .*vote unanimous, 99/100 unanimous, agree a,d,b \| a=active b=active c=failed d=active'
else
  expect_line "status after the hang: a, d agree, 2-of-2" "$c2" \
    '^\[flight\] t=5\.000 s .*vote unanimous, 99/100 unanimous, agree a,d \| a=active b=failed c=failed d=active'
fi
# The replicas boot the replica-only image (session 8): fc_replica alone in
# their kernel's program archive, 4 MiB of RAM; io keeps the UAV programs.
for r in a b c d; do
  expect_line "fc-$r boots the replica-only image (fc_replica alone)" "$c2" \
    "^\\[fc-$r\\] kernel: program archive \\(built in\\): fc_replica\$"
done
expect_line "the replicas' kernel has 4 MiB of RAM" "$c2" '^\[fc-a\] kernel: RAM top 400000,'
# Headroom: the kernel image and its .bss take 806 of the 1,024 pages; 218
# were free at its start in session 8 (fc_replica runs in them).  A kernel
# that grows eats them: below 150 this check says so before a replica fails.
free=$(console "$c2" | sed -nE 's/^\[fc-a\] kernel: RAM top 400000, ([0-9]+) pages free.*/\1/p' | head -1)
check "the replicas' kernel leaves at least 150 of 4 MiB's pages free (${free:-none})" test "${free:-0}" -ge 150
expect_line "io's kernel still carries the voter" "$c2" '^kernel: program archive \(built in\): .*io_voter'
# fc-b's restart and reintegration.
n=$(uav_num "$c2" periods)
check "restart of fc-b asked in its failure period" test "$(uav_event_period "$c2" 'restart-request replica b')" = 300
expect_line "fc-b obeys the request" "$c2" '^\[fc-b\] .*fc_replica b: declared failed by the voter .*restarting my sandbox'
expect_line "the monitor accepts fc-b's restart request" "$d/com1.log" \
  'HEALTH .* name=fc-b kind=restart-request target=2 action=restart-cold reason=request'
expect_line "the monitor reloads fc-b from its pristine image" "$d/com1.log" 'RECOVERY sandbox=2 name=fc-b restart=1 cause=request'
expect_line "the restarted fc-b loads the majority's state" "$c2" \
  '^\[fc-b\] .*fc_replica b: restarted: loaded the state of period [0-9]+ from replica [ad], stepping from period [0-9]+'
rj=$(uav_event_period "$c2" 'rejoining replica b'); ok=$(uav_event_period "$c2" 'rejoined replica b')
pr=$(console "$c2" | grep -E '^\[tmr\] period [0-9]+: promoted replica b' | sed -E 's/^\[tmr\] period ([0-9]+):.*/\1/' | head -1)
check "fc-b rejoining (period ${rj:-none}) after its restart, before the report ($n)" test -n "$rj" -a "${rj:-0}" -gt $hang -a "${rj:-0}" -lt "$n"
check "fc-b rejoined after K = 10 agreeing periods (period ${ok:-none})" test -n "$ok" -a "$(( ${ok:-0} - ${rj:-0} ))" -eq 9
check "fc-b fills the empty slot in the period it rejoined (${pr:-none})" test -n "$pr" -a "${pr:-x}" = "${ok:-y}"
# Restart to rejoin (issue 9, docs/recovery.md "Restart to rejoin, by
# phase"): 228 periods at 10 M instructions a virtual second since
# session 9 (cheaper SHA-256 rounds, no fixed 20 ms wait before a
# self-restart); 251 in session 8's replica-only image in 4 MiB, 559 in
# session 7, 822 in session 6.  182 of the 228 are the SHA-256 check of the
# pristine image's loaded bytes.  Bochs repeats its counts for one image
# (the check grows with the kernel); the bound, 250, is the measured 228
# plus about 10 % for image growth, and keeps the cut from eroding.  (With
# the rounds unrolled and the 8-byte reload, on branches not landed: 186.)
check "fc-b restart to rejoin within 250 periods (failed 300, rejoined ${ok:-none})" \
  test -n "$ok" -a "$(( ${ok:-99999} - 300 ))" -le 250
expect_line "status after the rejoin: a, b, d agree, b active again" "$c2" \
  '^\[flight\] t=[0-9.]+ s .*vote unanimous, 100/100 unanimous, agree a,d,b \| a=active b=active c=(failed|rejoining) d=active'
# The hung fc-c: restarted on io's request, back as the standby.
rq=$(uav_event_period "$c2" 'restart-request replica c'); vr=$(uav_event_period "$c2" 'voter-restart replica c')
check "restart of fc-c asked in its failure period (${rq:-none})" test "${rq:-x}" = $hang
check "hung fc-c never obeys it: no 'restarting replica c'" bash -c "! console $c2 | grep -q 'restarting replica c'"
check "io has the monitor restart fc-c 25 periods after the request (period ${vr:-none})" \
  test -n "$vr" -a "${vr:-0}" -eq $((hang + 25))
expect_line "restart requested by io for fc-c (sandbox 3)" "$c2" "^\\[tmr\\] period $((hang + 25)): voter-restart replica c \\(detail 3\\)"
expect_line "the monitor accepts io's request for fc-c, its group's member" "$d/com1.log" \
  'HEALTH .* core=0 sandbox=0 name=io kind=restart-request target=3 action=restart-cold reason=tmr-voter target-name=fc-c'
# The replica's region is 4 MiB (uav/rules.mk UAV_REPLICA_MEM): the scrub
# covers 4194304 bytes, not 32 MiB.
expect_line "the monitor restarts fc-c on fc-c's own core" "$d/com1.log" \
  'RECOVERY sandbox=3 name=fc-c restart=1 cause=tmr-voter .* total=[0-9]+ .*ram=4194304'
expect_line "fc-c's fresh kernel is back" "$d/com1.log" 'RECOVERY sandbox=3 name=fc-c restart=1 t=[0-9]+ back='
expect_line "the restarted fc-c loads the majority's state" "$c2" \
  '^\[fc-c\] .*fc_replica c: restarted: loaded the state of period [0-9]+ from replica [abd], stepping from period [0-9]+'
check "the restarted fc-c does not hang again (the fault was transient)" \
  test "$(console "$c2" | grep -c 'fc_replica c: hang injected')" -eq 1
rjc=$(uav_event_period "$c2" 'rejoining replica c'); okc=$(uav_event_period "$c2" 'rejoined replica c')
check "fc-c rejoining (period ${rjc:-none}) after its restart, before the report ($n)" \
  test -n "$rjc" -a "${rjc:-0}" -gt "${vr:-999999}" -a "${rjc:-0}" -lt "$n"
check "fc-c rejoined after K = 10 agreeing periods (period ${okc:-none})" test -n "$okc" -a "$(( ${okc:-0} - ${rjc:-0} ))" -eq 9
check "fc-c from io's restart request (${vr:-none}) to rejoined (${okc:-none}) within 250 periods" \
  test -n "$okc" -a -n "$vr" -a "$(( ${okc:-99999} - ${vr:-0} ))" -le 250
check "no slot was empty when fc-c rejoined: no 'promoted replica c'" bash -c "! console $c2 | grep -q 'promoted replica c'"
check "one restart by io, for fc-c ($(uav_num "$c2" requested))" test "$(uav_num "$c2" requested)" = 1
expect_line "vote state at the end: three slots, fc-c the standby" "$c2" \
  '^uav: report roles slots=3 a=active b=active c=standby d=active'
expect_line "policy: fc-a (a member, not the voter) may not restart fc-c" "$d/com1.log" \
  'HEALTH .* sandbox=1 name=fc-a kind=restart-request target=3 action=refused reason=not-permitted'
expect_line "policy: fc-a's hypercall returned TRIAD_E_PERM" "$c2" '^\[fc-a\] kernel: restart request for sandbox 3 returned -4'
expect_line "policy: sim (in no group) may not restart fc-b" "$d/com1.log" \
  'HEALTH .* sandbox=5 name=sim kind=restart-request target=2 action=refused reason=not-permitted'
expect_line "policy: sim's hypercall returned TRIAD_E_PERM" "$c2" '^\[sim\] kernel: restart request for sandbox 2 returned -4'
check "policy: neither refused request restarted anything (restarts: b, c only)" \
  test "$(console "$d/com1.log" | grep -cE 'RECOVERY sandbox=[0-9]+ name=[a-z-]+ restart=[0-9]+ cause=')" -eq 2
check "restarts asked for b and c, two rejoins begun and done" \
  test "$(uav_num "$c2" restarts_requested)-$(uav_num "$c2" rejoins_started)-$(uav_num "$c2" rejoined)" = "2-2-2"
check "$n periods, none without a majority" test "$(uav_num "$c2" no_majority)" = 0 -a "$n" -ge 900
check "two failures, two promotions (d, then b)" test "$(uav_num "$c2" failures)-$(uav_num "$c2" promotions)" = "2-2"
check "unanimous except the two fault periods ($(uav_num "$c2" unanimous) + $(uav_num "$c2" majority))" \
  test "$(uav_num "$c2" unanimous)-$(uav_num "$c2" majority)" = "$((n - 2))-2"
uav_check_plant "$c2" "$n"
uav_check_hover "$c2"
check "no isolation fault" test "$(console "$d/com1.log" | grep -c FAULT)" -eq 0
echo "# $(console "$c2" | grep '^uav: report' | sed 's/^uav: report //' | tr '\n' ' ')"
finish
