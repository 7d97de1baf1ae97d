# The emulator runner refuses bad use with a one-line error and a non-zero
# status, and never hangs on a guest that never reaches its marker.
# REQ: TOOL-RUN-001
. tests/system/lib.sh
ISO=$BUILD/iso/standalone.iso

out=$(tools/run-emu --emu qemu --iso "$BUILD/does-not-exist.iso" 2>&1); s=$?
check "missing ISO exits 125" test "$s" -eq 125
check "missing ISO says to run make iso" grep -q "make iso" <<<"$out"
check "missing ISO error is one line" test "$(wc -l <<<"$out")" -eq 1

out=$(tools/run-emu --emu qemu --iso "$ISO" --bogus 2>&1); s=$?
check "unknown option exits 125" test "$s" -eq 125
check "unknown option is named" grep -q -- "--bogus" <<<"$out"

out=$(tools/run-emu --emu vmware --iso "$ISO" 2>&1); s=$?
check "unknown emulator exits 125" test "$s" -eq 125

# No emulator on PATH (the interpreter is called by its full path).
py=$(python3 -c 'import sys; print(sys.executable)')
mkdir -p "$RUNS/nopath"
out=$(PATH="$RUNS/nopath" "$py" tools/run-emu --emu qemu --iso "$ISO" 2>&1); s=$?
check "missing QEMU exits 125" test "$s" -eq 125
check "missing QEMU says to run make deps" grep -q "make deps" <<<"$out"
out=$(PATH="$RUNS/nopath" "$py" tools/run-emu --emu bochs --iso "$ISO" 2>&1); s=$?
check "missing Bochs exits 125" test "$s" -eq 125

start=$(date +%s)
boot never qemu "$ISO" --until "this marker never appears" --timeout 8 --icount 5
elapsed=$(( $(date +%s) - start ))
check "unreached marker times out with 124" test "$status" -eq 124
check "timeout is honoured (took ${elapsed}s for 8s)" test "$elapsed" -le 20
check "timeout prints the last console lines" grep -q "kernel: ready" "$RUNS-never.stderr"
finish
