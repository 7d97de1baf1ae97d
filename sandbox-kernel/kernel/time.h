/*
 * The kernel's time base: nanoseconds since calibration, from the TSC
 * (its rate from the Triad monitor when there is one, else calibrated
 * against the PIT).  Under QEMU -icount the TSC follows virtual
 * time, so every figure derived from it repeats exactly.
 */
#ifndef TRIAD_KERNEL_TIME_H
#define TRIAD_KERNEL_TIME_H
#include <stdint.h>

extern uint64_t tsc_hz;
extern const char *tsc_source;      /* "monitor", "pit" or "assumed" */
void time_init(void);
/* Spins `ns` nanoseconds on the TSC (calibration of other clocks). */
void time_busy_wait_ns(uint64_t ns);
uint64_t now_ns(void);
uint64_t ns_to_tsc_abs(uint64_t ns);        /* TSC value at kernel time `ns` */
/* Arms the one-shot timer for kernel time `ns` (the scheduler's only clock event). */
void timer_arm_at(uint64_t ns);
#endif
