/*
 * World switch (reviewed by hand, listed in proofs/ASSUMPTIONS.md).
 *
 * vmx_launch(struct guest_regs *regs): loads the guest's general registers
 * from *regs and executes VMLAUNCH.  Returns only on failure: 1 for
 * VMfailInvalid, 2 for VMfailValid (the VM-instruction error field says why).
 *
 * vmx_exit_entry: HOST_RIP.  HOST_RSP points just past core->regs (+8 pad),
 * so the pushes below store the guest registers into core->regs, then
 * vmx_exit_handler(regs) runs on the core's own stack below them.  When it
 * returns the registers are reloaded and the guest resumes.
 */
    .text
    .code64
    .globl vmx_launch
vmx_launch:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rdi, %rax
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
    mov     0(%rax), %rax
    vmlaunch
    /* only on failure */
    mov     $1, %eax
    jc      1f
    mov     $2, %eax
1:  pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

    .globl vmx_exit_entry
vmx_exit_entry:
    push    $0                  /* pad: keeps the call below 16-byte aligned */
    push    %r15
    push    %r14
    push    %r13
    push    %r12
    push    %r11
    push    %r10
    push    %r9
    push    %r8
    push    %rbp
    push    %rdi
    push    %rsi
    push    %rdx
    push    %rcx
    push    %rbx
    push    %rax
    mov     %rsp, %rdi
    call    vmx_exit_handler
    pop     %rax
    pop     %rbx
    pop     %rcx
    pop     %rdx
    pop     %rsi
    pop     %rdi
    pop     %rbp
    pop     %r8
    pop     %r9
    pop     %r10
    pop     %r11
    pop     %r12
    pop     %r13
    pop     %r14
    pop     %r15
    add     $8, %rsp
    vmresume
    /* VMRESUME failed: report it on this core's stack (never returns) */
    mov     %rsp, %rdi
    sub     $128, %rdi
    call    vmx_resume_failed
2:  cli
    hlt
    jmp     2b

    .section .note.GNU-stack, "", @progbits
