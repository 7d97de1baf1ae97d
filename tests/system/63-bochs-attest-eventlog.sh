# The event-log hypercall end to end (Bochs, VMX, config/tests/kernel-attest.xml):
# the I/O sandbox ("io", owns a device) reads the measured-launch event log
# from its monitor with hypercall 8 and prints it on its console; the host
# takes it from there, finds it byte for byte the log the monitor printed,
# tpm2_eventlog parses it and attest-verify replays it against the golden
# digests of the images in the ISO.  Bochs has no TPM, so the verifier's
# final verdict is "unmeasured" (that case is test 61's; here the log is the
# point).  Bad input: a sandbox without a device is refused (TRIAD_E_PERM),
# an offset past the end gets TRIAD_E_INVAL, a buffer outside the caller's
# RAM gets TRIAD_E_FAULT and a bad-hypercall fault record; nothing halts.
# REQ: ATT-LOG-001, ATT-PCR-001, ATT-QUOTE-002, MON-HC-002
. tests/system/lib.sh
make -s --no-print-directory "$PWD/$BUILD/iso/cfg-kernel-attest.iso" "$PWD/$BUILD/tools/attest-verify" >/dev/null
d=$RUNS/attest-io
boot attest-io bochs "$BUILD/iso/cfg-kernel-attest.iso" --cores 2 --memory 192 \
  --serial-ports 3 --ips 10000000 --timeout 180
mon=$d/com1.log io=$d/com2.log app=$d/com3.log
x=$RUNS/attest-io-evidence
rm -rf "$x" && mkdir -p "$x/monitor" "$x/io"
check "the io sandbox's boot script ends the run (TRIAD-EXIT 0)" test "$status" -eq 0
expect_line "monitor: no TPM in Bochs, the log is kept all the same" "$mon" 'attest: no TPM .*this boot is unmeasured'
expect_line "io: the monitor hands the log to the device owner" "$io" '^attest: event log of [0-9]+ bytes from the monitor \(hypercall 8\)$'
expect_line "io: the whole log printed" "$io" '^attest: event-log end [0-9]+$'
expect_line "io: at the end 0 bytes, past the end TRIAD_E_INVAL, outside RAM TRIAD_E_FAULT" "$io" \
  '^attest: read at the end -> 0, past the end -> -3, buffer outside RAM -> -2$'
expect_line "monitor: the bad buffer is a bad-hypercall fault record of io" "$mon" 'FAULT .*sandbox=0 name=io kind=bad-hypercall .*qual=0xfffffffffffffffe action=log$'
expect_line "app: a sandbox without a device is refused (TRIAD_E_PERM)" "$app" \
  '^attest: event log refused by the monitor \(error -4\)$'
check "app: and printed no log" bash -c "! console '$app' | grep -q 'attest: event-log'"
expect_line "io: still runs after the refusals (boot script)" "$io" "^shell: 'hello_world' \(pid 1\) exited with status 0$"
# The quote hypercall (9) on a boot without a TPM: refused as unmeasured, bad
# requests refused first, the sandbox without a device refused outright.
expect_line "io: quote refusals (no PCR, PCR 24, empty nonce, short buffer: INVAL; outside RAM: FAULT)" "$io" \
  '^attest: quote refusals: no PCR -> -3, PCR 24 -> -3, empty nonce -> -3, short buffer -> -3, buffer outside RAM -> -2$'
expect_line "io: no TPM, so the quote hypercall says unmeasured (TRIAD_E_UNMEASURED)" "$io" \
  '^attest: quote service unavailable: error -7, this boot is unmeasured'
expect_line "app: the quote hypercall is refused too (TRIAD_E_PERM)" "$app" \
  '^attest: quote service unavailable: error -4, not allowed to this sandbox$'

# The golden values of what this ISO carries (the build's files may have been
# rebuilt since the ISO was made): taken out of the ISO itself.
xorriso -osirrox on -indev "$BUILD/iso/cfg-kernel-attest.iso" -extract /boot/sandbox-kernel.elf "$x/sandbox-kernel.elf" \
  -extract /boot/system.bin "$x/system.bin" >/dev/null 2>&1
verify() { "$BUILD/tools/attest-verify" "$@" --golden "$BUILD/attest/golden.txt" \
  --image "sandbox-kernel=$x/sandbox-kernel.elf" --image "system.bin=$x/system.bin"; }
verify --console "$mon" --extract "$x/monitor" >"$x/monitor.verdict" 2>&1
verify --console "$io" --extract "$x/io" >"$x/io.verdict" 2>&1
check "host: the log read through the io sandbox is the monitor's, byte for byte" \
  cmp "$x/io/event-log.bin" "$x/monitor/event-log.bin"
check "host: tpm2_eventlog parses it" bash -c "tpm2_eventlog '$x/io/event-log.bin' >'$x/eventlog.yaml' 2>'$x/eventlog.err'"
check "host: tpm2_eventlog sees both sandbox images in PCR 10" \
  test "$(grep -c 'PCRIndex: 10' "$x/eventlog.yaml")" -eq 2
verify --console "$mon" --log "$x/io/event-log.bin" >"$x/verdict" 2>&1
sed 's/^/# /' "$x/verdict"
check "host: io's kernel image matches its golden digest" grep -qE '^component io kernel sandbox-kernel: .*OK$' "$x/verdict"
check "host: app's kernel image matches its golden digest" grep -qE '^component app kernel sandbox-kernel: .*OK$' "$x/verdict"
check "host: system.bin matches the table the ISO carries" grep -qE '^component system.bin: .*OK$' "$x/verdict"
check "host: verdict is unmeasured (no TPM), not a log failure" grep -q '^REJECTED: TPM: this boot is unmeasured' "$x/verdict"
# The same log with one measured digest changed: the component is named.
python3 - "$x/io/event-log.bin" "$x/tampered.bin" <<'PY'
import sys, struct
b = bytearray(open(sys.argv[1], 'rb').read())
off = 32 + struct.unpack_from('<I', b, 28)[0]      # past the Spec ID header event
for _ in range(2):                                  # skip the launch and system.bin events
    off += 4 + 4 + 4 + 2 + 32; off += 4 + struct.unpack_from('<I', b, off)[0]
b[off + 14] ^= 1                                    # first sandbox image's digest
open(sys.argv[2], 'wb').write(b)
PY
verify --console "$mon" --log "$x/tampered.bin" >"$x/tampered.verdict" 2>&1
check "tampered log: io's image is named as mismatching" grep -qE '^component io kernel sandbox-kernel: .*MISMATCH' "$x/tampered.verdict"
check "tampered log: rejected" grep -q '^REJECTED' "$x/tampered.verdict"
finish
