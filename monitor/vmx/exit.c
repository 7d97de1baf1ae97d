/*
 * VMX exit decoding: reads the VMCS exit fields, turns them into the
 * vendor-neutral struct virt_exit and hands it to the shared dispatcher
 * (vmexit.c), which does everything else.  Also the VMX side of the seam's
 * register accessors (virt_guest_rip / virt_set_rip).
 */
#include <stddef.h>
#include "vmcs.h"
#include "vmx_asm.h"
#include "vcpu.h"
#include "../console.h"
#include "../cpu.h"
#include "../vmexit.h"
#include "../guest_walk.h"

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

/*@ assigns \nothing; */
static uint32_t event_of(uint32_t reason, uint32_t counter)
{
    switch (reason) {
    case EXIT_REASON_CPUID:         return VE_CPUID;
    case EXIT_REASON_VMCALL:        return VE_HYPERCALL;
    case EXIT_REASON_XSETBV:        return VE_XSETBV;
    case EXIT_REASON_PREEMPTION:    return VE_CLOCK;
    case EXIT_REASON_EPT_VIOLATION: return VE_NPF;
    case EXIT_REASON_IO:            return VE_IO;
    case EXIT_REASON_WRMSR:         return VE_WRMSR;
    case EXIT_REASON_RDMSR:         return VE_RDMSR;
    case EXIT_REASON_INIT:          return VE_INIT;
    case EXIT_REASON_SIPI:          return VE_SIPI;
    case EXIT_REASON_TRIPLE_FAULT:  return VE_SHUTDOWN;
    default:
        return counter == TRIAD_EXIT_VMX_INSTRUCTION ? VE_VIRT_INSTRUCTION : VE_OTHER;
    }
}

uint64_t virt_vmx_guest_rip(void)
{
    return vmx_read(VMCS_GUEST_RIP);
}

void virt_vmx_set_rip(uint64_t rip)
{
    vmx_write(VMCS_GUEST_RIP, rip);
}

/* Valid (bit 31), type 3 = hardware exception (bits 10:8), no error code
   (bit 11 clear): delivered through the guest's IDT at the entry, whatever
   its RFLAGS.IF, with the guest's RIP as the faulting instruction's. */
void virt_vmx_inject_exception(uint8_t vector)
{
    (void)vmx_write(VMCS_ENTRY_INTR_INFO, (1ULL << 31) | (3ULL << 8) | (uint64_t)vector);
}

int virt_vmx_event_pending(void)
{
    return (((vmx_read(VMCS_IDT_VECTORING_INFO) >> 31) & 1u) != 0u) ? 1 : 0;
}

/* CS is the second segment of each VMCS group (ES, CS, ...: +2 each); its
   access rights carry L in bit 13 and D/B in bit 14.  EFER is saved at
   every exit (EXIT_SAVE_EFER, vcpu.c). */
void virt_vmx_guest_paging(struct guest_paging *pg)
{
    const uint64_t cs_ar = vmx_read(VMCS_GUEST_ES_AR + 2u);
    pg->cr0 = vmx_read(VMCS_GUEST_CR0);
    pg->cr3 = vmx_read(VMCS_GUEST_CR3);
    pg->cr4 = vmx_read(VMCS_GUEST_CR4);
    pg->efer = vmx_read(VMCS_GUEST_EFER);
    pg->cs_base = vmx_read(VMCS_GUEST_ES_BASE + 2u);
    pg->cs_long = (uint8_t)((cs_ar >> 13) & 1u);
    pg->cs_32 = (uint8_t)((cs_ar >> 14) & 1u);
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
    struct virt_exit e = {
        .counter = counter_of(reason), .qual = qual, .gpa = reason, .io = qual,
        .next_rip = vmx_read(VMCS_GUEST_RIP) + vmx_read(VMCS_EXIT_INSTR_LEN),
    };
    e.event = event_of(reason, e.counter);
    if (full & EXIT_REASON_ENTRY_FAIL) {
        e.event = VE_ENTRY_FAIL;
    } else if (reason == EXIT_REASON_EXCEPTION_NMI) {
        const uint64_t info = vmx_read(VMCS_EXIT_INTR_INFO);
        if (((info >> 8) & 7u) == 2u) {
            e.event = VE_NMI;
            e.counter = TRIAD_EXIT_NMI;
        } else {
            e.event = VE_EXCEPTION;
            e.gpa = info;
        }
    } else if (reason == EXIT_REASON_EPT_VIOLATION) {
        e.gpa = vmx_read(VMCS_GUEST_PHYS_ADDR);
    } else if (reason == EXIT_REASON_RDMSR || reason == EXIT_REASON_WRMSR) {
        e.qual = reason;
    } else if (reason == EXIT_REASON_INIT) {
        e.waiting = vmx_read(VMCS_GUEST_ACTIVITY) == VMX_ACTIVITY_WAIT_SIPI;
    }
    vmexit_dispatch(c, regs, &e);
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
