# Bochs, 3 cores: a second fault during recovery, then system safe mode
# (issue 9).  delta faults before its kernel's first hypercall on every
# boot (triad.test_early).  The first fault restarts it (restart_cold); its
# fresh kernel faults again before it came back: recovery lasts until the
# fresh kernel's first hypercall, so this fault escalates to safe mode
# (declared for the watchdog kind) instead of a second restart, although
# the restart limit (3) is not reached.  That decision puts the system in
# safe mode: keeper (system-safe-mode="run") keeps running, reads the state
# and the fault records and asks for its own restart, refused; payload
# (system-safe-mode="halt") is stopped.  The monitor ends the run itself on
# its test clock.
# Then leaving safe mode (TRIAD_HC_SAFE_MODE_EXIT, <safe-mode exit-by="keeper"
# hold-ms="300">): ground (not named) asks and is refused with a fault
# record; keeper asks with a stale ack and with the vehicle armed (both
# refused), then until the safe command held 300 ms: accepted, the system
# back to normal, delta and payload restarted cold from their pristine
# images (restart counts reset).  delta's cause is still there: its fresh
# kernel faults again and the system re-enters safe mode, where keeper's
# ack of the first entry is refused (stale).
# REQ: REC-HM-002, REC-HM-001, REC-SAFE-001, REC-SAFE-002
. tests/system/lib.sh
boot recovery-early bochs "$BUILD/iso/cfg-recovery-early.iso" --cores 4 --memory 160 --serial-ports 4 --timeout 450
d=$RUNS/recovery-early
log=$d/com1.log
check "run ends with status 0" test "$status" -eq 0
expect_line "delta: early fault on its first boot" "$d/com2.log" '^kernel: running early test write-monitor \(before the first hypercall\)'
expect_line "delta: the first fault restarts it" "$log" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=delta kind=ept-violation declared=restart-cold action=restart-cold restarts=1/3 reason=policy'
# The translations are flushed the way the backend can: INVEPT+INVVPID on VMX,
# the VMCB's TLB control on SVM.
flush='invept\+invvpid'; on_svm && flush=tlb-control
expect_line "delta: restarted once, translations flushed" "$log" "RECOVERY sandbox=0 name=delta restart=1 cause=fault .* flush=$flush"
expect_line "delta: the fresh kernel faults before it came back: escalated to safe mode" "$log" \
  'HEALTH t=[0-9]+ core=0 sandbox=0 name=delta kind=ept-violation declared=restart-cold action=safe-mode restarts=1/3 reason=fault-during-recovery'
expect_line "delta: safe mode" "$log" 'sandbox 0: safe mode'
expect_line "delta: halted" "$log" 'core 0: sandbox 0 halted'
# Up to the safe-mode exit (the exit restarts delta: checked below).
before_exit() { console "$1" | sed -n '/SAFE-MODE system left/q;p'; }
export -f before_exit
check "delta: never came back, no second restart" bash -c "! before_exit $log | grep -Eq 'name=delta restart=(1 t=|2)'"
check "delta: two fault records" test "$(before_exit "$log" | grep -c 'FAULT .* name=delta ')" -eq 2
check "delta: banner at least twice (boot, one restart; the exit's restart: below)" \
  test "$(console "$d/com2.log" | grep -c '^Triad sandbox kernel')" -ge 2

# --- system safe mode (REC-SAFE-001) ---
# One entry line with its virtual time, right after delta's escalated decision.
expect_line "system safe mode entered once, with its virtual time and cause" "$log" \
  'SAFE-MODE system t=[0-9]+ cause=0 name=delta kind=ept-violation reason=fault-during-recovery restarts=off halt-mask=4$'
check "one SAFE-MODE system entry before the exit" test "$(before_exit "$log" | grep -c 'SAFE-MODE system t=')" -eq 1
safe_t=$(console "$log" | sed -nE 's/.*SAFE-MODE system t=([0-9]+) .*/\1/p' | head -1)
esc_t=$(console "$log" | sed -nE 's/.*HEALTH t=([0-9]+) .*reason=fault-during-recovery.*/\1/p' | head -1)
check "entered after the escalated decision (virtual time)" test "${safe_t:-0}" -ge "${esc_t:-1}"
# payload (system-safe-mode="halt") is stopped by NMI on its core; it ran before.
expect_line "payload: halted by the monitor (its core stopped by NMI)" "$log" \
  'SAFE-MODE sandbox=2 name=payload halted cores-stopped=1 t=[0-9]+ stop=[0-9]+'
