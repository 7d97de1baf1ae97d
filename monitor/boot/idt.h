#ifndef TRIAD_MONITOR_BOOT_IDT_H
#define TRIAD_MONITOR_BOOT_IDT_H
#include <stdint.h>
/* monitor_trap's contract names con_lock_word: include console.h first. */

/* 21 exception vectors (0..20), two 64-bit words per gate. */
#define IDT_VECTORS 21u
#define IDT_WORDS (IDT_VECTORS * 2u)
extern uint64_t monitor_idt[IDT_WORDS];

/*@ assigns monitor_idt[0 .. IDT_WORDS - 1]; */
void idt_init(void);
/*@ assigns \nothing; */
void idt_load(void);
/*@ assigns \nothing; */
uint64_t idt_base(void);
/*@ requires \valid_read(frame + (0 .. 6));
    assigns con_lock_word;
    ensures \false; */
_Noreturn void monitor_trap(const uint64_t *frame);
#endif
