/*
 * Real-mode code a secondary core of the sandbox runs after its SIPI
 * (kernel/ap_park.c copies it to a page below 1 MiB): it counts itself
 * started in the word at its end and then halts with interrupts off.  Only
 * an NMI (the monitor's recovery stopping the core) or INIT-SIPI wakes it.
 * The kernel has no SMP scheduler yet: this is the parked state of an
 * extra core, enough for the monitor to stop and restart a 2-core sandbox.
 */
    .section .rodata
    .code16
    .globl ap_park_code, ap_park_code_end, ap_park_flag_offset
ap_park_code:
    cli
    movw %cs, %ax
    movw %ax, %ds
    lock incl (ap_park_flag - ap_park_code)
2:  hlt
    jmp 2b
    .balign 4
ap_park_flag:
    .long 0
ap_park_code_end:
    .code64
    .balign 4
ap_park_flag_offset:
    .long ap_park_flag - ap_park_code
    .section .note.GNU-stack, "", @progbits
