/*
 * The x2APIC ICR policy (vendor-neutral: the VMX and SVM backends both trap
 * guest writes to MSR 0x830 and ask this).  A sandbox may send an IPI only
 * to its own cores; everything else is refused before it reaches the APIC
 * bus and becomes an ipi-violation fault record of the sender.
 */
#ifndef TRIAD_MONITOR_IPI_H
#define TRIAD_MONITOR_IPI_H

#include <stdint.h>

#define X2APIC_MSR_ICR       0x830u
#define APIC_BASE_EXTD       (1ull << 10)
#define APIC_BASE_EN         (1ull << 11)

/* Each field is masked before its cast to 32 bits, so the cast never drops
   a set bit (WP's unsigned-downcast check: a cast of the whole 64-bit value
   first was a truncation, and WP then took the value to be below 2^32). */
#define ICR_VECTOR(v)        ((uint32_t)((v) & 0xFFull))
#define ICR_MODE(v)          ((uint32_t)(((v) >> 8) & 7ull))
#define ICR_LOGICAL          (1ull << 11)
#define ICR_IS_LOGICAL(v)    ((uint32_t)(((v) >> 11) & 1ull))
#define ICR_SHORTHAND(v)     ((uint32_t)(((v) >> 18) & 3ull))
#define ICR_DEST(v)          ((uint32_t)(((v) >> 32) & 0xFFFFFFFFull))
/* Bits that must be zero in an x2APIC ICR write (delivery status, the two
   reserved bits 16-17 and 20-31): a write with any of them would #GP. */
#define ICR_RESERVED_BITS    0x00000000FFF33000ull

enum ipi_verdict {
    IPI_OK = 0,
    IPI_RESERVED = 1,      /* reserved bits set: not a valid ICR value */
    IPI_BAD_MODE = 2,      /* SMI or a reserved delivery mode */
    IPI_FOREIGN = 3,       /* a destination core outside the sender's sandbox */
    IPI_NO_TARGET = 4,     /* the destination names no core at all */
};

/* The cores an ICR value addresses, in logic (bit k = APIC ID k, k < 32):
   the contract of ipi_targets and the policy clause of ipi_check name it.
   It is written with the same operations as the C code (bit k as
   2^31 >> (31 - k), its complement as an exclusive or with 2^32 - 1, a
   cluster's members times 2^16, the fields masked as the ICR_* macros mask
   them), and as macros rather than logic functions: WP does not unfold a
   logic function, and the provers cannot relate two different bitwise
   forms of one value; expanded, both sides simplify to the same terms. */
/*@ logic integer ipi_core_bit(integer k) = 0x80000000 >> (31 - k); */
#define IPI_ICR_DEST(icr)       (((icr) >> 32) & 0xFFFFFFFF)
#define IPI_ICR_SHORTHAND(icr)  (((icr) >> 18) & 3)
#define IPI_ICR_TARGETS(icr, self, all_mask)                                          \
    (IPI_ICR_SHORTHAND(icr) == 1 ? (ipi_core_bit(self) & (all_mask)) :              \
     IPI_ICR_SHORTHAND(icr) == 2 ? (all_mask) :                                     \
     IPI_ICR_SHORTHAND(icr) == 3 ? ((all_mask) & (0xFFFFFFFF ^ ipi_core_bit(self))) : \
     IPI_ICR_DEST(icr) == 0xFFFFFFFF ? (all_mask) :                                 \
     (((icr) >> 11) & 1) == 0 ?                                                     \
       (IPI_ICR_DEST(icr) < 32 ? (ipi_core_bit(IPI_ICR_DEST(icr)) & (all_mask)) : 0) : \
     (IPI_ICR_DEST(icr) >> 16) == 0 ? ((IPI_ICR_DEST(icr) & 0xFFFF) & (all_mask)) :  \
     (IPI_ICR_DEST(icr) >> 16) == 1 ? (((IPI_ICR_DEST(icr) & 0xFFFF) * 65536) & (all_mask)) : 0)

/* The cores (bit k = APIC ID k, k < 32) an ICR value addresses, sent from
   the core with APIC ID self; all_mask is every core of the platform.
   The result is stated once per kind of destination (shorthand, physical,
   logical) rather than in one clause: over all the paths at once the
   provers did not finish, each case alone Qed or z3 closes at once.
   Together the three cover every ICR value (ipi_check's proof uses them
   so); IPI_TARGETS_EXIST_* say no core outside all_mask is named. */