expect_line "payload: its core halted" "$log" 'core 2: sandbox 2 halted'
check "payload: launched before safe mode" bash -c "console $log | sed -n '/SAFE-MODE system/q;p' | grep -q 'launching sandbox 2 (payload)'"
# Its heartbeats stop at the halt while keeper's go on to the end of the run
# (Bochs: 23 against 45; QEMU's slower cores may not reach payload's first).
alive_p=$(console "$d/com4.log" | grep -c '^kernel: alive')
alive_k=$(console "$d/com3.log" | grep -c '^kernel: alive')
check "payload: fewer heartbeats than keeper ($alive_p < $alive_k)" test "$alive_p" -lt "$alive_k"
# keeper (system-safe-mode="run") keeps running and learns the state.
k=$d/com3.log
expect_line "keeper: reads system safe mode, cause delta, entry time" "$k" \
  "^kernel: system safe mode seen: cause sandbox 0 since t=${safe_t:-x}\$"
# (ground's refused exit requests may already have added records of sandbox 3)
# (on QEMU keeper may read before delta's second record is written: the
# decision and the entry come first)
expect_line "keeper: the fault records are kept (delta's two, in order)" "$k" \
  '^kernel: fault records kept: [0-9]+ 0:sandbox0( 1:sandbox0)?( [0-9]+:sandbox3)*$'
expect_line "keeper: its own restart request is refused (PERM)" "$k" '^kernel: restart request in safe mode returned -4$'
expect_line "monitor: the refusal is logged with its reason" "$log" \
  'HEALTH t=[0-9]+ core=1 sandbox=1 name=keeper kind=restart-request target=self action=refused reason=system-safe-mode'
check "keeper: still running after safe mode (heartbeats after the refusal)" \
  bash -c "console $k | sed -n '/restart request in safe mode/,\$p' | grep -Eq '^kernel: alive [0-9]+'"
check "no restart in safe mode anywhere (entry to exit)" \
  bash -c "! before_exit $log | sed -n '/SAFE-MODE system t=/,\$p' | grep -q 'RECOVERY .* restart='"
check "keeper never halted" bash -c "! console $log | grep -q 'sandbox 1 halted'"

# --- leaving safe mode (REC-SAFE-002) ---
# ground is not the sandbox named: refused, and a fault of ground (kind
# reported, qual = the hypercall's number 12), which it survives.
expect_line "ground: not named, refused" "$log" \
  "HEALTH t=[0-9]+ core=3 sandbox=3 name=ground kind=safe-mode-exit action=refused reason=not-permitted ack=$((${safe_t:-0} + 1)) vehicle=3"
expect_line "ground: a fault record of it, kind reported" "$log" \
  'FAULT seq=[0-9]+ t=[0-9]+ core=3 sandbox=3 name=ground kind=reported gpa=0x[0-9a-f]+ rip=0x[0-9a-f]+ qual=0x000000000000000c action=log'
check "ground: asked once only, never halted" bash -c \
  "test \$(console $log | grep -c 'name=ground kind=safe-mode-exit') -eq 1 && ! console $log | grep -q 'sandbox 3 halted'"
# keeper: a stale ack, then the vehicle armed, then hold-not-elapsed until 300 ms
expect_line "keeper: a stale ack is refused (INVAL)" "$k" '^kernel: safe-mode exit with a stale ack returned -3$'
expect_line "monitor: stale-ack logged" "$log" \
  "name=keeper kind=safe-mode-exit action=refused reason=stale-ack ack=$((${safe_t:-0} + 1)) vehicle=3"
expect_line "keeper: the vehicle armed is refused (BUSY)" "$k" '^kernel: safe-mode exit with the vehicle armed returned -9$'
expect_line "monitor: vehicle-not-safe logged" "$log" \
  "name=keeper kind=safe-mode-exit action=refused reason=vehicle-not-safe ack=${safe_t:-x} vehicle=1"
