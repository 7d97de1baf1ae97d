/*
 * The shared exit dispatcher (see vmexit.h).  Only CPUID, hypercalls,
 * XSETBV, the legacy devices, APIC-base and x2APIC ICR writes and NMIs are
 * serviced; everything else a sandbox can cause is a fault of that
 * sandbox: recorded, then its health-monitor action.  Nothing a guest does
 * can make the monitor crash: unknown reasons and failed entries become
 * fault records too.  Vendor-neutral: the backend gave us a virt_exit.
 */
#include "vmexit.h"
#include "virt.h"
#include "console.h"
#include "cpu.h"
#include "fault.h"
#include "hypercall.h"
#include "ipi.h"
#include "sandbox.h"
#include "restart.h"
#include "handover.h"
#include "failover.h"
#include "driver_local.h"
#include "legacy.h"
#include "pci.h"
#include "monitor.h"
#include "timekeeper.h"
#include "xapic_trap.h"

#define CPUID1_ECX_VMX        (1u << 5)
#define CPUID1_ECX_SMX        (1u << 6)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID_EXT1_ECX_SVM    (1u << 2)
#define CPUID_HV_BASE         0x40000000u

/* The sandbox stops on this core: the core halts.  Returns only when an
   accepted safe-mode exit revived it (timekeeper_idle, restart_revived):
   the guest state is then fresh (c->relaunched = RELAUNCH_DONE) and the
   exit path enters it; a refused revival halts for good. */
/*@ requires \valid(c);
    assigns *c; */
static void stop_sandbox(struct core *c)
{
    c->state = CORE_HALTED;
    if (c->sandbox < TRIAD_MAX_SANDBOXES)
        sandboxes[c->sandbox].state = CORE_HALTED;
    con_lock();
    con_line("core ");
    con_dec(c->index);
    con_puts(": sandbox ");
    con_dec(c->sandbox);
    con_puts(" halted\n");
    con_unlock();
    /* The timekeeper keeps its duties on a halted core (the run must end). */
    /* Halted until revived; a refused revival (the pristine image no
       longer matches) halts again. */
    /*@ loop assigns *c; */
    for (;;) {
        timekeeper_idle(c);
        if (restart_revived(c) == 0) {
            return;
        }
        c->state = CORE_HALTED;
        if (c->sandbox < TRIAD_MAX_SANDBOXES) {
            sandboxes[c->sandbox].state = CORE_HALTED;
        }
    }
}

/* CPUID as the hardware answers, minus VMX, SMX and SVM; the hypervisor bit
   and leaf 0x40000000 name the monitor ("TriadMonitor"). */
/*@ requires \valid(r);
    assigns r->rax, r->rbx, r->rcx, r->rdx; */
static void emulate_cpuid(struct guest_regs *r)
{
    const uint32_t leaf = (uint32_t)r->rax, sub = (uint32_t)r->rcx;
    struct cpuid_regs out = {0};
    if (leaf == CPUID_HV_BASE) {
        out.eax = CPUID_HV_BASE;
        out.ebx = 0x61697254u;   /* "Tria" */
        out.ecx = 0x6E6F4D64u;   /* "dMon" */
        out.edx = 0x726F7469u;   /* "itor" */
    } else if (leaf > CPUID_HV_BASE && leaf < CPUID_HV_BASE + 0x100u) {
        /* the rest of the hypervisor range is empty */
    } else {
        cpu_cpuid(leaf, sub, &out);
        if (leaf == 1)
            out.ecx = (out.ecx & ~(CPUID1_ECX_VMX | CPUID1_ECX_SMX)) | CPUID1_ECX_HYPERVISOR;
        if (leaf == 0x80000001u)
            out.ecx &= ~CPUID_EXT1_ECX_SVM;
        if (leaf == 0x8000000Au)
            out = (struct cpuid_regs){0};
    }
    r->rax = out.eax;
    r->rbx = out.ebx;
    r->rcx = out.ecx;
    r->rdx = out.edx;
}

/* XSETBV: allowed for XCR0 values the processor supports, with x87 set. */
/*@ requires \valid_read(r);
    assigns \nothing; */
static int emulate_xsetbv(const struct guest_regs *r)
{
    struct cpuid_regs x;
    cpu_cpuid(0xD, 0, &x);
    const uint64_t value = (r->rdx << 32) | (uint32_t)r->rax;
    const uint64_t supported = ((uint64_t)x.edx << 32) | x.eax;
    if ((uint32_t)r->rcx != 0 || (value & 1) == 0 || (value & ~supported) != 0 ||
        ((value & 4) && !(value & 2)))
        return -1;
    cpu_xsetbv(0, value);
    return 0;
}

