/* Per-core VMX: VMXON, the VMCS of the core's sandbox, VMLAUNCH. */
#ifndef TRIAD_MONITOR_VMX_VCPU_H
#define TRIAD_MONITOR_VMX_VCPU_H

#include "../percore.h"

/* Enters VMX operation, builds the VMCS for c->sandbox and launches it.
   The sandbox's boot core enters at the kernel's multiboot2 entry; its other
   cores (secondary != 0) enter in the wait-for-SIPI activity state, so that
   the guest kernel starts them itself with INIT-SIPI-SIPI through its LAPIC.
   Returns only on failure (after printing why). */
/*@ requires \valid(c);
    assigns *c; */
void vcpu_run(struct core *c, int secondary);

/* A start-up IPI reached this core while its guest waits for one: the guest
   core starts in real mode at vector * 4096, as a physical AP would.  Only
   from the exit handler (the core's VMCS is current). */
/*@ assigns \nothing; */
void vcpu_start_at_sipi(uint8_t vector);

/* Recovery: rewrites the current VMCS (controls, host and guest state) and
   c->regs for the kernel's multiboot2 entry state, as at the first launch;
   the exit handler's VMRESUME then enters the fresh guest.  The old
   kernel's cached translations on this processor are flushed (INVEPT for
   the sandbox's EPTP, INVVPID for its VPID; c->tlb_flushed says which,
   VCPU_FLUSHED_* bits).  0, or -1 when a VMWRITE or a flush failed. */
#define VCPU_FLUSHED_EPT  1
#define VCPU_FLUSHED_VPID 2
/*@ requires \valid(c);
    assigns *c;
    ensures \result == 0 || \result == -1; */
int vcpu_reset(struct core *c);

/* The same for a secondary core of the sandbox: wait-for-SIPI. */
/*@ requires \valid(c);
    assigns *c;
    ensures \result == 0 || \result == -1; */
int vcpu_reset_secondary(struct core *c);

/*@ requires \valid(regs);
    assigns \nothing; */
int vmx_launch(struct guest_regs *regs);

/*@ assigns \nothing; */
void vmx_exit_entry(void);

/* Arms (or disarms, when deadline is 0) the preemption timer of this core. */
/*@ assigns \nothing; */
void vcpu_set_deadline(uint64_t deadline, uint64_t now);

/* The seam's register accessors on the current VMCS (vmx/exit.c). */
/*@ assigns \nothing; */
uint64_t virt_vmx_guest_rip(void);

/*@ assigns \nothing; */
void virt_vmx_set_rip(uint64_t rip);

/* Local driver recovery: an exception without error code injected at the
   next entry (VM-entry interruption information: hardware exception), and
   whether the current exit interrupted an event's delivery (IDT-vectoring
   information valid). */
/*@ assigns \nothing; */
void virt_vmx_inject_exception(uint8_t vector);

/*@ assigns \nothing;
    ensures \result == 0 || \result == 1; */
int virt_vmx_event_pending(void);

/* The guest's paging state on the current VMCS (xAPIC emulation). */
struct guest_paging;
/*@ requires \valid(pg);
    assigns *pg; */
void virt_vmx_guest_paging(struct guest_paging *pg);

extern uint32_t preemption_rate;   /* timer ticks = TSC >> preemption_rate */

#endif
