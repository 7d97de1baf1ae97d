/*
 * The legacy platform timers and interrupt controllers (8259 PICs, PIT
 * channel 2 and port 0x61) are shared by every core, so no sandbox owns
 * them.  Kernels touch them at boot (masking the PICs, calibrating the TSC
 * against the PIT), so the monitor answers those accesses itself: PIC
 * writes are dropped and reads say "all masked"; PIT channel 2 is a one-shot
 * on this core's TSC, calibrated like the monitor's own clock.  Each access
 * is an I/O exit, counted; a kernel that asks TRIAD_HC_SANDBOX_INFO for
 * tsc_khz needs none of them.
 */
#ifndef TRIAD_MONITOR_LEGACY_H
#define TRIAD_MONITOR_LEGACY_H

#include <stdint.h>
#include "percore.h"

/* Handles an I/O exit when the port is a virtual legacy device: returns 1
   (done, RAX updated for an IN), or 0 when the port is not one of them. */
/*@ requires \valid(c) && \valid(regs);
    assigns regs->rax; */
int legacy_io(struct core *c, struct guest_regs *regs, uint64_t qualification);

#endif
