#!/usr/bin/env bash
# A GRUB ISO that boots the sandbox kernel alone with a given command line,
# for the kernel's system tests (the emulators cannot edit a GRUB entry).
#   sandbox-kernel/iso/mkiso.sh OUT.iso KERNEL.elf "COMMAND LINE" [MODULE.bin NAME]...
set -euo pipefail
out=$1 kernel=$2 cmdline=$3
shift 3
stage=$(dirname "$out")/stage-$(basename "$out" .iso)
rm -rf "$stage"
mkdir -p "$stage/boot/grub"
cp "$kernel" "$stage/boot/sandbox-kernel.elf"
{
  echo "serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1"
  echo "terminal_input serial"
  echo "terminal_output serial"
  echo "set timeout=0"
  echo "menuentry \"Triad sandbox kernel ($cmdline)\" {"
  echo "    multiboot2 /boot/sandbox-kernel.elf $cmdline"
  while [ $# -ge 2 ]; do
    cp "$1" "$stage/boot/$(basename "$1")"
    echo "    module2 /boot/$(basename "$1") $2"
    shift 2
  done
  echo "    boot"
  echo "}"
} >"$stage/boot/grub/grub.cfg"
grub-mkrescue -o "$out.tmp" "$stage" >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
mv "$out.tmp" "$out"
echo "ISO   $out"
