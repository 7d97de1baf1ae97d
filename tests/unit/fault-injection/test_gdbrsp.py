#!/usr/bin/env python3
"""GDB remote protocol client: framing, checksums, escaping, run-length
decoding; then against a real QEMU (-S -gdb, -icount, no disk): stop reason,
registers at reset, a breakpoint on the BIOS entry, memory write/read back
with bytes that need escaping, register write/read back."""
import os
import shutil
import socket
import subprocess
import tap
import gdbrsp


def test_checksum_and_frame():
    assert gdbrsp.checksum(b"g") == 0x67
    assert gdbrsp.frame(b"m1000,4") == b"$m1000,4#" + b"%02x" % (sum(b"m1000,4") & 0xFF)
    assert gdbrsp.frame(b"") == b"$#00"


def test_parse_frame():
    p, rest = gdbrsp.parse_frame(b"+$OK#9aXYZ")
    assert p == b"OK" and rest == b"XYZ"
    assert gdbrsp.parse_frame(b"$OK#9")[0] is None
    try:
        gdbrsp.parse_frame(b"$OK#00")
        raise AssertionError("bad checksum accepted")
    except gdbrsp.GdbError as e:
        assert "checksum mismatch" in str(e)


def test_escape_roundtrip():
    data = bytes(range(256))
    esc = gdbrsp.escape(data)
    for b in b"#$*":
        assert b not in esc
    assert gdbrsp.unescape(esc) == data
    assert gdbrsp.escape(b"}") == b"}]" and gdbrsp.escape(b"#") == b"}\x03"
    try:
        gdbrsp.unescape(b"ab}")
        raise AssertionError("dangling escape accepted")
    except gdbrsp.GdbError:
        pass


def test_rle_decode():
    assert gdbrsp.rle_decode(b"0* ") == b"0000"        # ' ' = 32: 3 more
    assert gdbrsp.rle_decode(b"ab*!c") == b"abbbbbc"   # '!' = 33: 4 more
    assert gdbrsp.rle_decode(b"plain") == b"plain"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def test_real_qemu():
    qemu = shutil.which("qemu-system-x86_64")
    assert qemu, "qemu-system-x86_64 not installed (make deps)"
    port = free_port()
    proc = subprocess.Popen([qemu, "-machine", "pc", "-display", "none", "-monitor", "none", "-nodefaults",
                             "-icount", "shift=5,sleep=off", "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    g = None
    try:
        g = gdbrsp.GdbClient("127.0.0.1", port, timeout=20)
        assert g.stop_reason().startswith(b"T") or g.stop_reason().startswith(b"S")
        assert g.read_register("rip") == 0xFFF0          # reset vector offset in CS f000
        # The BIOS's first jump lands at f000:e05b = linear 0xfe05b.
        g.set_breakpoint(0xFE05B)
        r = g.cont(timeout=20)
        assert r.startswith(b"T05"), r
        assert g.read_register("rip") == 0xE05B
        g.clear_breakpoint(0xFE05B)
        payload = b"#$}*\x00\xff\x7d\x23"
        g.write_memory(0x7000, payload)
        assert g.read_memory(0x7000, len(payload)) == payload
        g.write_register("rbx", 0x1234ABCD)
        assert g.read_register("rbx") == 0x1234ABCD
        s = g.step()
        assert s.startswith(b"T05"), s
        assert g.read_register("rip") != 0xE05B
    finally:
        if g:
            g.close()
        proc.kill()
        proc.wait()


if os.environ.get("FI_SKIP_QEMU"):
    tap.run([test_checksum_and_frame, test_parse_frame, test_escape_roundtrip, test_rle_decode])
tap.run([test_checksum_and_frame, test_parse_frame, test_escape_roundtrip, test_rle_decode, test_real_qemu])
