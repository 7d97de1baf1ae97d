/*
 * The monitor's only inline assembly: one small wrapper per instruction.
 * Each carries a contract stub (its effect on C state, which is none beyond
 * the returned value); proofs/ASSUMPTIONS.md lists them as trusted.
 */
#ifndef TRIAD_MONITOR_CPU_H
#define TRIAD_MONITOR_CPU_H

#include <stdint.h>

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };
struct __attribute__((packed)) cpu_table_ptr { uint16_t limit; uint64_t base; };

#ifdef __FRAMAC__
/*
 * Contract stubs for Frama-C: the wrappers below without their assembly.
 * These contracts are trusted, not proved; proofs/ASSUMPTIONS.md lists each
 * one (exactly these) with the test that checks it.  The bodies after #else
 * are what the compiler builds.
 */
/*@ assigns \nothing; */
void cpu_outb(uint16_t port, uint8_t value);
/*@ assigns \nothing; */
void cpu_outl(uint16_t port, uint32_t value);
/*@ assigns \nothing; */
uint8_t cpu_inb(uint16_t port);
/*@ assigns \nothing; */
uint32_t cpu_inl(uint16_t port);
/*@ assigns \nothing; */
uint64_t cpu_rdmsr(uint32_t msr);
/*@ assigns \nothing; */
uint64_t cpu_rdtsc(void);
/*@ requires \valid(out);
    assigns *out;
    ensures \initialized(out); */
void cpu_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);
/*@ assigns \nothing; */
void cpu_wrmsr(uint32_t msr, uint64_t value);
/*@ assigns \nothing; */
uint64_t cpu_read_cr0(void);
/*@ assigns \nothing; */
void cpu_write_cr0(uint64_t v);
/*@ assigns \nothing; */
uint64_t cpu_read_cr3(void);
/*@ assigns \nothing; */
uint64_t cpu_read_cr4(void);
/*@ assigns \nothing; */
void cpu_write_cr4(uint64_t v);
/*@ requires \valid(out);
    assigns *out;
    ensures \initialized(out); */
void cpu_sgdt(struct cpu_table_ptr *out);
/*@ requires \valid_read(p);
    assigns \nothing; */
void cpu_lidt(const struct cpu_table_ptr *p);
/*@ assigns \nothing; */
void cpu_pause(void);
/*@ assigns \nothing; */
void cpu_xsetbv(uint32_t xcr, uint64_t value);
/*@ assigns \nothing; */
uint32_t mmio_read32(uint64_t addr);
/*@ assigns \nothing; */
void mmio_write32(uint64_t addr, uint32_t value);
/*@ assigns \nothing;
    ensures never_returns: \false; */
void cpu_halt_forever(void);
/*@ assigns \nothing; */
void cpu_wait_nmi(int svm);
/*@ assigns \nothing; */
void cpu_unblock_nmi(void);
/*@ assigns \nothing; */
void cpu_bochs_break(void);
/*@ requires \valid(word);
    assigns *word; */
uint32_t cpu_xchg32_acquire(volatile uint32_t *word, uint32_t value);
/*@ requires \valid(word);
    assigns *word; */
void cpu_store32_release(volatile uint32_t *word, uint32_t value);
/*@ requires \valid(word);
    assigns *word \from *word, add;
    assigns \result \from *word, add; */
uint32_t cpu_add32_seqcst(volatile uint32_t *word, uint32_t add);
/*@ requires \valid(word);
    assigns *word \from *word, expected, desired;
    assigns \result \from *word, expected;
    ensures result_is_flag: \result == 0 || \result == 1; */
int cpu_cas16_release(volatile uint16_t *word, uint16_t expected, uint16_t desired);
/*@ requires \valid(word);
    assigns *word \from *word, expected, desired;
    assigns \result \from *word, expected;
    ensures result_is_flag: \result == 0 || \result == 1; */
int cpu_cas8_seqcst(volatile uint8_t *word, uint8_t expected, uint8_t desired);
/*@ requires \valid_read(word);
    assigns \result \from *word; */
uint16_t cpu_load16_acquire(volatile uint16_t *word);
/*@ requires \valid(word);
    assigns *word \from value; */
