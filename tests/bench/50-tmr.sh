# TMR flight controller: instructions per control period (valgrind
# callgrind: exact, repeatable counts) for the control law, the vote and the
# whole replica-set period, plus the flight metrics of the host closed loop
# with and without an injected fault.  Writes build/bench/tmr.json.
set -euo pipefail
out=$1
sim=build/tools/sim-closed-loop
work=build/runs/bench/tmr
mkdir -p "$work" build/sim
[ -x "$sim" ] || make --no-print-directory "$PWD/$sim" >/dev/null

# Inclusive instructions of a function and how often it was called, from a
# callgrind output file (name compression understood).
cg_stats() {
  python3 - "$1" "$2" <<'PY'
import re, sys
path, want = sys.argv[1], sys.argv[2]
names = {}
def name(tok):
    m = re.match(r'\((\d+)\)(?:\s+(.*))?', tok)
    if not m:
        return tok
    if m.group(2):
        names[m.group(1)] = m.group(2)
    return names.get(m.group(1), '?')
fn = cfn = None
incl = calls = 0
pending_call = False
for line in open(path):
    line = line.rstrip('\n')
    if line.startswith('fn='):
        fn = name(line[3:]); pending_call = False; continue
    if line.startswith('cfn='):
        cfn = name(line[4:]); continue
    if line.startswith(('cfi=', 'cfl=', 'fl=', 'fi=', 'fe=', 'ob=', 'cob=')):
        if line.startswith(('fl=', 'fi=', 'fe=')):
            pass
        continue
    if line.startswith('calls='):
        if cfn == want:
            calls += int(line[6:].split()[0])
        pending_call = True; continue
    if line and (line[0].isdigit() or line[0] in '+-*'):
        parts = line.split()
        cost = int(parts[1]) if len(parts) > 1 else 0
        if pending_call:
            # inclusive cost of a call made from inside the function
            if fn == want and cfn != want:
                incl += cost
            pending_call = False
        elif fn == want:
            incl += cost
print(incl, calls)
PY
}

per_call() {   # FILE FUNCTION -> "instructions-per-call calls"
  read -r incl calls < <(cg_stats "$1" "$2")
  [ "$calls" -gt 0 ] || { echo "bench: $2 never called" >&2; exit 1; }
  echo $(( (incl + calls / 2) / calls )) "$calls"
}

# Single controller: fc_step once per period.  TMR with a bit flip: the
# replica-set period (vote + standby check + bookkeeping) once per period.
valgrind --tool=callgrind --callgrind-out-file="$work/single.cg" \
  "$sim" --csv "$work/single.csv" >"$work/single.txt" 2>"$work/single.vg"
valgrind --tool=callgrind --callgrind-out-file="$work/tmr.cg" \
  "$sim" --flip 1:3000:5:22 --csv "$work/tmr.csv" >"$work/tmr.txt" 2>"$work/tmr.vg"
read -r step_ir step_calls < <(per_call "$work/single.cg" fc_step)
read -r vote_ir vote_calls < <(per_call "$work/tmr.cg" tmr_vote)
read -r rs_ir rs_calls < <(per_call "$work/tmr.cg" tmr_rs_period)
read -r rep_ir _ < <(per_call "$work/single.cg" fc_replica_step)

