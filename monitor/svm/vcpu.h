/* Per-core SVM: EFER.SVME, host save area, the VMCB of the core's sandbox,
   the VMRUN loop; the SVM side of the seam (virt.h). */
#ifndef TRIAD_MONITOR_SVM_VCPU_H
#define TRIAD_MONITOR_SVM_VCPU_H

#include <stdint.h>
#include "../percore.h"

/* Enables SVM on this core, builds the VMCB for c->sandbox and enters it
   (the VMRUN loop never returns).  SVM has no wait-for-SIPI guest state:
   a secondary core of a multi-core sandbox waits in its monitor, GIF
   clear, until the sandbox's boot core asks for it (TRIAD_HC_START_CORE),
   then enters the guest in the state a start-up IPI gives.
   Returns only when the core could not enter its guest (after saying why). */
/*@ requires \valid(c);
    assigns *c; */
void svm_vcpu_run(struct core *c, int secondary);

/* The start request of TRIAD_HC_START_CORE, already checked against the
   caller's partition (hypercall.c): posted to the waiting core target.
   0, or TRIAD_E_INVAL when target is not waiting or has a start posted. */
/*@ requires \valid(target);
    assigns target->sipi_post, target->sipi_post_tsc;
    ensures \result == 0 || \result == -3; */
int64_t svm_post_start(struct core *target, uint8_t vector);

/* Holds core c (sipi_wait set) in its monitor until a start is posted,
   then loads the start-up state at the posted vector and clears sipi_wait.
   Returns only once started. */
/*@ requires \valid(c);
    assigns c->vmcs[0 .. 4095], c->regs, c->sipi_wait, c->sipi_post, c->launch_tsc; */
void svm_wait_for_start(struct core *c);

/* Recovery: the VMCB's guest state and c->regs rebuilt for the kernel's
   entry state, the TLB of the sandbox's ASID flushed at the next VMRUN.
   A secondary core goes back to waiting for the fresh kernel's start
   request (the exit handler holds it once restart_nmi set sipi_wait). */
/*@ requires \valid(c);
    assigns *c;
    ensures \result == 0 || \result == -1; */
int svm_vcpu_reset(struct core *c, int secondary);

/*@ requires \valid_read(c);
    assigns \nothing; */
uint64_t svm_guest_rip(const struct core *c);

/*@ requires \valid(c);
    assigns c->vmcs[0x578 .. 0x57F]; */
void svm_set_rip(struct core *c, uint64_t rip);

/* Local driver recovery: EVENTINJ with an exception without error code,
   delivered at the next VMRUN; and whether the exit interrupted an event's
   delivery (EXITINTINFO valid). */
/*@ requires \valid(c);
    assigns c->vmcs[0x0A8 .. 0x0AF]; */
void svm_inject_exception(struct core *c, uint8_t vector);

/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result == 0 || \result == 1; */
int svm_event_pending(const struct core *c);

/* The guest's paging state from the VMCB (xAPIC emulation). */
struct guest_paging;
/*@ requires \valid_read(c) && \valid(pg);
    assigns *pg; */
void svm_guest_paging(const struct core *c, struct guest_paging *pg);

/* The test clock on SVM (no preemption timer): PIT channel 0 one-shot,
   routed by the I/O APIC as an NMI to core 0, which the NMI intercept
   turns into an exit (svm/clock.c).  Only core 0 arms it. */
/*@ requires \valid_read(c);
    assigns \nothing; */
void svm_clock_arm(const struct core *c, uint64_t deadline, uint64_t now);

/* 1 when the clock is armed on core c (its NMIs are clock ticks unless a
   recovery stop request is pending). */
/*@ requires \valid_read(c);
    assigns \nothing; */
int svm_clock_owner(const struct core *c);

/* Permission maps (svm/maps.c): the MSR map from the shared MSR policy
   (vmx/controls.c's bitmap) plus every SVM MSR trapped; the I/O map of
   sandbox sb from its I/O bitmap, every port past 0xFFFF trapped. */
extern uint8_t svm_msrpm[8192];
extern uint8_t svm_iopm[16][12288];

/* On the BSP, once msr_bitmap is built and before any core enters. */
/*@ assigns svm_msrpm[0 .. 8191]; */
void svm_msrpm_build(void);

/*@ assigns \nothing; */
uint64_t svm_msrpm_phys(void);

/* Fills sandbox sb's I/O map (its boot core, before the first VMRUN). */

/*@ assigns svm_iopm[sb < 16 ? sb : 0][0 .. 12287]; */
uint64_t svm_iopm_phys(uint32_t sb);

/*@ requires \valid_read(regs);
    assigns \nothing; */
_Noreturn void svm_run_loop(struct guest_regs *regs, uint64_t vmcb_phys);

#endif
