# The two monitor backends side by side, on the same ISOs: VMX under Bochs
# and SVM (nested paging) under QEMU TCG with -icount 3.  Boot cost (virtual
# TSC ticks from power-on to the last sandbox launched: Bochs counts
# instructions, QEMU -icount ~1 GHz virtual), exits by reason per core during
# boot, exits in the 100 ms steady-state window, and the throughput of a
# monitor system-test run (three sandboxes) and of a fault-containment run
# (faults-a, the unit of an injection campaign) in runs per hour of wall
# time; a 2-core sandbox (cfg-monitor-smp): its second core started, the
# start cost on SVM, boot and steady-state exits per core; IPI containment
# (cfg-monitor-ipi, three sandboxes marked ipi="contained"): on VMX the
# x2APIC ICR alone exits, on SVM (QEMU TCG, no x2APIC) every xAPIC access
# is trapped and emulated: exits per core in the 100 ms window, xAPIC
# accesses at boot, and the ipi-violation records (the same two on both).
# The counts repeat exactly; wall times are from a shared machine
# (one run each, noise of tens of percent).
set -euo pipefail
out=$1
runs=build/runs/bench/svm
mkdir -p "$runs"
for iso in cfg-three-sandboxes cfg-monitor-faults-a cfg-monitor-smp cfg-monitor-ipi; do
  make --no-print-directory -s "$PWD/build/iso/$iso.iso" >/dev/null
done
# run EMU ISO NAME: boots it, prints the wall seconds
run() {
  local emu=$1 iso=$2 name=$3 extra=()
  [ "$emu" = qemu ] && extra=(--icount 3)
  local t0 t1
  t0=$(date +%s.%N)
  tools/run-emu --emu "$emu" --iso "build/iso/$iso.iso" --cores 3 --memory 256 --serial-ports 4 \
    --out "$runs/$name" --timeout 300 --quiet "${extra[@]}" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b - a}'
}
declare -A wall
for emu in bochs qemu; do
  wall[$emu-three]=$(run $emu cfg-three-sandboxes $emu-three)
  wall[$emu-faults]=$(run $emu cfg-monitor-faults-a $emu-faults)
  wall[$emu-smp]=$(run $emu cfg-monitor-smp $emu-smp)
  wall[$emu-ipi]=$(run $emu cfg-monitor-ipi $emu-ipi)
done
log() { tr -d '\r' <"$runs/$1/com1.log"; }
last() { log "$1" | grep -oE 'last launch at tsc [0-9]+' | awk '{print $5}'; }
steady() { log "$1" | grep -oE 'steady-state window closed .*' | grep -oE 'core[0-9]+=[0-9]+' | awk -F= '{printf "%s%s", (NR>1?", ":""), $2}'; }
boot_row() {   # boot_row RUN REASON: that row of the boot trap table, cores comma-separated
  log "$1" | awk '/monitor trap count: boot/{f=1;next} f&&/TRAPS/{print} f&&!/TRAPS/&&!/trap count/{if(n++)exit}' |
    sed 's/^\[monitor\] TRAPS //' | grep -E "^$2 " | grep -oE '[0-9]+' | paste -sd, -
}
# SMP (cfg-monitor-smp: alpha owns cores 0-1 and starts core 1, beta core 2):
# ticks from the start request to the core entering the guest (SVM line only:
# on VMX the core takes the guest's SIPI in hardware, no monitor code runs)
start_ticks() { log "$1" | grep -oE 'core 1: started by sandbox 0 .*\(([0-9]+) ticks' | grep -oE '[0-9]+ ticks' | awk '{print $1}'; }
started() { tr -d '\r' <"$runs/$1/com2.log" | grep -c '^kernel: core 1 started, parked in hlt$' || true; }
records() { log "$1" | grep -cE 'FAULT .* kind=ept-violation .*qual=0x0000000000000182 action=halt'; }
ipi_records() { log "$1" | grep -cE 'FAULT .* kind=ipi-violation gpa=0x0000000000000001 ' || true; }
trapped() { log "$1" | grep -c 'xapic trapped (ipi contained)$' || true; }
per_hour() { awk -v s="$1" 'BEGIN{ if (s > 0) printf "%.0f", 3600 / s; else print 0 }'; }
printf '%-50s %18s %18s\n' "measure (three-sandboxes unless said)" "VMX (Bochs)" "SVM (QEMU TCG)"
printf '%-50s %18s %18s\n' "virtual ticks, power-on to last sandbox launched" "$(last bochs-three)" "$(last qemu-three)"
# QEMU -icount 3: one instruction = 8 virtual ns; ticks -> instructions by the calibrated TSC rate
khz=$(log qemu-three | grep -oE 'tsc: [0-9]+ kHz' | awk '{print $2}')
qinsn=$(awk -v t="$(last qemu-three)" -v k="$khz" 'BEGIN{printf "%.0f", t / (k / 1e6) / 8}')
printf '%-50s %18s %18s\n' "instructions, power-on to last sandbox launched" "$(last bochs-three)" "$qinsn"
for r in CPUID VMCALL WRMSR "I/O Instruction" Total; do
  printf '%-50s %18s %18s\n' "boot exits per core: $r" "$(boot_row bochs-three "$r")" "$(boot_row qemu-three "$r")"
