#ifndef TRIAD_KERNEL_LAPIC_H
#define TRIAD_KERNEL_LAPIC_H
#include <stdint.h>

/* Enables this core's xAPIC (software enable, spurious vector) and masks its timer. */
void lapic_init(void);
void lapic_eoi(void);
unsigned lapic_id(void);
/* 1 when the LAPIC runs in x2APIC mode (CPUID.1:ECX[21]), 0 for xAPIC. */
int lapic_x2apic(void);
/* Writes the ICR: low = vector | delivery mode << 8 | ..., to apic_id. */
void lapic_send_ipi(unsigned apic_id, uint32_t low);
/* 1 if the timer runs in TSC-deadline mode (CPUID.1:ECX[24]), else one-shot count mode. */
int lapic_tsc_deadline(void);
/* Measures the count-mode timer rate against the PIT (no-op in TSC-deadline mode). */
void lapic_calibrate(void);
/* Fires VECTOR_TIMER once when the TSC reaches `tsc` (count mode converts the distance). */
void lapic_timer_at_tsc(uint64_t tsc);
uint64_t lapic_timer_hz(void);
#endif
