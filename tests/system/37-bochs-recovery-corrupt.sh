# Bochs, 3 cores: recovery's bad input (issue 9), one boot.
# - alpha: a pristine image that no longer matches the digest taken at boot
#   is refused.  The monitor's test option triad.test-corrupt-pristine=0
#   flips one byte of alpha's pristine copy after boot; alpha's first-boot
#   fault asks for a restart (restart_cold), the reload check finds the
#   digest different, the restart is refused and alpha halted; its RAM is
#   not scrubbed or reloaded.
# - beta: clean, keeps printing.
# (Every sandbox here restarts from the same kernel module, which alpha's
# test corrupts: the second fault during recovery is test 39's boot.)
# - gamma: asks the monitor to restart alpha, which it may not: refused
#   with TRIAD_E_PERM (-4), logged, and gamma keeps running.
# REQ: REC-RST-002, REC-HM-002, REC-HC-001
. tests/system/lib.sh
boot recovery-corrupt bochs "$BUILD/iso/cfg-recovery-corrupt.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 400
d=$RUNS/recovery-corrupt
log=$d/com1.log
check "run ends with status 0" test "$status" -eq 0
expect_line "pristine copy corrupted by the test option" "$log" 'test: pristine image of sandbox 0 corrupted after its boot digest'
expect_line "alpha: fault asks for a restart" "$log" 'FAULT .* name=alpha kind=ept-violation .* action=restart-cold'
expect_line "alpha: restart refused" "$log" 'RECOVERY sandbox=0 name=alpha refused: pristine image differs from its boot digest'
expect_line "alpha: halted" "$log" 'core 0: sandbox 0 halted'
check "alpha: never relaunched" bash -c "! console $log | grep -q 'RECOVERY sandbox=0 name=alpha restart='"
check "alpha: banner once" test "$(console "$d/com2.log" | grep -c '^Triad sandbox kernel')" -eq 1
# gamma: a restart request it may not make
expect_line "gamma: request to restart alpha refused and logged" "$log" \
  'HEALTH t=[0-9]+ core=2 sandbox=2 name=gamma kind=restart-request target=0 action=refused reason=not-permitted'
expect_line "gamma: the hypercall returned TRIAD_E_PERM" "$d/com4.log" 'kernel: restart request for sandbox 0 returned -4'
check "gamma: not restarted" bash -c "! console $log | grep -q 'RECOVERY sandbox=2'"
for s in 3:beta 4:gamma; do
  n=$(console "$d/com${s%%:*}.log" | grep -c '^kernel: alive')
  check "${s#*:} keeps printing ($n heartbeats)" test "$n" -ge 3
done
finish
