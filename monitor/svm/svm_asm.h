/*
 * SVM instructions used from C (VMRUN/VMLOAD/VMSAVE live in svm/entry.S).
 * Under Frama-C each is a contract stub (proofs/ASSUMPTIONS.md).
 */
#ifndef TRIAD_MONITOR_SVM_ASM_H
#define TRIAD_MONITOR_SVM_ASM_H

#ifdef __FRAMAC__
/*@ assigns \nothing; */
void svm_clgi(void);
/*@ assigns \nothing; */
void svm_take_pending_nmi(void);
#else
/* Clears GIF: in the monitor, NMIs (and INIT, SMI) stay pending. */
/*@ assigns \nothing; */
static inline void svm_clgi(void)
{
    __asm__ volatile("clgi" ::: "memory");
}

/* Sets GIF for one instruction: an NMI left pending by an NMI intercept is
   taken through the host IDT (vector 2: IRETQ) and so consumed. */
/*@ assigns \nothing; */
static inline void svm_take_pending_nmi(void)
{
    __asm__ volatile("stgi; clgi" ::: "memory");
}
#endif

#endif
