/* ipi_check / ipi_targets / apic_base_allowed: the x2APIC ICR and APIC base
   policy of issue 4.  A sandbox reaches only its own cores; bad values,
   SMIs, broadcasts and logical destinations that leave the sandbox are
   refused; once in x2APIC mode a core stays there. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "ipi.h"

#define ALL 0x3Fu                       /* six cores */
#define FIXED(vec)  ((uint64_t)(vec))
#define NMI         (4ull << 8)
#define INIT        ((5ull << 8) | (1ull << 14))
#define SIPI(vec)   ((6ull << 8) | (vec))
#define SMI         (2ull << 8)
#define TO(id)      ((uint64_t)(id) << 32)

/* REQ: MON-EXIT-001 */
static void own_cores_allowed(void **state)
{
    (void)state;
    /* sandbox on cores 1 and 2, sending from core 1 */
    assert_int_equal(ipi_check(FIXED(0xE1) | TO(1), 1, 0x6, ALL), IPI_OK);   /* itself by ID */
    assert_int_equal(ipi_check(FIXED(0xE1) | TO(2), 1, 0x6, ALL), IPI_OK);   /* its other core */
    assert_int_equal(ipi_check(NMI | TO(2), 1, 0x6, ALL), IPI_OK);
    assert_int_equal(ipi_check(INIT | TO(2), 1, 0x6, ALL), IPI_OK);          /* starting its AP */
    assert_int_equal(ipi_check(SIPI(0x08) | TO(2), 1, 0x6, ALL), IPI_OK);
    assert_int_equal(ipi_check(FIXED(0x40) | (1ull << 18), 1, 0x6, ALL), IPI_OK);   /* shorthand self */
    assert_int_equal(ipi_check(FIXED(0x40) | (1ull << 8) | TO(2), 1, 0x6, ALL), IPI_OK);   /* lowest priority */
}

/* TRIAD_HC_START_CORE's policy: only another core of the caller's own
   sandbox, at a vector of 8 bits; another sandbox's core is foreign before
   anything else is looked at (the caller gets an ipi-violation record).
   REQ: MON-SVM-002 */
static void start_requests(void **state)
{
    (void)state;
    /* sandbox on cores 0 and 1, asking from core 0 */
    assert_int_equal(ipi_start_check(1, 0x07, 0, 0x3), IPI_OK);
    assert_int_equal(ipi_start_check(1, 0xFF, 0, 0x3), IPI_OK);
    assert_int_equal(ipi_start_check(2, 0x07, 0, 0x3), IPI_FOREIGN);     /* another sandbox's core */
    assert_int_equal(ipi_start_check(2, 0x1000, 0, 0x3), IPI_FOREIGN);   /* foreign first, then the vector */
    assert_int_equal(ipi_start_check(31, 0x07, 0, 0x3), IPI_FOREIGN);
    assert_int_equal(ipi_start_check(32, 0x07, 0, 0xFFFFFFFFu), IPI_FOREIGN);   /* no such APIC ID */
    assert_int_equal(ipi_start_check(~0ull, 0x07, 0, 0xFFFFFFFFu), IPI_FOREIGN);
    assert_int_equal(ipi_start_check(0, 0x07, 0, 0x3), IPI_NO_TARGET);   /* its own core */
    assert_int_equal(ipi_start_check(1, 0x100, 0, 0x3), IPI_RESERVED);   /* vector past 8 bits */
    assert_int_equal(ipi_start_check(1, ~0ull, 0, 0x3), IPI_RESERVED);
    /* a one-core sandbox has nothing to start */
    assert_int_equal(ipi_start_check(2, 0x07, 2, 0x4), IPI_NO_TARGET);
    assert_int_equal(ipi_start_check(1, 0x07, 2, 0x4), IPI_FOREIGN);
}

static void other_cores_refused(void **state)
{
    (void)state;
    assert_int_equal(ipi_check(INIT | TO(3), 1, 0x6, ALL), IPI_FOREIGN);
    assert_int_equal(ipi_check(NMI | TO(0), 1, 0x6, ALL), IPI_FOREIGN);
    assert_int_equal(ipi_check(FIXED(0x30) | TO(5), 1, 0x6, ALL), IPI_FOREIGN);
    assert_int_equal(ipi_check(SIPI(0x08) | TO(4), 1, 0x6, ALL), IPI_FOREIGN);
    /* broadcasts: all including / excluding self, and destination all ones */
    assert_int_equal(ipi_check(NMI | (2ull << 18), 1, 0x6, ALL), IPI_FOREIGN);
    assert_int_equal(ipi_check(INIT | (3ull << 18), 1, 0x6, ALL), IPI_FOREIGN);
    assert_int_equal(ipi_check(NMI | TO(0xFFFFFFFFu), 1, 0x6, ALL), IPI_FOREIGN);
    /* a sandbox owning every core may broadcast */
    assert_int_equal(ipi_check(FIXED(0x30) | (3ull << 18), 0, ALL, ALL), IPI_OK);
}