done
printf '%-50s %18s %18s\n' "steady-state exits per core (100 virtual ms)" "$(steady bochs-three)" "$(steady qemu-three)"
printf '%-50s %18s %18s\n' "2-core sandbox: second core started (kernel says)" "$(started bochs-smp)" "$(started qemu-smp)"
printf '%-50s %18s %18s\n' "2-core sandbox: ticks to last launch" "$(last bochs-smp)" "$(last qemu-smp)"
printf '%-50s %18s %18s\n' "2-core sandbox: start request -> guest (ticks)" "n/a (SIPI)" "$(start_ticks qemu-smp)"
printf '%-50s %18s %18s\n' "2-core sandbox: boot exits per core, total" "$(boot_row bochs-smp Total)" "$(boot_row qemu-smp Total)"
printf '%-50s %18s %18s\n' "2-core sandbox: steady-state exits per core" "$(steady bochs-smp)" "$(steady qemu-smp)"
printf '%-50s %18s %18s\n' "ipi: sandboxes with the xAPIC page trapped" "$(trapped bochs-ipi)" "$(trapped qemu-ipi)"
printf '%-50s %18s %18s\n' "ipi: ipi-violation records (INIT, NMI to core 1)" "$(ipi_records bochs-ipi)" "$(ipi_records qemu-ipi)"
printf '%-50s %18s %18s\n' "ipi: boot EPT-violation exits per core (xAPIC)" "$(boot_row bochs-ipi 'EPT Violation')" "$(boot_row qemu-ipi 'EPT Violation')"
printf '%-50s %18s %18s\n' "ipi: steady-state exits per core (100 ms)" "$(steady bochs-ipi)" "$(steady qemu-ipi)"
printf '%-50s %18s %18s\n' "faults-a: ept-violation records (same qual)" "$(records bochs-faults)" "$(records qemu-faults)"
printf '%-50s %18s %18s\n' "wall s, three-sandboxes run" "${wall[bochs-three]}" "${wall[qemu-three]}"
printf '%-50s %18s %18s\n' "system-test runs per hour (three-sandboxes)" "$(per_hour "${wall[bochs-three]}")" "$(per_hour "${wall[qemu-three]}")"
printf '%-50s %18s %18s\n' "wall s, fault-containment run (faults-a)" "${wall[bochs-faults]}" "${wall[qemu-faults]}"
printf '%-50s %18s %18s\n' "campaign runs per hour (faults-a)" "$(per_hour "${wall[bochs-faults]}")" "$(per_hour "${wall[qemu-faults]}")"
start_ticks_q=$(start_ticks qemu-smp)
cat >"$out/svm.json" <<JSON
{"iso": "cfg-three-sandboxes", "qemu_icount_shift": 3,
 "ticks_to_last_launch": {"vmx_bochs": $(last bochs-three), "svm_qemu": $(last qemu-three)},
 "instructions_to_last_launch": {"vmx_bochs": $(last bochs-three), "svm_qemu": $qinsn},
 "boot_exits_total_per_core": {"vmx_bochs": [$(boot_row bochs-three Total)], "svm_qemu": [$(boot_row qemu-three Total)]},
 "boot_exits_cpuid_per_core": {"vmx_bochs": [$(boot_row bochs-three CPUID)], "svm_qemu": [$(boot_row qemu-three CPUID)]},
 "steady_state_window_ms": 100,
 "steady_state_exits_per_core": {"vmx_bochs": [$(steady bochs-three)], "svm_qemu": [$(steady qemu-three)]},
 "smp_second_core_started": {"vmx_bochs": $(started bochs-smp), "svm_qemu": $(started qemu-smp)},
 "smp_ticks_to_last_launch": {"vmx_bochs": $(last bochs-smp), "svm_qemu": $(last qemu-smp)},
 "smp_start_request_to_guest_ticks_svm": ${start_ticks_q:-null},
 "smp_boot_exits_total_per_core": {"vmx_bochs": [$(boot_row bochs-smp Total)], "svm_qemu": [$(boot_row qemu-smp Total)]},
 "smp_steady_state_exits_per_core": {"vmx_bochs": [$(steady bochs-smp)], "svm_qemu": [$(steady qemu-smp)]},
 "ipi_contained_xapic_trapped_sandboxes": {"vmx_bochs": $(trapped bochs-ipi), "svm_qemu": $(trapped qemu-ipi)},
 "ipi_violation_records": {"vmx_bochs": $(ipi_records bochs-ipi), "svm_qemu": $(ipi_records qemu-ipi)},
 "ipi_boot_ept_violation_exits_per_core": {"vmx_bochs": [$(boot_row bochs-ipi 'EPT Violation')], "svm_qemu": [$(boot_row qemu-ipi 'EPT Violation')]},
 "ipi_steady_state_exits_per_core": {"vmx_bochs": [$(steady bochs-ipi)], "svm_qemu": [$(steady qemu-ipi)]},
 "faults_a_ept_violation_records": {"vmx_bochs": $(records bochs-faults), "svm_qemu": $(records qemu-faults)},
 "wall_seconds": {"three_vmx_bochs": ${wall[bochs-three]}, "three_svm_qemu": ${wall[qemu-three]},
                  "faults_a_vmx_bochs": ${wall[bochs-faults]}, "faults_a_svm_qemu": ${wall[qemu-faults]}},
 "runs_per_hour": {"system_test_vmx_bochs": $(per_hour "${wall[bochs-three]}"), "system_test_svm_qemu": $(per_hour "${wall[qemu-three]}"),
                   "campaign_run_vmx_bochs": $(per_hour "${wall[bochs-faults]}"), "campaign_run_svm_qemu": $(per_hour "${wall[qemu-faults]}")}}
JSON
echo "wrote $out/svm.json"
