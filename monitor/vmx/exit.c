/*
 * VM-exit dispatch.  Every exit is counted per reason on its core.  Only
 * CPUID, VMCALL, XSETBV and NMIs are serviced; everything else a sandbox
 * can cause is a fault of that sandbox: recorded, then its health-monitor
 * action (halt for now).  Nothing a guest does can make the monitor crash:
 * unknown reasons and failed VM entries become fault records too.
 */
#include <stddef.h>
#include "vmcs.h"
#include "vmx_asm.h"
#include "vcpu.h"
#include "../console.h"
#include "../cpu.h"
#include "../fault.h"
#include "../hypercall.h"
#include "../ipi.h"
#include "../sandbox.h"
#include "../restart.h"
#include "../legacy.h"
#include "../monitor.h"
#include "../timekeeper.h"

#define CPUID1_ECX_VMX        (1u << 5)
#define CPUID1_ECX_SMX        (1u << 6)
#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define CPUID_HV_BASE         0x40000000u

/*@ assigns \nothing; */
static void advance_rip(void)
{
    vmx_write(VMCS_GUEST_RIP, vmx_read(VMCS_GUEST_RIP) + vmx_read(VMCS_EXIT_INSTR_LEN));
}

/*@ requires \valid(c);
    assigns \nothing;
    ensures \false; */
static _Noreturn void stop_sandbox(struct core *c)
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
    timekeeper_idle(c);
}

/* CPUID as the hardware answers, minus VMX and SMX; the hypervisor bit and
   leaf 0x40000000 name the monitor ("TriadMonitor"). */
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
    }
    r->rax = out.eax;
    r->rbx = out.ebx;
    r->rcx = out.ecx;
    r->rdx = out.edx;
}

/* XSETBV: allowed for XCR0 values the processor supports, with x87 set. */
/*@ requires \valid(r);
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
    const uint32_t all = sys->platform.core_count >= 32u ? 0xFFFFFFFFu : (1u << sys->platform.core_count) - 1u;
    const int verdict = ipi_check(icr, c->index, sys->sandboxes[c->sandbox].core_mask, all);
    if (verdict == IPI_OK)
        cpu_wrmsr(X2APIC_MSR_ICR, icr);
    else
        fault_raise(c, TRIAD_FAULT_IPI_VIOLATION, ICR_DEST(icr), vmx_read(VMCS_GUEST_RIP), icr);
    return 1;
}

/* An INIT signal reached a core running a sandbox.  With the xAPIC passed
   through, any sandbox can send one to any core: honouring it would reset
   the victim's core, so the monitor swallows it (the guest state in the VMCS
   is untouched and the guest resumes).  A core waiting for its SIPI stays
   waiting.  The first one per core is reported; the sender is not
   identifiable from the exit (docs/monitor.md: IPIs between sandboxes). */
/*@ requires \valid(c);
    assigns c->stray_inits; */
