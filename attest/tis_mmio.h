/*
 * The TPM's memory-mapped registers (TCG PC Client Platform TPM Profile,
 * FIFO interface at 0xFED40000, locality 0).  The only MMIO the TPM driver
 * does goes through these three wrappers (listed in proofs/ASSUMPTIONS.md):
 * the monitor's identity map makes the top GiB uncached, so each is one bus
 * access.  Freestanding: needs only <stdint.h>.
 */
#ifndef TRIAD_ATTEST_TIS_MMIO_H
#define TRIAD_ATTEST_TIS_MMIO_H

#include <stdint.h>

#define TIS_BASE 0xFED40000u

#ifdef TRIAD_TIS_HOST_MODEL
/* Host unit tests (tests/unit/attest/test_launch_degrade.c) put a scripted
   TPM behind the registers to drive the monitor's failure paths. */
uint8_t tis_read8(uint32_t reg);
uint32_t tis_read32(uint32_t reg);
void tis_write8(uint32_t reg, uint8_t value);
#else
/*@ assigns \nothing; */
static inline uint8_t tis_read8(uint32_t reg)
{
    return *(volatile uint8_t *)(uintptr_t)(TIS_BASE + reg);
}

/*@ assigns \nothing; */
static inline uint32_t tis_read32(uint32_t reg)
{
    return *(volatile uint32_t *)(uintptr_t)(TIS_BASE + reg);
}

/*@ assigns \nothing; */
static inline void tis_write8(uint32_t reg, uint8_t value)
{
    *(volatile uint8_t *)(uintptr_t)(TIS_BASE + reg) = value;
}
#endif

#endif
