# Measured launch with a real TPM 2.0 (swtpm, started here in a temporary
# directory and stopped at the end) attached to QEMU as a TIS device, and the
# host verifier (build/tools/attest-verify, attest/verify/) on the evidence
# the monitor prints, against the golden manifest the build writes
# (build/attest/golden.txt).
#   good boot: verifies (signature, nonce, replayed PCRs, golden images), and
#              tpm2-tools agree (tpm2_checkquote, tpm2_eventlog);
#   tampered event log, stale nonce, tampered sandbox image, no TPM, a TPM
#              that answers with an error: each rejected with its own message
#              naming the component; the monitor never hangs.
# REQ: ATT-PCR-001, ATT-QUOTE-001, ATT-TPM-001
. tests/system/lib.sh
d=$RUNS/attest
rm -rf "$d" && mkdir -p "$d"
# The 2-core system of test 63 (config/tests/kernel-attest.xml: an I/O
# sandbox that reads the event log through hypercall 8, and a sandbox without
# a device), with the kernel its golden digests were made from.  Where the
# monitor launches sandboxes under QEMU (the SVM backend), the I/O sandbox's
# copy of the log is checked too.
make -s --no-print-directory "$PWD/$BUILD/config/tests/kernel-attest.bin" >/dev/null
kernel=$BUILD/sandbox-kernel/with-programs/sandbox-kernel.elf
table=$BUILD/config/tests/kernel-attest.bin
golden=(--golden "$BUILD/attest/golden.txt" --image "sandbox-kernel=$kernel" --image "system.bin=$table")
margs="triad.settle-ms=300 triad.window-ms=100 triad.end-ms=30000"
nonce=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
tpmdir=$(mktemp -d /tmp/triad-swtpm.XXXXXX)
stop_tpm() { [ -f "$tpmdir/pid" ] && kill "$(cat "$tpmdir/pid")" 2>/dev/null; rm -rf "$tpmdir"; }
trap stop_tpm EXIT
start_tpm() {   # a fresh TPM (manufactured state) for each boot
  stop_tpm; tpmdir=$(mktemp -d /tmp/triad-swtpm.XXXXXX)
  [ -n "$1" ] && cp "$1"/tpm2-00.permall "$tpmdir/"     # a prepared TPM state
  swtpm socket --tpm2 --tpmstate dir="$tpmdir" --ctrl type=unixio,path="$tpmdir/sock" \
    --pid file="$tpmdir/pid" -d
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tpmdir/sock" ] && break; sleep 0.2; done
}
# iso NAME KERNEL ARGS: a monitor ISO with that kernel module and command line.
iso() {
  local stage=$d/files-$1; mkdir -p "$stage"
  cp "$BUILD/monitor/monitor.elf" "$stage/"
  cp "$2" "$stage/sandbox-kernel.elf"
  cp "$table" "$stage/system.bin"
  MONITOR_ARGS="$3 $margs" tools/iso/mkiso.sh monitor "$d/$1.iso" "$stage"/* >/dev/null
}
verify() { "$BUILD/tools/attest-verify" --console "$1" "${@:2}" >"$1.verdict" 2>&1; }
verdict_says() { grep -qE -- "$2" "$1.verdict"; }
rejected() { ! "$@"; }

# 1. A good boot.
iso good "$kernel" "triad.nonce=$nonce"
start_tpm
boot attest-good qemu "$d/good.iso" --cores 2 --icount 5 --timeout 120 --tpm "$tpmdir/sock"
log=$RUNS/attest-good/com1.log
check "good boot: monitor exits 0" test "$status" -eq 0
expect_line "good boot: TPM found at the TIS address" "$log" 'attest: TPM 2.0 TIS at 0xfed40000'
expect_line "good boot: attestation key printed" "$log" 'attest: ak-public end [0-9]+'
expect_line "good boot: quote printed" "$log" 'attest: quote-signature end [0-9]+'
check "good boot: verifier says VERIFIED" verify "$log" --nonce "$nonce" "${golden[@]}" --extract "$d"
sed 's/^/# /' "$log.verdict"
check "good boot: tpm2_checkquote accepts the quote and nonce" \
  tpm2_checkquote -u "$d/ak.pub" -m "$d/quote.msg" -s "$d/quote.sig" -g sha256 -q "$nonce"
check "good boot: tpm2_eventlog parses the event log" bash -c "tpm2_eventlog '$d/event-log.bin' >'$d/eventlog.yaml'"
check "good boot: tpm2_eventlog sees the system.bin event in PCR 9" grep -q 'PCRIndex: 9' "$d/eventlog.yaml"
polls=$(console "$log" | grep -oE '[0-9]+ commands \([0-9]+ retried\), [0-9]+ register polls')
echo "# TPM traffic of the good boot: $polls"
if grep -q 'launching sandbox 0 (io)' "$log"; then
  io=$RUNS/attest-good/com2.log
  mkdir -p "$d/io"
  "$BUILD/tools/attest-verify" --console "$io" --extract "$d/io" "${golden[@]}" >"$d/io.verdict" 2>&1
  check "good boot: the I/O sandbox's copy of the log (hypercall 8) is the monitor's" cmp "$d/io/event-log.bin" "$d/event-log.bin"
  check "good boot: the quote verifies against the I/O sandbox's copy" verify "$log" --log "$d/io/event-log.bin" --nonce "$nonce" "${golden[@]}"
else
  echo "# this monitor launches no sandbox under QEMU: the I/O sandbox's copy of the log is test 63's (Bochs)"
fi

# 2. The same evidence with one event's digest changed in the log.
python3 - "$d/event-log.bin" "$d/event-log.tampered" <<'PY'
import sys; b = bytearray(open(sys.argv[1], 'rb').read()); b[65 + 14] ^= 1
open(sys.argv[2], 'wb').write(b)
PY
cp "$log" "$d/tampered.log"
check "tampered event log: rejected" rejected verify "$d/tampered.log" --log "$d/event-log.tampered" --nonce "$nonce" "${golden[@]}"
check "tampered event log: names the replay mismatch" verdict_says "$d/tampered.log" '^REJECTED: event log: replay does not match the quoted PCR digest'
sed 's/^/# /' "$d/tampered.log.verdict" | tail -1

# 3. The good quote presented again to a verifier with a new nonce.
cp "$log" "$d/stale.log"
check "stale nonce: rejected" rejected verify "$d/stale.log" --nonce "00$nonce" "${golden[@]}"
check "stale nonce: says stale or replayed" verdict_says "$d/stale.log" '^REJECTED: quote: nonce [0-9a-f]+ is not ours: a stale or replayed quote'
sed 's/^/# /' "$d/stale.log.verdict" | tail -1

# 4. A boot with a tampered sandbox image (one byte changed).
cp "$kernel" "$d/bad-kernel.elf"
printf '\x5a' | dd of="$d/bad-kernel.elf" bs=1 seek=$(( $(stat -c %s "$kernel") - 1 )) conv=notrunc status=none
iso badimg "$d/bad-kernel.elf" "triad.nonce=$nonce"
start_tpm
boot attest-badimg qemu "$d/badimg.iso" --cores 2 --icount 5 --timeout 120 --tpm "$tpmdir/sock"
check "tampered image: rejected" rejected verify "$RUNS/attest-badimg/com1.log" --nonce "$nonce" "${golden[@]}"
grep MISMATCH "$RUNS/attest-badimg/com1.log.verdict" | head -1 | sed 's/^/# /' 
check "tampered image: names the sandbox-kernel component" verdict_says "$RUNS/attest-badimg/com1.log" 'kernel sandbox-kernel: measured .* differs from golden sandbox-kernel.*MISMATCH'
check "tampered image: the quote itself is genuine" verdict_says "$RUNS/attest-badimg/com1.log" 'quote: signature valid'

# 5. No TPM: the monitor boots on, the evidence says unmeasured.
boot attest-notpm qemu "$d/good.iso" --cores 2 --icount 5 --timeout 60
check "no TPM: monitor still exits 0" test "$status" -eq 0
check "no TPM: verifier rejects an unmeasured boot" rejected verify "$RUNS/attest-notpm/com1.log" --nonce "$nonce" "${golden[@]}"
check "no TPM: says unmeasured" verdict_says "$RUNS/attest-notpm/com1.log" '^REJECTED: TPM: this boot is unmeasured'

# 6. A TPM that answers with an error: its owner set an endorsement-hierarchy
#    password the monitor does not know, so TPM2_CreatePrimary (the
#    attestation key) answers TPM_RC_BAD_AUTH.  The state is prepared with
#    tpm2-tools over swtpm's TCP interface, then booted like the others.
prep=$(mktemp -d /tmp/triad-swtpm-prep.XXXXXX)
prepared=0
for _ in 1 2 3; do
  port=$((20000 + RANDOM % 20000))
  swtpm socket --tpm2 --tpmstate dir="$prep" --flags not-need-init,startup-clear \
    --server type=tcp,port=$port,bindaddr=127.0.0.1 --ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 \
    --pid file="$prep/pid" -d 2>>"$d/prep.err" || continue
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$prep/pid" ] && break; sleep 0.2; done
  TPM2TOOLS_TCTI="swtpm:host=127.0.0.1,port=$port" tpm2_changeauth -c e triad-test-owner 2>>"$d/prep.err" && prepared=1
  pid=$(cat "$prep/pid" 2>/dev/null)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  [ "$prepared" -eq 1 ] && break
done
check "TPM error: endorsement password set in the TPM state" test "$prepared" -eq 1
start_tpm "$prep"
rm -rf "$prep"
boot attest-tpmerr qemu "$d/good.iso" --cores 2 --icount 5 --timeout 120 --tpm "$tpmdir/sock"
log=$RUNS/attest-tpmerr/com1.log
check "TPM error: monitor does not hang and exits 0" test "$status" -eq 0
expect_line "TPM error: monitor names the failing command and the rc" "$log" \
  'attest: TPM CreatePrimary \(attestation key\) failed: rc 0x0*9a2'
expect_line "TPM error: monitor says the boot is unmeasured" "$log" 'TPM absent or failed: unmeasured'
expect_line "TPM error: the sandboxes still boot" "$log" 'attest: sandbox 0 io: image matches its golden digest'
check "TPM error: verifier rejects" rejected verify "$log" --nonce "$nonce" "${golden[@]}"
check "TPM error: verifier names the TPM and the command" verdict_says "$log" \
  '^REJECTED: TPM: CreatePrimary \(attestation key\) failed: rc 0x0*9a2'
sed 's/^/# /' "$log.verdict" | tail -1

# The verifier's own bad input: a malformed manifest is refused (exit 2).
printf 'system.bin 9 nothex\n' >"$d/bad-manifest.txt"
check "bad manifest: verifier refuses it" bash -c "'$BUILD/tools/attest-verify' --console '$RUNS/attest-good/com1.log' --golden '$d/bad-manifest.txt' 2>'$d/bad-manifest.err'; [ \$? -eq 2 ]"
check "bad manifest: names the line" grep -q 'manifest line 1: digest is not 64 hex digits' "$d/bad-manifest.err"
finish