void cpu_store16_release(volatile uint16_t *word, uint16_t value);
#else
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
static inline uint32_t cpu_inl(uint16_t port)
{
    uint32_t value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
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

/* Waits for an NMI with interrupts off (the only event that ends the HLT;
   the host IDT's NMI stub returns at once).  On SVM the monitor runs with
   GIF clear, which holds NMIs pending and would never end the HLT: GIF is
   set around it.  A return may also be spurious: callers re-check. */
/*@ assigns \nothing; */
static inline void cpu_wait_nmi(int svm)
{
    if (svm != 0)
        __asm__ volatile("stgi; hlt; clgi" ::: "memory");
    else
        __asm__ volatile("cli; hlt" ::: "memory");
}

/* Ends the NMI blocking a VM exit caused by an NMI leaves on VMX (until
   the next IRET, which the monitor never ran on a core parked from such an
   exit: cpu_wait_nmi would never wake): an IRETQ to the next instruction,
   which blocks nothing else.  The monitor is built -mno-red-zone. */
/*@ assigns \nothing; */
static inline void cpu_unblock_nmi(void)
{
    __asm__ volatile("mov %%rsp, %%rax\n\t"
                     "mov %%ss, %%ecx\n\t"
                     "pushq %%rcx\n\t"
                     "pushq %%rax\n\t"
                     "pushfq\n\t"
                     "mov %%cs, %%ecx\n\t"
                     "pushq %%rcx\n\t"
                     "lea 1f(%%rip), %%rcx\n\t"
                     "pushq %%rcx\n\t"
                     "iretq\n"
                     "1:"
                     ::: "rax", "rcx", "memory", "cc");
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

/* Atomic exchange with acquire ordering (spin-lock take): returns the old value. */
/*@ requires \valid(word);
    assigns *word; */
static inline uint32_t cpu_xchg32_acquire(volatile uint32_t *word, uint32_t value)
{
    return __atomic_exchange_n(word, value, __ATOMIC_ACQUIRE);
}

/* Store with release ordering (spin-lock release). */
/*@ requires \valid(word);
    assigns *word; */
static inline void cpu_store32_release(volatile uint32_t *word, uint32_t value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
}

/* Atomic add, sequentially consistent (a counter other cores poll): returns
   the new value. */
/*@ requires \valid(word);
    assigns *word; */
static inline uint32_t cpu_add32_seqcst(volatile uint32_t *word, uint32_t add)
{
    return __atomic_add_fetch(word, add, __ATOMIC_SEQ_CST);
}

/* Strong compare-and-swap of a 16-bit word, release ordering when it swaps,
   relaxed when it does not: 1 when *word held `expected` and now holds
   `desired`, 0 (nothing written) otherwise. */
/*@ requires \valid(word);
    assigns *word; */
static inline int cpu_cas16_release(volatile uint16_t *word, uint16_t expected, uint16_t desired)
{
    return __atomic_compare_exchange_n(word, &expected, desired, 0, __ATOMIC_RELEASE,
                                       __ATOMIC_RELAXED) ? 1 : 0;
}

/* Strong compare-and-swap of a byte, sequentially consistent either way
   (a request word two cores race to take or withdraw, e.g. a core's
   stop_request between restart_request and restart_nmi): 1 when *word held
   `expected` and now holds `desired`, 0 (nothing written) otherwise. */
/*@ requires \valid(word);
    assigns *word; */
static inline int cpu_cas8_seqcst(volatile uint8_t *word, uint8_t expected, uint8_t desired)
{
    return __atomic_compare_exchange_n(word, &expected, desired, 0, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST) ? 1 : 0;
}

/* Load with acquire ordering (a mailbox another core posts into). */
/*@ requires \valid_read(word);
    assigns \nothing; */
static inline uint16_t cpu_load16_acquire(volatile uint16_t *word)
{
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

/* Store with release ordering (a mailbox emptied for the next post). */
/*@ requires \valid(word);
    assigns *word; */
static inline void cpu_store16_release(volatile uint16_t *word, uint16_t value)
{
    __atomic_store_n(word, value, __ATOMIC_RELEASE);
}

#endif /* __FRAMAC__ */

#endif
