# Recovery phase costs (issue 9), laid out like the Quest-V fault-recovery
# table.  Two Bochs runs, counts that repeat exactly: TSC ticks = Bochs
# instructions, virtual microseconds at the calibrated TSC rate.
#  1. config/tests/recovery-once.xml (4 cores): beta (1 core, 32 MiB)
#     restarted once; alpha (2 cores) restarted once, its second core stopped
#     by NMI (the IPI round trip: request, NMI exit, parked).
#  2. config/tests/kernel-net-remote.xml (2 cores): io's NIC wedged, the
#     driver re-initialised locally (device reset, rings, lwIP link down/up);
#     then io's driver side writes outside its RAM, the monitor hands the NIC
#     to spare (its standby), which initialises the driver; read from test
#     38's run when it exists.
#  3. config/tests/recovery-early.xml (4 cores): delta's escalated fault puts
#     the system in safe mode; payload is halted, keeper learns the state
#     and its restart request is refused; then keeper's safe-mode exit is
#     accepted and the halted sandboxes are revived and restarted cold; read
#     from test 39's run when it exists.
#  5. Restart to rejoin (session 7): a TMR replica's failure period to its
#     rejoined period, by phase.  Bochs: test 81's fault flight
#     (uav-flight-fault.iso, 6 cores, 10 M instructions a virtual second,
#     io paced at 100 Hz: a period is 100,000 instructions); QEMU/SVM
#     -icount 5: fc-c's restart in test 82's run.  Read from those runs when
#     they exist.
#  6. The same fault flight as test 81 under QEMU/SVM -icount 0 (a realistic
#     clock: 1 G instructions a virtual second), a separate measurement.
# A row whose line a run did not print says "n/a" (a grep that finds
# nothing does not end the bench).
set -euo pipefail
out=$1
runs=build/runs/bench/recovery
make --no-print-directory -s "$PWD/build/iso/cfg-recovery-once.iso" >/dev/null
tools/run-emu --emu bochs --iso build/iso/cfg-recovery-once.iso --cores 4 --memory 256 --serial-ports 4 \
  --out $runs/restart --timeout 400 --quiet || true
remote_run=build/runs/system/recovery-nic-remote
if [ ! -s $remote_run/com3.log ]; then
  remote_run=$runs/remote
  make --no-print-directory -s "$PWD/build/iso/cfg-kernel-net-remote.iso" >/dev/null
  tools/run-emu --emu bochs --iso build/iso/cfg-kernel-net-remote.iso --cores 2 --serial-ports 3 --net "" \
    --out $remote_run --timeout 400 --quiet || true
fi
safe_run=build/runs/system/recovery-early
if [ ! -s $safe_run/com1.log ]; then
  safe_run=$runs/safe
  make --no-print-directory -s "$PWD/build/iso/cfg-recovery-early.iso" >/dev/null
  tools/run-emu --emu bochs --iso build/iso/cfg-recovery-early.iso --cores 4 --memory 160 --serial-ports 4 \
    --out $safe_run --timeout 400 --quiet || true
fi
# 4. I/O sandbox failover: config/uav-failover.xml under QEMU/SVM -icount 5
#    (7 cores): io's kernel faults in a paced hover, the monitor hands its
#    channels to io2 (voting in shadow), which commands from there; read
#    from test 82's run when it exists.
fo_run=build/runs/system/uav-failover
if [ ! -s $fo_run/com3.log ]; then
  fo_run=$runs/failover
  make --no-print-directory -s "$PWD/build/iso/uav-failover.iso" >/dev/null
  tools/run-emu --emu qemu --iso build/iso/uav-failover.iso --cores 7 --memory 512 --serial-ports 3 --icount 5 \
    --out $fo_run --timeout 900 --until 'io_voter: role shadow after period' --quiet || true
fi
# 5. Restart to rejoin on Bochs: test 81's run, or the same boot here.
rj_run=build/runs/system/uav-flight-fault
if [ ! -s $rj_run/com2.log ]; then
  rj_run=$runs/rejoin
  make --no-print-directory -s "$PWD/build/iso/uav-flight-fault.iso" >/dev/null
  tools/run-emu --emu bochs --iso build/iso/uav-flight-fault.iso --cores 6 --memory 512 --serial-ports 2 --ips 10000000 \
    --out $rj_run --timeout 1100 --until 'uav: report end' --quiet || true
