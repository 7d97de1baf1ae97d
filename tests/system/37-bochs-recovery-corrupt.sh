# Bochs, 3 cores: a pristine image that no longer matches the digest taken
# at boot is refused.  The monitor's test option triad.test-corrupt-pristine=0
# flips one byte of alpha's pristine copy after boot; alpha's first-boot
# fault asks for a restart (restart_cold), the reload check finds the digest
# different, the restart is refused and alpha halted; its RAM is not
# scrubbed or reloaded; beta and gamma keep printing.
# REQ: REC-RST-002
. tests/system/lib.sh
boot recovery-corrupt bochs "$BUILD/iso/cfg-recovery-corrupt.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
d=$RUNS/recovery-corrupt
log=$d/com1.log
check "run ends with status 0" test "$status" -eq 0
expect_line "pristine copy corrupted by the test option" "$log" 'test: pristine image of sandbox 0 corrupted after its boot digest'
expect_line "alpha: fault asks for a restart" "$log" 'FAULT .* name=alpha kind=ept-violation .* action=restart-cold'
expect_line "alpha: restart refused" "$log" 'RECOVERY sandbox=0 name=alpha refused: pristine image differs from its boot digest'
expect_line "alpha: halted" "$log" 'core 0: sandbox 0 halted'
check "alpha: never relaunched" bash -c "! console $log | grep -q 'RECOVERY sandbox=0 name=alpha restart='"
check "alpha: banner once" test "$(console "$d/com2.log" | grep -c '^Triad sandbox kernel')" -eq 1
for s in 3:beta 4:gamma; do
  n=$(console "$d/com${s%%:*}.log" | grep -c '^kernel: alive')
  check "${s#*:} keeps printing ($n heartbeats)" test "$n" -ge 3
done
finish