static void logical_destinations(void **state)
{
    (void)state;
    /* cluster 0, bits 1 and 2: cores 1 and 2 */
    assert_int_equal(ipi_targets(FIXED(0x30) | ICR_LOGICAL | TO(0x0006), 1, ALL), 0x6u);
    assert_int_equal(ipi_check(FIXED(0x30) | ICR_LOGICAL | TO(0x0006), 1, 0x6, ALL), IPI_OK);
    /* one bit too many: core 3 */
    assert_int_equal(ipi_check(NMI | ICR_LOGICAL | TO(0x000E), 1, 0x6, ALL), IPI_FOREIGN);
    /* cluster 1 has no core on a six-core platform */
    assert_int_equal(ipi_targets(NMI | ICR_LOGICAL | TO(0x10001), 1, ALL), 0u);
    assert_int_equal(ipi_check(NMI | ICR_LOGICAL | TO(0x10001), 1, 0x6, ALL), IPI_NO_TARGET);
    /* on 32 cores cluster 1 is IDs 16-31: member bits 0 and 15 are cores 16
       and 31; clusters 2 and up name no core */
    assert_int_equal(ipi_targets(NMI | ICR_LOGICAL | TO(0x18001), 1, 0xFFFFFFFFu), 0x80010000u);
    assert_int_equal(ipi_targets(NMI | ICR_LOGICAL | TO(0x2FFFF), 1, 0xFFFFFFFFu), 0u);
    assert_int_equal(ipi_targets(NMI | ICR_LOGICAL | TO(0xFFFF0001u), 1, 0xFFFFFFFFu), 0u);
}

static void bad_values_refused(void **state)
{
    (void)state;
    assert_int_equal(ipi_check(SMI | TO(1), 1, 0x6, ALL), IPI_BAD_MODE);
    assert_int_equal(ipi_check((3ull << 8) | TO(1), 1, 0x6, ALL), IPI_BAD_MODE);
    assert_int_equal(ipi_check((7ull << 8) | TO(1), 1, 0x6, ALL), IPI_BAD_MODE);
    assert_int_equal(ipi_check(FIXED(0x30) | (1ull << 12) | TO(1), 1, 0x6, ALL), IPI_RESERVED);
    assert_int_equal(ipi_check(FIXED(0x30) | (1ull << 16) | TO(1), 1, 0x6, ALL), IPI_RESERVED);
    assert_int_equal(ipi_check(FIXED(0x30) | (1ull << 31) | TO(1), 1, 0x6, ALL), IPI_RESERVED);
    /* a physical APIC ID past the platform addresses nobody */
    assert_int_equal(ipi_check(NMI | TO(6), 1, 0x6, ALL), IPI_NO_TARGET);
    assert_int_equal(ipi_check(NMI | TO(200), 1, 0x6, ALL), IPI_NO_TARGET);
    assert_string_equal(ipi_verdict_name(IPI_FOREIGN), "destination outside the sandbox");
    assert_string_equal(ipi_verdict_name(99), "unknown");
}

static void apic_base_policy(void **state)
{
    (void)state;
    const uint64_t base = 0xFEE00000ull, en = APIC_BASE_EN, extd = APIC_BASE_EXTD;
    /* xAPIC enabled -> x2APIC: allowed with x2APIC, refused without */
    assert_int_equal(apic_base_allowed(base | en | extd, base | en, 1), 1);
    assert_int_equal(apic_base_allowed(base | en | extd, base | en, 0), 0);
    /* keeping xAPIC enabled, or enabling it */
    assert_int_equal(apic_base_allowed(base | en, base | en, 1), 1);
    assert_int_equal(apic_base_allowed(base | en, base, 1), 1);
    /* once x2APIC: staying is fine (the BSP flag is ignored), leaving is not */
    assert_int_equal(apic_base_allowed(base | en | extd | 0x100, base | en | extd, 1), 1);
    assert_int_equal(apic_base_allowed(base | en, base | en | extd, 1), 0);
    assert_int_equal(apic_base_allowed(base, base | en | extd, 1), 0);
    /* invalid encodings and relocation */
    assert_int_equal(apic_base_allowed(base | extd, base | en, 1), 0);
    assert_int_equal(apic_base_allowed(base | en | extd, base, 1), 0);
    assert_int_equal(apic_base_allowed(0xFEC00000ull | en, base | en, 1), 0);
    assert_int_equal(apic_base_allowed(base | en | (1ull << 40), base | en, 1), 0);
    assert_int_equal(apic_base_allowed(base | en | 0x1, base | en, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(own_cores_allowed),
        cmocka_unit_test(other_cores_refused),
        cmocka_unit_test(start_requests),
        cmocka_unit_test(logical_destinations),
        cmocka_unit_test(bad_values_refused),
        cmocka_unit_test(apic_base_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
