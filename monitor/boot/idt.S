/*
 * Host exception entry points (reviewed by hand; see proofs/ASSUMPTIONS.md).
 * The monitor runs with interrupts off, so only exceptions and NMIs can
 * arrive in VMX root mode.  An NMI is a monitor-to-monitor signal that the
 * exit path polls for, so in root mode it simply returns (IRETQ).  Any other
 * exception is a monitor bug: monitor_trap() reports it and stops the core.
 */
    .text
    .code64
    .macro STUB vec, has_error
    .globl idt_stub_\vec
idt_stub_\vec:
    .if \has_error == 0
    push    $0
    .endif
    push    $\vec
    jmp     idt_common
    .endm

    .globl idt_stub_nmi
idt_stub_nmi:
    iretq

idt_common:
    mov     %rsp, %rdi              /* -> vector, error code, RIP, CS, RFLAGS, RSP, SS */
    and     $-16, %rsp
    call    monitor_trap
1:  cli
    hlt
    jmp     1b

    STUB 0, 0
    STUB 1, 0
    STUB 3, 0
    STUB 4, 0
    STUB 5, 0
    STUB 6, 0
    STUB 7, 0
    STUB 8, 1
    STUB 9, 0
    STUB 10, 1
    STUB 11, 1
    STUB 12, 1
    STUB 13, 1
    STUB 14, 1
    STUB 15, 0
    STUB 16, 0
    STUB 17, 1
    STUB 18, 0
    STUB 19, 0
    STUB 20, 0

    .section .rodata
    .balign 8
    .globl idt_stub_table
idt_stub_table:                     /* vectors 0..20, NMI at 2 */
    .quad idt_stub_0, idt_stub_1, idt_stub_nmi, idt_stub_3, idt_stub_4, idt_stub_5
    .quad idt_stub_6, idt_stub_7, idt_stub_8, idt_stub_9, idt_stub_10, idt_stub_11
    .quad idt_stub_12, idt_stub_13, idt_stub_14, idt_stub_15, idt_stub_16, idt_stub_17
    .quad idt_stub_18, idt_stub_19, idt_stub_20

    .section .note.GNU-stack, "", @progbits
