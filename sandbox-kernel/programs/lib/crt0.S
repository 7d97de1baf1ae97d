/* Program entry: the kernel starts us with RDI = argc, RSI = argv. */
    .section .text._start, "ax"
    .globl _start
_start:
    xorl    %ebp, %ebp
    andq    $-16, %rsp
    call    triad_start             /* (argc, argv): runs main, then exit */
    ud2
    .section .note.GNU-stack, "", @progbits
