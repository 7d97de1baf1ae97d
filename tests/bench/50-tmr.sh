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
