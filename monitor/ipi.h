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

#define ICR_VECTOR(v)        ((uint32_t)(v) & 0xFFu)
#define ICR_MODE(v)          (((uint32_t)(v) >> 8) & 7u)
#define ICR_LOGICAL          (1ull << 11)
#define ICR_SHORTHAND(v)     (((uint32_t)(v) >> 18) & 3u)
#define ICR_DEST(v)          ((uint32_t)((v) >> 32))
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
   the contract of ipi_targets and the policy clause of ipi_check name it
   (a C function cannot appear in an annotation; EVA and WP stopped there). */
/*@ logic integer ipi_icr_targets(integer icr, integer self, integer all_mask) =
      ((icr >> 18) & 3) == 1 ? ((1 << self) & all_mask) :
      ((icr >> 18) & 3) == 2 ? all_mask :
      ((icr >> 18) & 3) == 3 ? (all_mask & ~(1 << self)) :
      (icr >> 32) == 0xFFFFFFFF ? all_mask :
      (icr & 0x800) == 0 ? ((icr >> 32) < 32 ? ((1 << (icr >> 32)) & all_mask) : 0) :
      (icr >> 48) == 0 ? (((icr >> 32) & 0xFFFF) & all_mask) :
      (icr >> 48) == 1 ? ((((icr >> 32) & 0xFFFF) * 65536) & all_mask) : 0;
*/

/* The cores (bit k = APIC ID k, k < 32) an ICR value addresses, sent from
   the core with APIC ID self; all_mask is every core of the platform. */
/*@ requires self < 32;
    assigns \nothing;
    ensures IPI_TARGETS: \result == ipi_icr_targets(icr, self, all_mask);
    ensures (\result & ~all_mask) == 0; */
uint32_t ipi_targets(uint64_t icr, uint32_t self, uint32_t all_mask);

/* The verdict on a guest's ICR write from core self of a sandbox owning
   own_mask, on a platform of all_mask. */
/*@ requires self < 32;
    assigns \nothing;
    ensures IPI_ONLY_OWN_CORES: \result == IPI_OK ==> (ipi_icr_targets(icr, self, all_mask) & ~own_mask) == 0; */
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
    ensures START_ONLY_OWN_CORES: \result == IPI_OK ==>
        core < 32 && core != self && ((own_mask >> core) & 1) != 0 && vector <= 0xFF;
    ensures START_FOREIGN_FIRST: (core >= 32 || ((own_mask >> core) & 1) == 0) ==> \result == IPI_FOREIGN; */
int ipi_start_check(uint64_t core, uint64_t vector, uint32_t self, uint32_t own_mask);

/*@ assigns \nothing; */
const char *ipi_verdict_name(int verdict);

#endif
