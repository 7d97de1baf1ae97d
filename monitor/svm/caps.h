/* AMD SVM and nested paging, from CPUID (leaves 0x80000001 and 0x8000000A). */
#ifndef TRIAD_MONITOR_SVM_CAPS_H
#define TRIAD_MONITOR_SVM_CAPS_H

#include <stdint.h>
#include <stdbool.h>

struct svm_caps {
    bool svm;
    bool npt;
    uint32_t asids;
};

/*@ assigns \nothing;
    ensures !\result.svm ==> !\result.npt && \result.asids == 0; */
struct svm_caps svm_decode_caps(uint32_t ext1_ecx, uint32_t max_ext_leaf,
                                uint32_t leaf_a_ebx, uint32_t leaf_a_edx);

/*@ requires \valid(caps);
    assigns *caps; */
void svm_read_caps(struct svm_caps *caps);

#endif
