/*
 * Application-processor start-up code (reviewed by hand; see
 * proofs/ASSUMPTIONS.md).  smp.c copies the bytes between trampoline_start
 * and trampoline_end to TRAMPOLINE_BASE (below 1 MiB, page aligned: the SIPI
 * vector is its page number) and patches the parameters at the end.  The AP
 * wakes in real mode at TRAMPOLINE_BASE, switches to protected mode, then to
 * long mode with the monitor's own page tables, and calls ap_entry() on the
 * stack the BSP gave it.  Addresses are computed relative to the copy.
 */
#define TRAMPOLINE_BASE 0x8000
#define REL(x) (TRAMPOLINE_BASE + (x) - trampoline_start)

    .section .rodata
    .globl trampoline_start, trampoline_end
    .globl tramp_cr3, tramp_stack, tramp_entry
    .code16
trampoline_start:
    cli
    cld
    xorw    %ax, %ax
    movw    %ax, %ds
    lgdtl   REL(tramp_gdt_ptr)
    movl    %cr0, %eax
    orl     $1, %eax
    movl    %eax, %cr0
    ljmpl   $0x18, $REL(tramp_pm32)

    .code32
tramp_pm32:
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    movl    %cr4, %eax
    orl     $(1 << 5), %eax             /* PAE */
    movl    %eax, %cr4
    movl    REL(tramp_cr3), %eax
    movl    %eax, %cr3
    movl    $0xC0000080, %ecx           /* EFER.LME */
    rdmsr
    orl     $(1 << 8), %eax
    wrmsr
    movl    %cr0, %eax
    orl     $((1 << 31) | (1 << 16) | (1 << 5)), %eax   /* PG, WP, NE */
    movl    %eax, %cr0
    ljmpl   $0x08, $REL(tramp_lm64)

    .code64
tramp_lm64:
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    xorw    %ax, %ax
    movw    %ax, %fs
    movw    %ax, %gs
    movq    REL(tramp_stack), %rsp
    xorq    %rbp, %rbp
    movq    REL(tramp_entry), %rax
    call    *%rax
1:  cli
    hlt
    jmp     1b

    .balign 8
tramp_gdt:                              /* 0x08 and 0x10 as in the BSP's GDT */
    .quad 0
    .quad 0x00AF9A000000FFFF            /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF            /* 0x10: data */
    .quad 0x00CF9A000000FFFF            /* 0x18: 32-bit code */
tramp_gdt_ptr:
    .short 4 * 8 - 1
    .long REL(tramp_gdt)
    .balign 8
tramp_cr3:   .quad 0
tramp_stack: .quad 0
tramp_entry: .quad 0
trampoline_end:

    .section .note.GNU-stack, "", @progbits
