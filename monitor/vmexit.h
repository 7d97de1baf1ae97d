/*
 * The vendor-neutral exit dispatcher.  A backend (vmx/exit.c, svm/exit.c)
 * decodes its hardware exit into a struct virt_exit: what happened (event),
 * which counter row it belongs to, and the operands the shared handlers
 * need, with the same meaning on both backends.  Everything the monitor
 * does about an exit (emulation, hypercalls, fault records, health action,
 * restart, test clock) happens here, once.
 */
#ifndef TRIAD_MONITOR_VMEXIT_H
#define TRIAD_MONITOR_VMEXIT_H

#include <stdint.h>
#include "percore.h"
#include "fault.h"
#include "xapic_trap.h"
#include "pci.h"

enum virt_event {
    VE_NMI = 0,          /* a monitor-to-monitor NMI (recovery) */
    VE_CLOCK,            /* the test clock (VMX preemption timer, SVM clock NMI) */
    VE_EXCEPTION,        /* a guest exception that exited: unexpected */
    VE_CPUID,
    VE_HYPERCALL,        /* VMCALL / VMMCALL */
    VE_XSETBV,
    VE_NPF,              /* EPT violation / nested page fault: gpa, qual */
    VE_IO,               /* io = normalised I/O qualification (below) */
    VE_WRMSR,
    VE_RDMSR,
    VE_INIT,
    VE_SIPI,             /* qual = vector */
    VE_SHUTDOWN,         /* triple fault */
    VE_VIRT_INSTRUCTION, /* VMX or SVM instruction in the guest: gpa = raw reason */
    VE_ENTRY_FAIL,       /* the guest state was refused: gpa = raw reason */
    VE_OTHER,            /* anything else: gpa = raw reason */
};

/* The I/O qualification in one layout for both backends (Intel's): bits
   2:0 size - 1, bit 3 IN, bit 4 string, bit 5 REP, bits 31:16 port. */
#define VIO_SIZE_MASK 7ull
#define VIO_IN        (1ull << 3)
#define VIO_STRING    (1ull << 4)
#define VIO_REP       (1ull << 5)
#define VIO_PORT(q)   (((q) >> 16) & 0xFFFFu)

struct virt_exit {
    uint32_t event;      /* enum virt_event */
    uint32_t counter;    /* TRIAD_EXIT_* row it is counted in */
    uint64_t gpa;        /* VE_NPF: guest-physical address; else see event */
    uint64_t qual;       /* recorded in fault records: the backend's qualification */
    uint64_t io;         /* VE_IO: normalised qualification */
    uint64_t next_rip;   /* the RIP after the exiting instruction (emulated ones) */
    uint8_t waiting;     /* VE_INIT: the core waits for its SIPI */
};

/* Proof-only state (ACSL ghost, no code): the fault kind the dispatcher
   raised for the exit it handles last, 0 when it raised none; its
   contract names the exits that go to the fault path with it. */
/*@ ghost extern uint32_t vmexit_fault_kind; */

/* Counts the exit on core c, handles it, runs the test clock.  Returns
   when the guest may be entered again (possibly a fresh one after a
   restart); never returns when the sandbox was halted.  What it writes
   (REQ MON-EXIT-003): the exiting core's own state (*c, its saved guest
   registers, its emulated xAPIC, its CONFIG_ADDRESS shadow), the shared
   fault log under its lock, the PCI configuration lock and the console's
   lock word; no other core's.  Its postconditions (vmexit.c)
   say which exits reach the fault path. */
/*@ requires \valid(c) && \valid(regs) && \valid_read(e) && fault_sys_names;
    assigns REQ_MON_EXIT_003: *c, *regs, xapic_cores[c->index], pci_latched[c->index], pci_cfg_lock, vmexit_fault_kind,
            fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
void vmexit_dispatch(struct core *c, struct guest_regs *regs, const struct virt_exit *e);

#endif
