/* VMX control words against capability MSRs, the I/O bitmap built from a
   sandbox's port ranges, and the MSR bitmap's trapped writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vmx/controls.h"

/* allowed-0 (must be one) in bits 31:0, allowed-1 (may be one) in 63:32 */
static uint64_t cap(uint32_t must, uint32_t may) { return ((uint64_t)may << 32) | must; }

static void ctl_takes_required_optional_and_forced(void **state)
{
    (void)state;
    uint32_t out = 0, forced = 0;
    assert_int_equal(vmx_ctl_adjust(cap(0x16, 0xFFFF), 0x1, 0x100, &out, &forced), VMX_CTL_OK);
    assert_int_equal(out, 0x117);
    assert_int_equal(forced, 0x16);          /* reported: we did not ask for them */
    /* a required bit that is also forced is not "forced" */
    assert_int_equal(vmx_ctl_adjust(cap(0x16, 0xFFFF), 0x2, 0, &out, &forced), VMX_CTL_OK);
    assert_int_equal(forced, 0x14);
}

static void ctl_optional_bits_not_offered_are_dropped(void **state)
{
    (void)state;
    uint32_t out = 0, forced = 0;
    assert_int_equal(vmx_ctl_adjust(cap(0, 0x0F), 0x1, 0xF0, &out, &forced), VMX_CTL_OK);
    assert_int_equal(out, 0x1);
    assert_int_equal(forced, 0);
}

static void ctl_missing_required_bit_is_refused(void **state)
{
    (void)state;
    uint32_t out = 0, forced = 0;
    /* e.g. EPT (bit 1 of the secondary controls) not offered */
    assert_int_equal(vmx_ctl_adjust(cap(0, 0xFFFFFFFDu), 0x2 | 0x80, 0, &out, &forced), VMX_CTL_MISSING);
    assert_int_equal(out & 0x2, 0);
    /* a processor offering nothing */
    assert_int_equal(vmx_ctl_adjust(0, 0x1, 0, &out, &forced), VMX_CTL_MISSING);
    assert_int_equal(vmx_ctl_adjust(0, 0, 0, &out, &forced), VMX_CTL_OK);
    assert_int_equal(out, 0);
}

static void ctl_contradictory_msr_is_refused(void **state)
{
    (void)state;
    uint32_t out = 0, forced = 0;
    /* bit 4 must be one but may not be one: a broken capability MSR */
    assert_int_equal(vmx_ctl_adjust(cap(0x10, 0x0F), 0x1, 0, &out, &forced), VMX_CTL_MISSING);
}

static uint8_t bm[IO_BITMAP_BYTES];

static void io_only_listed_ports_pass(void **state)
{
    (void)state;
    const struct triad_io_range r[] = { { 0x2F8, 8 }, { 0x60, 1 } };
    assert_int_equal(io_bitmap_build(bm, r, 2), 9);
    for (uint32_t p = 0x2F8; p < 0x300; p++)
        assert_int_equal(io_bitmap_traps(bm, (uint16_t)p), 0);
    assert_int_equal(io_bitmap_traps(bm, 0x60), 0);
    assert_int_equal(io_bitmap_traps(bm, 0x2F7), 1);
    assert_int_equal(io_bitmap_traps(bm, 0x300), 1);
    assert_int_equal(io_bitmap_traps(bm, 0x61), 1);
    assert_int_equal(io_bitmap_traps(bm, 0x3F8), 1);     /* the monitor's COM1 */
    assert_int_equal(io_bitmap_traps(bm, 0), 1);
    assert_int_equal(io_bitmap_traps(bm, 0xFFFF), 1);
    uint32_t open = 0;
    for (uint32_t p = 0; p < 0x10000; p++)
        open += !io_bitmap_traps(bm, (uint16_t)p);
    assert_int_equal(open, 9);
}

static void io_no_ranges_traps_everything(void **state)
{
    (void)state;
    memset(bm, 0, sizeof bm);
    assert_int_equal(io_bitmap_build(bm, NULL, 0), 0);
    for (uint32_t i = 0; i < IO_BITMAP_BYTES; i++)
        assert_int_equal(bm[i], 0xFF);
}

static void io_overlapping_ranges_count_once(void **state)
{
    (void)state;
    const struct triad_io_range r[] = { { 0x3E8, 8 }, { 0x3EC, 8 } };
    assert_int_equal(io_bitmap_build(bm, r, 2), 12);
}

