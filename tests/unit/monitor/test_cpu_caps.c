/* Decoding of the VMX capability MSRs and the SVM CPUID leaves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "vmx/caps.h"
#include "svm/caps.h"

/* Values read from Bochs 2.7, corei7_skylake_x (TRUE_* control MSRs). */
static const struct vmx_msrs skylake = {
    .cpuid1_ecx = 1u << 5,
    .feature_control = 0x5,
    .basic = 0x00DA04000000002Bull,
    .pinbased = 0x000000FF00000016ull,
    .procbased = 0xFFF9FFFE04006172ull,
    .procbased2 = 0x000033FF00000000ull,
    .ept_vpid_cap = 0x00000F0106334141ull,
};

static void full_vmx_with_ept(void **state)
{
    (void)state;
    struct vmx_caps c;
    vmx_decode_caps(&skylake, &c);
    assert_true(c.vmx);
    assert_false(c.locked_off);
    assert_int_equal(c.vmcs_revision, 0x2B);
    assert_true(c.ept);
    assert_true(c.unrestricted_guest);
    assert_true(c.vpid);
    assert_true(c.preemption_timer);
    assert_true(c.ept_2mb_pages);
    assert_true(c.ept_wb);
}

static void no_vmx_means_nothing(void **state)
{
    (void)state;
    struct vmx_msrs m = skylake;
    m.cpuid1_ecx = 0;
    struct vmx_caps c;
    vmx_decode_caps(&m, &c);
    assert_false(c.vmx);
    assert_false(c.ept);
    assert_false(c.unrestricted_guest);
    assert_false(c.preemption_timer);
}

static void no_secondary_controls_means_no_ept(void **state)
{
    (void)state;
    struct vmx_msrs m = skylake;
    m.procbased &= ~(1ull << 63);
    struct vmx_caps c;
    vmx_decode_caps(&m, &c);
    assert_true(c.vmx);
    assert_false(c.secondary_controls);
    assert_false(c.ept);
    assert_false(c.vpid);
}

static void unrestricted_guest_needs_ept(void **state)
{
    (void)state;
    struct vmx_msrs m = skylake;
    m.procbased2 = (1ull << (32 + 7));      /* UG allowed, EPT not */
    struct vmx_caps c;
    vmx_decode_caps(&m, &c);
    assert_false(c.ept);
    assert_false(c.unrestricted_guest);
}

static void firmware_lock_is_reported(void **state)
{
    (void)state;
    struct vmx_msrs m = skylake;
    m.feature_control = 0x1;                /* locked, VMX outside SMX off */
    struct vmx_caps c;
    vmx_decode_caps(&m, &c);
    assert_true(c.locked_off);
}

static void svm_with_and_without_npt(void **state)
{
    (void)state;
    struct svm_caps c = svm_decode_caps(1u << 2, 0x8000001Fu, 16, 1);
    assert_true(c.svm);
    assert_true(c.npt);
    assert_int_equal(c.asids, 16);
    c = svm_decode_caps(1u << 2, 0x8000001Fu, 16, 0);
    assert_true(c.svm);
    assert_false(c.npt);
    c = svm_decode_caps(0, 0x8000001Fu, 16, 1);
    assert_false(c.svm);
    assert_false(c.npt);
    assert_int_equal(c.asids, 0);
    c = svm_decode_caps(1u << 2, 0x80000008u, 16, 1);  /* leaf 0x8000000A absent */
    assert_false(c.svm);
}

/* REQ: MON-CAP-001 */
/* After a restart the monitor flushes the sandbox's cached translations:
   single-context when offered, all-context otherwise, none when absent. */
static void flush_types_from_the_capability_msr(void **state)
{
    (void)state;
    assert_int_equal(vmx_invept_type(skylake.ept_vpid_cap), 1);
    assert_int_equal(vmx_invvpid_type(skylake.ept_vpid_cap), 1);
    const uint64_t all_only = (1ull << 20) | (1ull << 26) | (1ull << 32) | (1ull << 42);
    assert_int_equal(vmx_invept_type(all_only), 2);
    assert_int_equal(vmx_invvpid_type(all_only), 2);
    /* the instruction bit without any usable type, and no instruction at all */
    assert_int_equal(vmx_invept_type(1ull << 20), 0);
    assert_int_equal(vmx_invvpid_type(1ull << 32), 0);
    assert_int_equal(vmx_invept_type((1ull << 25) | (1ull << 26)), 0);
    assert_int_equal(vmx_invvpid_type((1ull << 41) | (1ull << 42)), 0);
    assert_int_equal(vmx_invept_type(0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_vmx_with_ept),
        cmocka_unit_test(flush_types_from_the_capability_msr),
        cmocka_unit_test(no_vmx_means_nothing),
        cmocka_unit_test(no_secondary_controls_means_no_ept),
        cmocka_unit_test(unrestricted_guest_needs_ept),
        cmocka_unit_test(firmware_lock_is_reported),
        cmocka_unit_test(svm_with_and_without_npt),
    };
    return cmocka_run_group_tests_name("cpu_caps", tests, NULL, NULL);
}
