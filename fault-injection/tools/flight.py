"""Flight-level classification of a run of the in-sandbox UAV TMR system
(config/uav-tmr.xml): the I/O sandbox's console (io_voter) carries the vote's
event log ('[tmr] period N: EVENT replica X'), a 1 Hz status line per second
of flight ('[flight] t=...'), and the summary at the end ('uav: report ...').

Silent data corruption is a wrong actuator command reaching the plant.  When
the plant reports its own check ('uav: report plant checked=N wrong=W ...':
sim_plant recomputes every command with a reference controller fed the same
frame), that count decides, exactly.  Without it the trajectory decides: the
plant is deterministic in the commands it receives (fixed-seed sensor noise,
one step per sequence number whatever the emulator's speed), so the flight
differs from the golden one when a different command reached it; that
fallback samples at 1 Hz (millimetre / millidegree) plus the report's maxima
over every period, so a wrong command whose effect stays below that
resolution would go unseen.  A sensor fault changes the trajectory with the
commands right for what the sensors said: 'degraded', not sdc."""
import re

import classify

TMR_RE = re.compile(r"\[tmr\] period (\d+): (\S+) replica ([a-h])")
# '[flight] t=2.000 s fly alt 0.178 m (sp 0.500) [x 0.006 y 0.017 m] roll ... pitch ... yaw ... deg | vote ...'
# (the horizontal position came later: optional)
STATUS_RE = re.compile(r"\[flight\] t=([-\d.]+) s (\S+) alt ([-\d.]+) m \(sp ([-\d.]+)\)"
                       r"(?: x ([-\d.]+) y ([-\d.]+) m)? roll ([-\d.]+) "
                       r"pitch ([-\d.]+) yaw ([-\d.]+) deg \| vote (\S+), (\d+)/(\d+) unanimous")
REPORT_RE = re.compile(r"uav: report (.*)")
# The control-rate trace (io_voter --trace 1, the fault-injection flight): one line per period.
TRACE_RE = re.compile(r"uav: trace k=(\d+) alt_mm=(-?\d+) att_mdeg=(-?\d+),(-?\d+),(-?\d+) "
                      r"cmd=(\d+),(\d+),(\d+),(\d+) vote=(\S+) roles=(\S+)")
# The window of the control-rate trace kept per run around its injection period (periods).
WINDOW_BEFORE, WINDOW_AFTER = 10, 60
# The vote's events that say a failed replica's old run is over (io_voter): it restarted
# itself ('restarting'), io had the monitor restart it, or the monitor did for a fault of
# its own ('restarted-by-monitor', logged only when the fresh program first writes: the
# monitor restarted it at the fault).  Restart-to-rejoin latency therefore counts from the
# vote's 'failed' (the period the restart is asked for: io requests it in the same period,
# the monitor restarts a sandbox at its own fault) to 'rejoined'.
RESTART_EVENTS = ("restarting", "voter-restart", "restarted-by-monitor")
# A sandbox's console line relayed by the I/O sandbox; it may follow the I/O sandbox's own
# prompt on the same line ('triad> [fc-b] ...'), so it is searched, not matched at the start.
PREFIX_RE = re.compile(r"\[([\w-]+)\] (.*)")
# Report fields that describe the plant's flight (the others count votes and timing).
TRAJECTORY_FIELDS = ("hover_periods", "hover_max", "hover_rms", "max_tilt", "crashed", "airborne_periods")
SAFE_EVENTS = ("no-majority", "safe-command")
BLAME_EVENTS = ("disagree", "late", "invalid", "failed")
RECOVERY_EVENTS = ("promoted", "rejoined", "recovered")


def parse(text):
    """The flight as the I/O console shows it."""
    events, status, report, prefixed, periods = [], [], {}, {}, {}
    for line in classify.lines(text):
        m = TRACE_RE.search(line)
        if m:
            periods[int(m[1])] = {"k": int(m[1]), "alt_mm": int(m[2]), "att_mdeg": [int(m[3]), int(m[4]), int(m[5])],
                                  "cmd": [int(m[6]), int(m[7]), int(m[8]), int(m[9])], "vote": m[10],
                                  "roles": m[11]}
            continue
        m = TMR_RE.search(line)
        if m:
            events.append({"period": int(m[1]), "event": m[2], "replica": m[3]})
            continue
        m = STATUS_RE.search(line)
        if m:
            status.append({"t": float(m[1]), "phase": m[2], "alt": float(m[3]), "sp": float(m[4]),
                           "x": float(m[5]) if m[5] else None, "y": float(m[6]) if m[6] else None,
                           "roll": float(m[7]), "pitch": float(m[8]), "yaw": float(m[9]), "vote": m[10]})
            continue
        m = REPORT_RE.search(line)
        if m:
            for kv in re.findall(r"(\w+)=([-\w.]+)", m[1]):
                report[kv[0]] = kv[1]
            if m[1].strip() == "end":
                report["end"] = True
            continue
        m = PREFIX_RE.search(line)
        if m and m[1] not in ("tmr", "flight"):
            prefixed.setdefault(m[1], []).append(m[2])
    unparsed = sum(1 for l in classify.lines(text) if "[flight] t=" in l) - len(status)
    return {"events": events, "status": status, "report": report, "prefixed": prefixed, "unparsed": unparsed,
            "periods": periods}


