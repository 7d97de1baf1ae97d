#!/usr/bin/env bash
# Triad build dependencies: Debian packages, lwIP source (apt-get source) and
# newlib built for the freestanding x86-64 target.  Idempotent: every step
# checks first and skips what is already in place, so `make run` and
# `make test` can call it on every invocation at almost no cost.
#
#   tools/setup/deps.sh [--packages-only]
#
# Exit status is non-zero, with a one-line reason, when anything cannot be had.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
THIRD=$BUILD/third_party

# One list, one place.  Grouped by the issue that needs them.
PACKAGES=(
  # toolchain and image
  gcc binutils make python3 grub-pc-bin grub-common xorriso mtools
  # emulators, measured launch, TPM
  qemu-system-x86 bochs bochsbios vgabios tboot swtpm swtpm-tools tpm2-tools
  # third-party sources and their unpacking
  newlib-source dpkg-dev xz-utils
  # host tools and tests
  libxml2-dev libxml2-utils libcmocka-dev pkg-config
  # attest-verify (attest/verify): OpenSSL, tpm2-tss marshalling
  libssl-dev libtss2-dev
  # SHA-256 cross-check (attest tests), libFuzzer for `make fuzz`
  openssl clang
  # proofs and model checking
  frama-c-base why3 z3 cvc4 spin
  # measurements (instruction counts: callgrind, client-request headers)
  valgrind
  # certification evidence: coverage (gcov, MC/DC), MISRA and clang-tidy, generator
  gcovr lcov clang-19 llvm-19 libclang-rt-19-dev cppcheck clang-tidy python3-yaml python3-markdown
  # certification documents: Markdown to HTML (pandoc), HTML to PDF (weasyprint)
  pandoc weasyprint
)

say()  { printf 'deps: %s\n' "$*"; }
fail() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' \
      || printf '%s\n' "$p"
  done
}

# A deb-src twin of Debian's own entry, so `apt-get source lwip` works.
DEBSRC=/etc/apt/sources.list.d/triad-deb-src.sources
need_debsrc() {
  [ -f "$DEBSRC" ] && return 1
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 1
  return 0
}

as_root() {
  [ "$(id -u)" -eq 0 ] || fail "$1 needs root: run 'sudo make deps' once, then retry"
}

UPDATED=0
apt_update_once() {
  [ "$UPDATED" -eq 1 ] && return 0
  say "apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || fail "apt-get update failed: check the network route to Debian's mirror"
  UPDATED=1
}

install_packages() {
  local miss
  mapfile -t miss < <(missing_packages)
  [ "${#miss[@]}" -eq 0 ] && return 0
  as_root "installing ${miss[*]}"
  if need_debsrc; then add_debsrc; fi
  apt_update_once
  say "installing ${#miss[@]} package(s): ${miss[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${miss[@]}" >"$BUILD/deps-apt.log" 2>&1; then
    # Find out exactly which package is the problem, one by one.
    local p bad=()
    for p in "${miss[@]}"; do
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" \
        >>"$BUILD/deps-apt.log" 2>&1 || bad+=("$p")
    done
    [ "${#bad[@]}" -eq 0 ] || fail "cannot install: ${bad[*]} (see $BUILD/deps-apt.log)"
  fi
}

add_debsrc() {
  as_root "adding a deb-src entry"
  local src=/etc/apt/sources.list.d/debian.sources
  [ -f "$src" ] || fail "no $src to derive a deb-src entry from: add one for bookworm by hand"
  say "adding deb-src entry $DEBSRC"
  sed -e 's/^Types:[[:space:]]*deb$/Types: deb-src/' "$src" >"$DEBSRC.tmp"
  mv "$DEBSRC.tmp" "$DEBSRC"
}

fetch_lwip() {
  local dir=$THIRD/lwip
  [ -f "$dir/.triad-ok" ] && return 0
  if need_debsrc; then add_debsrc; UPDATED=0; fi
  # apt-get source needs the deb-src lists; a fresh entry needs one update.
  if ! apt-cache showsrc lwip 2>/dev/null | grep -q '^Package: lwip'; then
    as_root "fetching lwIP sources"; apt_update_once
  fi
  say "apt-get source lwip -> $dir"
  rm -rf "$dir" "$THIRD/lwip-dl"; mkdir -p "$THIRD/lwip-dl"
  (cd "$THIRD/lwip-dl" && apt-get source --download-only lwip >"$BUILD/deps-lwip.log" 2>&1) \
    || fail "apt-get source lwip failed (see $BUILD/deps-lwip.log)"
  local orig
  orig=$(ls "$THIRD"/lwip-dl/lwip_*.orig.tar.* 2>/dev/null | head -n1)
  [ -n "$orig" ] || fail "apt-get source lwip fetched no orig tarball"
  mkdir -p "$dir"
  tar -xf "$orig" -C "$dir" --strip-components=1 || fail "cannot unpack $orig"
  [ -f "$dir/src/core/tcp.c" ] || fail "unpacked lwIP has no src/core/tcp.c"
  touch "$dir/.triad-ok"
}

build_newlib() {
  local prefix=$BUILD/newlib
  [ -f "$prefix/.triad-ok" ] && return 0
  local tarball
  tarball=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n1)
  [ -n "$tarball" ] || fail "newlib-source is not installed (/usr/src/newlib is empty)"
  say "building newlib from $tarball (about a minute)"
  rm -rf "$THIRD/newlib-src" "$THIRD/newlib-build" "$prefix"
  mkdir -p "$THIRD/newlib-src" "$THIRD/newlib-build"
  tar -xf "$tarball" -C "$THIRD/newlib-src" --strip-components=1
  # Small code model: kernel and user programs both live below 2 GiB of
  # virtual memory (see docs/build.md), so one newlib serves both.
  local cflags="-ffreestanding -fno-pic -fno-pie -fno-stack-protector -mno-red-zone -mcmodel=small -O2 -g"
  ( cd "$THIRD/newlib-build" &&
    "$THIRD/newlib-src/configure" --target=x86_64-elf --prefix="$prefix" \
       --disable-multilib --disable-newlib-supplied-syscalls \
       CC_FOR_TARGET="gcc $cflags" CFLAGS_FOR_TARGET="$cflags" \
       AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld RANLIB_FOR_TARGET=ranlib \
       NM_FOR_TARGET=nm OBJCOPY_FOR_TARGET=objcopy OBJDUMP_FOR_TARGET=objdump \
       STRIP_FOR_TARGET=strip READELF_FOR_TARGET=readelf &&
    make -j"$(nproc)" all-target-newlib && make install-target-newlib
  ) >"$BUILD/deps-newlib.log" 2>&1 || fail "newlib build failed (see $BUILD/deps-newlib.log)"
  [ -f "$prefix/x86_64-elf/lib/libc.a" ] || fail "newlib built but libc.a is missing"
  touch "$prefix/.triad-ok"
}

mkdir -p "$BUILD" "$THIRD"
# One setup at a time: parallel make invocations may all ask for it.
exec 9>"$BUILD/.deps.lock"
flock 9
install_packages
[ "${1:-}" = "--packages-only" ] && exit 0
fetch_lwip
build_newlib
say "all dependencies in place"
