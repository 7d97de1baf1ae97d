/* x2APIC ICR and APIC base policy (see ipi.h). */
#include "ipi.h"

#define MODE_FIXED    0u
#define MODE_LOWEST   1u
#define MODE_SMI      2u
#define MODE_NMI      4u
#define MODE_INIT     5u
#define MODE_SIPI     6u

/* Bit k of a core mask (k < 32), as a right shift: a left shift of 1 has
   an unsigned-overflow check WP cannot bound, a right shift has none. */
/*@ requires k < 32;
    assigns \nothing;
    ensures CORE_BIT: \result == ipi_core_bit(k); */
static inline uint32_t core_bit(uint32_t k)
{
    return 0x80000000u >> (31u - k);
}

uint32_t ipi_targets(uint64_t icr, uint32_t self, uint32_t all_mask)
{
    const uint32_t dest = ICR_DEST(icr);
    switch (ICR_SHORTHAND(icr)) {
    case 1u:
        return core_bit(self) & all_mask;                 /* self */
    case 2u:
        return all_mask;                                  /* all including self */
    case 3u:
        return all_mask & (0xFFFFFFFFu ^ core_bit(self)); /* all excluding self */
    default:
        break;
    }
    if (dest == 0xFFFFFFFFu) {
        return all_mask;                                  /* broadcast */
    }
    if (ICR_IS_LOGICAL(icr) == 0u) {                      /* physical: one APIC ID */
        return (dest < 32u) ? (core_bit(dest) & all_mask) : 0u;
    }
    /* x2APIC logical: cluster = ID >> 4 in bits 31:16, one bit per ID & 15
       in bits 15:0 (the logical ID the hardware derives from the APIC ID).
       With APIC IDs below 32 only clusters 0 (IDs 0-15) and 1 (IDs 16-31)
       name a core: the member bits are the target bits, shifted by 16 for
       cluster 1 (closed form, no loop: the same set the per-ID scan gave). */
    const uint32_t cluster = dest >> 16;
    const uint32_t members = dest & 0xFFFFu;
    if (cluster == 0u) {
        return members & all_mask;
    }
    if (cluster == 1u) {
        return (members * 0x10000u) & all_mask;
    }
    return 0u;
}

int ipi_check(uint64_t icr, uint32_t self, uint32_t own_mask, uint32_t all_mask)
{
    if ((icr & ICR_RESERVED_BITS) != 0u) {
        return IPI_RESERVED;
    }
    const uint32_t mode = ICR_MODE(icr);
    if ((mode == MODE_SMI) || (mode == 3u) || (mode == 7u)) {
        return IPI_BAD_MODE;
    }
    const uint32_t targets = ipi_targets(icr, self, all_mask);
    if (targets == 0u) {
        return IPI_NO_TARGET;
    }
    if ((targets & own_mask) != targets) {                /* a target outside own_mask */
        return IPI_FOREIGN;
    }
    return IPI_OK;
}

int apic_base_allowed(uint64_t value, uint64_t current, int x2apic_supported)
{
    const uint64_t extd = value & APIC_BASE_EXTD;
    /* base 0xFEE00000, only EN, EXTD and the (ignored) BSP flag besides */
    if ((value & ~(APIC_BASE_EN | APIC_BASE_EXTD | 0x100ull)) != 0xFEE00000ull) {
        return 0;
    }
    /* EXTD without EN is invalid */
    if ((extd != 0u) && ((x2apic_supported == 0) || ((value & APIC_BASE_EN) == 0u))) {
        return 0;
    }
    /* would leave x2APIC mode: EXTD cleared (EXTD kept without EN was
       refused just above) */
    if (((current & APIC_BASE_EXTD) != 0u) && (extd == 0u)) {
        return 0;
    }
    /* disabled -> x2APIC skips xAPIC: invalid */
    if ((extd != 0u) && ((current & APIC_BASE_EN) == 0u)) {
        return 0;
    }
    return 1;
}

const char *ipi_verdict_name(int verdict)
{
    switch (verdict) {
    case IPI_OK:        return "allowed";
    case IPI_RESERVED:  return "reserved bits set";
    case IPI_BAD_MODE:  return "SMI or reserved delivery mode";
    case IPI_FOREIGN:   return "destination outside the sandbox";
    case IPI_NO_TARGET: return "no destination core";
    default:            return "unknown";
    }
}

int ipi_start_check(uint64_t core, uint64_t vector, uint32_t self, uint32_t own_mask)
{
    if ((core >= 32u) || (((own_mask >> core) & 1u) == 0u)) {   /* no left shift: nothing to overflow */
        return IPI_FOREIGN;
    }
    if (core == self) {
        return IPI_NO_TARGET;
    }
    if (vector > 0xFFu) {
        return IPI_RESERVED;
    }
    return IPI_OK;
}