def window(g, f, inj):
    """The control-rate trace of both flights from WINDOW_BEFORE periods before the
    injection period to WINDOW_AFTER after it (None without a trace or a period)."""
    if inj is None or not (g["periods"] or f["periods"]):
        return None
    lo, hi = max(1, inj - WINDOW_BEFORE), inj + WINDOW_AFTER
    return {"from": lo, "to": hi,
            "golden": [g["periods"][k] for k in range(lo, hi + 1) if k in g["periods"]],
            "faulty": [f["periods"][k] for k in range(lo, hi + 1) if k in f["periods"]]}


def rejoin(new, letter):
    """(failed period, restart period, rejoined period) of replica letter from the run's
    new vote events; each None when the flight did not show it."""
    fl = [e["period"] for e in new if e["replica"] == letter and e["event"] == "failed"]
    rs = [e["period"] for e in new if e["replica"] == letter and e["event"] in RESTART_EVENTS]
    rj = [e["period"] for e in new if e["replica"] == letter and e["event"] == "rejoined"
          and (not fl or e["period"] >= fl[0])]
    return (fl[0] if fl else None), (rs[0] if rs else None), (rj[0] if rj else None)


def trajectory(fl):
    """What the plant did: the 1 Hz samples and the report's flight fields."""
    return ([(s["t"], s["alt"], s["x"], s["y"], s["roll"], s["pitch"], s["yaw"]) for s in fl["status"]],
            {k: fl["report"].get(k) for k in TRAJECTORY_FIELDS})


def plant_check(fl):
    """The plant's report of the commands it applied ('uav: report plant checked=N wrong=W
    first_wrong=P not_voted=V'), or None when the plant does not check them."""
    r = fl["report"]
    try:
        return {k: int(r[k]) for k in ("checked", "wrong", "first_wrong", "not_voted")}
    except (KeyError, ValueError):
        return None


def flight_limits(g, f, limits):
    """A flight-level outcome of the faulty flight f (golden g) or None:
    crash, attitude_exceeded (largest tilt over every airborne period beyond the limit),
    altitude_exceeded (a 1 Hz altitude sample off the golden one by more than the limit)."""
    rep = f["report"]
    if rep.get("crashed", "0") not in ("0", None):
        return "crash", "the plant reports a crash"
    try:
        tilt = float(rep.get("max_tilt", "0"))
    except ValueError:
        tilt = 0.0
    if tilt > limits["attitude_deg"]:
        return "attitude_exceeded", f"max tilt {tilt:.3f} deg > {limits['attitude_deg']:g} deg"
    gs = {s["t"]: s["alt"] for s in g["status"]}
    for s in f["status"]:
        if s["t"] in gs and abs(s["alt"] - gs[s["t"]]) > limits["altitude_m"]:
            return "altitude_exceeded", (f"altitude {s['alt']:.3f} m at t={s['t']:.3f} s, golden "
                                         f"{gs[s['t']]:.3f} m (limit {limits['altitude_m']:g} m)")
    return None


