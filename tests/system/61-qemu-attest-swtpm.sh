# Measured launch with a real TPM 2.0 (swtpm, a fresh one per boot started,
# attached to QEMU as a TIS device and stopped by the runner: run-emu
# --swtpm, its state and log in the boot's run directory), and the
# host verifier (build/tools/attest-verify, attest/verify/) on the evidence
# the monitor prints, against the golden manifest the build writes
# (build/attest/golden.txt).
#   good boot: verifies (signature, nonce, replayed PCRs, golden images), and
#              tpm2-tools agree (tpm2_checkquote, tpm2_eventlog);
#   run time:  the I/O sandbox serves a quote (hypercall 9) for the
#              verifier's fresh nonce typed on its console; it verifies with
#              that nonce and is rejected as replayed under another; bad
#              requests refused (INVAL, FAULT + fault record, PERM);
#   tampered event log, stale nonce, tampered sandbox image, no TPM, a TPM
#              that answers with an error: each rejected with its own message
#              naming the component; the monitor never hangs.
# REQ: ATT-PCR-001, ATT-QUOTE-001, ATT-QUOTE-002, ATT-TPM-001
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
margs="triad.settle-ms=300 triad.window-ms=100"
nonce=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
# iso NAME KERNEL ARGS [END-MS]: a monitor ISO with that kernel module and
# command line; the run ends END-MS virtual ms after the launch (default
# 30000), or sooner when the I/O sandbox's boot script halts.
iso() {
  local stage=$d/files-$1; mkdir -p "$stage"
  cp "$BUILD/monitor/monitor.elf" "$stage/"
  cp "$2" "$stage/sandbox-kernel.elf"
  cp "$table" "$stage/system.bin"
  MONITOR_ARGS="$3 $margs triad.end-ms=${4:-30000}" tools/iso/mkiso.sh monitor "$d/$1.iso" "$stage"/* >/dev/null
}
verify() { "$BUILD/tools/attest-verify" --console "$1" "${@:2}" >"$1.verdict" 2>&1; }
verdict_says() { grep -qE -- "$2" "$1.verdict"; }
rejected() { ! "$@"; }

# 1. A good boot.  Besides the boot-time quote (the nonce on the monitor's
#    command line), the I/O sandbox serves quotes at run time: once it says
#    it is ready, the verifier's fresh nonce is typed on its console (COM2),
#    after two bad requests (not hex; 33 bytes, over the monitor's limit).
# The I/O sandbox serves for 120 virtual s (kernel-attest.xml's boot script)
# and halts the run after the 'end' request: the run may last that long.
iso good "$kernel" "triad.nonce=$nonce" 150000
qnonce=$("$BUILD/tools/attest-verify" --new-nonce)
long=$(printf '%066d' 0)
printf 'quote nothex\rquote %s\rquote %s\rend\r' "$long" "$qnonce" >"$d/requests"
# COM2 is a socket QEMU listens on and logs (the runner captures COM1 and
# types only there): once the I/O sandbox offers quotes, the requests go in.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -rf "$RUNS/attest-good"          # no offer left from an earlier run
feed_requests() {   # waits for the offer in COM2's log, then types the requests
  local io=$RUNS/attest-good/com2.log
  for _ in $(seq 1 1500); do
    grep -aq 'attest: quote service ready' "$io" 2>/dev/null && break
    sleep 0.1
  done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    exec 3<>"/dev/tcp/127.0.0.1/$port" && break
    sleep 0.5
  done
  cat "$d/requests" >&3 && sleep 1 && exec 3>&-
}
feed_requests 2>"$d/feed.err" &
feeder=$!
boot attest-good qemu "$d/good.iso" --cores 2 --icount 5 --timeout 240 --swtpm --serial-ports 1 \
  --extra=-chardev --extra "socket,id=com2,host=127.0.0.1,port=$port,server=on,wait=off,logfile=$RUNS/attest-good/com2.log" \
  --extra=-serial --extra chardev:com2 --extra=-serial --extra "file:$RUNS/attest-good/com3.log"
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
log=$RUNS/attest-good/com1.log
check "good boot: monitor exits 0" test "$status" -eq 0
check "runner: its swtpm kept its state and log in the run directory" \
  test -s "$RUNS/attest-good/swtpm/tpm2-00.permall" -a -f "$RUNS/attest-good/swtpm.log"
check "runner: its swtpm is stopped once the run ends" bash -c "! pgrep -f '[d]ir=$RUNS/attest-good/swtpm' >/dev/null"
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
  # The run-time quote (hypercall 9), served by the I/O sandbox.
  expect_line "run time: the I/O sandbox offers quotes" "$io" "^attest: quote service ready"
  expect_line "run time: a nonce that is not hex is refused in the sandbox" "$io" \
    '^attest: quote request refused here: the nonce must be 1 to 64 bytes of hex$'
  expect_line "run time: a 33-byte nonce is refused by the monitor (TRIAD_E_INVAL)" "$io" \
    '^attest: quote refused by the monitor: error -3, bad argument$'
  expect_line "run time: the quote is served" "$io" '^attest: quote served \(hypercall 9\): 16-byte nonce'
  expect_line "run time: the monitor made it with the key of the boot" "$log" \
    'attest: quote for the I/O sandbox: PCR mask 0x000f00, 16-byte nonce, 1 TPM command'
  expect_line "run time: bad requests refused (no PCR, PCR 24, empty nonce, short buffer: INVAL; outside RAM: FAULT)" "$io" \
    '^attest: quote refusals: no PCR -> -3, PCR 24 -> -3, empty nonce -> -3, short buffer -> -3, buffer outside RAM -> -2$'
  check "run time: both bad buffers are bad-hypercall fault records of io" \
    test "$(console "$log" | grep -cE 'FAULT .*sandbox=0 name=io kind=bad-hypercall .*qual=0xfffffffffffffffe')" -eq 2
  expect_line "run time: the sandbox without a device may not ask (TRIAD_E_PERM)" "$RUNS/attest-good/com3.log" \
    '^attest: quote service unavailable: error -4, not allowed to this sandbox$'
  mkdir -p "$d/rt"
  check "run time: the verifier accepts the I/O sandbox's evidence with its fresh nonce" \
    verify "$io" --nonce "$qnonce" "${golden[@]}" --extract "$d/rt"
  sed 's/^/# rt /' "$io.verdict"
  check "run time: the launch type read from the event log" verdict_says "$io" '^launch: GRUB, no dynamic root of trust \(from the event log\)$'
  echo "# run-time quote: $(console "$io" | grep -o 'quote served.*')"
  echo "# run-time quote: $(console "$log" | grep -o 'quote for the I/O sandbox.*')"
  check "run time: tpm2_checkquote accepts the run-time quote and nonce" \
    tpm2_checkquote -u "$d/rt/ak.pub" -m "$d/rt/quote.msg" -s "$d/rt/quote.sig" -g sha256 -q "$qnonce"
  check "run time: the same attestation key as the boot-time quote" cmp "$d/rt/ak.pub" "$d/ak.pub"
  cp "$io" "$d/rt-replayed.log"
  check "run time: the quote presented for another challenge is rejected" \
    rejected verify "$d/rt-replayed.log" --nonce "$nonce" "${golden[@]}"
  check "run time: ... as stale or replayed" verdict_says "$d/rt-replayed.log" '^REJECTED: quote: nonce [0-9a-f]+ is not ours: a stale or replayed quote'
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
# Both sandboxes share the image, neither launches: 2 virtual s are enough.
iso badimg "$d/bad-kernel.elf" "triad.nonce=$nonce" 2000
boot attest-badimg qemu "$d/badimg.iso" --cores 2 --icount 5 --timeout 120 --swtpm
check "tampered image: rejected" rejected verify "$RUNS/attest-badimg/com1.log" --nonce "$nonce" "${golden[@]}"
grep MISMATCH "$RUNS/attest-badimg/com1.log.verdict" | head -1 | sed 's/^/# /' 
check "tampered image: names the sandbox-kernel component" verdict_says "$RUNS/attest-badimg/com1.log" 'kernel sandbox-kernel: measured .* differs from golden sandbox-kernel.*MISMATCH'
check "tampered image: the quote itself is genuine" verdict_says "$RUNS/attest-badimg/com1.log" 'quote: signature valid'

# 5. No TPM: the monitor boots on, the evidence says unmeasured.
boot attest-notpm qemu "$d/good.iso" --cores 2 --icount 5 --timeout 60
check "no TPM: monitor still exits 0" test "$status" -eq 0
check "no TPM: verifier rejects an unmeasured boot" rejected verify "$RUNS/attest-notpm/com1.log" --nonce "$nonce" "${golden[@]}"
check "no TPM: says unmeasured" verdict_says "$RUNS/attest-notpm/com1.log" '^REJECTED: TPM: this boot is unmeasured'
if grep -q 'launching sandbox 0 (io)' "$RUNS/attest-notpm/com1.log"; then
  expect_line "no TPM: the quote hypercall says unmeasured (TRIAD_E_UNMEASURED)" "$RUNS/attest-notpm/com2.log" \
    '^attest: quote service unavailable: error -7, this boot is unmeasured'
fi

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
boot attest-tpmerr qemu "$d/good.iso" --cores 2 --icount 5 --timeout 120 --swtpm --swtpm-state "$prep"
rm -rf "$prep"
log=$RUNS/attest-tpmerr/com1.log
check "TPM error: monitor does not hang and exits 0" test "$status" -eq 0
expect_line "TPM error: monitor names the failing command and the rc" "$log" \
  'attest: TPM CreatePrimary \(attestation key\) failed: rc 0x0*9a2'
expect_line "TPM error: monitor says the boot is unmeasured" "$log" 'TPM absent or failed: unmeasured'
expect_line "TPM error: the sandboxes still boot" "$log" 'attest: sandbox 0 io: image matches its golden digest'
if grep -q 'launching sandbox 0 (io)' "$log"; then
  expect_line "TPM error: no attestation key, so no quote at run time" "$RUNS/attest-tpmerr/com2.log" \
    '^attest: quote service unavailable: error -7, this boot is unmeasured'
fi
check "TPM error: verifier rejects" rejected verify "$log" --nonce "$nonce" "${golden[@]}"
check "TPM error: verifier names the TPM and the command" verdict_says "$log" \
  '^REJECTED: TPM: CreatePrimary \(attestation key\) failed: rc 0x0*9a2'
sed 's/^/# /' "$log.verdict" | tail -1

# The runner's own bad input: each refused before anything starts (125).
tools/run-emu --emu bochs --iso "$d/good.iso" --swtpm --out "$d/swtpm-bochs" 2>"$d/swtpm-bochs.err"
check "runner: --swtpm under Bochs refused (no TPM there)" bash -c "[ $? -eq 125 ] && grep -q 'QEMU only' '$d/swtpm-bochs.err'"
tools/run-emu --emu qemu --iso "$d/good.iso" --swtpm --swtpm-state "$d/nonexistent" --out "$d/swtpm-nostate" 2>"$d/swtpm-nostate.err"
check "runner: a missing --swtpm-state refused, named" bash -c "[ $? -eq 125 ] && grep -q 'no TPM state .*nonexistent/tpm2-00.permall' '$d/swtpm-nostate.err'"
check "runner: nothing started for them" test ! -e "$d/swtpm-bochs/swtpm" -a ! -e "$d/swtpm-nostate/swtpm"

# The verifier's own bad input: a malformed manifest is refused (exit 2).
printf 'system.bin 9 nothex\n' >"$d/bad-manifest.txt"
check "bad manifest: verifier refuses it" bash -c "'$BUILD/tools/attest-verify' --console '$RUNS/attest-good/com1.log' --golden '$d/bad-manifest.txt' 2>'$d/bad-manifest.err'; [ \$? -eq 2 ]"
check "bad manifest: names the line" grep -q 'manifest line 1: digest is not 64 hex digits' "$d/bad-manifest.err"
finish
