/*
 * The monitor's only inline assembly: one small wrapper per instruction.
 * Each carries a contract stub (its effect on C state, which is none beyond
 * the returned value); proofs/ASSUMPTIONS.md lists them as trusted.
 */
#ifndef TRIAD_MONITOR_CPU_H
#define TRIAD_MONITOR_CPU_H

#include <stdint.h>

/*@ assigns \nothing; */
static inline void cpu_outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

/*@ assigns \nothing; */
static inline void cpu_outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

/*@ assigns \nothing; */
static inline uint8_t cpu_inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/*@ assigns \nothing; */
static inline uint64_t cpu_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

/*@ assigns \nothing; */
static inline uint64_t cpu_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

/*@ requires \valid(out);
    assigns *out; */
static inline void cpu_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
    __asm__ volatile("cpuid"
                     : "=a"(out->eax), "=b"(out->ebx), "=c"(out->ecx), "=d"(out->edx)
                     : "a"(leaf), "c"(subleaf));
}

/*@ assigns \nothing; */
static inline void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Bochs magic breakpoint: returns control to the Bochs debugger (a clean,
   guest-requested stop when magic_break is enabled); a no-op elsewhere. */
/*@ assigns \nothing; */
static inline void cpu_bochs_break(void)
{
    __asm__ volatile("xchgw %bx, %bx");
}

#endif
