/*
 * One core's VMX setup.  Every control is checked against the capability
 * MSRs (vmx_ctl_adjust): a required control the processor cannot provide
 * stops this core with a message rather than a failed VM entry.
 */
#include "vcpu.h"
#include "vmcs.h"
#include "vmx_asm.h"
#include "controls.h"
#include "caps.h"
#include "../console.h"
#include "../cpu.h"
#include "../monitor.h"
#include "../sandbox.h"
#include "../boot/idt.h"
#include "abi/sandbox_boot.h"

#define MSR_FEATURE_CONTROL    0x03Au
#define MSR_PAT                0x277u
#define MSR_EFER               0xC0000080u
#define MSR_VMX_BASIC          0x480u
#define MSR_VMX_MISC           0x485u
#define MSR_VMX_CR0_FIXED0     0x486u
#define MSR_VMX_CR0_FIXED1     0x487u
#define MSR_VMX_CR4_FIXED0     0x488u
#define MSR_VMX_CR4_FIXED1     0x489u
#define MSR_VMX_PROCBASED2     0x48Bu
#define MSR_VMX_EPT_VPID_CAP   0x48Cu
#define MSR_VMX_TRUE_PIN       0x48Du
#define MSR_VMX_TRUE_PROC      0x48Eu
#define MSR_VMX_TRUE_EXIT      0x48Fu
#define MSR_VMX_TRUE_ENTRY     0x490u
#define MSR_VMX_PIN            0x481u
#define MSR_VMX_PROC           0x482u
#define MSR_VMX_EXIT           0x483u
#define MSR_VMX_ENTRY          0x484u
#define CR4_VMXE               (1ull << 13)
#define CR0_PE                 (1ull << 0)
#define CR0_ET                 (1ull << 4)
#define CR0_NE                 (1ull << 5)
#define CR0_PG                 (1ull << 31)
#define GUEST_PAT_DEFAULT      0x0007040600070406ull
#define VMX_MISC_WAIT_FOR_SIPI (1ull << 8)

uint32_t preemption_rate;

/*@ assigns \nothing; */
static int enter_vmx_operation(struct core *c)
{
    uint64_t fc = cpu_rdmsr(MSR_FEATURE_CONTROL);
    if ((fc & 1) == 0) {
        cpu_wrmsr(MSR_FEATURE_CONTROL, fc | 1 | (1u << 2));   /* lock, VMX outside SMX */
    } else if ((fc & (1u << 2)) == 0) {
        core_say(c->index, "VMX disabled by firmware (IA32_FEATURE_CONTROL locked)");
        return -1;
    }
    /* CR0 and CR4 must satisfy the fixed bits in VMX operation (NE, VMXE). */
    cpu_write_cr0((cpu_read_cr0() | cpu_rdmsr(MSR_VMX_CR0_FIXED0)) & cpu_rdmsr(MSR_VMX_CR0_FIXED1));
    cpu_write_cr4(((cpu_read_cr4() | CR4_VMXE) | cpu_rdmsr(MSR_VMX_CR4_FIXED0)) & cpu_rdmsr(MSR_VMX_CR4_FIXED1));
    const uint32_t revision = (uint32_t)cpu_rdmsr(MSR_VMX_BASIC) & 0x7FFFFFFFu;
    *(uint32_t *)c->vmxon = revision;
    *(uint32_t *)c->vmcs = revision;
    if (vmx_on((uint64_t)(uintptr_t)c->vmxon)) {
        core_say(c->index, "VMXON failed");
        return -1;
    }
    if (vmx_clear((uint64_t)(uintptr_t)c->vmcs) || vmx_ptrld((uint64_t)(uintptr_t)c->vmcs)) {
        core_say(c->index, "VMCLEAR/VMPTRLD failed");
        return -1;
    }
    return 0;
}

struct ctl_plan { uint32_t pin, proc, proc2, exit, entry; };

/*@ assigns \nothing; */
static int adjust(struct core *c, uint64_t cap, uint32_t required, uint32_t optional,
                  uint32_t *out, const char *name)
{
    uint32_t forced = 0;
    if (vmx_ctl_adjust(cap, required, optional, out, &forced) != VMX_CTL_OK) {
        con_lock();
        con_line("core ");
        con_dec(c->index);
        con_puts(": required ");
        con_puts(name);
        con_puts(" controls missing: ");
        con_hex(required & ~*out, 8);
        con_puts("\n");
        con_unlock();
        return -1;
    }
    return 0;
}