expect_line "monitor: hold-not-elapsed before the 300 ms" "$log" \
  "name=keeper kind=safe-mode-exit action=refused reason=hold-not-elapsed ack=${safe_t:-x} vehicle=3"
expect_line "keeper: accepted after more than one try" "$k" '^kernel: safe-mode exit returned 0 after ([2-9]|[1-9][0-9]) tries$'
expect_line "monitor: the exit accepted" "$log" \
  "HEALTH t=[0-9]+ core=1 sandbox=1 name=keeper kind=safe-mode-exit action=accepted reason=accepted ack=${safe_t:-x} vehicle=3"
expect_line "SAFE-MODE system left, by keeper, restarting delta and payload (mask 5)" "$log" \
  "SAFE-MODE system left t=[0-9]+ by=keeper ack=${safe_t:-x} held=[0-9]+ restart-mask=5\$"
held=$(console "$log" | sed -nE 's/.*SAFE-MODE system left .* held=([0-9]+) .*/\1/p' | head -1)
hz=$(console "$k" | sed -nE 's/^kernel: tsc ([0-9]+) Hz.*/\1/p' | head -1)
check "the safe command held at least 300 ms (virtual: held=${held:-?} ticks at ${hz:-?} Hz)" \
  test "${held:-0}" -ge $(( ${hz:-1000000000000} * 3 / 10 ))
# Each halted core woke (an NMI ends its HLT) and restarts its sandbox on itself.
expect_line "payload: its halted core revived" "$log" 'SAFE-MODE sandbox=2 name=payload revived, restarting cold on core=2 t=[0-9]+'
expect_line "delta: its halted core revived" "$log" 'SAFE-MODE sandbox=0 name=delta revived, restarting cold on core=0 t=[0-9]+'
# QEMU/TCG: two restarts side by side take about 3 virtual s there (SHA-256,
# scrub and reload at TCG speed); the run's clock (2.8 s after the launch)
# ends before they do.  Bochs shows the rest of the path.
if ! on_svm; then
# restarted cold from their pristine images, counts reset (restart=1 again for delta)
expect_line "payload: restarted cold by the exit" "$log" \
  'RECOVERY sandbox=2 name=payload restart=1 cause=safe-mode-exit t=[0-9]+ detect=[0-9]+ stop=[0-9]+ verify=[0-9]+ scrub=[0-9]+ reload=[0-9]+'
expect_line "payload: its fresh kernel came back" "$log" 'RECOVERY sandbox=2 name=payload restart=1 t=[0-9]+ back=[0-9]+'
check "payload: banner twice (boot, the exit's restart)" test "$(console "$d/com4.log" | grep -c '^Triad sandbox kernel')" -eq 2
expect_line "delta: restarted cold by the exit, its count reset (restart=1)" "$log" \
  'RECOVERY sandbox=0 name=delta restart=1 cause=safe-mode-exit t=[0-9]+ '
check "delta: banner three times (boot, one restart, the exit's restart)" \
  test "$(console "$d/com2.log" | grep -c '^Triad sandbox kernel')" -eq 3
# The cause is still there: delta's fresh kernel faults again before it came
# back, and the system re-enters safe mode; keeper's old ack ends nothing.
expect_line "safe mode entered again by delta's next fault" "$log" \
  'SAFE-MODE system t=[0-9]+ cause=0 name=delta kind=ept-violation reason=fault-during-recovery restarts=off halt-mask=4$'
check "two entries in all, the second after the exit" \
  test "$(console "$log" | sed -n '/SAFE-MODE system left/,$p' | grep -c 'SAFE-MODE system t=')" -eq 1
# payload came back just before the second entry: its core may be in its
# monitor when the stop NMI comes (lost there); the stop sends it again
# (every 200,000 pauses) instead of waiting out its bound (10 virtual s).
check "payload: halted again at the second entry, its core stopped both times" \
  test "$(console "$log" | grep -c 'SAFE-MODE sandbox=2 name=payload halted cores-stopped=1 ')" -eq 2
expect_line "keeper: sees the second entry" "$k" '^kernel: system safe mode seen again: cause sandbox 0 since t=[0-9]+$'
expect_line "keeper: the first entry's ack is refused (stale)" "$k" \
  "^kernel: safe-mode exit with the earlier entry's ack returned -3\$"
fi
finish