# Determinism across builds: the same mission built at -O0 applies exactly
# the same commands as the -O2 runner.
gcc -std=c11 -O0 -D_DEFAULT_SOURCE -ffp-contract=off -fno-math-errno \
  -Itmr -Isandbox-kernel/programs/flightctl -Itools/sim -o "$work/sim-O0" \
  tools/sim/*.c sandbox-kernel/programs/flightctl/*.c tmr/voter.c tmr/replica_set.c tmr/digest.c -lm
"$work/sim-O0" --csv "$work/O0.csv" >"$work/O0.txt"
# ...and so does the controller compiled with the sandbox user-program flags
# (freestanding, newlib headers: build/flightctl-target, from make all).
make --no-print-directory flightctl-target >/dev/null
gcc -std=c11 -O2 -D_DEFAULT_SOURCE -ffp-contract=off -fno-math-errno -no-pie \
  -Itmr -Isandbox-kernel/programs/flightctl -Itools/sim -o "$work/sim-target-fc" \
  tools/sim/*.c tmr/voter.c tmr/replica_set.c build/flightctl-target/*.o -lm
"$work/sim-target-fc" --csv "$work/target.csv" >"$work/target.txt"
d_tg=$(awk '/command digest/{print $3}' "$work/target.txt")
d_o2=$(awk '/command digest/{print $3}' "$work/single.txt")
d_o0=$(awk '/command digest/{print $3}' "$work/O0.txt")
same_build=$([ "$d_o2" = "$d_o0" ] && echo true || echo false)
same_target=$([ "$d_o2" = "$d_tg" ] && echo true || echo false)

field() { awk -v k="$2" 'index($0, k) == 1 {print}' "$1" | sed -E 's/^.{25}//'; }
hover_rms=$(field "$work/single.txt" "hover |z-2m|" | awk '{print $1}')
hover_max=$(field "$work/single.txt" "hover |z-2m|" | awk '{print $3}')
att_err=$(field "$work/single.txt" "max tilt" | awk '{print $3}')
tilt=$(field "$work/single.txt" "max tilt" | awk '{print $1}')
touch=$(field "$work/single.txt" "touchdown speed" | awk '{print $1}')
t_hover_rms=$(field "$work/tmr.txt" "hover |z-2m|" | awk '{print $1}')
t_att_err=$(field "$work/tmr.txt" "max tilt" | awk '{print $3}')
detect=$(grep -oE 'named after [0-9]+' "$work/tmr.txt" | awk '{print $3}')
promote=$(grep -oE 'standby voting after [0-9]+' "$work/tmr.txt" | awk '{print $4}')
rejoin=$(grep -oE 'rejoined after [0-9]+' "$work/tmr.txt" | awk '{print $3}')
d_tmr=$(awk '/command digest/{print $3}' "$work/tmr.txt")
masked=$([ "$d_tmr" = "$d_o2" ] && echo true || echo false)
# 250 Hz on a core retiring ~1 instruction per ns: 4 M instructions per period.
budget=4000000
rs_pct=$(awk -v a="$rs_ir" -v b="$budget" 'BEGIN{printf "%.3f", 100*a/b}')

printf '%-58s %16s\n' "measure (250 Hz, 8500 periods, seed 1)" "value"
printf '%-58s %16s\n' "fc_step instructions per control period" "$step_ir"
printf '%-58s %16s\n' "fc_replica_step per period (step, pack state, digest)" "$rep_ir"
printf '%-58s %16s\n' "tmr_vote per call (mean: 3-slot vote, 2-slot standby check)" "$vote_ir"
printf '%-58s %16s\n' "tmr_rs_period instructions per period (vote+standby)" "$rs_ir"
printf '%-58s %16s\n' "  as % of a 4 M-instruction period" "$rs_pct"
printf '%-58s %16s\n' "hover |z-2m| RMS, m" "$hover_rms"
printf '%-58s %16s\n' "hover |z-2m| max, m" "$hover_max"
printf '%-58s %16s\n' "max attitude error |true-setpoint|, deg" "$att_err"
printf '%-58s %16s\n' "max tilt, deg" "$tilt"
printf '%-58s %16s\n' "touchdown speed, m/s" "$touch"
printf '%-58s %16s\n' "TMR + bit flip: hover RMS, m" "$t_hover_rms"
printf '%-58s %16s\n' "TMR + bit flip: max attitude error, deg" "$t_att_err"
printf '%-58s %16s\n' "TMR: periods from fault to replica named" "$detect"
printf '%-58s %16s\n' "TMR: periods from fault to standby voting" "$promote"
printf '%-58s %16s\n' "TMR: periods from fault to replica rejoined" "$rejoin"
printf '%-58s %16s\n' "TMR: commands identical to fault-free flight" "$masked"
printf '%-58s %16s\n' "same commands at -O0 and -O2" "$same_build"
printf '%-58s %16s\n' "same commands with the sandbox user-program build" "$same_target"
cat >"$out/tmr.json" <<JSON
{"rate_hz": 250, "periods": 8500,
 "fc_step_instructions_per_period": $step_ir, "fc_step_calls": $step_calls,
 "tmr_vote_instructions_per_call": $vote_ir, "tmr_vote_calls": $vote_calls,
 "tmr_rs_period_instructions_per_period": $rs_ir, "tmr_rs_period_calls": $rs_calls,
 "tmr_rs_period_percent_of_4M_period": $rs_pct,
 "fc_replica_step_instructions_per_period": $rep_ir,
 "hover_alt_rms_m": $hover_rms, "hover_alt_max_m": $hover_max,
 "max_attitude_error_deg": $att_err, "max_tilt_deg": $tilt, "touchdown_speed_mps": $touch,
 "tmr_flip_hover_alt_rms_m": $t_hover_rms, "tmr_flip_max_attitude_error_deg": $t_att_err,
 "tmr_detect_periods": $detect, "tmr_promote_periods": $promote, "tmr_rejoin_periods": $rejoin,
 "tmr_commands_identical_to_fault_free": $masked, "same_commands_O0_O2": $same_build,
 "same_commands_target_flags": $same_target}
JSON
echo "wrote $out/tmr.json"

# In the sandboxes, two Bochs boots (--ips 10000000: 1 virtual us = 10
# instructions of one core).  build/iso/uav-flight.iso (fault-free, unpaced
# lockstep, 500 periods): sensor-to-actuator latency as the plant sees it
# (readings published -> voted command received) and the replica-set period
# in io_voter.  build/iso/uav-flight-fault.iso (the flight of
# tests/system/81): periods from each fault to its detection, promotion,
# restart and rejoin, from the [tmr] events.
sb=build/runs/bench/tmr-sandbox
make --no-print-directory -s "$PWD/build/iso/uav-flight.iso" "$PWD/build/iso/uav-flight-fault.iso" >/dev/null
for iso in uav-flight uav-flight-fault; do
  tools/run-emu --emu bochs --iso build/iso/$iso.iso --cores 6 --memory 512 --serial-ports 2 \
    --ips 10000000 --out $sb/$iso --timeout 1800 --until 'uav: report end' --quiet || true
done
ff=$(tr -d '\r' <$sb/uav-flight/com2.log)
c2=$(tr -d '\r' <$sb/uav-flight-fault/com2.log)
ev() { { grep -m1 -E "^\[tmr\] period [0-9]+: $1( |\$)" <<<"$c2" || true; } | sed -E 's/^\[tmr\] period ([0-9]+):.*/\1/'; }
kv() { { grep -oE " $2 avg=[0-9]+ max=[0-9]+" <<<"$1" || echo "avg=0 max=0"; } | head -1; }
flip=300 hang=410
f_b=$(ev 'failed replica b'); p_d=$(ev 'promoted replica d'); f_c=$(ev 'failed replica c')
rq_b=$(ev 'restart-request replica b'); rj_b=$(ev 'rejoining replica b'); ok_b=$(ev 'rejoined replica b')
# The hung fc-c: restarted on io's request (the voter's TMR restart policy).
vr_c=$(ev 'voter-restart replica c'); rj_c=$(ev 'rejoining replica c'); ok_c=$(ev 'rejoined replica c')
[ -n "$f_b" ] && [ -n "$p_d" ] && [ -n "$f_c" ] && grep -q 'uav: report end' <<<"$ff" ||
  { echo "bench: an in-sandbox flight did not report (see $sb)"; exit 1; }