/*@ assigns \nothing; */
static int plan_controls(struct core *c, struct ctl_plan *p, int timer)
{
    const int true_ctls = (cpu_rdmsr(MSR_VMX_BASIC) >> 55) & 1;
    const uint32_t pin_req = PIN_NMI_EXITING | (timer ? PIN_PREEMPTION_TIMER : 0);
    const uint32_t proc_req = PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_SECONDARY;
    const uint32_t proc2_req = PROC2_EPT | PROC2_VPID | PROC2_UNRESTRICTED;
    const uint32_t proc2_opt = PROC2_RDTSCP | PROC2_INVPCID | PROC2_XSAVES;
    const uint32_t exit_req = EXIT_HOST_64BIT | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
                              EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_DEBUG;
    const uint32_t entry_req = ENTRY_LOAD_EFER | ENTRY_LOAD_PAT | ENTRY_LOAD_DEBUG;
    if (adjust(c, cpu_rdmsr(true_ctls ? MSR_VMX_TRUE_PIN : MSR_VMX_PIN), pin_req, 0, &p->pin, "pin-based") ||
        adjust(c, cpu_rdmsr(true_ctls ? MSR_VMX_TRUE_PROC : MSR_VMX_PROC), proc_req, 0, &p->proc, "processor-based") ||
        adjust(c, cpu_rdmsr(MSR_VMX_PROCBASED2), proc2_req, proc2_opt, &p->proc2, "secondary") ||
        adjust(c, cpu_rdmsr(true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT), exit_req, 0, &p->exit, "VM-exit") ||
        adjust(c, cpu_rdmsr(true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY), entry_req, 0, &p->entry, "VM-entry"))
        return -1;
    /* No exit we did not ask for: interrupts, HLT and CR3 go to the guest. */
    if (p->pin & PIN_EXTERNAL_INTR_EXITING || p->proc & (PROC_HLT_EXITING | PROC_CR3_LOAD_EXITING |
        PROC_CR3_STORE_EXITING | PROC_UNCOND_IO_EXITING))
        core_say(c->index, "warning: the processor forces exits the monitor did not request");
    return 0;
}

/*@ assigns \nothing; */
static int write_all(const uint64_t (*fields)[2], uint32_t n)
{
    int fail = 0;
    /*@ loop assigns i, fail; loop variant n - i; */
    for (uint32_t i = 0; i < n; i++)
        fail |= vmx_write(fields[i][0], fields[i][1]);
    return fail;
}

/*@ requires \valid(c);
    assigns \nothing; */
