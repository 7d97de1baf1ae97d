/* The host IDT: exception stubs from idt.S, shared by every core (read-only after init). */
#include <stdint.h>
#include "../console.h"
#include "../cpu.h"
#include "../exit.h"
#include "idt.h"

extern const uint64_t idt_stub_table[IDT_VECTORS];

/* External linkage only so that idt_init's contract (idt.h) can name what it
   writes; nothing outside this file uses it. */
uint64_t monitor_idt[IDT_WORDS] __attribute__((aligned(16)));

void idt_init(void)
{
    /*@ loop invariant 0 <= v <= IDT_VECTORS;
        loop assigns v, monitor_idt[0 .. IDT_WORDS - 1];
        loop variant IDT_VECTORS - v; */
    for (uint32_t v = 0; v < IDT_VECTORS; v++) {
        uint64_t h = idt_stub_table[v];
        /* Offset bits 16..31 go to bits 48..63: masked, narrowed to 16 bits,
           then a product by 2^48, not a shift, so the prover can bound it
           (docs/proofs.md, session 7). */
        const uint16_t mid = (uint16_t)((h >> 16) & 0xFFFFull);
        /* 64-bit interrupt gate, present, DPL 0, selector 0x08, no IST */
        monitor_idt[2 * v] = (h & 0xFFFFull) | (0x08ull << 16) | (0x8E00ull << 32) | ((uint64_t)mid * 0x1000000000000ull);
        monitor_idt[2 * v + 1] = h >> 32;
    }
}

void idt_load(void)
{
    struct cpu_table_ptr p = { (uint16_t)(sizeof monitor_idt - 1), (uint64_t)(uintptr_t)monitor_idt };
    cpu_lidt(&p);
}

uint64_t idt_base(void)
{
    return (uint64_t)(uintptr_t)monitor_idt;
}

/* frame: vector, error code, RIP, CS, RFLAGS, RSP, SS */
void monitor_trap(const uint64_t *frame)
{
    /* each literal through a local pointer with its terminator asserted:
       how WP sees a literal as a console string (docs/proofs.md) */
    const char *s = "FATAL monitor exception vector ";
    /*@ assert s[31] == '\0'; */
    /*@ assert con_string(s); */
    con_unlock();
    con_line(s);
    con_dec(frame[0]);
    s = " error ";
    /*@ assert s[7] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_hex(frame[1], 8);
    s = " rip ";
    /*@ assert s[5] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_hex(frame[2], 16);
    s = "\n";
    /*@ assert s[1] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    monitor_exit(3);
}