fi
# 6. Restart to rejoin at a realistic clock (session 8): the same boot under
#    QEMU/SVM with -icount 0, one instruction a virtual nanosecond (1 G
#    instructions a virtual second for all six vCPUs together: QEMU runs
#    them one after another on one instruction clock), against Bochs's 10 M
#    a second in test 81.  A separate measurement: test 81 asserts at 10 MIPS.
#    About 5 minutes of wall time.
g_run=$runs/rejoin-1gips
make --no-print-directory -s "$PWD/build/iso/uav-flight-fault.iso" >/dev/null
tools/run-emu --emu qemu --iso build/iso/uav-flight-fault.iso --cores 6 --memory 512 --serial-ports 2 --icount 0 \
  --out $g_run --timeout 1200 --until 'uav: report end' --quiet || true
fmon=$(tr -d '\r' <$fo_run/com1.log)
fio2=$(tr -d '\r' <$fo_run/com3.log)
f_khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$fmon" | head -1 | awk '{print $2}')
f_fault=$(grep -E 'FAULT seq=[0-9]+ .*name=io kind=ept-violation .*action=failover' <<<"$fmon" | grep -oE ' t=[0-9]+' | head -1 | cut -d= -f2 || true)
f_line=$(grep -E 'RECOVERY sandbox=0 name=io failover to=' <<<"$fmon" | head -1 || true)
f_first=$(grep -E 'io_voter: failover: first command published for period' <<<"$fio2" | head -1 || true)
f_first_tsc=$(grep -oE 'tsc=[0-9]+' <<<"$f_first" | cut -d= -f2 || true)
f_now=$(sed -nE 's/.*\[tmr\] period ([0-9]+): failover-voter now .*/\1/p' <<<"$fio2" | head -1)
f_pfirst=$(sed -nE 's/.*for period ([0-9]+),.*/\1/p' <<<"$f_first")
f_after_us=$(sed -nE 's/.*period [0-9]+, ([0-9]+) us after.*/\1/p' <<<"$f_first")
# The hung voter (session 7): io2 spins at period 2400, io in shadow asks.
fio=$(tr -d '\r' <$fo_run/com2.log)
h_ask=$(grep -E '^\[tmr\] period [0-9]+: voter-hung failover-accepted' <<<"$fio" | head -1 || true)
h_wait_us=$(sed -nE 's/.* waited ([0-9]+) us .*/\1/p' <<<"$h_ask")
h_req=$(grep -E 'HEALTH t=[0-9]+ .*kind=restart-request target=6 action=failover reason=voter-hung' <<<"$fmon" | head -1 || true)
h_line=$(grep -E 'RECOVERY sandbox=6 name=io2 failover to=0 ' <<<"$fmon" | head -1 || true)
h_first=$(grep -E 'io_voter: failover: first command published for period' <<<"$fio" | head -1 || true)
h_first_tsc=$(grep -oE 'tsc=[0-9]+' <<<"$h_first" | cut -d= -f2 || true)
h_after_us=$(sed -nE 's/.*period [0-9]+, ([0-9]+) us after.*/\1/p' <<<"$h_first")
smon=$(tr -d '\r' <$safe_run/com1.log)
s_khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$smon" | head -1 | awk '{print $2}')
s_esc=$(grep -E 'HEALTH t=[0-9]+ .*name=delta .*action=safe-mode' <<<"$smon" | grep -oE ' t=[0-9]+' | head -1 | cut -d= -f2 || true)
s_entry=$(grep -E 'SAFE-MODE system t=' <<<"$smon" | head -1 || true)
s_halt=$(grep -E 'SAFE-MODE sandbox=[0-9]+ name=payload halted' <<<"$smon" | head -1 || true)
s_refused=$(grep -E 'name=keeper kind=restart-request .*reason=system-safe-mode' <<<"$smon" | grep -oE ' t=[0-9]+' | head -1 | cut -d= -f2 || true)
s_left=$(grep -E 'SAFE-MODE system left t=' <<<"$smon" | head -1 || true)
s_revived=$(grep -E 'SAFE-MODE sandbox=2 name=payload revived' <<<"$smon" | head -1 || true)
s_prestart=$(grep -E 'RECOVERY sandbox=2 name=payload restart=[0-9]+ cause=safe-mode-exit' <<<"$smon" | head -1 || true)
s_pback=$(grep -E 'RECOVERY sandbox=2 name=payload restart=[0-9]+ t=[0-9]+ back=' <<<"$smon" | head -1 || true)
rmon=$(tr -d '\r' <$remote_run/com1.log)
rspare=$(tr -d '\r' <$remote_run/com3.log)
r_khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$rmon" | head -1 | awk '{print $2}')
handover=$(grep -E 'RECOVERY sandbox=0 name=io handover dev=nic0 to=1 ' <<<"$rmon" | head -1 || true)
r_fault=$(grep -E 'FAULT seq=0 .*name=io kind=ept-violation' <<<"$rmon" | grep -oE ' t=[0-9]+' | head -1 | cut -d= -f2 || true)
r_spare=$(grep -E '^net: RECOVERY driver=e1000 remote t=' <<<"$rspare" | head -1 || true)
log=$(tr -d '\r' <$runs/restart/com1.log)
nic=$(tr -d '\r' <$remote_run/com2.log)
khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$log" | head -1 | awk '{print $2}')
nic_khz=$(grep -oE 'tsc: [0-9]+ kHz' <$remote_run/com1.log | head -1 | awk '{print $2}')
field() { grep -oE " $2=[0-9]+" <<<"$1" | head -1 | cut -d= -f2; }
beta=$(grep -E 'RECOVERY sandbox=1 name=beta restart=1 cause=' <<<"$log" | head -1 || true)
alpha=$(grep -E 'RECOVERY sandbox=0 name=alpha restart=1 cause=' <<<"$log" | head -1 || true)
beta_back=$(grep -oE 'RECOVERY sandbox=1 name=beta restart=1 t=[0-9]+ back=[0-9]+' <<<"$log" | grep -oE '[0-9]+$' || true)
alpha_back=$(grep -oE 'RECOVERY sandbox=0 name=alpha restart=1 t=[0-9]+ back=[0-9]+' <<<"$log" | grep -oE '[0-9]+$' || true)
rec=$(grep -E '^net: RECOVERY driver=e1000 local n=1 t=' <<<"$nic" | head -1 || true)
first=$(grep -oE '^net: RECOVERY driver=e1000 local n=1 first frame sent after=[0-9]+' <<<"$nic" | grep -oE '[0-9]+$' || true)
us() { if [ -n "$1" ] && [ -n "$2" ]; then echo $(( $1 * 1000 / $2 )); else echo n/a; fi; }
json=""
row() {   # label, instructions, khz, json key
  printf '%-52s %14s %12s\n' "$1" "${2:-n/a}" "$(us "${2:-}" "$3")"
  [ -n "${2:-}" ] && json="$json\"$4\": $2, " || true
}
printf '%-52s %14s %12s\n' "phase" "instructions" "virtual us"
echo "-- sandbox restart (Quest-V: VM exit, IPI round trip, VM entry)"
row "VM exit + decision logged (beta detect)" "$(field "$beta" detect)" "$khz" beta_detect
row "IPI round trip: NMI stop of a 2nd core (alpha stop)" "$(field "$alpha" stop)" "$khz" alpha_stop
row "pristine image SHA-256 check (kernel ELF module)" "$(field "$beta" verify)" "$khz" beta_verify
row "scrub 32 MiB" "$(field "$beta" scrub)" "$khz" beta_scrub
row "reload ELF + boot block" "$(field "$beta" reload)" "$khz" beta_reload
row "VM entry: VMCS rebuilt, INVEPT+INVVPID (relaunch)" "$(field "$beta" relaunch)" "$khz" beta_relaunch
row "restart total, 1 core (beta)" "$(field "$beta" total)" "$khz" beta_total
row "restart total, 2 cores (alpha)" "$(field "$alpha" total)" "$khz" alpha_total
row "relaunch to the fresh kernel's first hypercall (beta)" "$beta_back" "$khz" beta_back
row "relaunch to the fresh kernel's first hypercall (alpha)" "$alpha_back" "$khz" alpha_back
echo "-- local NIC driver recovery (Quest-V: driver re-init, network interface restart)"
row "watchdog sample to reset request (detect)" "$(field "$rec" detect)" "$nic_khz" nic_detect
row "driver re-initialisation (device reset, rings)" "$(field "$rec" reinit)" "$nic_khz" nic_reinit
row "network interface restart (lwIP link down/up)" "$(field "$rec" netif)" "$nic_khz" nic_netif
row "local recovery total (sample to done)" "$(field "$rec" total)" "$nic_khz" nic_total
row "sample to the first frame sent after" "$first" "$nic_khz" nic_first_frame
echo "-- remote NIC driver recovery (Quest-V: driver replacement, re-init, interface restart)"
diff_or_empty() { if [ -n "$1" ] && [ -n "$2" ]; then echo $(( $1 - $2 )); fi; }
row "fault record to hand-over done (detect, console lines)" "$(diff_or_empty "$(field "$handover" t)" "$r_fault")" "$r_khz" remote_detect
row "hand-over: unmap BAR in io + INVEPT" "$(field "$handover" unmap)" "$r_khz" remote_unmap
row "hand-over: ports between the I/O bitmaps" "$(field "$handover" ports)" "$r_khz" remote_ports
row "hand-over: map BAR in spare" "$(field "$handover" map)" "$r_khz" remote_map
row "hand-over: flush NMI round trip to spare's core" "$(field "$handover" flush)" "$r_khz" remote_flush
row "driver replacement: hand-over total in the monitor" "$(field "$handover" total)" "$r_khz" remote_handover
row "standby driver re-initialisation" "$(field "$r_spare" reinit)" "$r_khz" remote_reinit
row "standby network interface up (static address)" "$(field "$r_spare" netif)" "$r_khz" remote_netif
row "EPT violation to the standby's network up" "$(diff_or_empty "$(field "$r_spare" t)" "$r_fault")" "$r_khz" remote_total
# Local driver recovery applied by the monitor: test 41's run (Bochs, 1
# core), or the same boot here.  VM exit (the fault record's t) -> #VE in
# the kernel (upcall=) -> driver re-initialised, interface up (t=) -> the
# monitor's done line.
lc_run=build/runs/system/recovery-nic-local
if [ ! -s $lc_run/com2.log ]; then
  lc_run=$runs/local
  make --no-print-directory -s "$PWD/build/iso/cfg-kernel-net-local.iso" >/dev/null
  tools/run-emu --emu bochs --iso build/iso/cfg-kernel-net-local.iso --cores 1 --serial-ports 2 --net "" --nic-slot 2 \
    --out $lc_run --timeout 400 --until 'core 0: sandbox 0 halted' --quiet || true