static int setup_vmcs(struct core *c, const struct ctl_plan *p, uint32_t activity)
{
    const struct sandbox_rt *rt = &sandboxes[c->sandbox];
    struct cpu_table_ptr gdt;
    cpu_sgdt(&gdt);
    const uint64_t cr0_fixed0 = cpu_rdmsr(MSR_VMX_CR0_FIXED0) & ~(CR0_PE | CR0_PG);
    const uint64_t guest_cr0 = CR0_PE | CR0_ET | cr0_fixed0;
    const uint64_t guest_cr4 = cpu_rdmsr(MSR_VMX_CR4_FIXED0);   /* VMXE only */
    const uint64_t fields[][2] = {
        /* controls */
        { VMCS_PIN_CTLS, p->pin }, { VMCS_PROC_CTLS, p->proc }, { VMCS_PROC_CTLS2, p->proc2 },
        { VMCS_EXIT_CTLS, p->exit }, { VMCS_ENTRY_CTLS, p->entry },
        { VMCS_EXCEPTION_BITMAP, 0 }, { VMCS_CR3_TARGET_COUNT, 0 },
        { VMCS_VPID, (uint64_t)c->sandbox + 1 },   /* 0 is the monitor's */
        { VMCS_EPT_POINTER, rt->eptp },
        { VMCS_IO_BITMAP_A, (uint64_t)(uintptr_t)rt->io_bitmap },
        { VMCS_IO_BITMAP_B, (uint64_t)(uintptr_t)rt->io_bitmap + 4096 },
        { VMCS_MSR_BITMAP, (uint64_t)(uintptr_t)msr_bitmap },
        /* The guest sees CR0/CR4 as it wrote them; the fixed bits VMX needs
           (NE, VMXE) are owned by the monitor and hidden by the shadows. */
        { VMCS_CR0_MASK, cr0_fixed0 }, { VMCS_CR0_SHADOW, CR0_PE | CR0_ET },
        { VMCS_CR4_MASK, guest_cr4 }, { VMCS_CR4_SHADOW, 0 },
        { VMCS_ENTRY_INTR_INFO, 0 },
        /* host state: this core's monitor */
        { VMCS_HOST_CR0, cpu_read_cr0() }, { VMCS_HOST_CR3, cpu_read_cr3() }, { VMCS_HOST_CR4, cpu_read_cr4() },
        { VMCS_HOST_CS_SEL, 0x08 }, { VMCS_HOST_SS_SEL, 0x10 }, { VMCS_HOST_DS_SEL, 0x10 },
        { VMCS_HOST_ES_SEL, 0x10 }, { VMCS_HOST_FS_SEL, 0 }, { VMCS_HOST_GS_SEL, 0 },
        { VMCS_HOST_TR_SEL, 0x18 }, { VMCS_HOST_TR_BASE, 0 },
        { VMCS_HOST_FS_BASE, 0 }, { VMCS_HOST_GS_BASE, 0 },
        { VMCS_HOST_GDTR_BASE, gdt.base }, { VMCS_HOST_IDTR_BASE, idt_base() },
        { VMCS_HOST_SYSENTER_CS, 0 }, { VMCS_HOST_SYSENTER_ESP, 0 }, { VMCS_HOST_SYSENTER_EIP, 0 },
        { VMCS_HOST_PAT, cpu_rdmsr(MSR_PAT) }, { VMCS_HOST_EFER, cpu_rdmsr(MSR_EFER) },
        { VMCS_HOST_RSP, (uint64_t)(uintptr_t)&c->pad + 8 },
        { VMCS_HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry },
        /* guest state: as a multiboot2 loader leaves a 32-bit kernel */
        { VMCS_GUEST_CR0, guest_cr0 }, { VMCS_GUEST_CR3, 0 }, { VMCS_GUEST_CR4, guest_cr4 },
        { VMCS_GUEST_DR7, 0x400 }, { VMCS_GUEST_RSP, 0 }, { VMCS_GUEST_RIP, rt->entry },
        { VMCS_GUEST_RFLAGS, 0x2 }, { VMCS_GUEST_PENDING_DBG, 0 },
        { VMCS_GUEST_GDTR_BASE, 0 }, { VMCS_GUEST_GDTR_LIMIT, 0xFFFF },
        { VMCS_GUEST_IDTR_BASE, 0 }, { VMCS_GUEST_IDTR_LIMIT, 0 },
        { VMCS_GUEST_SYSENTER_CS, 0 }, { VMCS_GUEST_SYSENTER_ESP, 0 }, { VMCS_GUEST_SYSENTER_EIP, 0 },
        { VMCS_GUEST_INTERRUPTIBILITY, 0 }, { VMCS_GUEST_ACTIVITY, activity },
        { VMCS_LINK_POINTER, ~0ull }, { VMCS_GUEST_DEBUGCTL, 0 },
        { VMCS_GUEST_PAT, GUEST_PAT_DEFAULT }, { VMCS_GUEST_EFER, 0 },
    };
    int fail = write_all(fields, sizeof fields / sizeof fields[0]);
    /* ES, CS, SS, DS, FS, GS flat 4 GiB; LDTR unusable; TR a busy 32-bit TSS */
    /*@ loop assigns seg, fail; loop variant 8 - seg; */
    for (uint32_t seg = 0; seg < 8; seg++) {
        uint64_t sel = seg == 1 ? 0x08 : 0x10, limit = 0xFFFFFFFF, ar = seg == 1 ? 0xC09B : 0xC093;
        if (seg == 6)
            sel = 0, limit = 0, ar = 0x10000;
        if (seg == 7)
            sel = 0, limit = 0x67, ar = 0x8B;
        fail |= vmx_write(VMCS_GUEST_ES_SEL + 2 * seg, sel);
        fail |= vmx_write(VMCS_GUEST_ES_LIMIT + 2 * seg, limit);
        fail |= vmx_write(VMCS_GUEST_ES_AR + 2 * seg, ar);
        fail |= vmx_write(VMCS_GUEST_ES_BASE + 2 * seg, 0);
    }
    return fail;
}

void vcpu_set_deadline(uint64_t deadline, uint64_t now)
{
    uint64_t ticks = deadline > now ? (deadline - now) >> preemption_rate : 0;
    if (ticks > 0xFFFFFFFFull)
        ticks = 0xFFFFFFFFull;
    vmx_write(VMCS_PREEMPTION_TIMER, ticks);
}

