# Candidate for test 71 (the lead decides; not run by make test while it sits in wip/):
# the CI fault-injection campaign on the UAV TMR flight on QEMU/SVM
# (fault-injection/campaigns/uav-ci-qemu.json, docs/fault-injection.md): QEMU -icount with
# the monitor on its SVM backend, six sandboxes of config/uav-tmr.xml flying 600 control
# periods, 20 injections (two or three per fault model) at control periods drawn from the
# seed, through the gdbstub, two workers.  It was test 71 in session 3 until a run stalled
# the VM (a single-step left armed at the detach); session 4 fixed the cause (no detach,
# every later stop continued) and added the stall watchdog (a stopped VM is ended after
# 60 s as harness_stall, which this campaign forbids).
# Asserts: no silent data corruption (a wrong actuator command reaching the plant, as the
# plant's reference check counts them), no system failure (monitor or unrelated sandbox
# harmed), no harness stall, every wild write outside its partition contained (an
# NPT-violation record naming the writer, nothing else harmed), each fault model injected
# (written and read back), and the replay of one injection from its recorded golden run:
# same injection point (period, instruction, values written), same outcome, same flight.
# REQ: MON-FLT-001
# triad-test: exclusive (tests/run-system.sh runs it alone, after the others)
. tests/system/lib.sh
out=$RUNS/inject-uav-qemu
rm -rf "$out" "$out.txt" "$out.replay.txt" "$out.bad.txt" "$out.bad.json"
# The ISO, its kernel and the program ELFs must be one build (checked by inject.py, status 2
# otherwise); in a shared tree someone else's make can rebuild one of them in between:
# build and try again, at most three times.
for try in 1 2 3; do
  make -s --no-print-directory "$PWD/$BUILD/fault-injection/iso/fi-uav.iso" >/dev/null
  python3 fault-injection/tools/inject.py fault-injection/campaigns/uav-ci-qemu.json --out "$out/ci" --workers 2 >"$out.txt" 2>&1
  st=$?
  [ "$st" -eq 2 ] && grep -q "rebuil" "$out.txt" || break
  echo "# inputs rebuilt meanwhile (try $try): $(tail -1 "$out.txt")"
done
sed 's/^/# /' "$out.txt" | grep -v '^# inject: \[' | head -60
r=$out/ci/results.json
check "uav-ci: campaign passes its criteria (status $st)" test "$st" -eq 0
q() { python3 - "$r" "$@" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))
runs, what = res["runs"], sys.argv[2]
if what == "count":
    print(res["counts"].get(sys.argv[3], 0))
elif what == "models":
    print(" ".join(sorted({x["injection"]["model"] for x in runs if x.get("injected")})))
elif what == "wild":
    # every wild write outside its partition: a FAULT record naming the writer in its
    # monitor console, classified as detected, and not harming anyone else
    bad = []
    for x in runs:
        inj = x["injection"]
        if inj["model"] != "wild_write":
            continue
        con = open(f"{sys.argv[3]}/runs/{x['index']:04d}/com1.log", errors="replace").read()
        if f"name={inj['sandbox']} kind=ept-violation" not in con or not x["outcome"].startswith("detected"):
            bad.append(f"#{x['index']} {x['outcome']}")
    print(" ".join(bad) if bad else "ok")
elif what == "unconfirmed":
    print(" ".join(f"#{x['index']}" for x in runs if x.get("injected") and not any("read back" in l for l in x["log"])) or "ok")
EOF
}
check "uav-ci: 20 injections run" test "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['run'])" "$r")" = 20
check "uav-ci: zero silent data corruption" test "$(q count sdc)" = 0
check "uav-ci: zero system failures" test "$(q count system_failure)" = 0
check "uav-ci: no harness error or stall, no emulator death, no missed injection point" \
  test "$(q count error)-$(q count harness_stall)-$(q count emulator_died)-$(q count not_injected)" = "0-0-0-0"
check "uav-ci: every wild write outside its partition contained ($(q wild "$out/ci"))" test "$(q wild "$out/ci")" = ok
check "uav-ci: every fault model injected ($(q models))" test "$(q models)" = \
  "bitflip budget_overrun burst driver_corruption hang sensor_fault stuck_at wild_write"
