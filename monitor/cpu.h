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
static inline void cpu_wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

/*@ assigns \nothing; */
static inline uint64_t cpu_read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

/*@ assigns \nothing; */
static inline void cpu_write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/*@ assigns \nothing; */
static inline uint64_t cpu_read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

/*@ assigns \nothing; */
static inline uint64_t cpu_read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

/*@ assigns \nothing; */
static inline void cpu_write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

struct __attribute__((packed)) cpu_table_ptr { uint16_t limit; uint64_t base; };

/*@ requires \valid(out);
    assigns *out; */
static inline void cpu_sgdt(struct cpu_table_ptr *out)
{
    __asm__ volatile("sgdt %0" : "=m"(*out));
}

/*@ requires \valid_read(p);
    assigns \nothing; */
static inline void cpu_lidt(const struct cpu_table_ptr *p)
{
    __asm__ volatile("lidt %0" : : "m"(*p));
}

/*@ assigns \nothing; */
static inline void cpu_pause(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* XCR0 for a guest's XSETBV, checked by the caller against CPUID leaf 0xD. */
/*@ assigns \nothing; */
static inline void cpu_xsetbv(uint32_t xcr, uint64_t value)
{
    __asm__ volatile("xsetbv" : : "c"(xcr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

/* Memory-mapped device registers (LAPIC): volatile 32-bit accesses. */
/*@ assigns \nothing; */
static inline uint32_t mmio_read32(uint64_t addr)
{
    return *(volatile uint32_t *)(uintptr_t)addr;
}

/*@ assigns \nothing; */
static inline void mmio_write32(uint64_t addr, uint32_t value)
{
    *(volatile uint32_t *)(uintptr_t)addr = value;
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
