"""A small client of the GDB remote serial protocol, enough to inject faults
through QEMU's gdbstub: packets with checksums and acknowledgements, binary
escaping, run-length decoding, breakpoints, continue/step, memory and register
reads and writes.  Pure Python standard library."""
import socket
import time


class GdbError(Exception):
    pass


def checksum(payload: bytes) -> int:
    return sum(payload) & 0xFF


def frame(payload: bytes) -> bytes:
    """$payload#cs with the two-digit lowercase hex checksum."""
    return b"$" + payload + b"#" + b"%02x" % checksum(payload)


ESCAPED = b"#$}*"


def escape(data: bytes) -> bytes:
    """Binary data for X packets: '#', '$', '}' and '*' become '}' then byte ^ 0x20."""
    out = bytearray()
    for b in data:
        if b in ESCAPED:
            out += bytes((0x7D, b ^ 0x20))
        else:
            out.append(b)
    return bytes(out)


def unescape(data: bytes) -> bytes:
    out = bytearray()
    it = iter(data)
    for b in it:
        if b == 0x7D:
            try:
                out.append(next(it) ^ 0x20)
            except StopIteration:
                raise GdbError("escape character at the end of a packet")
        else:
            out.append(b)
    return bytes(out)


def rle_decode(data: bytes) -> bytes:
    """'X*n' repeats X (n - 29) more times (the count character is printable)."""
    out = bytearray()
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x2A and out and i + 1 < len(data):  # '*'
            n = data[i + 1] - 29
            if n < 0:
                raise GdbError("bad run-length count")
            out += bytes((out[-1],)) * n
            i += 2
            continue
        out.append(b)
        i += 1
    return bytes(out)


def parse_frame(buf: bytes):
    """Finds one packet in buf.  Returns (payload, rest) or (None, buf) when
    incomplete.  Raises GdbError on a bad checksum."""
    start = buf.find(b"$")
    if start < 0:
        return None, b""
    end = buf.find(b"#", start)
    if end < 0 or len(buf) < end + 3:
        return None, buf[start:]
    payload = buf[start + 1:end]
    try:
        want = int(buf[end + 1:end + 3], 16)
    except ValueError:
        raise GdbError("non-hex checksum")
    if checksum(payload) != want:
        raise GdbError(f"checksum mismatch: got {want:02x}, computed {checksum(payload):02x}")
    return payload, buf[end + 3:]


# x86-64 register numbers of QEMU's gdbstub ('g' packet order)
X86_64_REGS = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
               "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags"]


class GdbClient:
    def __init__(self, host, port, timeout=60.0, connect_timeout=20.0):
        deadline = time.monotonic() + connect_timeout
        while True:
            try:
                self.sock = socket.create_connection((host, port), timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise GdbError(f"cannot connect to gdbstub at {host}:{port}")
                time.sleep(0.05)
        # Every packet is a small write answered by the peer: without TCP_NODELAY each one
        # waits for the delayed acknowledgement of the previous (about 40 ms a round trip).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.timeout = timeout
        self.acks = True

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise GdbError("gdbstub closed the connection")
        self.buf += chunk

    def no_ack_mode(self):
        """QStartNoAckMode: no '+' after each packet (half the writes on a reliable TCP
        link).  Returns whether the stub agreed."""
        if self.command(b"QStartNoAckMode") == b"OK":
            self.acks = False
        return not self.acks

    def send(self, payload: bytes):
        pkt = frame(payload)
        if not self.acks:
            self.sock.sendall(pkt)
            return
        for _ in range(5):
            self.sock.sendall(pkt)
            while not self.buf:
                self._recv()
            ack, self.buf = self.buf[:1], self.buf[1:]
            if ack == b"+":
                return
            if ack != b"-":
                # no ack mode or a packet straight away: keep it
                self.buf = ack + self.buf
                return
        raise GdbError("packet refused 5 times")

    def receive(self, timeout=None):
        self.sock.settimeout(timeout or self.timeout)
        while True:
            payload, rest = parse_frame(self.buf)
            if payload is not None:
                self.buf = rest
                if self.acks:
                    self.sock.sendall(b"+")
                return rle_decode(payload)
            try:
                self._recv()
            except socket.timeout:
                raise GdbError("no reply from gdbstub in time")

    def command(self, payload: bytes, timeout=None) -> bytes:
        self.send(payload)
        return self.receive(timeout)

    def ok(self, payload: bytes):
        r = self.command(payload)
        if r != b"OK":
            raise GdbError(f"{payload[:20]!r} refused: {r!r}")

    # --- execution
    def stop_reason(self):
        return self.command(b"?")

    def cont(self, timeout=None):
        """Continue until the next stop; returns the stop reply (T05..., W.., X..)."""
        return self.command(b"c", timeout)

    def step(self):
        return self.command(b"s")

    def set_breakpoint(self, addr):
        self.ok(b"Z0,%x,1" % addr)

    def clear_breakpoint(self, addr):
        self.ok(b"z0,%x,1" % addr)

    def detach(self):
        try:
            self.send(b"D")
            self.receive(timeout=5)
        except (GdbError, OSError):
            pass

    # --- memory
    def read_memory(self, addr, length) -> bytes:
        r = self.command(b"m%x,%x" % (addr, length))
        if r.startswith(b"E"):
            raise GdbError(f"memory read at {addr:#x} refused: {r.decode()}")
        return bytes.fromhex(r.decode())

    def write_memory(self, addr, data: bytes):
        """Binary write (X) with escaping; falls back to hex (M) if X is unsupported."""
        r = self.command(b"X%x,%x:" % (addr, len(data)) + escape(data))
        if r == b"":
            r = self.command(b"M%x,%x:" % (addr, len(data)) + data.hex().encode())
        if r != b"OK":
            raise GdbError(f"memory write at {addr:#x} refused: {r!r}")

    # --- registers
    def read_register(self, name) -> int:
        n = X86_64_REGS.index(name)
        r = self.command(b"p%x" % n)
        if r == b"" or r.startswith(b"E"):
            regs = self.command(b"g")
            width = 8 if n < 17 else 4
            off = sum(8 if i < 17 else 4 for i in range(n)) * 2
            r = regs[off:off + width * 2]
        return int.from_bytes(bytes.fromhex(r.decode()), "little")

    def write_register(self, name, value):
        n = X86_64_REGS.index(name)
        width = 8 if n < 17 else 4
        data = (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little").hex().encode()
        r = self.command(b"P%x=" % n + data)
        if r == b"":
            # QEMU's x86 stub has no 'P': read all (g), patch, write all (G).
            regs = bytearray(self.command(b"g"))
            off = sum(8 if i < 17 else 4 for i in range(n)) * 2
            regs[off:off + width * 2] = data
            r = self.command(b"G" + bytes(regs))
        if r != b"OK":
            raise GdbError(f"register {name} write refused: {r!r}")