fi
lmon=$(tr -d '\r' <$lc_run/com1.log 2>/dev/null || true)
l_khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$lmon" | head -1 | awk '{print $2}')
l_exit=$(grep -E 'FAULT seq=0 .*name=io kind=ept-violation .*action=recover-driver-local' <<<"$lmon" | grep -oE ' t=[0-9]+' | head -1 | cut -d= -f2 || true)
l_done=$(grep -E 'driver-local n=1 .* done t=' <<<"$lmon" | head -1 || true)
l_io=$(grep -E '^net: RECOVERY driver=e1000 upcall n=1 gpa=' <(tr -d '\r' <$lc_run/com2.log 2>/dev/null) | head -1 || true)
echo "-- local driver recovery applied by the monitor (EPT violation in the driver, #VE upcall, no restart)"
row "VM exit to #VE in the kernel (monitor lines queued)" "$(diff_or_empty "$(field "$l_io" upcall)" "$l_exit")" "$l_khz" local_upcall
row "driver re-initialisation (device reset, rings)" "$(field "$l_io" reinit)" "$l_khz" local_reinit
row "network interface restart (lwIP link down/up)" "$(field "$l_io" netif)" "$l_khz" local_netif
row "#VE to driver re-initialised and interface up" "$(field "$l_io" total)" "$l_khz" local_kernel_total
row "VM exit to driver re-initialised and interface up" "$(diff_or_empty "$(field "$l_io" t)" "$l_exit")" "$l_khz" local_exit_to_up
row "VM exit to the monitor's done (the kernel's hypercall)" "$(field "$l_done" exit-to-done)" "$l_khz" local_exit_to_done
echo "-- system safe mode (a sandbox's ladder ended in safe mode)"
row "escalated decision to the SAFE-MODE line" "$(diff_or_empty "$(field "$s_entry" t)" "$s_esc")" "$s_khz" safe_entry
row "NMI stop of a halted sandbox's core (payload)" "$(field "$s_halt" stop)" "$s_khz" safe_stop
row "escalated decision to payload halted" "$(diff_or_empty "$(field "$s_halt" t)" "$s_esc")" "$s_khz" safe_halted
row "decision to keeper's restart request refused (50 ms poll)" "$(diff_or_empty "$s_refused" "$s_esc")" "$s_khz" safe_refused
echo "-- leaving system safe mode (keeper's request accepted after the 300 ms hold)"
row "entry to the accepted exit (held)" "$(field "$s_left" held)" "$s_khz" safe_exit_held
row "accepted to payload's halted core revived (NMI ends its HLT)" "$(diff_or_empty "$(field "$s_revived" t)" "$(field "$s_left" t)")" "$s_khz" safe_exit_revive
row "payload's revived restart total (verify, scrub, reload)" "$(field "$s_prestart" total)" "$s_khz" safe_exit_restart
row "accepted to payload's fresh kernel back" "$(diff_or_empty "$(field "$s_pback" t)" "$(field "$s_left" t)")" "$s_khz" safe_exit_back
echo "-- I/O sandbox failover (QEMU/SVM -icount 5: TSC ticks at ~1 GHz, not instructions)"
row "fault record to the failover line (decision, console lines)" "$(diff_or_empty "$(field "$f_line" t)" "$f_fault")" "$f_khz" failover_detect
row "failover: 4 channels flipped + this core's flush (flip)" "$(field "$f_line" flip)" "$f_khz" failover_flip
row "failover: flush NMI round trip to io2's core" "$(field "$f_line" flush)" "$f_khz" failover_flush
row "failover total in the monitor" "$(field "$f_line" total)" "$f_khz" failover_total
row "io's fault to io2's first command (virtual time)" "$(diff_or_empty "$f_first_tsc" "$f_fault")" "$f_khz" failover_to_command
printf '%-52s %14s %12s\n' "io2's first command after the plant's readings" "" "${f_after_us:-n/a}"
printf '%-52s %14s %12s\n' "control periods without a command (first - takeover)" "$(diff_or_empty "$f_pfirst" "$f_now")" ""
[ -n "$f_after_us" ] && json="$json\"failover_command_after_readings_us\": $f_after_us, " || true
[ -n "$f_pfirst" ] && [ -n "$f_now" ] && json="$json\"failover_periods_without_command\": $(( f_pfirst - f_now )), " || true
echo "-- hung voter (io2 spins without faulting; io in shadow asks: same run)"
printf '%-52s %14s %12s\n' "silence before the shadow's request" "" "${h_wait_us:-n/a}"
row "request (HEALTH line) to the failover line" "$(diff_or_empty "$(field "$h_line" t)" "$(field "$h_req" t)")" "$f_khz" hung_detect
row "the move in the monitor (flip + the standby's flush)" "$(field "$h_line" total)" "$f_khz" hung_move
row "request to io's first command (virtual time)" "$(diff_or_empty "$h_first_tsc" "$(field "$h_req" t)")" "$f_khz" hung_to_command
printf '%-52s %14s %12s\n' "io's first command after the plant's readings" "" "${h_after_us:-n/a}"
[ -n "$h_wait_us" ] && json="$json\"hung_voter_silence_us\": $h_wait_us, " || true
[ -n "$h_after_us" ] && json="$json\"hung_voter_command_after_readings_us\": $h_after_us, " || true
# Restart to rejoin, in control periods of the paced 100 Hz flight, by
# phase: failed -> the monitor's restart begins (the replica's own request,
# or the voter's after 25 periods for a hung one) -> restart done
# (monitor ticks / ticks a period) -> the fresh kernel's first hypercall ->
# the program answered from the loaded state (rejoining) -> rejoined (K).
period() { sed -nE "s/^\[tmr\] period ([0-9]+): $2( .*)?\$/\1/p" <<<"$1" | head -1; }
rejoin_rows() {   # label, io console, monitor console, replica letter, sandbox number, tsc kHz, json prefix
  local io=$2 mon=$3 r=$4 sb=$5 k=$6 j=$7
  local failed rejoining rejoined rline back tpp
  failed=$(period "$io" "failed replica $r"); rejoining=$(period "$io" "rejoining replica $r")
  rejoined=$(period "$io" "rejoined replica $r")
  rline=$(grep -E "RECOVERY sandbox=$sb name=fc-$r restart=1 cause=" <<<"$mon" | head -1 || true)
  back=$(grep -oE "RECOVERY sandbox=$sb name=fc-$r restart=1 t=[0-9]+ back=[0-9]+" <<<"$mon" | grep -oE '[0-9]+$' || true)
  tpp=$(( ${k:-0} * 10 ))   # TSC ticks in a 10 ms period
  pp() { if [ -n "$1" ] && [ "$tpp" -gt 0 ]; then echo "$(( ($1 + tpp / 2) / tpp ))"; else echo n/a; fi; }
  echo "-- restart to rejoin: $1 (control periods of 10 ms; monitor phases in TSC ticks)"
  printf '%-52s %14s %12s\n' "failed in period, rejoining, rejoined" "${failed:-n/a} ${rejoining:-n/a} ${rejoined:-n/a}" ""
  printf '%-52s %14s %12s\n' "monitor restart: verify (SHA-256 of the loaded bytes)" "$(field "$rline" verify)" "$(pp "$(field "$rline" verify)") periods"
  local ram; ram=$(field "$rline" ram || true)
  printf '%-52s %14s %12s\n' "monitor restart: scrub $(( ${ram:-0} / 1048576 )) MiB" "$(field "$rline" scrub)" "$(pp "$(field "$rline" scrub)") periods"
  printf '%-52s %14s %12s\n' "monitor restart: reload (file bytes; .bss already 0)" "$(field "$rline" reload)" "$(pp "$(field "$rline" reload)") periods"
  printf '%-52s %14s %12s\n' "monitor restart: total" "$(field "$rline" total)" "$(pp "$(field "$rline" total)") periods"
  printf '%-52s %14s %12s\n' "relaunch to the fresh kernel's first hypercall" "${back:-n/a}" "$(pp "$back") periods"
  # The rest of failed -> rejoining: the request's own latency (the
  # replica reads the transfer in the next period; its kernel sends the
  # queued console line first, a 20 ms sleep until session 9; the ticks a
  # period are the nominal 10 ms, so a flight whose periods run short in
  # virtual time shows here too), the kernel's start after its
  # first hypercall, fc_replica's start and the state load from the
  # transfer channel, and io seeing the fresh output.
  local to_rj=""
  if [ -n "$failed" ] && [ -n "$rejoining" ] && [ -n "$rline" ] && [ -n "$back" ] && [ "$tpp" -gt 0 ]; then
    to_rj=$(( rejoining - failed - $(pp "$(field "$rline" total)") - $(pp "$back") ))
  fi
  printf '%-52s %14s %12s\n' "rest: request, program start, state load, io sees it" "" "${to_rj:-n/a} periods"
  printf '%-52s %14s %12s\n' "probation: rejoining to rejoined (K agreeing)" "" "$(diff_or_empty "$rejoined" "$rejoining") periods"
  printf '%-52s %14s %12s\n' "restart to rejoin (periods: failed to rejoined)" "$(diff_or_empty "$rejoined" "$failed")" ""
  [ -n "$failed" ] && [ -n "$rejoined" ] && json="$json\"${j}_restart_to_rejoin_periods\": $(( rejoined - failed )), " || true
  [ -n "$rline" ] && json="$json\"${j}_restart_total\": $(field "$rline" total), \"${j}_verify\": $(field "$rline" verify), \"${j}_scrub\": $(field "$rline" scrub), \"${j}_reload\": $(field "$rline" reload), " || true
  [ -n "$back" ] && json="$json\"${j}_first_hypercall\": $back, " || true
  [ -n "$to_rj" ] && json="$json\"${j}_rest_periods\": $to_rj, " || true
}
rjmon=$(tr -d '\r' <$rj_run/com1.log); rjio=$(tr -d '\r' <$rj_run/com2.log)
rj_khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$rjmon" | head -1 | awk '{print $2}')
rejoin_rows "Bochs, fc-b (its own request), 10 MIPS" "$rjio" "$rjmon" b 2 "$rj_khz" rejoin_bochs
fio=$(tr -d '\r' <$fo_run/com2.log)
rejoin_rows "QEMU/SVM -icount 5, fc-c (fault), 7 cores" "$fio" "$fmon" c 3 "$f_khz" rejoin_qemu
gmon=$(tr -d '\r' <$g_run/com1.log 2>/dev/null || true); gio=$(tr -d '\r' <$g_run/com2.log 2>/dev/null || true)
g_khz=$(grep -oE 'tsc: [0-9]+ kHz' <<<"$gmon" | head -1 | awk '{print $2}' || true)
rejoin_rows "QEMU/SVM -icount 0 (1 G instructions/s), fc-b, 6 cores" "$gio" "$gmon" b 2 "$g_khz" rejoin_1gips
echo "{${json}\"tsc_khz\": ${khz:-0}, \"nic_tsc_khz\": ${nic_khz:-0}, \"remote_tsc_khz\": ${r_khz:-0}, \"safe_tsc_khz\": ${s_khz:-0}, \"failover_tsc_khz\": ${f_khz:-0}, \"rejoin_bochs_tsc_khz\": ${rj_khz:-0}, \"rejoin_1gips_tsc_khz\": ${g_khz:-0}}" >"$out/recovery.json"