def classify_flight(golden, faulty, ctx):
    """Outcome of a faulty flight.  ctx as classify.classify plus "flight": the spec's
    system.flight ({console, replicas: {sandbox: letter}, attitude_deg, altitude_m}) and
    "period": the injection's control period (None when unknown).
    Returns (outcome, reason, details) where details carries the detection and recovery
    latencies in control periods and the flight traces for the report."""
    fl = ctx["flight"]
    con = fl["console"]
    target = ctx.get("target")
    g, f = parse(golden["consoles"].get(con, "")), parse(faulty["consoles"].get(con, ""))
    det = {"injection_period": ctx.get("period"), "detection_period": None, "recovery_period": None,
           "detection_latency": None, "recovery_latency": None, "flight": None,
           "trace": {"golden": [s for s in g["status"]], "faulty": [s for s in f["status"]]},
           "window": window(g, f, ctx.get("period")),
           "restart_period": None, "rejoin_period": None, "rejoin_latency": None,
           "events": f["events"][:20]}

    def done(outcome, reason):
        return outcome, reason, det

    pre = classify.preliminary(golden, faulty, ctx)
    if pre:
        return done(*pre)
    mon = ctx.get("monitor_console")
    gcons, fcons = golden["consoles"], faulty["consoles"]
    nf = classify.new_faults(classify.faults(gcons.get(mon, "")), classify.faults(fcons.get(mon, "")))
    others = [x for x in nf if x["name"] != target]
    if others:
        return done("system_failure", f"fault record for unrelated sandbox {others[0]['name']} ({others[0]['kind']})")
    ign = ctx.get("ignore", [])
    if classify.lines(gcons.get(mon, ""), ign + classify.MONITOR_NOISE, True) != \
            classify.lines(fcons.get(mon, ""), ign + classify.MONITOR_NOISE, True):
        return done("system_failure", "monitor console differs from golden")
    if faulty["status"] != golden["status"]:
        return done("system_failure", f"run status {faulty['status']} (golden {golden['status']})")
    if not f["report"].get("end"):
        return done("hang", "the flight ended without the voter's report (I/O sandbox stopped)")
    letter = fl["replicas"].get(target)
    gev = {(e["period"], e["event"], e["replica"]) for e in g["events"]}
    new = [e for e in f["events"] if (e["period"], e["event"], e["replica"]) not in gev]
    blamed = sorted({e["replica"] for e in new if e["event"] in BLAME_EVENTS})
    if letter and any(r != letter for r in blamed):
        return done("system_failure", f"the vote blamed replica(s) {','.join(blamed)}, the fault was in "
                                      f"{target} ({letter})")
    inj = ctx.get("period")
    if letter:
        failed, det["restart_period"], det["rejoin_period"] = rejoin(new, letter)
        if failed is not None and det["rejoin_period"] is not None:
            det["rejoin_latency"] = det["rejoin_period"] - failed
    if new:
        det["detection_period"] = new[0]["period"]
        rec = [e for e in new if e["event"] in RECOVERY_EVENTS]
        if rec:
            det["recovery_period"] = rec[0]["period"]
        if inj is not None:
            det["detection_latency"] = det["detection_period"] - inj
            if det["recovery_period"] is not None:
                det["recovery_latency"] = det["recovery_period"] - inj
    safe = [e for e in new if e["event"] in SAFE_EVENTS]
    changed = trajectory(g) != trajectory(f)
    lim = flight_limits(g, f, fl)
    if lim:
        det["flight"] = lim[0]
        return done(lim[0], lim[1] + (f"; vote events from period {new[0]['period']}" if new else ""))
    wrong = plant_check(f)
    if wrong is not None:
        # The plant's own check: every applied command against a reference controller fed
        # the same frame.  Commands the vote itself flagged (no majority: hold or safe
        # command) are counted apart; any other wrong one is a silent corruption.
        det["plant_wrong"] = wrong
        if wrong["wrong"] > wrong["not_voted"]:
            return done("sdc", f"{wrong['wrong']} wrong actuator command(s) reached the plant, the first in "
                               f"period {wrong['first_wrong']} ({wrong['not_voted']} flagged by the vote)")
        changed = changed and ctx.get("model") == "sensor_fault"
    for name in sorted(set(g["prefixed"]) | set(f["prefixed"])):
        if name != target and g["prefixed"].get(name, []) != f["prefixed"].get(name, []):
            return done("system_failure", f"unrelated sandbox {name}: console lines differ from golden")
    if changed:
        if safe:
            return done("detected_safe_mode", f"no majority from period {safe[0]['period']}: the safe command "
                                              "was applied (the trajectory differs as intended)")
        if ctx.get("model") == "sensor_fault":
            return done("degraded", "the plant flew differently within the flight limits: its sensors lied to "
                                    "every replica alike (common mode, invisible to the vote); the platform "
                                    "delivered the commands the replicas computed")
        return done("sdc", "the plant flew a different trajectory: wrong actuator commands reached it"
                    + (f" (vote events from period {new[0]['period']} did not mask it)" if new else
                       " without detection"))
    if safe:
        return done("detected_safe_mode", f"no majority in period {safe[0]['period']}")
    mine = [x for x in nf if x["name"] == target]
    if new:
        kinds = ",".join(sorted({e["event"] for e in new}))
        return done("detected_recovered", f"the vote named replica {letter or '?'} in period {new[0]['period']} "
                                          f"({kinds}); commands as golden")
    if mine:
        x = mine[0]
        what = f"{x['kind']} gpa={x['gpa']} rip={x['rip']} action={x['action']}"
        if classify.restarted(fcons.get(mon, ""), target):
            return done("detected_recovered", what + "; restarted")
        return done("detected_halted", what + "; commands as golden")
    return done("masked", "no detection, the plant's commands as golden"
                + ("" if g["prefixed"].get(target) == f["prefixed"].get(target) else
                   f" ({target}'s own console lines differ)"))
