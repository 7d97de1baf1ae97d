/* Boot-processor preparation of every sandbox, and each core's way in. */
#ifndef TRIAD_MONITOR_SANDBOX_H
#define TRIAD_MONITOR_SANDBOX_H

#include "boot/multiboot2.h"
#include "percore.h"

/* Validates system.bin, carves and fills every sandbox region, builds the
   EPTs and bitmaps.  Returns 0, or prints why and returns nonzero. */
/*@ requires \valid_read(b);
    assigns \nothing; */
int sandboxes_prepare(const struct boot_info *b);

/* The core's part: launch the sandbox it boots, or idle. Never returns. */
/*@ requires \valid(c);
    assigns *c;
    ensures \false; */
_Noreturn void core_enter(struct core *c);

/* INIT-SIPI-SIPI to cores 1 .. n-1; returns how many answered. */
/*@ assigns \nothing; */
uint32_t smp_start(uint32_t n);

/*@ assigns \nothing; */
uint32_t cpu_apic_id(void);

#endif
