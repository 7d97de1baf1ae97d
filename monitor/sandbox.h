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

/* Secure launch: 1 when sandbox sb's kernel image may be loaded (it matched
   its golden digest in system.bin, or system.bin carries none), 0 when the
   measured launch found it different.  Every load of an image goes through
   this check: the boot path (sandboxes_prepare) and, when the recovery
   issue adds them, restarts, which must reload only a verified image. */
/*@ assigns \nothing; */
int sandbox_image_verified(uint32_t sb);

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

/* 1 when the processor has x2APIC (CPUID.1:ECX[21]): sandboxes then get no
   xAPIC page and must use x2APIC, whose ICR writes the monitor checks. */
/*@ assigns \nothing; */
int cpu_has_x2apic(void);

#endif
