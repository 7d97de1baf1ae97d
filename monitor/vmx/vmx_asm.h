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
/*@ assigns \nothing; */
int vmx_invept(uint64_t type, uint64_t eptp);
/*@ assigns \nothing; */
int vmx_invvpid(uint64_t type, uint16_t vpid);
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

/* INVEPT of the given type (1 single-context for eptp, 2 all-context):
   drops this processor's cached guest-physical and combined mappings. */
/*@ assigns \nothing; */
static inline int vmx_invept(uint64_t type, uint64_t eptp)
{
    struct { uint64_t eptp, zero; } desc = { eptp, 0 };
    uint8_t fail;
    __asm__ volatile("invept %1, %2; setna %0" : "=q"(fail) : "m"(desc), "r"(type) : "cc", "memory");
    return fail;
}

/* INVVPID of the given type (1 single-context for vpid, 2 all-context):
   drops this processor's cached linear mappings tagged with vpid. */
/*@ assigns \nothing; */
static inline int vmx_invvpid(uint64_t type, uint16_t vpid)
{
    struct { uint64_t vpid, linear; } desc = { vpid, 0 };
    uint8_t fail;
    __asm__ volatile("invvpid %1, %2; setna %0" : "=q"(fail) : "m"(desc), "r"(type) : "cc", "memory");
    return fail;
}

#endif /* __FRAMAC__ */

#endif
