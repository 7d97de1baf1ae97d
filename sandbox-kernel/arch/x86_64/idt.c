/* Interrupt descriptor table: every vector enters isr.S; only 0x80 is reachable from ring 3. */
#include "trap.h"

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_high, zero;
} __attribute__((packed));

extern const uint64_t isr_table[256];
static struct idt_gate idt[256] __attribute__((aligned(16)));

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        uint64_t a = isr_table[v];
        unsigned dpl = v == VECTOR_SYSCALL ? 3 : 0;
        idt[v] = (struct idt_gate){
            .offset_low = (uint16_t)a, .selector = KERNEL_CS, .ist = 0,
            .type_attr = (uint8_t)(0x8E | (dpl << 5)),   /* present, 64-bit interrupt gate */
            .offset_mid = (uint16_t)(a >> 16), .offset_high = (uint32_t)(a >> 32), .zero = 0,
        };
    }
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) d = { sizeof idt - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(d));
}
