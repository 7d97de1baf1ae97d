#!/usr/bin/env bash
# Build a GRUB 2 ISO (BIOS, multiboot2) whose default entry is VARIANT.
#   tools/iso/mkiso.sh VARIANT OUT.iso FILE...
# VARIANT is a menu entry id of grub.cfg.in (monitor, tboot, standalone) or
# "user": the monitor by default, with a short menu timeout for people.
# Optional environment: SYSTEM_BIN replaces boot/system.bin (per-configuration
# test ISOs), MONITOR_ARGS is the monitor's command line, EXTRA_MODULES a
# list of further kernel images (each loaded as a module named after its file
# without .elf, e.g. the UAV replicas' replica-kernel.elf).
set -euo pipefail
variant=$1 out=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)

case "$variant" in
  user)       default=monitor    timeout=2 ;;
  monitor|tboot|standalone) default=$variant timeout=0 ;;
  *) echo "mkiso: unknown variant '$variant' (monitor, tboot, standalone, user)" >&2; exit 2 ;;
esac

stage=$(dirname "$out")/stage-$(basename "$out" .iso)
rm -rf "$stage"
mkdir -p "$stage/boot/grub"
for f in "$@"; do cp "$f" "$stage/boot/"; done
if [ -n "${SYSTEM_BIN:-}" ]; then cp "$SYSTEM_BIN" "$stage/boot/system.bin"; fi
extra=
for f in ${EXTRA_MODULES:-}; do
  cp "$f" "$stage/boot/"
  extra="$extra    module2 /boot/$(basename "$f") $(basename "$f" .elf)\\n"
done
# Debian's tboot: a binary from a package, copied at build time, never committed.
[ -f /boot/tboot.gz ] || { echo "mkiso: /boot/tboot.gz missing: run 'make deps'" >&2; exit 1; }
cp /boot/tboot.gz "$stage/boot/"
# tboot 1.10.5 moves its modules up without moving a multiboot2 information
# block that GRUB placed below them (tboot's move_modules(), a known upstream
# bug): it then finds "no MB2 modules".  A padding argument of 4096 characters
# makes the information block too large for the gap GRUB would use, so GRUB
# places it after the modules, where tboot handles it correctly.
tboot_pad="triad.pad=$(printf '%*s' 4096 '' | tr ' ' x)"
sed -e "s/@DEFAULT@/$default/" -e "s/@TIMEOUT@/$timeout/" -e "s|@MONITOR_ARGS@|${MONITOR_ARGS:-}|" -e "s|@EXTRA_MODULES@|$extra|" \
    -e "s|@TBOOT_PAD@|$tboot_pad|" "$here/grub.cfg.in" >"$stage/boot/grub/grub.cfg"

command -v grub-mkrescue >/dev/null || { echo "mkiso: grub-mkrescue missing: run 'make deps'" >&2; exit 1; }
grub-mkrescue -o "$out.tmp" "$stage" >"$out.log" 2>&1 || { cat "$out.log" >&2; echo "mkiso: grub-mkrescue failed" >&2; exit 1; }
mv "$out.tmp" "$out"
echo "ISO   $out ($variant)"