/* A kernel enabling its own LAPIC writes IA32_APIC_BASE: allowed when the
   base stays at 0xFEE00000 and, once in x2APIC mode, the core stays there
   (ipi.c: apic_base_allowed); the monitor performs the write. */
/*@ requires \valid_read(r);
    assigns \nothing; */
static int apic_base_write_ok(const struct guest_regs *r)
{
    const uint64_t value = (r->rdx << 32) | (uint32_t)r->rax;
    const uint64_t current = cpu_rdmsr(0x1Bu);
    if ((uint32_t)r->rcx != 0x1Bu || !apic_base_allowed(value, current, cpu_has_x2apic()))
        return 0;
    cpu_wrmsr(0x1Bu, (value & ~0x100ull) | (current & 0x100u));   /* the BSP flag is not the guest's */
    return 1;
}

/* A guest write of the x2APIC ICR (the only x2APIC MSR whose writes exit):
   sent as written when every destination is a core of the sender's sandbox,
   else dropped with an ipi-violation record of the sender (logged: nothing
   was sent, the sender carries on).  Returns 0 when it was an ICR write
   outside x2APIC mode (an MSR violation, as on hardware a #GP). */
/*@ requires \valid(c) && \valid_read(r);
    assigns \nothing; */
static int icr_write(struct core *c, const struct guest_regs *r)
{
    if ((uint32_t)r->rcx != X2APIC_MSR_ICR || (cpu_rdmsr(0x1Bu) & APIC_BASE_EXTD) == 0)
        return 0;
    const uint64_t icr = (r->rdx << 32) | (uint32_t)r->rax;
    if (ipi_send_allowed(c, icr) != 0) {   /* the check shared with the emulated xAPIC ICR */
        cpu_wrmsr(X2APIC_MSR_ICR, icr);
    }
    return 1;
}

/* An INIT signal reached a core running a sandbox.  With the xAPIC passed
   through, any sandbox can send one to any core: honouring it would reset
   the victim's core, so the monitor swallows it (the guest state is
   untouched and the guest resumes).  A core waiting for its SIPI stays
   waiting.  The first one per core is reported; the sender is not
   identifiable from the exit (docs/monitor.md: IPIs between sandboxes). */
/*@ requires \valid(c);
    assigns c->stray_inits; */
static void init_signal(struct core *c, int waiting)
{
    if (waiting)
        return;
    if (c->stray_inits++ != 0)
        return;
    con_lock();
    con_line("core ");
    con_dec(c->index);
    con_puts(": INIT signal ignored, sandbox ");
    con_dec(c->sandbox);
    con_puts(" keeps running\n");
    con_unlock();
}

/* Applies a non-log action: a restart-class action restarts the sandbox
   from this exit (the dispatcher then resumes the fresh guest); a refused
   restart, halt and safe mode stop it. */
/*@ requires \valid(c);
    assigns *c; */
static void apply(struct core *c, uint8_t action, uint64_t gpa)
{
    /* local driver recovery (claimed in the decision): no restart, the
       sandbox's kernel gets its upcall where the fault was */
    if (action == (uint8_t)TRIAD_ACTION_RECOVER_DRIVER_LOCAL) {
        driver_local_apply(c, gpa, virt_guest_rip(c));
        return;
    }
    /* remote driver recovery: the devices go to their standby first (a
       refusal is logged), then the failed sandbox restarts cold */
    if (action == TRIAD_ACTION_RECOVER_DRIVER_REMOTE)
        (void)handover_apply(c);
    /* I/O failover: the voter's channels go to its voter-standby first (a
       refusal is logged), then the failed voter restarts cold and comes
       back in shadow */
    if (action == (uint8_t)TRIAD_ACTION_FAILOVER) {
        (void)failover_apply(c);
    }
    if (health_is_restart(action) && restart_sandbox(c, 0) == 0)
        return;
    if (action == TRIAD_ACTION_SAFE_MODE) {
        con_lock();
        con_line("sandbox ");
        con_dec(c->sandbox);
        con_puts(": safe mode (sandbox halted; system safe mode: SAFE-MODE line)\n");
        con_unlock();
    }
    stop_sandbox(c);
}

/*@ ghost uint32_t vmexit_fault_kind; */

/*@ requires \valid(c) && \valid_read(e) && fault_sys_names;
    assigns *c, vmexit_fault_kind, fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out;
    ensures FAULT_PATH_TAKEN: vmexit_fault_kind == kind; */
static void fault_and_apply(struct core *c, const struct virt_exit *e, uint8_t kind, uint64_t gpa, uint64_t qual)
{
    /*@ ghost vmexit_fault_kind = kind; */
    uint8_t action = fault_raise(c, kind, gpa, virt_guest_rip(c), qual);
    if (action != TRIAD_ACTION_LOG) {
        apply(c, action, gpa);
        return;
    }
    virt_set_rip(c, e->next_rip);   /* logged only: skip the instruction */
}

