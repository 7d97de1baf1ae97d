"""The translation of one planned injection into Bochs debugger commands, and
the parsers of the debugger's answers (pure functions: unit-tested on
recorded answers in tests/unit/fault-injection/test_bochs_cmds.py).

Stops: a kernel symbol is reached with 'pb' at the sandbox's host-physical
copy (base + ELF address: the kernel runs identity-mapped); a program's
period symbol with 'lb' (linear: every sandbox running the same program hits
it, so only hits on the target's CPU count) until the first hit on the
target CPU, whose stop line names the host-physical address, then 'pb' there
(only that sandbox executes it).  Program data is translated with
'set $cpu = N' + 'page VADDR' (Bochs walks the guest's page tables and the
EPT: 'linear page V maps to physical page P', host-physical)."""
import re
import struct

import spec as specmod

# "(2) Breakpoint 1, 0x0000000040004f40 in ?? ()" then "(2) [0x000006437f40] 0023:..."
STOP_RE = re.compile(r"\((\d+)\) (Breakpoint \d+|Magic breakpoint)[^\n]*\n(?:\(\d+\) \[(0x[0-9a-f]+)\])?")
PAGE_RE = re.compile(r"linear page (0x[0-9a-f]+) maps to physical page (0x[0-9a-f]+)")
PAGE_FAIL_RE = re.compile(r"physical address not available for linear (0x[0-9a-f]+)|"
                          r"page not present|translation failed", re.I)
# Written over a function that never runs in a normal flight, then the core jumps there:
# Bochs caches decoded traces of code it ran and the debugger's physical writes do not
# invalidate them (a patch over hot code was not executed: checked), never-run code has none.
HANG_CODE = bytes([0xFA, 0xEB, 0xFE])      # cli; jmp .   (ring 0: the core never leaves it)
OVERRUN_CODE = bytes([0xEB, 0xFE])         # jmp .        (user mode: the VCPU budget bounds it)


def parse_stop(m):
    """A STOP_RE match -> (cpu, kind, host-physical address of the instruction or None)."""
    return int(m.group(1)), m.group(2), int(m.group(3), 16) if m.group(3) else None


def parse_page(text):
    """The answer to 'page VADDR' -> (linear page, host-physical page) or None."""
    m = PAGE_RE.search(text)
    return (int(m.group(1), 16), int(m.group(2), 16)) if m else None


def read_length(inj):
    """How many bytes the injector reads (and rewrites) at the injection address."""
    m = inj["model"]
    if m == "sensor_fault":
        return 8
    if m == "hang":
        return len(HANG_CODE)
    if m == "budget_overrun":
        return len(OVERRUN_CODE)
    if m == "wild_write":
        return 8
    return (inj["bit"] + inj["bits"] + 7) // 8


def new_bytes(inj, old):
    """The faulty bytes for the bytes 'old' read at the injection address."""
    m = inj["model"]
    if m == "sensor_fault":
        (v,) = struct.unpack("<d", old)
        return struct.pack("<d", v + inj["bias"])
    if m == "hang":
        return HANG_CODE
    if m == "budget_overrun":
        return OVERRUN_CODE
    if m == "wild_write":
        return inj["value"].to_bytes(8, "little")
    val = specmod.apply_mask(int.from_bytes(old, "little"), inj, 8 * len(old))
    return val.to_bytes(len(old), "little")


def setpmem(phys, data):
    """One 'setpmem ADDR 1 BYTE' per byte (Bochs' setpmem writes host-physical memory)."""
    return [f"setpmem {phys + i:#x} 1 {b:#x}" for i, b in enumerate(data)]


def xp(phys, n):
    return f"xp /{n}bx {phys:#x}"


def stop_commands(inj, sb):
    """The first commands of a run: the breakpoint that reaches the injection point.
    Returns (commands, how): how is 'period' (lb on the program's period symbol, hits
    counted on the target CPU) or 'kernel' (pb at the host-physical kernel symbol)."""
    if "period" in inj:
        return [f"lb {inj['period_addr']:#x}"], "period"
    return [f"pb {sb['base'] + inj['breakpoint_addr']:#x}"], "kernel"


def kernel_address(inj, sb, addr):
    """Host-physical address of a kernel (guest-physical) address of the sandbox."""
    if addr >= sb["size"]:
        raise specmod.SpecError(f"address {addr:#x} outside sandbox {inj.get('sandbox')} "
                                f"(RAM {sb['size']:#x})")
    return sb["base"] + addr
