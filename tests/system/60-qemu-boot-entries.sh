# Both GRUB entries that start the monitor boot the same system, the UAV TMR
# system of build/system.bin (config/uav-tmr.xml: 6 sandboxes on 6 cores,
# 512 MiB; the four replicas boot their own image, replica-kernel, a further
# module), under QEMU TCG with the SVM backend, each with a fresh real TPM
# (swtpm, started and stopped by the runner: run-emu --swtpm): the plain
# multiboot2 entry, and the entry through Debian's tboot
# 1.10.5, which must report TXT absent, hand off to the monitor (ELF32 copy,
# padded command line: see docs/attestation.md) and have the monitor record
# that the launch has no dynamic root of trust.  tboot leaves the modules in
# the io sandbox's region (about 42 MiB; the monitor reserves 32 MiB): the
# monitor moves them into its own reservation before erasing any region, so
# every sandbox launches on both entries.  The evidence of each boot
# verifies against the build's golden manifest with its own nonce; both
# measured the same components, only the launch event (PCR 8) differs.
# (Bochs is not used: GRUB itself fails on the tboot entry there.)
# REQ: ATT-BOOT-001, ATT-BOOT-002, ATT-TPM-001
. tests/system/lib.sh
replica=$BUILD/sandbox-kernel/replica/stripped/replica-kernel.elf
make -s --no-print-directory "$PWD/$BUILD/system.bin" "$PWD/$BUILD/monitor/monitor32.elf" "$PWD/$replica" \
  "$PWD/$BUILD/tools/attest-verify" "$PWD/$BUILD/attest/golden.txt" >/dev/null
d=$RUNS/entries
rm -rf "$d" && mkdir -p "$d/files"
cp "$BUILD/monitor/monitor.elf" "$BUILD/monitor/monitor32.elf" "$BUILD/sandbox-kernel/sandbox-kernel.elf" "$d/files/"
nonce=$("$BUILD/tools/attest-verify" --new-nonce)
for entry in monitor tboot; do
  SYSTEM_BIN=$BUILD/system.bin MONITOR_ARGS="triad.settle-ms=300 triad.window-ms=100 triad.end-ms=600 triad.nonce=$nonce" \
    EXTRA_MODULES=$replica tools/iso/mkiso.sh "$entry" "$d/$entry.iso" "$d"/files/* >/dev/null
done
for entry in monitor tboot; do
  boot "entry-$entry" qemu "$d/$entry.iso" --cores 6 --memory 512 --icount 5 --timeout 240 --swtpm
  log=$RUNS/entry-$entry/com1.log
  check "$entry entry: run ends with the monitor's exit status 0" test "$status" -eq 0
  expect_line "$entry entry: the monitor starts" "$log" '\[monitor\] Triad monitor .* starting'
  expect_line "$entry entry: the uav-tmr system.bin is valid" "$log" 'system.bin: uav-tmr, 6 sandboxes, .* valid'
  expect_line "$entry entry: the TPM takes the measurements" "$log" 'attest: TPM 2.0 TIS at 0xfed40000'
  for sb in io fc-a fc-b fc-c fc-d sim; do
    expect_line "$entry entry: sandbox $sb launched" "$log" "launching sandbox [0-9] \\($sb\\)"
  done
  check "$entry entry: no sandbox refused" bash -c "! grep -aq 'overlaps the monitor or a module\|not launched' '$log'"
  mkdir -p "$d/$entry"
  "$BUILD/tools/attest-verify" --console "$log" --nonce "$nonce" --golden "$BUILD/attest/golden.txt" \
    --image "replica-kernel=$replica" --extract "$d/$entry" >"$d/$entry.verdict" 2>&1 || true
  check "$entry entry: the evidence verifies (quote, nonce, replay, golden images)" grep -q '^VERIFIED$' "$d/$entry.verdict"
  check "$entry entry: the four replicas' replica-kernel checked against its build" \
    test "$(grep -c '^component fc-[abcd] kernel replica-kernel: matches golden replica-kernel: OK$' "$d/$entry.verdict")" -eq 4
  sed 's/^/# /' "$d/$entry.verdict"
done
log=$RUNS/entry-tboot/com1.log
expect_line "tboot: reports that TXT is absent" "$log" 'TBOOT: (Non-Intel CPU detected|SINIT ACM not provided)'
expect_line "tboot: hands off to the monitor" "$log" 'TBOOT: transfering control to kernel'
expect_line "tboot: the monitor moves the modules out of the io sandbox's region" "$log" \
  'modules: sandbox-kernel moved out of a sandbox region: 0x0[0-9a-f]+ -> 0x00[0-9a-f]+'
expect_line "tboot: monitor records no dynamic root of trust" "$log" \
  'attest: Triad launch: tboot, TXT absent: no dynamic root of trust'
expect_line "GRUB entry: monitor records the plain launch" "$RUNS/entry-monitor/com1.log" \
  'attest: Triad launch: GRUB, no dynamic root of trust'
check "GRUB entry: nothing to move (the modules are in the monitor's reservation)" \
  bash -c "! grep -aq 'moved out of a sandbox region' '$RUNS/entry-monitor/com1.log'"
# The same system on both entries: the same measured components (every
# event but the launch type), PCR 8 alone differs.
check "both entries: the same components measured into PCRs 9-11" \
  bash -c "diff <(grep 'component' '$d/monitor.verdict') <(grep 'component' '$d/tboot.verdict')"
expect_line "GRUB entry: its launch event verified" "$d/monitor.verdict" '^launch: GRUB, no dynamic root of trust'
expect_line "tboot entry: its launch event verified" "$d/tboot.verdict" '^launch: tboot, TXT absent: no dynamic root of trust'
check "both entries: the PCR 8 launch events differ (tpm2_eventlog)" \
  bash -c "! cmp -s <(tpm2_eventlog '$d/monitor/event-log.bin' | grep -A8 'PCRIndex: 8') <(tpm2_eventlog '$d/tboot/event-log.bin' | grep -A8 'PCRIndex: 8')"
finish
