#!/usr/bin/env python3
"""Host side of 50-qemu-net-echo: talks to the guest's UDP echo on 127.0.0.1:PORT."""
import socket, sys, time

port = int(sys.argv[1])
tcp_port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
addr = ("127.0.0.1", port)


def exchange(payload, tries, wait=0.5):
    """Sends until the same bytes come back (the guest may still be booting)."""
    s.settimeout(wait)
    for _ in range(tries):
        s.sendto(payload, addr)
        deadline = time.time() + wait
        while time.time() < deadline:
            try:
                data, _ = s.recvfrom(4096)
            except socket.timeout:
                break
            if data == payload:
                return True
    return False


if not exchange(b"hello 0", 240):
    print("no answer from the guest")
    sys.exit(1)
for i in range(1, 6):
    if not exchange(f"echo {i} {'x' * (i * 100)}".encode(), 10):
        print(f"echo {i}/5 missing")
        sys.exit(1)
    print(f"echo {i}/5 ok")
# Flood: no waiting between datagrams; the guest drops what it cannot queue.
for i in range(400):
    s.sendto(b"flood %d " % i + b"f" * 900, addr)
echoed = 0
s.settimeout(3)
try:
    while True:
        data, _ = s.recvfrom(4096)
        if data.startswith(b"flood"):
            echoed += 1
except socket.timeout:
    pass
print(f"flood: sent 400, {echoed} echoed")
if not exchange(b"after the flood", 40):
    print("after flood: no answer")
    sys.exit(1)
# Oversized datagrams once the flood has drained: the guest does not
# reassemble fragments, it drops them and counts the drops.  Sent at the end
# of the flood they could be lost before the guest's IP layer (QEMU's user
# network or the NIC's full ring), leaving nothing to count; the exchange
# after them waits until the guest has read what came before.
for _ in range(3):
    s.sendto(b"o" * 3000, addr)
if not exchange(b"after the oversized", 20):
    print("after flood: no answer after the oversized datagrams")
    sys.exit(1)
print("after flood: echo ok")
# The driver's recovery entry point: the guest re-initialises its NIC on
# "nic-reset" (udp_echo), then must answer as before.
if not exchange(b"nic-reset", 10, wait=1.0):
    print("nic reset: no answer")
    sys.exit(1)
print("nic reset: echo ok")
if not exchange(b"after the reset", 20):
    print("after reset: no answer")
    sys.exit(1)
print("after reset: echo ok")
if tcp_port:
    # tcp_echo: one connection, three messages (one larger than a segment).
    msgs = [b"tcp hello\n" + b"a" * 90, b"b" * 500, b"c" * 3000]
    t = None
    for _ in range(50):
        try:
            t = socket.create_connection(("127.0.0.1", tcp_port), timeout=5)
            t.sendall(msgs[0])
            first = t.recv(len(msgs[0]))
            if first:
                break
        except OSError:
            pass
        t = None
        time.sleep(0.2)
    got = first if t else b""
    if t:
        for m in msgs[1:]:
            t.sendall(m)
        want = sum(len(m) for m in msgs)
        t.settimeout(10)
        try:
            while len(got) < want:
                chunk = t.recv(4096)
                if not chunk:
                    break
                got += chunk
        except socket.timeout:
            pass
        t.close()
    ok = got == b"".join(msgs)
    print(f"tcp: 3 messages, {len(got)} bytes echoed {'ok' if ok else 'WRONG'}")
    if not ok:
        sys.exit(1)
exchange(b"quit", 10)
