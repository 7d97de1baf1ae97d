"""The harness's stall watchdog for QEMU runs.

A run whose virtual machine stops (QEMU's run state leaves 'running': the virtual clock
stands still under -icount) while the injector is not holding it at a stop of its own is
a harness failure, not a guest hang: a guest that hangs keeps the clock running until the
run's timeout.  Session 3 lost a 900 s CI run that way (a gdbstub single-step left
pending on one vCPU stopped the VM after the injector had detached).  The watchdog asks
QEMU's QMP socket for its run state once a second; after `limit` wall seconds stopped and
not held it records why and makes QEMU quit, so the run ends at once and is classified
`harness_stall` (named, and rerun by a resumed campaign) instead of waited out.

Pure standard library; a thread per run."""
import json
import socket
import threading
import time


class QmpError(Exception):
    pass


class Qmp:
    """A minimal QMP client over a UNIX socket: the greeting, capabilities, commands."""

    def __init__(self, path, connect_timeout=20.0):
        deadline = time.monotonic() + connect_timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.settimeout(10)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise QmpError(f"cannot connect to QMP at {path}")
                time.sleep(0.1)
        self.buf = b""
        if "QMP" not in self._read():
            raise QmpError("no QMP greeting")
        self.command("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise QmpError("QMP closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name):
        self.sock.sendall(json.dumps({"execute": name}).encode() + b"\n")
        while True:
            msg = self._read()
            if "event" in msg:
                continue
            if "error" in msg:
                raise QmpError(f"{name}: {msg['error'].get('desc')}")
            return msg.get("return")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def stalled_for(samples, limit):
    """From samples [(wall seconds, running, held), ...] oldest first: the wall seconds the
    VM has been stopped and not held up to the newest sample, when that reaches limit;
    else None.  A sample that runs or is held starts the count again."""
    start = None
    for t, running, held in samples:
        if running or held:
            start = None
        elif start is None:
            start = t
    if start is None or not samples:
        return None
    span = samples[-1][0] - start
    return span if span >= limit else None


class Watchdog:
    """Watches one QEMU run.  `held` is set by the injector while it has a stop in hand
    (the VM is in QEMU's 'debug' state on purpose); `stall` is the reason once it fired."""

    def __init__(self, qmp_path, limit, interval=1.0):
        self.path, self.limit, self.interval = qmp_path, limit, interval
        self.held = False
        self.stall = None
        self.state = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self):
        try:
            qmp = Qmp(self.path)
        except (QmpError, OSError):
            return  # QEMU ended (or never started): the run's own end says why
        samples = []
        try:
            while not self._stop.wait(self.interval):
                try:
                    st = qmp.command("query-status")
                except socket.timeout:
                    continue  # QEMU's main loop busy (a loaded machine): no sample, ask again
                self.state = st.get("status")
                samples.append((time.monotonic(), bool(st.get("running")), self.held))
                samples = samples[-(int(self.limit / self.interval) + 5):]
                span = stalled_for(samples, self.limit)
                if span is not None:
                    self.stall = (f"harness stall: the VM stopped (QEMU run state '{self.state}', "
                                  f"virtual clock standing) for {span:.0f} s with no debugger stop "
                                  f"being handled; QEMU was told to quit")
                    qmp.command("quit")
                    return
        except (QmpError, OSError, ValueError):
            return  # QEMU closed the socket: the run ended
        finally:
            qmp.close()
