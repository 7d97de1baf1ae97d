/*
 * Interrupt entry stubs.  Every vector pushes a uniform frame (a zero where
 * the CPU pushes no error code, then the vector number) and goes through one
 * common path, so C sees a struct trap_frame.  Coming from ring 3 we swap GS
 * to the per-core block; the user's GS base is never trusted by the kernel.
 */
    .text
    .altmacro
.macro ISR vector
    .balign 16
isr_\vector:
    .if (\vector == 8) || (\vector == 10) || (\vector == 11) || (\vector == 12) || (\vector == 13) || (\vector == 14) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
    .else
    pushq   $0
    .endif
    pushq   $\vector
    jmp     isr_common
.endm

    .set v, 0
    .rept 256
    ISR %v
    .set v, v + 1
    .endr

isr_common:
    testb   $3, 24(%rsp)                    /* CS of the interrupted context */
    jz      1f
    swapgs
1:  pushq   %rax
    pushq   %rbx
    pushq   %rcx
    pushq   %rdx
    pushq   %rsi
    pushq   %rdi
    pushq   %rbp
    pushq   %r8
    pushq   %r9
    pushq   %r10
    pushq   %r11
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    cld
    movq    %rsp, %rdi
    call    trap_dispatch
    .globl trap_return
trap_return:
    cli                                     /* no interrupt between swapgs and iretq */
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %r11
    popq    %r10
    popq    %r9
    popq    %r8
    popq    %rbp
    popq    %rdi
    popq    %rsi
    popq    %rdx
    popq    %rcx
    popq    %rbx
    popq    %rax
    testb   $3, 24(%rsp)
    jz      2f
    swapgs
2:  addq    $16, %rsp                       /* vector and error code */
    iretq

/* The address of each stub, for idt_init. */
    .section .rodata
    .balign 8
    .globl isr_table
isr_table:
.macro ISR_ADDRESS vector
    .quad isr_\vector
.endm
    .set v, 0
    .rept 256
    ISR_ADDRESS %v
    .set v, v + 1
    .endr

    .section .note.GNU-stack, "", @progbits