/* The fault path of an exit after which the guest cannot go on where it
   stopped: a triple fault, and an EPT violation / nested page fault (the
   access was not performed and there is no instruction length to skip
   it).  A `log` action halts the sandbox instead.  sysgen already refuses
   `log` for ept_violation (log-not-resumable); this is the monitor's own
   guard behind it (defence in depth, issue 14). */
/*@ requires \valid(c) && fault_sys_names;
    assigns *c, vmexit_fault_kind, fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out;
    ensures FAULT_PATH_TAKEN: vmexit_fault_kind == kind; */
static void fault_not_resumable(struct core *c, uint8_t kind, uint64_t gpa, uint64_t qual)
{
    /*@ ghost vmexit_fault_kind = kind; */
    const uint8_t action = fault_raise(c, kind, gpa, virt_guest_rip(c), qual);
    apply(c, (action == (uint8_t)TRIAD_ACTION_LOG) ? (uint8_t)TRIAD_ACTION_HALT : action, gpa);
}

/* A hypercall's result as the guest reads it in RAX: the two's-complement
   bits of v (what the cast does), written without a negative value
   converted to an unsigned type. */
/*@ assigns \nothing; */
static uint64_t rax_of(int64_t v)
{
    return (v < 0) ? (UINT64_MAX - (uint64_t)(-(v + 1))) : (uint64_t)v;
}

/* One more exit in a counter that stops at its maximum instead of
   wrapping to zero (2^64 exits: not reachable, but a proof of no overflow
   needs the bound said). */
/*@ requires \valid(n);
    assigns *n; */
static void count_one(volatile uint64_t *n)
{
    const uint64_t v = *n;
    if (v != UINT64_MAX) {
        *n = v + 1u;
    }
}

/* Every event has its handling (REQ MON-EXIT-003): the events that are
   always faults reach the fault path with their kind; those the monitor
   may service reach it with their kind or not at all; the serviced ones
   never.  The exits the dispatcher does not know (the switch's default:
   VE_OTHER and any value past it) go to the fault path as an
   unexpected-exit record (REQ MON-HC-002, second half).  The clauses are
   implications on the entry state rather than behaviours: EVA does not
   split the entry states by a behaviour's assumption (docs/proofs.md).  A
   path that halts the sandbox never returns, so the clauses speak of the
   exits after which the guest (or a fresh one) is entered again. */
/* The deferred console lines (console_defer.h) go out after the VM entry
   that follows a decision, not before it: each exit writes a FIFO's worth
   when the UART is empty, and while lines are left the core's clock (set
   up only where con_defer_clock was called: the timekeeper's core) brings
   an exit within 1 ms, before the timekeeper's own deadline if that is
   later.  The timekeeper re-arms its deadline at every exit. */
/*@ requires \valid(c);
    assigns con_rings[0 .. MAX_CORES - 1], con_out, con_lock_word; */
static void console_drain(struct core *c)
{
    if ((c->index >= MAX_CORES) || (con_rings[c->index].clock == 0u)) {
        return;          /* only a core with a clock queues lines (con_text_emit) */
    }
    if (con_defer_drain(c->index) != 0) {
        const uint64_t now = cpu_rdtsc();
        uint64_t soon = now + ms_to_tsc(1);
        if ((c->deadline_tsc != 0u) && (c->deadline_tsc > now) && (c->deadline_tsc < soon)) {
            soon = c->deadline_tsc;
        }
        virt_set_deadline(c, soon, now);
    }
}

/*@ ensures REQ_MON_HC_002: \old(e->event) >= VE_OTHER ==> vmexit_fault_kind == TRIAD_FAULT_UNEXPECTED;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_EXCEPTION ==> vmexit_fault_kind == TRIAD_FAULT_UNEXPECTED;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_RDMSR ==> vmexit_fault_kind == TRIAD_FAULT_MSR_VIOLATION;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_VIRT_INSTRUCTION ==> vmexit_fault_kind == TRIAD_FAULT_VMX_INSTRUCTION;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_SHUTDOWN ==> vmexit_fault_kind == TRIAD_FAULT_TRIPLE_FAULT;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_NPF ==>
              vmexit_fault_kind == 0 || vmexit_fault_kind == TRIAD_FAULT_EPT_VIOLATION;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_IO ==>
              vmexit_fault_kind == 0 || vmexit_fault_kind == TRIAD_FAULT_IO_VIOLATION;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_WRMSR ==>
              vmexit_fault_kind == 0 || vmexit_fault_kind == TRIAD_FAULT_MSR_VIOLATION;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_XSETBV ==>
              vmexit_fault_kind == 0 || vmexit_fault_kind == TRIAD_FAULT_UNEXPECTED;
    ensures REQ_MON_EXIT_003: \old(e->event) == VE_NMI || \old(e->event) == VE_CLOCK ||
              \old(e->event) == VE_CPUID || \old(e->event) == VE_HYPERCALL ||
              \old(e->event) == VE_INIT || \old(e->event) == VE_SIPI ==> vmexit_fault_kind == 0; */
