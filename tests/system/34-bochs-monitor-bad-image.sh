# Bochs, 3 cores: secure launch.  monitor-bad-image.bin carries the real
# golden digest of the built kernel for alpha and gamma (sysgen --image) and
# a deliberately wrong one for beta.  The measured launch finds beta's image
# different: one image-mismatch fault record names beta, nothing of it is
# loaded or launched, its core idles; alpha and gamma boot and print their
# banners, and the steady state still has zero exits.
# REQ: MON-EPT-001, MON-EXIT-001, ATT-GOLD-001
. tests/system/lib.sh
boot monitor-bad-image bochs "$BUILD/iso/cfg-monitor-bad-image.iso" --cores 3 --memory 256 --serial-ports 4 --timeout 240
d=$RUNS/monitor-bad-image
log=$d/com1.log
check "run ends with the monitor's exit status 0" test "$status" -eq 0
expect_line "alpha's image matches its real golden digest" "$log" 'attest: sandbox 0 alpha: image matches its golden digest'
expect_line "gamma's image matches its real golden digest" "$log" 'attest: sandbox 2 gamma: image matches its golden digest'
expect_line "beta's image differs from its golden digest" "$log" 'attest: sandbox 1 beta: image digest differs from the golden value, sandbox will not launch'
expect_line "beta refused by the launch path" "$log" 'sandbox 1 beta: kernel image sandbox-kernel differs from its golden digest: not launched'
expect_line "refusal record names beta, kind image-mismatch" "$log" \
  'FAULT seq=0 t=[0-9]+ core=1 sandbox=1 name=beta kind=image-mismatch gpa=0x[0-9a-f]{16} rip=0x0000000000000000 qual=0x[0-9a-f]{16} action=halt'
check "exactly one fault record" test "$(console "$log" | grep -c 'FAULT seq=')" -eq 1
check "beta never launched" bash -c "! grep -q 'launching sandbox 1 ' '$log'"
expect_line "alpha launched on core 0" "$log" 'core 0: launching sandbox 0 '
expect_line "gamma launched on core 2" "$log" 'core 2: launching sandbox 2 '
expect_line "the two verified sandboxes count as all launched" "$log" '^(\[monitor\] )?all 2 sandboxes launched'
expect_line "alpha: banner on COM2" "$d/com2.log" '^Triad sandbox kernel'
check "beta: nothing on COM3" bash -c "! grep -q 'Triad sandbox kernel' '$d/com3.log' 2>/dev/null"
expect_line "gamma: banner on COM4" "$d/com4.log" '^Triad sandbox kernel'
expect_line "gamma: heartbeat" "$d/com4.log" 'heartbeat'
expect_line "steady state: zero exits on the running cores" "$log" \
  'steady-state window closed at tsc [0-9]+ after 100 ms: exits core0=0 core1=0 core2=0$'
finish
