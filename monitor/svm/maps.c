/*
 * SVM's I/O and MSR permission maps, derived from the same policy the VMX
 * backend uses (one bit set = intercept): the sandbox's I/O bitmap (its
 * io_ranges) and the shared MSR bitmap (vmx/controls.c: trapped writes).
 * SVM adds its own MSRs (0xC0010000-0xC0011FFF: VM_CR, VM_HSAVE_PA, ...),
 * trapped for reads and writes: a guest moving the host save area would
 * own the monitor.
 */
#include "vcpu.h"
#include "vmcb.h"
#include "../monitor.h"
#include "../vmx/controls.h"

_Static_assert(TRIAD_MAX_SANDBOXES == 16 && SVM_MSRPM_BYTES == 8192 && SVM_IOPM_BYTES == 12288, "svm/vcpu.h declares the maps with these sizes");
uint8_t svm_msrpm[SVM_MSRPM_BYTES] __attribute__((aligned(4096)));
uint8_t svm_iopm[TRIAD_MAX_SANDBOXES][SVM_IOPM_BYTES] __attribute__((aligned(4096)));
void svm_msrpm_build(void)
{
    /* three ranges of 8192 MSRs, 2 bits each (read, write) */
    static const uint32_t base[3] = { 0x00000000u, 0xC0000000u, 0xC0010000u };
    /*@ loop assigns r, svm_msrpm[0 .. SVM_MSRPM_BYTES - 1]; loop variant 3 - r; */
    for (uint32_t r = 0; r < 3; r++) {
        /*@ loop assigns i, svm_msrpm[0 .. SVM_MSRPM_BYTES - 1]; loop variant 8192 - i; */
        for (uint32_t i = 0; i < 8192u; i++) {
            const uint32_t msr = base[r] + i;
            const int rd = r == 2 ? 1 : msr_bitmap_traps(msr_bitmap, msr, 0);
            const int wr = r == 2 ? 1 : msr_bitmap_traps(msr_bitmap, msr, 1);
            const uint32_t bit = r * 16384u + 2u * i;
            uint8_t *byte = &svm_msrpm[bit / 8];
            *byte = (uint8_t)((*byte & ~(3u << (bit % 8))) | ((uint32_t)(rd | (wr << 1)) << (bit % 8)));
        }
    }
    /*@ loop assigns i, svm_msrpm[0 .. SVM_MSRPM_BYTES - 1]; loop variant SVM_MSRPM_BYTES - i; */
    for (uint32_t i = 6144u; i < SVM_MSRPM_BYTES; i++)
        svm_msrpm[i] = 0xFF;   /* reserved part of the map */
}

uint64_t svm_msrpm_phys(void)
{
    return (uint64_t)(uintptr_t)svm_msrpm;
}

uint64_t svm_iopm_phys(uint32_t sb)
{
    if (sb >= TRIAD_MAX_SANDBOXES)
        return 0;
    uint8_t *m = svm_iopm[sb];
    /*@ loop assigns i, m[0 .. SVM_IOPM_BYTES - 1]; loop variant SVM_IOPM_BYTES - i; */
    for (uint32_t i = 0; i < SVM_IOPM_BYTES; i++)
        m[i] = i < IO_BITMAP_BYTES ? sandboxes[sb].io_bitmap[i] : 0xFF;
    return (uint64_t)(uintptr_t)m;
}
