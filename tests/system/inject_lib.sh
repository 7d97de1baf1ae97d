# Fault-injection checks shared by tests/system/70-inject-smoke.sh (the Bochs smoke
# injection) and 71-inject-uav.sh (the QEMU/SVM CI campaign): run a campaign, judge its
# results.json, refuse bad specs, replay one injection.  Sourced after lib.sh; not a
# test itself (tests/run-system.sh runs tests/system/[0-9]*.sh).

# fi_campaign SPEC OUT [inject.py options...]: runs the campaign into OUT (its console in
# OUT.txt, summarised as TAP comments); sets fi_status and fi_results.  The ISO, its kernel
# and the program ELFs must be one build (inject.py checks, status 2 otherwise); in a shared
# tree someone else's make can rebuild one of them in between: build and try again, at
# most three times.  FI_ISO names the ISO target to build first.
fi_campaign() {
  local spec=$1 out=$2 try; shift 2
  for try in 1 2 3; do
    make -s --no-print-directory "$PWD/$BUILD/fault-injection/iso/$FI_ISO" >/dev/null
    python3 fault-injection/tools/inject.py "$spec" --out "$out" "$@" >"$out.txt" 2>&1
    fi_status=$?
    [ "$fi_status" -eq 2 ] && grep -q "rebuil" "$out.txt" || break
    echo "# inputs rebuilt meanwhile (try $try): $(tail -1 "$out.txt")"
  done
  sed 's/^/# /' "$out.txt" | grep -v '^# inject: \[' | head -60
  fi_results=$out/results.json
}

# fi_q RESULTS WHAT [ARG]: a figure of a campaign's results.json.
#   count OUTCOME | run | models (injected, sorted) | unconfirmed (injected runs whose
#   write was not read back) | wild DIR (every wild write outside its partition contained:
#   a fault record naming the writer in its monitor console, classified as detected)
#   | field INDEX KEY (a key of run INDEX; the debugger log with stop counts masked)
#   | rejoined (runs whose replica rejoined the vote, with a latency)
fi_q() {
  python3 - "$@" <<'EOF'
import json, re, sys
res = json.load(open(sys.argv[1]))
runs, what = res["runs"], sys.argv[2]
if what == "count":
    print(res["counts"].get(sys.argv[3], 0))
elif what == "run":
    print(res["run"])
elif what == "models":
    print(" ".join(sorted({x["injection"]["model"] for x in runs if x.get("injected")})))
elif what == "unconfirmed":
    print(" ".join(f"#{x['index']}" for x in runs if x.get("injected") and not any("read back" in l for l in x["log"])) or "ok")
elif what == "wild":
    bad = []
    for x in runs:
        inj = x["injection"]
        if inj["model"] != "wild_write":
            continue
        con = open(f"{sys.argv[3]}/runs/{x['index']:04d}/com1.log", errors="replace").read()
        if f"name={inj['sandbox']} kind=ept-violation" not in con or not x["outcome"].startswith("detected"):
            bad.append(f"#{x['index']} {x['outcome']}")
    print(" ".join(bad) if bad else "ok")
elif what == "field":
    r = [x for x in runs if x["index"] == int(sys.argv[3])][0]
    v = r.get(sys.argv[4])
    if sys.argv[4] == "log":
        # the stop counts and the release line are the cores' interleaving (QEMU), not the injection
        v = "|".join(re.sub(r"\d+ (breakpoint )?stops", "N stops", l) for l in v if not l.startswith("released:"))
    print(v)
elif what == "rejoined":
    print(" ".join(f"#{x['index']}:{x['rejoin_latency']}" for x in runs if x.get("rejoin_latency") is not None))
EOF
}

# fi_bad SPEC OUT PYTHON MESSAGE: SPEC edited by PYTHON (on the dict s) is refused before
# any emulator starts: status 2, MESSAGE in the output, no golden run.
fi_bad() {
  local spec=$1 out=$2 st
  python3 -c "import json,sys; s=json.load(open('$spec')); $3; json.dump(s, open(sys.argv[1], 'w'))" "$out.bad.json"
  python3 fault-injection/tools/inject.py "$out.bad.json" --out "$out/bad" >"$out.bad.txt" 2>&1
  st=$?
  check "bad spec refused (status $st): $4" bash -c "test $st -eq 2 && grep -qF \"$4\" $out.bad.txt && test ! -e $out/bad/golden"
}

# fi_bad_specs SPEC OUT: the bad inputs every flight campaign refuses (indices of the
# uav-ci plans: 0 a symbol target, 4 a sandbox target, 6 a channel, 7 a driver).
fi_bad_specs() {
  fi_bad "$1" "$2" "s['faults'][0]['target']['symbol']='no_such_state'" "unknown symbol 'no_such_state'"
  fi_bad "$1" "$2" "s['faults'][4]['model']={'kind':'sensor_fault','bias':1}" "'sensor_fault' does not apply to a target of kind 'sandbox'"
  fi_bad "$1" "$2" "s['faults'][6]['target']['channel']='act-z'" "unknown channel 'act-z'"
  fi_bad "$1" "$2" "s['faults'][7]['target']['source']='drivers/usb.c'" "no data symbols of source 'drivers/usb.c'"
}

# fi_replay_same LABEL RESULTS REPLAY INDEX: the replay of injection INDEX stopped at the
# same point and wrote the same values (period, debugger log: stop instruction, address,
# bytes read back) and ended in the same outcome.
fi_replay_same() {
  local label=$1 a=$2 b=$3 i=$4
  check "$label: replay of injection $i: same outcome ($(fi_q "$a" field "$i" outcome), replay $(fi_q "$b" field "$i" outcome))" \
    test "$(fi_q "$b" field "$i" outcome)" = "$(fi_q "$a" field "$i" outcome)"
  check "$label: replay of injection $i: same stop and writes (stop, address, bytes read back)" \
    test "$(fi_q "$b" field "$i" log)" = "$(fi_q "$a" field "$i" log)"
}
