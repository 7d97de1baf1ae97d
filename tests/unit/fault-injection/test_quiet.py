#!/usr/bin/env python3
"""quiet.py: the QEMU stop address of a program function is an instruction of its entry
block that no other program of the system executes; a register the stop reads is never
written before it; the real UAV programs' collision (io_status_line where fc_replica
polls) is avoided."""
# REQ: MON-FLT-001
import os
import subprocess
import tap
import quiet

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
BIN = os.path.join(TOP, "build", "sandbox-kernel", "bin")

MINE = quiet.parse("""
0000000040000cc0 <io_status_line>:
    40000cc0:	push   %rbp
    40000cc1:	pxor   %xmm0,%xmm0
    40000cc5:	mov    %rsp,%rbp
    40000cc8:	mov    %r8,%rdx
    40000ccb:	push   %r15
    40000ccd:	je     40000d00 <io_status_line+0x40>
    40000ccf:	push   %r14
""")


def test_parse():
    assert MINE[0] == (0x40000cc0, "push   %rbp") and len(MINE) == 7


def test_entry_block_ends_at_first_transfer():
    assert [a for a, _ in quiet.entry_block(MINE, 0x40000cc0)][-1] == 0x40000ccd


def test_entry_is_kept_when_nobody_else_runs_it():
    assert quiet.quiet_address(MINE, 0x40000cc0, [{0x1234}]) == 0x40000cc0


def test_collision_moves_to_next_quiet_instruction():
    assert quiet.quiet_address(MINE, 0x40000cc0, [{0x40000cc0}, {0x40000cc5}]) == 0x40000cc1
    assert quiet.quiet_address(MINE, 0x40000cc0, [{0x40000cc0, 0x40000cc1, 0x40000cc5}]) == 0x40000cc8


def test_kept_register_not_written_before_the_stop():
    # rdx is written by the mov at cc8: the stop may not be after it
    every = {0x40000cc0, 0x40000cc1, 0x40000cc5, 0x40000cc8}
    assert quiet.quiet_address(MINE, 0x40000cc0, [every], keep="rdx") == 0x40000cc0
    assert quiet.quiet_address(MINE, 0x40000cc0, [every]) == 0x40000ccb


def test_nothing_quiet_falls_back_to_the_entry():
    every = {a for a, _ in MINE}
    assert quiet.quiet_address(MINE, 0x40000cc0, [every]) == 0x40000cc0


def test_writes():
    assert quiet.writes("mov    %r8,%rdx", "rdx") and quiet.writes("setne  %dl", "rdx")
    assert quiet.writes("cqto", "rdx") and quiet.writes("mul    %rcx", "rdx")
    assert not quiet.writes("mov    %rdx,%r8", "rdx") and not quiet.writes("push   %rbp", "rdx")
    assert quiet.writes("add    $0x8,%r8d", "r8") and not quiet.writes("add    $0x8,%r8d", "r9")


def nm(elf, sym):
    for line in subprocess.run(["nm", elf], capture_output=True, text=True, check=True).stdout.splitlines():
        if line.endswith(" " + sym):
            return int(line.split()[0], 16)
    raise AssertionError(f"{sym} not in {elf}")


def test_real_programs():
    progs = [os.path.join(BIN, p) for p in ("io_voter", "fc_replica", "sim_plant")]
    for elf, sym, keep in ((progs[0], "io_status_line", None), (progs[1], "fc_replica_step", "rdx"),
                           (progs[2], "quad_step", None)):
        at = nm(elf, sym)
        q = quiet.quiet_program_address(elf, at, progs, keep)
        block = [a for a, _ in quiet.entry_block(quiet.disassemble(elf), at)]
        assert q in block, f"{sym}: {q:#x} outside its entry block"
        for other in progs:
            if other != elf:
                assert q not in {a for a, _ in quiet.disassemble(other)}, f"{sym}: {q:#x} runs in {other}"


if __name__ == "__main__":
    tap.run([test_parse, test_entry_block_ends_at_first_transfer, test_entry_is_kept_when_nobody_else_runs_it,
             test_collision_moves_to_next_quiet_instruction, test_kept_register_not_written_before_the_stop,
             test_nothing_quiet_falls_back_to_the_entry, test_writes, test_real_programs])
