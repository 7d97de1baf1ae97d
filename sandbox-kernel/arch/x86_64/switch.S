/*
 * switch_context(uint64_t *save_rsp, uint64_t next_rsp): saves the callee-saved
 * registers of the running thread on its own stack, records its stack
 * pointer, and resumes the next thread where it last switched away (or at
 * thread_first_entry for a new thread).  Called with interrupts off.
 */
    .text
    .globl switch_context
switch_context:
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret

/* A new kernel thread's first return lands here: r12 = function, r13 = argument. */
    .globl thread_first_entry
thread_first_entry:
    movq    %r12, %rdi
    movq    %r13, %rsi
    call    thread_start                    /* never returns */
    ud2

    .section .note.GNU-stack, "", @progbits
