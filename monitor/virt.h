/*
 * The seam between the vendor-neutral monitor and its two hardware
 * backends: vmx/ (Intel VMX + EPT) and svm/ (AMD SVM + nested paging).
 * One backend is chosen at boot from CPUID (virt_select) and never changes.
 * Everything above this interface is shared: partition table, carve-out,
 * image loading and measurement, second-level mapping description
 * (vmx/ept_sandbox.c in either entry format), hypercall dispatch, fault
 * records, exit counters, restart/recovery and the test clock's policy.
 * Each backend turns its exits into a struct virt_exit and hands it to the
 * shared dispatcher (vmexit.h).
 */
#ifndef TRIAD_MONITOR_VIRT_H
#define TRIAD_MONITOR_VIRT_H

#include <stdint.h>
#include "percore.h"

enum virt_kind { VIRT_NONE = 0, VIRT_VMX = 1, VIRT_SVM = 2 };

extern uint8_t virt_backend;   /* enum virt_kind, set once by the BSP */

/* Picks the backend: VMX when usable (EPT, unrestricted guest, VPID), else
   SVM when it has nested paging and enough ASIDs for the sandboxes, else
   none.  Returns the choice. */
/*@ assigns virt_backend;
    ensures \result == virt_backend;
    ensures vmx_usable ==> \result == VIRT_VMX;
    ensures !vmx_usable && !svm_usable ==> \result == VIRT_NONE; */
uint8_t virt_select(int vmx_usable, int svm_usable);

/*@ assigns \nothing; */
const char *virt_name(void);

/* Builds sandbox sb's second-level tables (EPT or NPT, same mappings) into
   the backend's static pool; stores the root in sandboxes[sb].eptp.
   Returns EPT_OK or an EPT_ERR_* code; *pages gets the pages used. */
/*@ requires \valid(pages);
    assigns *pages; */
int virt_build_tables(uint32_t sb, uint32_t *pages);

/* Enables virtualization on this core, builds its guest control block for
   c->sandbox and enters it.  Returns only when the launch failed. */
/*@ requires \valid(c);
    assigns *c; */
void virt_run(struct core *c, int secondary);

/* Recovery: the guest control block and c->regs rebuilt for the kernel's
   entry state (secondary: a core waiting for the guest's SIPI); the exit
   path then enters the fresh guest.  0, or -1. */
/*@ requires \valid(c);
    assigns *c; */
int virt_reset(struct core *c, int secondary);

/* The guest's RIP at the current exit of core c. */
/*@ requires \valid_read(c);
    assigns \nothing; */
uint64_t virt_guest_rip(const struct core *c);

/* The guest's paging state at the current exit of core c (CR0, CR3, CR4,
   EFER, CS base and size): what guest_walk.c needs to read the guest's
   instruction.  0. */
struct guest_paging;
/*@ requires \valid_read(c) && \valid(pg);
    assigns *pg; */
int virt_guest_paging(const struct core *c, struct guest_paging *pg);

/* Local driver recovery (monitor/driver_local.c): injects an exception
   without error code into core c's guest at its next entry (VMX: VM-entry
   interruption information; SVM: EVENTINJ), and tells whether the current
   exit interrupted the delivery of an event (1). */
/*@ requires \valid(c);
    assigns \nothing; */
void virt_inject_exception(struct core *c, uint8_t vector);

/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result == 0 || \result == 1; */
int virt_event_pending(const struct core *c);

/* Sets the guest's RIP (after an emulated instruction). */
/*@ requires \valid(c);
    assigns \nothing; */
void virt_set_rip(struct core *c, uint64_t rip);

/* Arms the test clock of this core (core 0) to interrupt its guest at
   deadline (TSC); the exit it causes is counted as TRIAD_EXIT_PREEMPTION_TIMER. */
/*@ assigns \nothing; */
void virt_set_deadline(struct core *c, uint64_t deadline, uint64_t now);

/* TRIAD_HC_START_CORE, the target already checked to be another core of
   the caller's sandbox: on SVM the waiting core is started at vector
   (0, or TRIAD_E_INVAL when it is not waiting); on VMX the waiting core
   takes the guest's own start-up IPI: TRIAD_E_NOT_YET. */
/*@ requires core < MAX_CORES;
    assigns cores[core].sipi_post, cores[core].sipi_post_tsc; */
int64_t virt_start_core(uint32_t core, uint8_t vector);

/* A waiting core received its guest's start-up IPI (VMX only). */
/*@ requires \valid(c);
    assigns \nothing; */
void virt_start_at_sipi(struct core *c, uint8_t vector);

/* Remote driver recovery (monitor/handover.c): rewrites the access of
   pages already in sandbox sb's second-level tables (ept_set_perm on its
   pool); EPT_OK or an EPT_ERR_* code.  The caller flushes. */
/*@ assigns \nothing; */
int virt_slat_set_perm(uint32_t sb, uint64_t gpa, uint64_t size, uint32_t perm);

/* Drops this processor's cached translations of c->sandbox's second-level
   tables: INVEPT (single-context when offered) on VMX; on SVM the VMCB's
   TLB_CONTROL flushes at the next VMRUN.  0, or -1 when INVEPT failed. */
/*@ requires \valid(c);
    assigns \nothing; */
int virt_flush_slat(struct core *c);

/* Sandbox sb's I/O bitmap changed at run time: VMX reads it in place, the
   SVM backend copies it into the sandbox's I/O permission map again. */
/*@ assigns \nothing; */
void virt_io_bitmap_changed(uint32_t sb);

#endif
