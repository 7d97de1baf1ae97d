/* The host IDT: exception stubs from idt.S, shared by every core (read-only after init). */
#include <stdint.h>
#include "../console.h"
#include "../cpu.h"
#include "../exit.h"
#include "idt.h"

#define IDT_VECTORS 21u
extern const uint64_t idt_stub_table[IDT_VECTORS];

static uint64_t idt[IDT_VECTORS * 2] __attribute__((aligned(16)));

void idt_init(void)
{
    /*@ loop assigns v, idt[0 .. 2 * IDT_VECTORS - 1]; loop variant IDT_VECTORS - v; */
    for (uint32_t v = 0; v < IDT_VECTORS; v++) {
        uint64_t h = idt_stub_table[v];
        /* 64-bit interrupt gate, present, DPL 0, selector 0x08, no IST */
        idt[2 * v] = (h & 0xFFFFull) | (0x08ull << 16) | (0x8E00ull << 32) | ((h & 0xFFFF0000ull) << 32);
        idt[2 * v + 1] = h >> 32;
    }
}

void idt_load(void)
{
    struct cpu_table_ptr p = { (uint16_t)(sizeof idt - 1), (uint64_t)(uintptr_t)idt };
    cpu_lidt(&p);
}

uint64_t idt_base(void)
{
    return (uint64_t)(uintptr_t)idt;
}

/* frame: vector, error code, RIP, CS, RFLAGS, RSP, SS */
void monitor_trap(const uint64_t *frame)
{
    con_unlock();
    con_line("FATAL monitor exception vector ");
    con_dec(frame[0]);
    con_puts(" error ");
    con_hex(frame[1], 8);
    con_puts(" rip ");
    con_hex(frame[2], 16);
    con_puts("\n");
    monitor_exit(3);
}
