/*
 * IPI containment without x2APIC (issue 14): for a sandbox whose policy is
 * TRIAD_IPI_CONTAINED on a processor without x2APIC, the xAPIC page is left
 * out of its second-level tables, so every access to it is a nested page
 * fault / EPT violation.  The monitor decodes the instruction (xapic_insn.h,
 * bytes read through the guest's page tables: guest_walk.h), performs the
 * access on the core's own LAPIC and advances the guest's RIP.  An ICR
 * write is checked by the same policy as an x2APIC one (ipi_check): sent
 * when every destination is a core of the sender's sandbox, else dropped
 * with an ipi-violation record of the sender.  Writes of the APIC ID are
 * dropped (the physical destination of every check is the APIC ID).
 */
#ifndef TRIAD_MONITOR_XAPIC_TRAP_H
#define TRIAD_MONITOR_XAPIC_TRAP_H

#include <stdint.h>
#include "percore.h"
#include "fault.h"

/* The exit being handled (vmexit.h, which includes this header: its
   dispatcher's contract names xapic_cores). */
struct virt_exit;

#define XAPIC_PAGE        0xFEE00000ull
#define XAPIC_REG_ID      0x020u
#define XAPIC_REG_ICR_LOW 0x300u
#define XAPIC_REG_ICR_HI  0x310u

/* Per core: the ICR high word the guest last wrote (the hardware's could
   change under it when this core's monitor sends a recovery NMI), and how
   many accesses were emulated (reads, writes, ICR writes sent, refused). */
struct xapic_core {
    uint32_t icr_high;
    uint32_t reads;
    uint32_t writes;
    uint32_t icr_sent;
    uint32_t icr_refused;
};
extern struct xapic_core xapic_cores[MAX_CORES];

/* 1 when sandbox sb's xAPIC page is trapped: its policy says contained and
   the processor has no x2APIC (with x2APIC the page is never mapped and
   only ICR writes exit, for every sandbox). */
/*@ assigns \nothing; */
int xapic_trapped(uint32_t sb);

/* The shared sender check of every IPI a guest asks for (x2APIC WRMSR,
   emulated xAPIC ICR write): 1 when icr (x2APIC form) may be sent from
   core c, else 0 after the ipi-violation record of c's sandbox
   (gpa = destination field, qual = icr). */
/*@ requires \valid(c) && fault_sys_names;
    assigns fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
int ipi_send_allowed(struct core *c, uint64_t icr);

/* A nested page fault of core c (e->gpa): when it is an access of a
   trapped sandbox to its xAPIC page by a decodable MOV, performs it, moves
   the guest's RIP past it and returns 1.  Returns 0 otherwise: the fault
   stays what it was (an ept-violation of the sandbox). */
/*@ requires \valid(c) && \valid(regs) && \valid_read(e) && fault_sys_names;
    assigns *regs, xapic_cores[c->index], fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
int xapic_trap_access(struct core *c, struct guest_regs *regs, const struct virt_exit *e);

#endif
