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
# A runner killed from outside (a timeout around make, a hang-up) takes its
# emulator with it: nothing keeps running behind the user's back.
tools/run-emu --emu qemu --iso "$ISO" --icount 5 --timeout 100 --until "never appears" \
  --out "$RUNS/killed" --quiet >/dev/null 2>&1 &
runner=$!
emu=""
for _ in $(seq 50); do emu=$(pgrep -f "$RUNS/killed/debugcon" | head -1); [ -n "$emu" ] && break; sleep 0.1; done
check "emulator started for the kill test" test -n "$emu"
kill -TERM "$runner"; wait "$runner" 2>/dev/null
sleep 1
check "killing the runner stops its emulator" bash -c "! kill -0 ${emu:-0} 2>/dev/null"
finish
