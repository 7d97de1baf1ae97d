#ifndef TRIAD_MONITOR_BOOT_IDT_H
#define TRIAD_MONITOR_BOOT_IDT_H
#include <stdint.h>
/*@ assigns \nothing; */
void idt_init(void);
/*@ assigns \nothing; */
void idt_load(void);
/*@ assigns \nothing; */
uint64_t idt_base(void);
/*@ requires \valid_read(frame + (0 .. 6));
    assigns \nothing;
    ensures \false; */
_Noreturn void monitor_trap(const uint64_t *frame);
#endif
