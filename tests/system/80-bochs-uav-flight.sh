# Bochs, 6 cores: the in-sandbox closed loop of config/uav-tmr.xml (issue 8),
# booted as the description says (build/iso/uav-flight.iso): io and sim with
# the kernel that carries their programs, the four replicas with their own
# image (replica-kernel: fc_replica alone) in 4 MiB.
# sim_plant flies the quadrotor, io_voter distributes sequence-numbered sensor
# frames, votes over fc-a..fc-c with tmr/ (fc-d hot standby) and prints the
# flight on COM2.  Five seconds of flight time (500 periods at 100 Hz):
# take-off to 1 m, hover; every period unanimous, the standby in lockstep.
# The replicas' bit-for-bit agreement on the target (every period unanimous)
# is the flight controller's determinism requirement.
# REQ: TMR-FC-001
. tests/system/lib.sh
. tests/system/uav_lib.sh
boot uav-flight bochs "$BUILD/iso/uav-flight.iso" --cores 6 --memory 512 --serial-ports 2 \
  --ips 10000000 --timeout 1100 --until 'uav: report end'
d=$RUNS/uav-flight
c2=$d/com2.log
check "run stops at the flight report" test "$status" -eq 0
# The keys the programs use (sandbox-kernel/programs/uav/uav_msg.h) are the description's.
for ch in SENSORS:1 ACT_A:2 ACT_B:3 ACT_C:4 ACT_D:5 SIM_SENSORS:7 SIM_ACTUATORS:8 TRANSFER:9; do
  expect_line "channel key ${ch%%:*} = ${ch#*:} in build/config/uav-tmr.h" "$BUILD/config/uav-tmr.h" \
    "TRIAD_CHANNEL_${ch%%:*}_KEY ${ch#*:}u"
done
for r in a b c; do
  expect_line "fc-$r runs the replica" "$c2" "^\\[fc-$r\\] .*fc_replica $r: active, 100 Hz"
done
expect_line "fc-d runs the hot standby" "$c2" '^\[fc-d\] .*fc_replica d: hot standby, 100 Hz'
# The default description's replicas: the replica-only image in 4 MiB
# (session 9), io the kernel with the voter.
for r in a b c d; do
  expect_line "fc-$r boots the replica-only image (fc_replica alone)" "$c2" \
    "^\\[fc-$r\\] kernel: program archive \\(built in\\): fc_replica\$"
  expect_line "fc-$r has 4 MiB of RAM" "$c2" "^\\[fc-$r\\] kernel: RAM top 400000,"
done
expect_line "io's kernel carries the voter" "$c2" '^kernel: program archive \(built in\): .*io_voter'
expect_line "sim runs the plant" "$c2" '^\[sim\] .*sim_plant: 100 Hz'
# One status line per second of flight time, each with its vote count.
n=$(grep -c '^\[flight\] t=' "$c2")
check "five 1 Hz status lines (got $n)" test "$n" -eq 5
check "every status line: 100/100 periods unanimous, agree a,b,c, d standby" \
  test "$(grep '^\[flight\] t=' "$c2" | grep -c 'unanimous, 100/100 unanimous, agree a,b,c | a=active b=active c=active d=standby')" -eq 5
num() { uav_num "$c2" "$1"; }
check "500 periods voted" test "$(num periods)" = 500
check "all 500 unanimous (unanimous=$(num unanimous))" test "$(num unanimous)" = 500
check "no majority-only or no-majority period" test "$(num majority)-$(num no_majority)" = "0-0"
check "standby agreed every period" test "$(num standby_ok)" = 500
check "no failure, no promotion" test "$(num failures)-$(num promotions)" = "0-0"
# Take-off to 1 m: hover error from 1 s after reaching it, within 0.1 m.
uav_check_hover "$c2"
uav_check_plant "$c2" 500
check "no TMR event (disagreement, late, failure)" test "$(grep -c '^\[tmr\]' "$c2")" -eq 0
check "no isolation fault" test "$(console "$d/com1.log" | grep -c FAULT)" -eq 0
echo "# $(grep '^uav: report' "$c2" | sed 's/^uav: report //' | tr '\n' ' ')"
finish