static void init_signal(struct core *c)
{
    if (vmx_read(VMCS_GUEST_ACTIVITY) == VMX_ACTIVITY_WAIT_SIPI)
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

/*@ assigns \nothing; */
static uint32_t counter_of(uint32_t reason)
{
    switch (reason) {
    case EXIT_REASON_EXCEPTION_NMI: return TRIAD_EXIT_EXCEPTION;
    case EXIT_REASON_CPUID:         return TRIAD_EXIT_CPUID;
    case EXIT_REASON_VMCALL:        return TRIAD_EXIT_VMCALL;
    case EXIT_REASON_IO:            return TRIAD_EXIT_IO;
    case EXIT_REASON_EPT_VIOLATION: return TRIAD_EXIT_EPT_VIOLATION;
    case EXIT_REASON_XSETBV:        return TRIAD_EXIT_XSETBV;
    case EXIT_REASON_RDMSR:         return TRIAD_EXIT_MSR_READ;
    case EXIT_REASON_WRMSR:         return TRIAD_EXIT_MSR_WRITE;
    case EXIT_REASON_CR_ACCESS:     return TRIAD_EXIT_CR_ACCESS;
    case EXIT_REASON_TRIPLE_FAULT:  return TRIAD_EXIT_TRIPLE_FAULT;
    case EXIT_REASON_EPT_MISCONFIG: return TRIAD_EXIT_EPT_MISCONFIG;
    case EXIT_REASON_PREEMPTION:    return TRIAD_EXIT_PREEMPTION_TIMER;
    case EXIT_REASON_GETSEC:
    case EXIT_REASON_INVEPT:
    case EXIT_REASON_INVVPID:
    case EXIT_REASON_VMFUNC:        return TRIAD_EXIT_VMX_INSTRUCTION;
    default:
        if (reason >= EXIT_REASON_VMCLEAR && reason <= EXIT_REASON_VMXON)
            return TRIAD_EXIT_VMX_INSTRUCTION;
        return TRIAD_EXIT_OTHER;
    }
}

/* Applies a non-log action: a restart-class action restarts the sandbox
   from this exit (the handler then resumes the fresh guest); a refused
   restart, halt and safe mode stop it. */
/*@ requires \valid(c);
    assigns *c; */
static void apply(struct core *c, uint8_t action)
{
    if (health_is_restart(action) && restart_sandbox(c, 0) == 0)
        return;
    if (action == TRIAD_ACTION_SAFE_MODE) {
        con_lock();
        con_line("sandbox ");
        con_dec(c->sandbox);
        con_puts(": safe mode (sandbox halted; system-level safe mode is a later hook)\n");
        con_unlock();
    }
    stop_sandbox(c);
}

/*@ requires \valid(c);
    assigns *c; */
static void fault_and_apply(struct core *c, uint8_t kind, uint64_t gpa, uint64_t qual)
{
    uint8_t action = fault_raise(c, kind, gpa, vmx_read(VMCS_GUEST_RIP), qual);
    if (action != TRIAD_ACTION_LOG) {
        apply(c, action);
        return;
    }
    advance_rip();   /* logged only: skip the instruction */
}
uint64_t vmx_guest_rip(void)
{
    return vmx_read(VMCS_GUEST_RIP);
}

void vmx_exit_handler(struct guest_regs *regs);

/*@ requires \valid(regs);
    assigns *regs; */
void vmx_exit_handler(struct guest_regs *regs)
{
    struct core *c = (struct core *)((uint8_t *)regs - offsetof(struct core, regs));
    const uint32_t full = (uint32_t)vmx_read(VMCS_EXIT_REASON);
    const uint32_t reason = full & 0xFFFFu;
    const uint64_t qual = vmx_read(VMCS_EXIT_QUALIFICATION);
    const uint32_t counter = counter_of(reason);
    c->exit_tsc = cpu_rdtsc();
    c->relaunched = 0;
    c->count[counter]++;
    c->total++;

    if (full & EXIT_REASON_ENTRY_FAIL) {
        fault_raise(c, TRIAD_FAULT_UNEXPECTED, reason, vmx_read(VMCS_GUEST_RIP), qual);
        stop_sandbox(c);
    }
    switch (reason) {
    case EXIT_REASON_EXCEPTION_NMI:
        if (((vmx_read(VMCS_EXIT_INTR_INFO) >> 8) & 7u) == 2u) {
            c->count[TRIAD_EXIT_EXCEPTION]--;
            c->count[TRIAD_EXIT_NMI]++;
            /* a monitor-to-monitor signal: recovery stopping this core */
            if (restart_nmi(c) < 0)
                stop_sandbox(c);
            break;
        }
        fault_and_apply(c, TRIAD_FAULT_UNEXPECTED, vmx_read(VMCS_EXIT_INTR_INFO), qual);
        break;
    case EXIT_REASON_CPUID:
        emulate_cpuid(regs);
        advance_rip();
        break;
    case EXIT_REASON_VMCALL:
    {
        restart_note_hypercall(c);
        const int64_t v = hypercall_dispatch(c, regs);
        if (c->relaunched == RELAUNCH_HALT)
            stop_sandbox(c);
        if (c->relaunched == RELAUNCH_DONE)
            break;          /* the restart hypercall relaunched the caller */
        regs->rax = (uint64_t)v;
        advance_rip();
        break;
    }
    case EXIT_REASON_XSETBV:
        if (emulate_xsetbv(regs) != 0) {
            fault_and_apply(c, TRIAD_FAULT_UNEXPECTED, (uint32_t)regs->rcx, qual);
            break;
        }
        advance_rip();
        break;
    case EXIT_REASON_PREEMPTION:
        break;              /* the timekeeper runs below */
    case EXIT_REASON_EPT_VIOLATION:
        fault_and_apply(c, TRIAD_FAULT_EPT_VIOLATION, vmx_read(VMCS_GUEST_PHYS_ADDR), qual);
        break;
    case EXIT_REASON_IO:
        if (legacy_io(c, regs, qual)) {
            advance_rip();
            break;
        }
        fault_and_apply(c, TRIAD_FAULT_IO_VIOLATION, qual >> 16, qual);
        break;
    case EXIT_REASON_WRMSR:
        if (icr_write(c, regs) || apic_base_write_ok(regs)) {
            advance_rip();
            break;
        }
        fault_and_apply(c, TRIAD_FAULT_MSR_VIOLATION, (uint32_t)regs->rcx, reason);
        break;
    case EXIT_REASON_RDMSR:
        fault_and_apply(c, TRIAD_FAULT_MSR_VIOLATION, (uint32_t)regs->rcx, reason);
        break;
    case EXIT_REASON_INIT:
        init_signal(c);
        break;
    case EXIT_REASON_SIPI:
        /* only delivered in wait-for-SIPI: the guest starts its core */
        vcpu_start_at_sipi((uint8_t)qual);
        break;
    case EXIT_REASON_TRIPLE_FAULT:
    {
        const uint8_t action = fault_raise(c, TRIAD_FAULT_TRIPLE_FAULT, 0, vmx_read(VMCS_GUEST_RIP), qual);
        apply(c, action == TRIAD_ACTION_LOG ? TRIAD_ACTION_HALT : action);
        break;
    }
    default:
        if (counter == TRIAD_EXIT_VMX_INSTRUCTION) {
            fault_and_apply(c, TRIAD_FAULT_VMX_INSTRUCTION, reason, qual);
            break;
        }
        /* CR access and anything else: a fault record, never a crash */
        fault_and_apply(c, TRIAD_FAULT_UNEXPECTED, reason, qual);
        break;
    }
    timekeeper_exit(c);
}

void vmx_resume_failed(void);

/*@ assigns \nothing;
    ensures \false; */
void vmx_resume_failed(void)
{
    con_line("VMRESUME failed, VM-instruction error ");
    con_dec(vmx_read(VMCS_INSTR_ERROR));
    con_puts("\n");
    cpu_halt_forever();
}