/*@ requires self < 32;
    assigns \nothing;
    ensures IPI_TARGETS_SHORTHAND: IPI_ICR_SHORTHAND(icr) == 1 || IPI_ICR_SHORTHAND(icr) == 2 ||
        IPI_ICR_SHORTHAND(icr) == 3 ==> \result == IPI_ICR_TARGETS(icr, self, all_mask);
    ensures IPI_TARGETS_PHYSICAL: IPI_ICR_SHORTHAND(icr) != 1 && IPI_ICR_SHORTHAND(icr) != 2 &&
        IPI_ICR_SHORTHAND(icr) != 3 && ((icr >> 11) & 1) == 0 ==>
        \result == IPI_ICR_TARGETS(icr, self, all_mask);
    ensures IPI_TARGETS_LOGICAL: IPI_ICR_SHORTHAND(icr) != 1 && IPI_ICR_SHORTHAND(icr) != 2 &&
        IPI_ICR_SHORTHAND(icr) != 3 && ((icr >> 11) & 1) != 0 ==>
        \result == IPI_ICR_TARGETS(icr, self, all_mask);
    ensures IPI_TARGETS_EXIST_PHYSICAL: ((icr >> 11) & 1) == 0 ==> (\result & all_mask) == \result;
    ensures IPI_TARGETS_EXIST_CLUSTER0: ((icr >> 11) & 1) != 0 && (IPI_ICR_DEST(icr) >> 16) == 0 ==>
        (\result & all_mask) == \result;
    ensures IPI_TARGETS_EXIST_CLUSTER1: ((icr >> 11) & 1) != 0 && (IPI_ICR_DEST(icr) >> 16) == 1 ==>
        (\result & all_mask) == \result;
    ensures IPI_TARGETS_EXIST_LOGICAL: ((icr >> 11) & 1) != 0 && (IPI_ICR_DEST(icr) >> 16) != 0 &&
        (IPI_ICR_DEST(icr) >> 16) != 1 ==> (\result & all_mask) == \result; */
uint32_t ipi_targets(uint64_t icr, uint32_t self, uint32_t all_mask);

/* The verdict on a guest's ICR write from core self of a sandbox owning
   own_mask, on a platform of all_mask. */
/*@ requires self < 32;
    assigns \nothing;
    ensures REQ_MON_SVM_003: IPI_ONLY_OWN_CORES: \result == IPI_OK ==>
        (IPI_ICR_TARGETS(icr, self, all_mask) & own_mask) == IPI_ICR_TARGETS(icr, self, all_mask); */
int ipi_check(uint64_t icr, uint32_t self, uint32_t own_mask, uint32_t all_mask);

/* A guest write of IA32_APIC_BASE: 1 when allowed.  The base must stay at
   0xFEE00000 and the BSP flag is not the guest's; once the core is in
   x2APIC mode (current has EXTD) every write must keep it there (no way
   back to xAPIC or disabled, where the ICR would no longer trap). */
/*@ assigns \nothing;
    ensures APIC_BASE_STAYS_X2APIC: (current & APIC_BASE_EXTD) && !(value & APIC_BASE_EXTD) ==> \result == 0; */
int apic_base_allowed(uint64_t value, uint64_t current, int x2apic_supported);

/* A start request (TRIAD_HC_START_CORE): core `core` of the platform to be
   started at `vector`, asked from core self of a sandbox owning own_mask.
   IPI_FOREIGN for a core outside the sandbox (or past APIC ID 31),
   IPI_NO_TARGET for the caller's own core, IPI_RESERVED for a vector
   above 0xFF, else IPI_OK.  The partition is checked first, so a request
   for another sandbox's core is always refused as foreign. */
/*@ requires self < 32;
    assigns \nothing;
    ensures REQ_MON_SVM_002: START_ONLY_OWN_CORES: \result == IPI_OK ==>
        core < 32 && core != self && ((own_mask >> core) & 1) != 0 && vector <= 0xFF;
    ensures START_FOREIGN_FIRST: (core >= 32 || ((own_mask >> core) & 1) == 0) ==> \result == IPI_FOREIGN; */
int ipi_start_check(uint64_t core, uint64_t vector, uint32_t self, uint32_t own_mask);

/*@ assigns \nothing; */
const char *ipi_verdict_name(int verdict);

#endif