void vmexit_dispatch(struct core *c, struct guest_regs *regs, const struct virt_exit *e)
{
    /*@ ghost vmexit_fault_kind = 0; */
    c->exit_tsc = cpu_rdtsc();
    c->relaunched = 0;
    const uint32_t row = (e->counter < (uint32_t)TRIAD_EXIT_COUNTER_COUNT) ? e->counter : (uint32_t)TRIAD_EXIT_OTHER;
    count_one(&c->count[row]);
    count_one(&c->total);
    handover_exit(c);   /* a hand-over changed this sandbox's tables: flush first */

    switch (e->event) {
    case VE_ENTRY_FAIL:
        fault_raise(c, TRIAD_FAULT_UNEXPECTED, e->gpa, virt_guest_rip(c), e->qual);
        stop_sandbox(c);
        break;
    case VE_NMI:
        /* a monitor-to-monitor signal: recovery stopping this core */
        if (restart_nmi(c) < 0)
            stop_sandbox(c);
        break;
    case VE_EXCEPTION:
        fault_and_apply(c, e, TRIAD_FAULT_UNEXPECTED, e->gpa, e->qual);
        break;
    case VE_CPUID:
        emulate_cpuid(regs);
        virt_set_rip(c, e->next_rip);
        break;
    case VE_HYPERCALL:
    {
        restart_note_hypercall(c);
        const int64_t v = hypercall_dispatch(c, regs);
        if (c->relaunched == RELAUNCH_HALT)
            stop_sandbox(c);
        if (c->relaunched == RELAUNCH_DONE)
            break;          /* the restart hypercall relaunched the caller */
        regs->rax = rax_of(v);
        virt_set_rip(c, e->next_rip);
        break;
    }
    case VE_XSETBV:
        if (emulate_xsetbv(regs) != 0) {
            fault_and_apply(c, e, TRIAD_FAULT_UNEXPECTED, (uint32_t)(regs->rcx & 0xFFFFFFFFu), e->qual);
            break;
        }
        virt_set_rip(c, e->next_rip);
        break;
    case VE_CLOCK:
        break;              /* the timekeeper runs below */
    case VE_NPF:
        if (xapic_trap_access(c, regs, e) != 0) {
            break;          /* a contained sandbox's xAPIC access, emulated */
        }
        fault_not_resumable(c, TRIAD_FAULT_EPT_VIOLATION, e->gpa, e->qual);
        break;
    case VE_IO:
        if (legacy_io(c, regs, e->io) ||
            (c->sandbox < sys->sandbox_count && c->sandbox < TRIAD_MAX_SANDBOXES &&
             pci_filter_io(c->index, &sys->sandboxes[c->sandbox], &sys->platform, regs, e->io))) {
            virt_set_rip(c, e->next_rip);
            break;
        }
        fault_and_apply(c, e, TRIAD_FAULT_IO_VIOLATION, VIO_PORT(e->io), e->qual);
        break;
    case VE_WRMSR:
        if (icr_write(c, regs) || apic_base_write_ok(regs)) {
            virt_set_rip(c, e->next_rip);
            break;
        }
        fault_and_apply(c, e, TRIAD_FAULT_MSR_VIOLATION, (uint32_t)(regs->rcx & 0xFFFFFFFFu), e->qual);
        break;
    case VE_RDMSR:
        fault_and_apply(c, e, TRIAD_FAULT_MSR_VIOLATION, (uint32_t)(regs->rcx & 0xFFFFFFFFu), e->qual);
        break;
    case VE_INIT:
        init_signal(c, e->waiting);
        break;
    case VE_SIPI:
        /* only delivered in wait-for-SIPI: the guest starts its core */
        virt_start_at_sipi(c, (uint8_t)(e->qual & 0xFFu));
        break;
    case VE_SHUTDOWN:
        fault_not_resumable(c, TRIAD_FAULT_TRIPLE_FAULT, 0, e->qual);
        break;
    case VE_VIRT_INSTRUCTION:
        fault_and_apply(c, e, TRIAD_FAULT_VMX_INSTRUCTION, e->gpa, e->qual);
        break;
    default:
        /* CR access and anything else: a fault record, never a crash */
        fault_and_apply(c, e, TRIAD_FAULT_UNEXPECTED, e->gpa, e->qual);
        break;
    }
    timekeeper_exit(c);
    console_drain(c);
}