check "uav-ci: every write read back by the debugger ($(q unconfirmed))" test "$(q unconfirmed)" = ok
check "uav-ci: HTML report with inline SVG" grep -q '<svg' "$out/ci/report.html"
check "uav-ci: the replicas' faults are detected by the vote (detected_recovered >= 3)" \
  test "$(q count detected_recovered)" -ge 3
# Bad input: refused before any emulator starts (status 2, the message names the problem).
bad() {  # $1: python expression editing spec s, $2: expected message
  python3 -c "import json,sys; s=json.load(open('fault-injection/campaigns/uav-ci-qemu.json')); $1; json.dump(s, open(sys.argv[1], 'w'))" "$out.bad.json"
  python3 fault-injection/tools/inject.py "$out.bad.json" --out "$out/bad" >"$out.bad.txt" 2>&1
  local st=$?
  check "bad spec refused (status $st): $2" bash -c "test $st -eq 2 && grep -qF \"$2\" $out.bad.txt && test ! -e $out/bad/golden"
}
bad "s['faults'][0]['target']['symbol']='no_such_state'" "unknown symbol 'no_such_state'"
bad "s['faults'][4]['model']={'kind':'sensor_fault','bias':1}" "'sensor_fault' does not apply to a target of kind 'sandbox'"
bad "s['faults'][6]['target']['channel']='act-z'" "unknown channel 'act-z'"
bad "s['faults'][7]['target']['source']='drivers/usb.c'" "no data symbols of source 'drivers/usb.c'"
# Replay: the first state flip (injection 0: fc-b's controller state at period 164) again from
# the recorded golden run.  QEMU -icount with six cores does not interleave them the same way
# twice (the boot's TSC, the order of relayed console lines, the vote's virtual-time figures
# differ), so the replay is compared on what the injection did and what the flight was: the
# period and instruction of the stop, the values written and read back, the outcome, every
# status, vote and report line.  (The release line, how many steps other cores answered, is
# interleaving: not compared.)  Not the wild write (injection 8): its stop is the next
# thread_sleep_until on fc-b's core after the period, and which of fc-b's kernel threads
# gets there first is interleaving too: 1 of 12 runs of it (session 4) moved another
# thread's stack, and the vote saw it one period earlier.  Not yet verified here: in the
# shared tree of session 4 others rebuilt the kernel during each of its three runs, so the
# replay refused its inputs (status 2); the campaign's checks passed all three times.
# Session 5, quiet tree (a fresh-clone make test beside it): 17 of 18 in 290 s wall; the
# replay matched in outcome, period, stop and writes, and in every flight line but the
# report's sensor_to_vote_max period (a timing key, now left out of the comparison).
python3 fault-injection/tools/inject.py fault-injection/campaigns/uav-ci-qemu.json --only 0 --golden "$out/ci/golden" \
  --out "$out/replay" >"$out.replay.txt" 2>&1
field() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['runs']; r=[x for x in r if x['index']==0][0]; v=r[sys.argv[2]]; print(v if sys.argv[2] != 'log' else '|'.join(__import__('re').sub(r'\d+ (breakpoint )?stops', 'N stops', l) for l in v if not l.startswith('released:')))" "$1" "$2"; }
check "replay of injection 0: same outcome ($(field "$r" outcome), replay $(field "$out/replay/results.json" outcome))" \
  test "$(field "$out/replay/results.json" outcome)" = "$(field "$r" outcome)"
check "replay of injection 0: same period ($(field "$r" period), replay $(field "$out/replay/results.json" period))" \
  bash -c "[[ '$(field "$r" period)' =~ ^[0-9]+$ ]] && test '$(field "$r" period)' = '$(field "$out/replay/results.json" period)'"
check "replay of injection 0: same stop and writes (rip, address, bytes read back)" \
  test "$(field "$out/replay/results.json" log)" = "$(field "$r" log)"
# The report's timing keys are virtual-time figures of the six cores'
# interleaving (the period in which sensor-to-vote peaked moved from 461 to
# 225 in the session-5 run while every status, vote and command line was
# equal): not compared.
flight() { grep -a -E '^\[flight\]|^\[tmr\]|^uav: report' "$1" | grep -v -E 'virtual_us_per_period|sensor_to_actuator_us|sensor_to_vote'; }
check "replay of injection 0: same flight (status, vote events, report)" \
  cmp -s <(flight $out/ci/runs/0000/com2.log) <(flight $out/replay/runs/0000/com2.log)
finish
