#ifndef TRIAD_KERNEL_PANIC_H
#define TRIAD_KERNEL_PANIC_H

/* Ends the run: prints `TRIAD-EXIT <status>`, then (not under the Triad
   monitor) pokes QEMU's isa-debug-exit (port 0xF4) and Bochs' magic
   breakpoint; halts if neither stops us. */
__attribute__((noreturn)) void kernel_exit(unsigned status);

/* Reports a kernel bug and ends the run with status 3. */
__attribute__((noreturn)) void panic(const char *why);

#endif
