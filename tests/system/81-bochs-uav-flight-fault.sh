# Bochs, 6 cores: the in-sandbox closed loop with two replica faults in one
# flight (build/iso/uav-flight-fault.iso: config/uav-tmr.xml with fc-b
# started as `fc_replica b --flip 300`, which flips bit 22 of its altitude
# estimate before period 300, and fc-c as `fc_replica c --hang 450`, which
# never publishes again from period 450, inside the hover window).
#   period 300: the exact vote outvotes fc-b, which is declared failed; the
#               standby fc-d takes its slot in the same period.
#   period 450: fc-c misses the deadline (timeliness), declared failed; no
#               standby is left, so a and d fly on as a degraded 2-of-2 pair.
# The plant checks every command it applies against its own reference
# controller: zero wrong commands, and the flight is the fault-free one.
# REQ: TMR-SYS-001, TMR-RS-001, TMR-VOTE-002
. tests/system/lib.sh
. tests/system/uav_lib.sh
boot uav-flight-fault bochs "$BUILD/iso/uav-flight-fault.iso" --cores 6 --memory 512 --serial-ports 2 \
  --ips 10000000 --timeout 420 --until 'uav: report end'
d=$RUNS/uav-flight-fault
c2=$d/com2.log
check "run stops at the flight report" test "$status" -eq 0
expect_line "fc-b armed for the fault" "$c2" '^\[fc-b\] .*fc_replica b: active, 100 Hz.*fault injection armed'
expect_line "fc-c armed for the hang" "$c2" '^\[fc-c\] .*fc_replica c: active, 100 Hz.*fault injection armed'
expect_line "fc-b flipped its state at period 300" "$c2" 'fc_replica b: fault injected at period 300: state word 16 bit 22'
expect_line "fc-c hung at period 450" "$c2" 'fc_replica c: hang injected at period 450'
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
uav_check_detect "$c2" late c 450
expect_line "degraded to 2 slots in period 450" "$c2" '^\[tmr\] period 450: degraded replica - \(detail 2\)'
expect_line "status after the hang: a, d agree, 2-of-2" "$c2" \
  '^\[flight\] t=5\.000 s .*vote unanimous, 99/100 unanimous, agree a,d \| a=active b=failed c=failed d=active'
check "500 periods, none without a majority" test "$(uav_num "$c2" periods)-$(uav_num "$c2" no_majority)" = "500-0"
check "two failures, one promotion" test "$(uav_num "$c2" failures)-$(uav_num "$c2" promotions)" = "2-1"
check "unanimous except the two fault periods ($(uav_num "$c2" unanimous) + $(uav_num "$c2" majority))" \
  test "$(uav_num "$c2" unanimous)-$(uav_num "$c2" majority)" = "498-2"
uav_check_plant "$c2" 500
uav_check_hover "$c2"
check "no isolation fault" test "$(console "$d/com1.log" | grep -c FAULT)" -eq 0
echo "# $(console "$c2" | grep '^uav: report' | sed 's/^uav: report //' | tr '\n' ' ')"
finish
