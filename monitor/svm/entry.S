/*
 * The SVM world switch (reviewed by hand, listed in proofs/ASSUMPTIONS.md).
 *
 * svm_run_loop(struct guest_regs *regs, uint64_t vmcb_phys): never returns.
 * Each turn loads the guest's general registers from *regs (RAX lives in
 * the VMCB), VMLOADs the guest's FS/GS/TR/LDTR/syscall MSRs, VMRUNs, and
 * after the #VMEXIT VMSAVEs them, stores the guest registers back into
 * *regs and calls svm_exit_handler(regs) on this core's stack.  VMRUN
 * saves and restores the host's RSP and RAX, so the two arguments stay on
 * the stack across the guest's run.  GIF stays clear in the monitor.
 */
    .text
    .code64
    .globl svm_run_loop
svm_run_loop:
    push    %rdi                /* 16(%rsp): regs */
    push    %rsi                /* 8(%rsp): VMCB */
    sub     $8, %rsp            /* keeps the call below 16-byte aligned */
1:  mov     16(%rsp), %rax
    mov     8(%rax), %rbx
    mov     16(%rax), %rcx
    mov     24(%rax), %rdx
    mov     32(%rax), %rsi
    mov     48(%rax), %rbp
    mov     56(%rax), %r8
    mov     64(%rax), %r9
    mov     72(%rax), %r10
    mov     80(%rax), %r11
    mov     88(%rax), %r12
    mov     96(%rax), %r13
    mov     104(%rax), %r14
    mov     112(%rax), %r15
    mov     40(%rax), %rdi
    mov     8(%rsp), %rax
    vmload  %rax
    vmrun   %rax
    vmsave  %rax
    push    %rax                /* a scratch register: regs now at 24(%rsp) */
    mov     24(%rsp), %rax
    mov     %rbx, 8(%rax)
    mov     %rcx, 16(%rax)
    mov     %rdx, 24(%rax)
    mov     %rsi, 32(%rax)
    mov     %rdi, 40(%rax)
    mov     %rbp, 48(%rax)
    mov     %r8, 56(%rax)
    mov     %r9, 64(%rax)
    mov     %r10, 72(%rax)
    mov     %r11, 80(%rax)
    mov     %r12, 88(%rax)
    mov     %r13, 96(%rax)
    mov     %r14, 104(%rax)
    mov     %r15, 112(%rax)
    pop     %rax
    mov     16(%rsp), %rdi
    call    svm_exit_handler
    jmp     1b

    .section .note.GNU-stack, "", @progbits