/* An IRET in VMX root ends NMI blocking on this processor.  Bochs 2.7
   blocks NMIs when it enters a guest in wait-for-SIPI and, with NMI exiting
   on, only an IRET outside the guest unblocks them; without this the
   recovery NMI would never reach a core started by its SIPI.  On hardware
   the core has no NMI blocking here and the IRET only returns below. */
#ifdef __FRAMAC__
/*@ assigns \nothing; */
void unblock_nmi(void);
#else
/*@ assigns \nothing; */
static void unblock_nmi(void)
{
    __asm__ volatile("movq %%rsp, %%rax\n\t"
                     "pushq $0x10\n\t"          /* SS: the monitor's data selector */
                     "pushq %%rax\n\t"
                     "pushfq\n\t"
                     "pushq $0x08\n\t"          /* CS: the monitor's code selector */
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "iretq\n"
                     "1:"
                     : : : "rax", "memory", "cc");
}
#endif

void vcpu_start_at_sipi(uint8_t vector)
{
    /* Real mode (unrestricted guest): CS = vector << 8, IP = 0; every other
       segment flat 64 KiB at 0; paging and protection off; the rest as the
       boot core's entry state, which the wait-for-SIPI launch already set. */
    const uint64_t cr0 = (cpu_rdmsr(MSR_VMX_CR0_FIXED0) & ~(CR0_PE | CR0_PG)) | CR0_ET;
    vmx_write(VMCS_GUEST_CR0, cr0);
    vmx_write(VMCS_GUEST_RIP, 0);
    vmx_write(VMCS_GUEST_RFLAGS, 0x2);
    /*@ loop assigns seg; loop variant 6 - seg; */
    for (uint32_t seg = 0; seg < 6; seg++) {
        const int cs = seg == 1;
        vmx_write(VMCS_GUEST_ES_SEL + 2 * seg, cs ? (uint64_t)vector << 8 : 0);
        vmx_write(VMCS_GUEST_ES_BASE + 2 * seg, cs ? (uint64_t)vector << 12 : 0);
        vmx_write(VMCS_GUEST_ES_LIMIT + 2 * seg, 0xFFFF);
        vmx_write(VMCS_GUEST_ES_AR + 2 * seg, cs ? 0x9B : 0x93);
    }
    vmx_write(VMCS_GUEST_ACTIVITY, VMX_ACTIVITY_ACTIVE);
    /* The exit from wait-for-SIPI may leave blocking bits set (Bochs sets
       blocking by SMI, which VM entry outside SMM refuses): a core starting
       from its SIPI blocks nothing. */
    vmx_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
    unblock_nmi();
    const uint32_t me = cpu_apic_id();
    if (me < MAX_CORES)
        cores[me].sipi_wait = 0;   /* runs guest code now: recovery stops it by NMI */
}

