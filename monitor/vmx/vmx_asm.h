/*
 * The VMX instructions, one small wrapper each (trusted: listed in
 * proofs/ASSUMPTIONS.md).  Each returns 0 on success and nonzero when the
 * instruction reports VMfailInvalid (CF) or VMfailValid (ZF).
 */
#ifndef TRIAD_MONITOR_VMX_ASM_H
#define TRIAD_MONITOR_VMX_ASM_H

#include <stdint.h>

#ifdef __FRAMAC__
/* Contract stubs for Frama-C (trusted, listed in proofs/ASSUMPTIONS.md);
   the compiler builds the bodies after #else. */
/*@ assigns \nothing; */
int vmx_on(uint64_t phys);
/*@ assigns \nothing; */
int vmx_clear(uint64_t phys);
/*@ assigns \nothing; */
int vmx_ptrld(uint64_t phys);
/*@ assigns \nothing; */
int vmx_write(uint64_t field, uint64_t value);
/*@ assigns \nothing; */
uint64_t vmx_read(uint64_t field);
#else
/*@ assigns \nothing; */
static inline int vmx_on(uint64_t phys)
{
    uint8_t fail;
    __asm__ volatile("vmxon %1; setna %0" : "=q"(fail) : "m"(phys) : "cc", "memory");
    return fail;
}

/*@ assigns \nothing; */
static inline int vmx_clear(uint64_t phys)
{
    uint8_t fail;
    __asm__ volatile("vmclear %1; setna %0" : "=q"(fail) : "m"(phys) : "cc", "memory");
    return fail;
}

/*@ assigns \nothing; */
static inline int vmx_ptrld(uint64_t phys)
{
    uint8_t fail;
    __asm__ volatile("vmptrld %1; setna %0" : "=q"(fail) : "m"(phys) : "cc", "memory");
    return fail;
}

/*@ assigns \nothing; */
static inline int vmx_write(uint64_t field, uint64_t value)
{
    uint8_t fail;
    __asm__ volatile("vmwrite %2, %1; setna %0" : "=q"(fail) : "r"(field), "rm"(value) : "cc");
    return fail;
}

/* Reads a field of the current VMCS (0 when the read fails). */
/*@ assigns \nothing; */
static inline uint64_t vmx_read(uint64_t field)
{
    uint64_t value = 0;
    __asm__ volatile("vmread %1, %0" : "+rm"(value) : "r"(field) : "cc");
    return value;
}

#endif /* __FRAMAC__ */

#endif
