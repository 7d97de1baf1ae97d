#include "caps.h"
#include "../cpu.h"

#define EXT1_ECX_SVM   (1u << 2)
#define LEAFA_EDX_NPT  (1u << 0)

struct svm_caps svm_decode_caps(uint32_t ext1_ecx, uint32_t max_ext_leaf,
                                uint32_t leaf_a_ebx, uint32_t leaf_a_edx)
{
    struct svm_caps c = { false, false, 0 };
    if ((ext1_ecx & EXT1_ECX_SVM) == 0 || max_ext_leaf < 0x8000000Au)
        return c;
    c.svm = true;
    c.npt = (leaf_a_edx & LEAFA_EDX_NPT) != 0;
    c.asids = leaf_a_ebx;
    return c;
}

void svm_read_caps(struct svm_caps *caps)
{
    struct cpuid_regs max, ext1, leaf_a = {0, 0, 0, 0};
    cpu_cpuid(0x80000000u, 0, &max);
    cpu_cpuid(0x80000001u, 0, &ext1);
    if (max.eax >= 0x8000000Au)
        cpu_cpuid(0x8000000Au, 0, &leaf_a);
    *caps = svm_decode_caps(ext1.ecx, max.eax, leaf_a.ebx, leaf_a.edx);
}