void vcpu_run(struct core *c, int secondary)
{
    if (enter_vmx_operation(c) != 0)
        return;
    const int timer = c->index == 0 && (options.window_ms != 0 || options.end_ms != 0);
    struct ctl_plan plan;
    if (plan_controls(c, &plan, timer) != 0)
        return;
    const uint64_t misc = cpu_rdmsr(MSR_VMX_MISC);
    preemption_rate = (uint32_t)misc & 0x1Fu;
    if (secondary && !(misc & VMX_MISC_WAIT_FOR_SIPI)) {
        core_say(c->index, "the processor cannot enter a guest in wait-for-SIPI: secondary core stays idle");
        return;
    }
    if (setup_vmcs(c, &plan, secondary ? VMX_ACTIVITY_WAIT_SIPI : VMX_ACTIVITY_ACTIVE) != 0) {
        core_say(c->index, "VMWRITE failed while building the VMCS");
        return;
    }
    /* The kernel's multiboot2 entry state: magic in EAX, info in EBX. */
    c->regs = (struct guest_regs){0};
    c->regs.rax = secondary ? 0 : TRIAD_MB2_LOADER_MAGIC;
    c->regs.rbx = secondary ? 0 : TRIAD_BOOT_INFO_GPA;
    if (timer) {
        c->deadline_tsc = cpu_rdtsc() + ms_to_tsc(1);
        vcpu_set_deadline(c->deadline_tsc, cpu_rdtsc());
        con_defer_clock(c->index);   /* clock exits: its console lines may wait */
    }
    c->state = CORE_RUNNING;
    c->launch_tsc = cpu_rdtsc();
    c->sipi_wait = (uint8_t)(secondary != 0);
    if (secondary) {
        con_lock();
        con_line("core ");
        con_dec(c->index);
        con_puts(": secondary core of sandbox ");
        con_dec(c->sandbox);
        con_puts(" waits in VMX non-root for the guest's INIT-SIPI-SIPI\n");
        con_unlock();
        int why = vmx_launch(&c->regs);
        c->state = CORE_HALTED;
        con_lock();
        con_line("core ");
        con_dec(c->index);
        con_puts(": VMLAUNCH (wait-for-SIPI) failed, VM-instruction error ");
        con_dec(why == 1 ? 0 : vmx_read(VMCS_INSTR_ERROR));
        con_puts("\n");
        con_unlock();
        return;
    }
    sandboxes[c->sandbox].state = CORE_RUNNING;
    con_lock();
    con_line("core ");
    con_dec(c->index);
    con_puts(": launching sandbox ");
    con_dec(c->sandbox);
    con_puts(" (");
    con_puts(sys->sandboxes[c->sandbox].name);
    con_puts(") at entry ");
    con_hex(sandboxes[c->sandbox].entry, 8);
    con_puts(", tsc ");
    con_dec(c->launch_tsc);
    con_puts("\n");
    con_unlock();
    (void)cpu_add32_seqcst(&launched_count, 1u);
    int why = vmx_launch(&c->regs);
    c->state = CORE_HALTED;
    sandboxes[c->sandbox].state = CORE_HALTED;
    con_lock();
    con_line("core ");
    con_dec(c->index);
    con_puts(": VMLAUNCH failed (");
    con_puts(why == 1 ? "invalid VMCS pointer" : "VM-instruction error ");
    if (why != 1)
        con_dec(vmx_read(VMCS_INSTR_ERROR));
    con_puts(")\n");
    con_unlock();
}

/*@ requires \valid(c);
    assigns *c; */
static int reset(struct core *c, int secondary)
{
    const int timer = c->index == 0 && (options.window_ms != 0 || options.end_ms != 0);
    struct ctl_plan plan;
    if (plan_controls(c, &plan, timer) != 0 ||
        setup_vmcs(c, &plan, secondary ? VMX_ACTIVITY_WAIT_SIPI : VMX_ACTIVITY_ACTIVE) != 0)
        return -1;
    c->regs = (struct guest_regs){0};
    c->regs.rax = secondary ? 0 : TRIAD_MB2_LOADER_MAGIC;
    c->regs.rbx = secondary ? 0 : TRIAD_BOOT_INFO_GPA;
    c->state = CORE_RUNNING;
    c->launch_tsc = cpu_rdtsc();
    if (!secondary)
        sandboxes[c->sandbox].state = CORE_RUNNING;
    return 0;
}

/* After a restart the old kernel's translations may still be cached on
   this processor: combined mappings tagged with the sandbox's EPTP and
   linear mappings tagged with its VPID (global pages survive the new
   kernel's CR3 load).  Both are dropped before the fresh guest runs.
   Returns VCPU_FLUSHED_EPT | VCPU_FLUSHED_VPID for what was flushed, or
   -1 when an instruction failed. */
/*@ requires \valid_read(c);
    assigns \nothing; */
static int flush_translations(const struct core *c)
{
    const uint64_t cap = cpu_rdmsr(MSR_VMX_EPT_VPID_CAP);
    const uint32_t ept_type = vmx_invept_type(cap), vpid_type = vmx_invvpid_type(cap);
    int done = 0;
    if (ept_type != 0) {
        if (vmx_invept(ept_type, sandboxes[c->sandbox].eptp) != 0)
            return -1;
        done |= VCPU_FLUSHED_EPT;
    }
    if (vpid_type != 0) {
        if (vmx_invvpid(vpid_type, (uint16_t)(c->sandbox + 1u)) != 0)
            return -1;
        done |= VCPU_FLUSHED_VPID;
    }
    return done;
}

/*@ requires \valid(c);
    assigns *c; */
static int reset_and_flush(struct core *c, int secondary)
{
    if (reset(c, secondary) != 0)
        return -1;
    const int flushed = flush_translations(c);
    c->tlb_flushed = (uint8_t)(flushed < 0 ? 0 : flushed);
    return flushed < 0 ? -1 : 0;
}

int vcpu_reset(struct core *c)
{
    return reset_and_flush(c, 0);
}

int vcpu_reset_secondary(struct core *c)
{
    return reset_and_flush(c, 1);
}