read -r s2a_avg s2a_max < <(kv "$ff" sensor_to_actuator_us | sed -E 's/.*avg=([0-9]+) max=([0-9]+)/\1 \2/')
read -r vote_avg vote_max < <(kv "$ff" vote_us | sed -E 's/.*avg=([0-9]+) max=([0-9]+)/\1 \2/')
wrong=$({ grep -oE 'plant checked=[0-9]+ wrong=[0-9]+' <<<"$c2" || echo =null; } | sed 's/.*=//')
checked=$({ grep -oE 'plant checked=[0-9]+' <<<"$c2" || echo =null; } | sed 's/.*=//')
restart_t=$(tr -d '\r' <$sb/uav-flight-fault/com1.log | { grep -m1 'RECOVERY sandbox=2 name=fc-b restart=1 cause' || true; } | { grep -oE 'total=[0-9]+' || true; } | sed 's/.*=//')
# Percent of the 10 ms period of one Bochs core (100 000 instructions at 10 MIPS).
vote_pct=$(awk -v v="$vote_avg" 'BEGIN{printf "%.2f", 100*v/10000}')
num_or_null() { [ -n "$1" ] && echo "$1" || echo null; }
rejoin_wait=$([ -n "$rj_b" ] && echo $((rj_b - rq_b)) || echo "")
rejoin_k=$([ -n "$ok_b" ] && echo $((ok_b - rj_b)) || echo "")
hang_to_vr=$([ -n "$vr_c" ] && echo $((vr_c - f_c)) || echo "")
vr_to_rejoin=$([ -n "$rj_c" ] && [ -n "$vr_c" ] && echo $((rj_c - vr_c)) || echo "")
hang_to_rejoined=$([ -n "$ok_c" ] && echo $((ok_c - hang)) || echo "")
restart_c=$(tr -d '\r' <$sb/uav-flight-fault/com1.log | { grep -m1 'RECOVERY sandbox=3 name=fc-c restart=1 cause=tmr-voter' || true; } | { grep -oE 'total=[0-9]+' || true; } | sed 's/.*=//')
echo
printf '%-58s %16s\n' "in sandboxes (Bochs, 100 Hz)" "value"
printf '%-58s %16s\n' "flip at $flip: periods to fc-b named and failed" "$((f_b - flip))"
printf '%-58s %16s\n' "  periods from failure to standby fc-d voting" "$((p_d - f_b))"
printf '%-58s %16s\n' "hang at $hang: periods to fc-c late and failed" "$((f_c - hang))"
printf '%-58s %16s\n' "fc-b restart request to rejoin begun, periods" "${rejoin_wait:-none}"
printf '%-58s %16s\n' "fc-b rejoin begun to rejoined (K), periods" "${rejoin_k:-none}"
printf '%-58s %16s\n' "fc-b sandbox restart in the monitor, TSC ticks" "${restart_t:-none}"
printf '%-58s %16s\n' "hung fc-c: failure to io's restart request, periods" "${hang_to_vr:-none}"
printf '%-58s %16s\n' "  io's request to rejoin begun, periods" "${vr_to_rejoin:-none}"
printf '%-58s %16s\n' "  hang to rejoined, periods" "${hang_to_rejoined:-none}"
printf '%-58s %16s\n' "  fc-c restart on its own core, TSC ticks" "${restart_c:-none}"
printf '%-58s %16s\n' "sensor-to-actuator latency avg / max, virtual us" "$s2a_avg / $s2a_max"
printf '%-58s %16s\n' "tmr_rs_period in io_voter avg / max, virtual us" "$vote_avg / $vote_max"
printf '%-58s %16s\n' "  avg as % of a 10 ms period of a 10-MIPS core" "$vote_pct"
printf '%-58s %16s\n' "fault flight: commands checked by the plant / wrong" "$checked / $wrong"
cat >"$out/tmr-sandbox.json" <<JSON
{"emulator": "bochs", "ips": 10000000, "rate_hz": 100, "flip_period": $flip, "hang_period": $hang,
 "flip_detect_periods": $((f_b - flip)), "promote_periods_after_failure": $((p_d - f_b)),
 "hang_detect_periods": $((f_c - hang)),
 "restart_request_to_rejoin_periods": $(num_or_null "$rejoin_wait"),
 "rejoin_probation_periods": $(num_or_null "$rejoin_k"),
 "restart_monitor_ticks": $(num_or_null "$restart_t"),
 "hung_failure_to_voter_restart_periods": $(num_or_null "$hang_to_vr"),
 "voter_restart_to_rejoin_periods": $(num_or_null "$vr_to_rejoin"),
 "hang_to_rejoined_periods": $(num_or_null "$hang_to_rejoined"),
 "voter_restart_monitor_ticks": $(num_or_null "$restart_c"),
 "sensor_to_actuator_us_avg": $s2a_avg, "sensor_to_actuator_us_max": $s2a_max,
 "vote_us_avg": $vote_avg, "vote_us_max": $vote_max, "vote_percent_of_period_10mips": $vote_pct,
 "fault_flight_commands_checked": $checked, "fault_flight_commands_wrong": $wrong}
JSON
echo "wrote $out/tmr-sandbox.json"
