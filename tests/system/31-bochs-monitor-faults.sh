# Bochs, 3 cores per run: each of the seven isolation faults is triggered by
# a sandbox kernel (triad.test=...) and must give one FAULT record on COM1
# naming that sandbox, the address it touched and a RIP inside its kernel,
# while a clean sandbox on another core keeps printing its heartbeat.
# REQ: MON-FLT-001, MON-EPTMAP-001
. tests/system/lib.sh

# fault_case RUN COM NAME KIND ADDR_REGEX: one record for NAME of KIND at ADDR.
fault_case() {
  local run=$1 com=$2 name=$3 kind=$4 addr=$5 log=$RUNS/$1/com1.log
  local line
  line=$(console "$log" | grep -E "FAULT .* name=$name kind=$kind " | head -1)
  check "$run: $name: one $kind record" test "$(console "$log" | grep -cE "FAULT .* name=$name kind=$kind ")" -eq 1
  check "$run: $name: record names address $addr" grep -qE "gpa=0x0*$addr " <<<"$line"
  check "$run: $name: RIP inside the kernel image" grep -qE 'rip=0x00000000001[0-9a-f]{5} ' <<<"$line"
  expect_line "$run: $name: kernel announced the test" "$RUNS/$run/com$com.log" "kernel: running test"
}

# still_running RUN COM NAME: the clean sandbox printed heartbeats after the faults.
still_running() {
  local n
  n=$(console "$RUNS/$1/com$2.log" | grep -c '^kernel: alive')
  check "$1: $3 keeps running (heartbeats: $n)" test "$n" -ge 3
  check "$1: $3 has no fault" bash -c "! console $RUNS/$1/com1.log | grep -q 'name=$3 '"
  export -f console
}
export -f console

boot faults-a bochs "$BUILD/iso/cfg-monitor-faults-a.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
check "faults-a: run ends with status 0" test "$status" -eq 0
a_addr=$(console "$RUNS/faults-a/com2.log" | grep -oE 'writing to [0-9a-f]+' | head -1 | awk '{print $3}')
fault_case faults-a 2 alpha ept-violation "${a_addr:-none}"
b_addr=$(console "$RUNS/faults-a/com3.log" | grep -oE 'writing to [0-9a-f]+' | head -1 | awk '{print $3}')
fault_case faults-a 3 beta ept-violation "${b_addr:-none}"
expect_line "faults-a: alpha halted on its core" "$RUNS/faults-a/com1.log" 'core 0: sandbox 0 halted'
still_running faults-a 4 gamma

boot faults-b bochs "$BUILD/iso/cfg-monitor-faults-b.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
check "faults-b: run ends with status 0" test "$status" -eq 0
fault_case faults-b 2 alpha ept-violation fec00000
fault_case faults-b 3 beta io-violation 2f8
check "faults-b: beta never wrote on alpha's UART" bash -c "! console $RUNS/faults-b/com2.log | grep -q '^X'"
still_running faults-b 4 gamma

boot faults-c bochs "$BUILD/iso/cfg-monitor-faults-c.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
check "faults-c: run ends with status 0" test "$status" -eq 0
line=$(console "$RUNS/faults-c/com1.log" | grep -E 'FAULT .* name=alpha kind=vmx-instruction' | head -1)
check "faults-c: alpha: VMX instruction recorded and halted" grep -q 'action=halt' <<<"$line"
check "faults-c: alpha: RIP inside the kernel image" grep -qE 'rip=0x00000000001[0-9a-f]{5} ' <<<"$line"
line=$(console "$RUNS/faults-c/com1.log" | grep -E 'FAULT .* name=beta kind=bad-hypercall' | head -1)
check "faults-c: beta: pointer outside its RAM recorded (address 0x2001000)" grep -qE 'gpa=0x0*2001000 .*action=log' <<<"$line"
expect_line "faults-c: beta: hypercall refused with TRIAD_E_FAULT" "$RUNS/faults-c/com3.log" 'outside RAM returned -2'
line=$(console "$RUNS/faults-c/com1.log" | grep -E 'FAULT .* name=gamma kind=bad-hypercall' | head -1)
check "faults-c: gamma: unknown number 0xdead recorded" grep -qE 'gpa=0x0*dead .*action=log' <<<"$line"
expect_line "faults-c: gamma: refused with TRIAD_E_NOSYS" "$RUNS/faults-c/com4.log" 'unknown hypercall returned -1'
n=$(console "$RUNS/faults-c/com4.log" | grep -c '^kernel: alive')
check "faults-c: gamma keeps running after its refused hypercall ($n heartbeats)" test "$n" -ge 3
expect_line "faults-c: beta keeps running" "$RUNS/faults-c/com3.log" 'kernel: test bad-hypercall-pointer done'
finish
