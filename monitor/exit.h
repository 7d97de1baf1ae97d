/*
 * Ending a run on an emulator.  The console line "TRIAD-EXIT <status>" is
 * the contract with tools/run-emu; the port write ends QEMU (isa-debug-exit
 * at 0xF4) and the magic breakpoint ends Bochs (magic_break + rc `quit`).
 * On real hardware both are harmless and the core halts.
 */
#ifndef TRIAD_MONITOR_EXIT_H
#define TRIAD_MONITOR_EXIT_H

#include <stdint.h>

/*@ assigns \nothing;
    ensures \false; */
_Noreturn void monitor_exit(uint32_t status);

#endif
