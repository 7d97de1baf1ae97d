# Both GRUB entries that start the monitor, under QEMU TCG: the plain
# multiboot2 entry, and the entry through Debian's tboot 1.10.5, which must
# report TXT absent, hand off to the monitor (ELF32 copy, padded command
# line: see docs/attestation.md) and have the monitor record that the launch
# has no dynamic root of trust.  No TPM here: both runs are unmeasured.
# (Bochs is not used: GRUB itself fails on the tboot entry there.)
# REQ: ATT-BOOT-001, ATT-TPM-001
. tests/system/lib.sh
# Both ISOs carry the 2-core system of test 63 (config/tests/kernel-attest.xml)
# with the kernel its golden digests were made from: build/system.bin
# (uav-tmr) needs 6 cores and 512 MiB, which a 2-core QEMU does not have once
# the monitor launches sandboxes there.  The monitor ends the run itself.
make -s --no-print-directory "$PWD/$BUILD/config/tests/kernel-attest.bin" "$PWD/$BUILD/monitor/monitor32.elf" >/dev/null
d=$RUNS/entries
rm -rf "$d" && mkdir -p "$d/files"
cp "$BUILD/monitor/monitor.elf" "$BUILD/monitor/monitor32.elf" "$d/files/"
cp "$BUILD/sandbox-kernel/with-programs/sandbox-kernel.elf" "$d/files/"
for entry in monitor tboot; do
  SYSTEM_BIN=$BUILD/config/tests/kernel-attest.bin MONITOR_ARGS="triad.settle-ms=300 triad.window-ms=100 triad.end-ms=30000" \
    tools/iso/mkiso.sh "$entry" "$d/$entry.iso" "$d"/files/* >/dev/null
done
for entry in monitor tboot; do
  boot "entry-$entry" qemu "$d/$entry.iso" --cores 2 --icount 5 --timeout 90
  log=$RUNS/entry-$entry/com1.log
  check "$entry entry: run ends with the monitor's exit status 0" test "$status" -eq 0
  expect_line "$entry entry: the monitor starts" "$log" '\[monitor\] Triad monitor .* starting'
  expect_line "$entry entry: system.bin and the kernel are modules" "$log" 'module 1: .* system.bin$'
  expect_line "$entry entry: no TPM is reported, the boot is unmeasured" "$log" \
    'attest: no TPM .*this boot is unmeasured'
  expect_line "$entry entry: system.bin measured into PCR 9 (event log only)" "$log" 'attest: pcr 9 [0-9a-f]{64} system.bin$'
done
log=$RUNS/entry-tboot/com1.log
expect_line "tboot: reports that TXT is absent" "$log" 'TBOOT: (Non-Intel CPU detected|SINIT ACM not provided)'
expect_line "tboot: hands off to the monitor" "$log" 'TBOOT: transfering control to kernel'
expect_line "tboot: monitor records no dynamic root of trust" "$log" \
  'attest: Triad launch: tboot, TXT absent: no dynamic root of trust'
expect_line "GRUB entry: monitor records the plain launch" "$RUNS/entry-monitor/com1.log" \
  'attest: Triad launch: GRUB, no dynamic root of trust'
finish
