"""Breakpoint addresses that only the wanted program executes.

QEMU's gdbstub puts a breakpoint on a virtual address on every core, and all the
programs of a system are linked at the same base: io_voter's io_status_line sits where
fc_replica's main polls its channel, so a breakpoint on it stopped the machine on every
turn of four replicas' polling loops (11,000 stops before io's first call).  A stop is
exact at any instruction of the function's entry block (straight-line code from the
entry to its first control transfer: run once per call), so pick the first one that is
not an instruction of any other program sharing the address space.  Stops on other
cores are still filtered by the caller; this only removes the useless ones.

Pure functions over objdump's disassembly, unit-tested on the real programs."""
import re
import subprocess

INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s+(\S.*)$")
# a control transfer ends the entry block (included: it runs once too)
TRANSFER_RE = re.compile(r"^(j[a-z]*|call\w*|ret\w*|loop\w*|syscall|sysenter|int\w*|ud2|hlt|iret\w*|bnd\s+j\w*)\b")
# instructions that write rax/rdx (and more) without naming them as the destination
IMPLICIT = {"mul": ("rax", "rdx"), "div": ("rax", "rdx"), "idiv": ("rax", "rdx"),
            "cqto": ("rdx",), "cltd": ("rdx",), "cwtd": ("rdx",), "cltq": ("rax",), "cwtl": ("rax",),
            "cpuid": ("rax", "rbx", "rcx", "rdx"), "rdtsc": ("rax", "rdx"), "rdtscp": ("rax", "rcx", "rdx"),
            "rdmsr": ("rax", "rdx"), "rep": ("rcx", "rdi", "rsi"), "lods": ("rax", "rsi"),
            "stos": ("rdi",), "movs": ("rdi", "rsi")}
_cache = {}


def family(reg):
    """Every name of a 64-bit register's parts: rdx -> rdx edx dx dl dh; r8 -> r8 r8d r8w r8b."""
    if re.match(r"^r\d+$", reg):
        return {reg, reg + "d", reg + "w", reg + "b"}
    base = reg[1:]  # dx, si, sp, ax...
    names = {reg, "e" + base, base}
    if base in ("ax", "bx", "cx", "dx"):
        names |= {base[0] + "l", base[0] + "h"}
    else:
        names.add(base + "l")
    return names


def parse(text):
    """objdump -d --no-show-raw-insn output -> [(address, instruction text)]."""
    out = []
    for line in text.splitlines():
        m = INSN_RE.match(line)
        if m and not m.group(2).startswith("(bad)"):
            out.append((int(m.group(1), 16), m.group(2).split("#")[0].strip()))
    return out


def disassemble(elf):
    if elf not in _cache:
        p = subprocess.run(["objdump", "-d", "--no-show-raw-insn", elf], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"objdump -d {elf}: {p.stderr.strip()}")
        _cache[elf] = parse(p.stdout)
    return _cache[elf]


def writes(insn, reg):
    """Whether insn may change reg (conservative: any destination naming one of its parts,
    or an instruction known to write it implicitly)."""
    names = family(reg)
    mnemonic, _, ops = insn.partition(" ")
    for k, regs in IMPLICIT.items():
        if mnemonic.startswith(k) and reg in regs:
            return True
    if not ops:
        return False
    dest = ops.split(",")[-1].strip()
    return bool(re.fullmatch(r"%(\w+)", dest)) and dest[1:] in names


def entry_block(insns, addr):
    """The instructions from addr to the first control transfer (inclusive)."""
    block, on = [], False
    for a, text in insns:
        if a == addr:
            on = True
        if on:
            block.append((a, text))
            if TRANSFER_RE.match(text):
                break
    return block


def quiet_address(insns, addr, others, keep=None):
    """The first instruction of the entry block at addr that starts no instruction in any
    of others (sets of instruction addresses); with keep, only instructions before any
    write to that register (the caller reads it at the stop).  addr itself when none is
    quiet (the caller then filters more stops)."""
    for a, text in entry_block(insns, addr):
        if not any(a in o for o in others):
            return a
        if keep and writes(text, keep):
            break
    return addr


def quiet_program_address(elf, addr, other_elfs, keep=None):
    others = [{a for a, _ in disassemble(o)} for o in other_elfs if o != elf]
    return quiet_address(disassemble(elf), addr, others, keep)
