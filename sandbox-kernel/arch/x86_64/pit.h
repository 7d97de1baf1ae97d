#ifndef TRIAD_KERNEL_PIT_H
#define TRIAD_KERNEL_PIT_H
#include <stdint.h>
/* Busy-waits `us` microseconds (at most 50 ms) on PIT channel 2; the reference clock for calibration. */
void pit_wait_us(uint32_t us);
/* Masks every legacy PIC line after remapping it to VECTOR_PIC_BASE, so stray IRQs cannot alias exceptions. */
void pic_init(void);
void pic_unmask(unsigned irq);
void pic_eoi(unsigned irq);
#endif
