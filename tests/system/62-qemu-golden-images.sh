# Golden image digests: sysgen --image MODULE=PATH writes the SHA-256 of the
# built kernel into system.bin; the monitor compares each sandbox's image
# with it (a match, and a tampered image that it declares it will not
# launch); sysgen refuses a malformed --image, an unreadable file and a
# module no sandbox boots.  QEMU, no TPM (the comparison needs none).
# REQ: ATT-GOLD-001
. tests/system/lib.sh
d=$RUNS/golden
rm -rf "$d" && mkdir -p "$d"
sysgen=$BUILD/tools/sysgen
kernel=$BUILD/sandbox-kernel/sandbox-kernel.elf
run_sysgen() { "$sysgen" --schema config/system.xsd --bin "$d/$1.bin" "${@:2}" config/uav-tmr.xml 2>"$d/$1.err"; }

check "sysgen --image fills the golden digest" run_sysgen golden --image "sandbox-kernel=$kernel"
digest=$(sha256sum "$kernel" | cut -c1-64)
check "system.bin carries the kernel's SHA-256" bash -c "od -An -tx1 -v '$d/golden.bin' | tr -d ' \n' | grep -q $digest"
# config/uav-tmr.xml boots two images (io and sim: sandbox-kernel; the
# replicas: replica-kernel): one --image each, each sandbox gets its own
# module's digest; without replica-kernel's --image the replicas have none.
replica=$BUILD/sandbox-kernel/replica/stripped/replica-kernel.elf
make -s --no-print-directory "$PWD/$replica" >/dev/null
check "sysgen --image for each of two modules" run_sysgen two --image "sandbox-kernel=$kernel" --image "replica-kernel=$replica"
digests() { od -An -tx1 -v "$1" | tr -d ' \n' | grep -o "$2" | wc -l; }
rdigest=$(sha256sum "$replica" | cut -c1-64)
check "two modules: io and sim carry the kernel's digest, the four replicas the replica image's" \
  test "$(digests "$d/two.bin" "$digest")-$(digests "$d/two.bin" "$rdigest")" = "2-4"
check "one module given: the replicas carry no digest" test "$(digests "$d/golden.bin" "$rdigest")" = 0
check "malformed --image refused" bash -c "! '$sysgen' --schema config/system.xsd --bin '$d/x.bin' --image nothing config/uav-tmr.xml 2>'$d/x.err'"
check "malformed --image: says MODULE=PATH" grep -q 'expected MODULE=PATH' "$d/x.err"
check "unreadable image refused" bash -c "! '$sysgen' --schema config/system.xsd --bin '$d/y.bin' --image sandbox-kernel=/nonexistent config/uav-tmr.xml 2>'$d/y.err'"
check "unreadable image: says cannot read" grep -q 'cannot read /nonexistent' "$d/y.err"
check "unknown module refused" bash -c "! '$sysgen' --schema config/system.xsd --bin '$d/z.bin' --image nosuch=$kernel config/uav-tmr.xml 2>'$d/z.err'"
check "unknown module: names it" grep -q 'no sandbox boots module "nosuch"' "$d/z.err"
check "nothing written on error" test ! -e "$d/x.bin" -a ! -e "$d/y.bin" -a ! -e "$d/z.bin"

# The boots use the 2-core system of test 63 (a 2-core QEMU cannot start
# uav-tmr's 6 cores once the monitor launches sandboxes there), its table
# compiled here with the kernel's golden digest; the monitor ends the run
# itself even when no sandbox may launch.
check "sysgen --image fills the 2-core boot table" \
  "$sysgen" --schema config/system.xsd --bin "$d/boot.bin" --image "sandbox-kernel=$kernel" config/tests/kernel-attest.xml
# iso NAME KERNEL [END-MS]: the monitor with that table and that kernel;
# the run ends END-MS virtual ms after the launch (default 30000, ended
# sooner by the I/O sandbox's boot script).  With no sandbox launched the
# monitor's cores count the whole span: the tampered boot asks for 2000, or
# a loaded host spends more than the wall-clock timeout on 30 idle seconds.
iso() {
  local stage=$d/files-$1; mkdir -p "$stage"
  cp "$BUILD/monitor/monitor.elf" "$stage/"
  cp "$2" "$stage/sandbox-kernel.elf"
  cp "$d/boot.bin" "$stage/system.bin"
  MONITOR_ARGS="triad.settle-ms=300 triad.window-ms=100 triad.end-ms=${3:-30000}" \
    tools/iso/mkiso.sh monitor "$d/$1.iso" "$stage"/* >/dev/null
}
iso match "$kernel"
boot golden-match qemu "$d/match.iso" --cores 2 --icount 5 --timeout 60
expect_line "matching image: every sandbox matches its golden digest" "$RUNS/golden-match/com1.log" \
  'attest: sandbox 0 io: image matches its golden digest'
check "matching image: no sandbox refused" bash -c "! grep -q 'will not launch' '$RUNS/golden-match/com1.log'"
cp "$kernel" "$d/bad.elf"
printf '\x5a' | dd of="$d/bad.elf" bs=1 seek=100 conv=notrunc status=none
iso tampered "$d/bad.elf" 2000
boot golden-tampered qemu "$d/tampered.iso" --cores 2 --icount 5 --timeout 60
expect_line "tampered image: the monitor's verdict is that it will not launch" "$RUNS/golden-tampered/com1.log" \
  'attest: sandbox 0 io: image digest differs from the golden value, sandbox will not launch'
check "tampered image: the monitor still ends cleanly" test "$status" -eq 0
check "tampered image: its sandbox is never launched" bash -c "! grep -q 'launching sandbox 0 (io)' '$RUNS/golden-tampered/com1.log'"
finish