static void io_range_up_to_the_last_port(void **state)
{
    (void)state;
    const struct triad_io_range r[] = { { 0xFFF8, 8 } };
    assert_int_equal(io_bitmap_build(bm, r, 1), 8);
    assert_int_equal(io_bitmap_traps(bm, 0xFFFF), 0);
    assert_int_equal(io_bitmap_traps(bm, 0xFFF7), 1);
}

static void io_range_past_ffff_is_refused(void **state)
{
    (void)state;
    const struct triad_io_range r[] = { { 0x2F8, 8 }, { 0xFFF8, 9 } };
    assert_int_equal(io_bitmap_build(bm, r, 2), -1);
    const struct triad_io_range big[] = { { 0xFFFF, 0xFFFF } };
    assert_int_equal(io_bitmap_build(bm, big, 1), -1);
}

static uint8_t msr[MSR_BITMAP_BYTES];

static void msr_reads_pass_writes_to_machine_state_trap(void **state)
{
    (void)state;
    memset(msr, 0xAA, sizeof msr);   /* build must overwrite every byte */
    msr_bitmap_build(msr);
    const uint32_t trapped[] = { 0x10, 0x1B, 0x3A, 0x3B, 0x79, 0x9B, 0x1A0, 0x200, 0x2FF, 0x480, 0x493, 0x830 };
    for (unsigned i = 0; i < sizeof trapped / sizeof trapped[0]; i++) {
        assert_int_equal(msr_bitmap_traps(msr, trapped[i], 1), 1);
        assert_int_equal(msr_bitmap_traps(msr, trapped[i], 0), 0);
    }
    /* swapped by the VMCS or harmless: the guest owns them (PAT 0x277
       sits inside the MTRR block and once trapped by mistake) */
    /* x2APIC: every register but the ICR (0x830) is the guest's (EOI 0x80B,
       TPR 0x808, timer 0x838/0x839, self IPI 0x83F, ICR's neighbours) */
    const uint32_t free_[] = { 0x11, 0x1FF, 0x277, 0x300, 0x494, 0x6E0, 0xC0000080u, 0xC0000100u, 0xC0000102u,
                               0x802, 0x808, 0x80B, 0x82F, 0x831, 0x838, 0x839, 0x83F };
    for (unsigned i = 0; i < sizeof free_ / sizeof free_[0]; i++) {
        assert_int_equal(msr_bitmap_traps(msr, free_[i], 1), 0);
        assert_int_equal(msr_bitmap_traps(msr, free_[i], 0), 0);
    }
    uint32_t n = 0;
    for (uint32_t m = 0; m < 0x2000; m++)
        n += msr_bitmap_traps(msr, m, 1);
    assert_int_equal(n, 1 + 1 + 2 + 1 + 1 + 1 + 255 + 20 + 1);   /* 0x200-0x2FF minus PAT; the ICR */
}

static void msr_outside_both_ranges_always_exits(void **state)
{
    (void)state;
    msr_bitmap_build(msr);
    const uint32_t out[] = { 0x2000, 0x40000000u, 0xBFFFFFFFu, 0xC0002000u, 0xFFFFFFFFu };
    for (unsigned i = 0; i < sizeof out / sizeof out[0]; i++) {
        assert_int_equal(msr_bitmap_traps(msr, out[i], 0), 1);
        assert_int_equal(msr_bitmap_traps(msr, out[i], 1), 1);
    }
}

/* REQ: MON-VMX-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ctl_takes_required_optional_and_forced),
        cmocka_unit_test(ctl_optional_bits_not_offered_are_dropped),
        cmocka_unit_test(ctl_missing_required_bit_is_refused),
        cmocka_unit_test(ctl_contradictory_msr_is_refused),
        cmocka_unit_test(io_only_listed_ports_pass),
        cmocka_unit_test(io_no_ranges_traps_everything),
        cmocka_unit_test(io_overlapping_ranges_count_once),
        cmocka_unit_test(io_range_up_to_the_last_port),
        cmocka_unit_test(io_range_past_ffff_is_refused),
        cmocka_unit_test(msr_reads_pass_writes_to_machine_state_trap),
        cmocka_unit_test(msr_outside_both_ranges_always_exits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
