/* The SVM permission maps (svm/maps.c) from the shared policy: with x2APIC
   only the ICR write (MSR 0x830) exits, EOI, TPR, the timer and every other
   x2APIC register pass, so a timer-driven sandbox keeps zero exits on SVM
   as on VMX (issue 14, lead decision a); the APIC base and the SVM MSRs
   (VM_CR, VM_HSAVE_PA) are trapped; the I/O map is the sandbox's bitmap with
   every port past 0xFFFF trapped, and a sandbox index out of range is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "monitor.h"
#include "svm/vcpu.h"
#include "svm/vmcb.h"

/* the monitor's globals maps.c reads */
uint8_t msr_bitmap[MSR_BITMAP_BYTES];
struct sandbox_rt sandboxes[TRIAD_MAX_SANDBOXES];

/* 1 when the map intercepts the read (write = 0) or write (1) of msr */
static int msrpm_traps(uint32_t msr, int write)
{
    uint32_t range, off;
    if (msr < 0x2000u) {
        range = 0, off = msr;
    } else if (msr >= 0xC0000000u && msr < 0xC0002000u) {
        range = 1, off = msr - 0xC0000000u;
    } else if (msr >= 0xC0010000u && msr < 0xC0012000u) {
        range = 2, off = msr - 0xC0010000u;
    } else {
        return 1;                                   /* outside the map: always intercepted */
    }
    const uint32_t bit = range * 16384u + 2u * off + (write ? 1u : 0u);
    return (svm_msrpm[bit / 8] >> (bit % 8)) & 1;
}

/* REQ: MON-SVM-001, MON-EXIT-002 */
static void x2apic_only_icr_write_exits(void **state)
{
    (void)state;
    msr_bitmap_build(msr_bitmap);
    svm_msrpm_build();
    assert_int_equal(msrpm_traps(0x830, 1), 1);      /* ICR write: checked by ipi_check */
    assert_int_equal(msrpm_traps(0x830, 0), 0);      /* ICR read passes */
    for (uint32_t msr = 0x800; msr <= 0x8FF; msr++) {
        if (msr == 0x830)
            continue;
        assert_int_equal(msrpm_traps(msr, 1), 0);    /* EOI 0x80B, TPR 0x808, timer 0x838/0x83E, LVTs, self IPI 0x83F */
        assert_int_equal(msrpm_traps(msr, 0), 0);
    }
    assert_int_equal(msrpm_traps(0x1B, 1), 1);       /* APIC base: x2APIC switch checked */
    assert_int_equal(msrpm_traps(0x6E0, 1), 0);      /* TSC deadline: the guest's timer */
    assert_int_equal(msrpm_traps(0x10, 1), 1);       /* TSC: the monitor's clock */
    assert_int_equal(msrpm_traps(MSR_VM_CR, 0), 1);  /* SVM MSRs: read and write trapped */
    assert_int_equal(msrpm_traps(MSR_VM_HSAVE_PA, 1), 1);
    /* the reserved upper part of the map intercepts everything */
    for (uint32_t i = 6144u; i < SVM_MSRPM_BYTES; i++)
        assert_int_equal(svm_msrpm[i], 0xFF);
}

/* REQ: MON-SVM-001 */
static void io_map_from_the_sandbox_bitmap(void **state)
{
    (void)state;
    memset(sandboxes[3].io_bitmap, 0xFF, sizeof sandboxes[3].io_bitmap);
    sandboxes[3].io_bitmap[0x2F8 / 8] &= (uint8_t)~(1u << (0x2F8 % 8));   /* COM2 data port owned */
    const uint64_t phys = svm_iopm_phys(3);
    assert_int_equal(phys, (uint64_t)(uintptr_t)svm_iopm[3]);
    assert_int_equal((svm_iopm[3][0x2F8 / 8] >> (0x2F8 % 8)) & 1, 0);
    assert_int_equal((svm_iopm[3][0x3F8 / 8] >> (0x3F8 % 8)) & 1, 1);
    for (uint32_t i = IO_BITMAP_BYTES; i < SVM_IOPM_BYTES; i++)
        assert_int_equal(svm_iopm[3][i], 0xFF);       /* past port 0xFFFF: trapped */
    assert_int_equal(svm_iopm_phys(TRIAD_MAX_SANDBOXES), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(x2apic_only_icr_write_exits),
        cmocka_unit_test(io_map_from_the_sandbox_bitmap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
