/*
 * One core's SVM setup: EFER.SVME (and NXE, so nested entries may carry
 * NX), the host save area, the VMCB of the core's sandbox (intercepts,
 * permission maps, ASID = sandbox + 1, nested paging on the sandbox's NPT),
 * the guest in the state a multiboot2 loader leaves a 32-bit kernel, then
 * the VMRUN loop (svm/entry.S).  The core's vmxon page is its host save
 * area and its vmcs page its VMCB (percore.h: one page each, 4 KiB aligned).
 */
#include "vcpu.h"
#include "vmcb.h"
#include "svm_asm.h"
#include "../console.h"
#include "../cpu.h"
#include "../monitor.h"
#include "abi/sandbox_boot.h"
#include "abi/hypercall.h"
#include "../guest_walk.h"

#define VM_CR_SVMDIS      (1ull << 4)
#define GUEST_PAT_DEFAULT 0x0007040600070406ull

/*@ assigns \nothing; */
static int enable_svm(struct core *c)
{
    if (cpu_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
        core_say(c->index, "SVM disabled by firmware (VM_CR.SVMDIS)");
        return -1;
    }
    cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) | EFER_SVME | EFER_NXE);
    cpu_wrmsr(MSR_VM_HSAVE_PA, (uint64_t)(uintptr_t)c->vmxon);
    /* GIF stays clear in the monitor: an NMI arriving there stays pending
       and makes the next VMRUN exit at once (svm/exit.c consumes it). */
    svm_clgi();
    return 0;
}

/*@ requires \valid(v + (0 .. 4095));
    assigns v[0 .. 4095]; */
static void zero_page(uint8_t *v)
{
    /*@ loop assigns i, v[0 .. 4095]; loop variant 4096 - i; */
    for (uint32_t i = 0; i < 4096u; i += 8)
        vmcb_w64(v, i, 0);
}

/* Control area: what exits, the maps, the address space. */
/*@ requires \valid(c);
    assigns c->vmcs[0 .. 4095]; */
static void setup_control(struct core *c)
{
    uint8_t *v = c->vmcs;
    vmcb_w32(v, VMCB_INTERCEPT_CR, 0);
    vmcb_w32(v, VMCB_INTERCEPT_EXC, 0);
    vmcb_w32(v, VMCB_INTERCEPT_MISC1, MISC1_NMI | MISC1_INIT | MISC1_CPUID | MISC1_INVLPGA |
                                      MISC1_IOIO | MISC1_MSR | MISC1_SHUTDOWN);
    vmcb_w32(v, VMCB_INTERCEPT_MISC2, MISC2_VMRUN | MISC2_VMMCALL | MISC2_VMLOAD | MISC2_VMSAVE |
                                      MISC2_STGI | MISC2_CLGI | MISC2_SKINIT | MISC2_XSETBV);
    vmcb_w64(v, VMCB_IOPM_BASE, svm_iopm_phys(c->sandbox));
    vmcb_w64(v, VMCB_MSRPM_BASE, svm_msrpm_phys());
    vmcb_w64(v, VMCB_TSC_OFFSET, 0);
    vmcb_w32(v, VMCB_ASID, (uint32_t)c->sandbox + 1u);   /* 0 is the monitor's */
    v[VMCB_TLB_CONTROL] = 1;                              /* flush all at the first VMRUN */
    vmcb_w64(v, VMCB_VINTR, 0);          /* no V_INTR_MASKING: the guest's IF gates its interrupts */
    vmcb_w64(v, VMCB_NP_ENABLE, 1);
    vmcb_w64(v, VMCB_NCR3, sandboxes[c->sandbox].eptp);
    vmcb_w64(v, VMCB_EVENTINJ, 0);
}

/* Guest state: as a multiboot2 loader leaves a 32-bit kernel. */
/*@ requires \valid(c);
    assigns c->vmcs[0 .. 4095]; */
static void setup_guest(struct core *c)
{
    uint8_t *v = c->vmcs;
    vmcb_seg(v, VMCB_CS, 0x08, 0xC09B, 0xFFFFFFFFu, 0);
    vmcb_seg(v, VMCB_ES, 0x10, 0xC093, 0xFFFFFFFFu, 0);
    vmcb_seg(v, VMCB_SS, 0x10, 0xC093, 0xFFFFFFFFu, 0);
    vmcb_seg(v, VMCB_DS, 0x10, 0xC093, 0xFFFFFFFFu, 0);
    vmcb_seg(v, VMCB_FS, 0x10, 0xC093, 0xFFFFFFFFu, 0);
    vmcb_seg(v, VMCB_GS, 0x10, 0xC093, 0xFFFFFFFFu, 0);
    vmcb_seg(v, VMCB_GDTR, 0, 0, 0xFFFF, 0);
    vmcb_seg(v, VMCB_IDTR, 0, 0, 0, 0);
    vmcb_seg(v, VMCB_LDTR, 0, 0, 0, 0);
    vmcb_seg(v, VMCB_TR, 0, 0x8B, 0x67, 0);
    v[VMCB_CPL] = 0;
    vmcb_w64(v, VMCB_EFER, EFER_SVME);   /* VMRUN requires the guest's SVME */
    vmcb_w64(v, VMCB_CR0, 0x11);         /* PE | ET, paging off */
    vmcb_w64(v, VMCB_CR3, 0);
    vmcb_w64(v, VMCB_CR4, 0);
    vmcb_w64(v, VMCB_DR6, 0xFFFF0FF0u);
    vmcb_w64(v, VMCB_DR7, 0x400);
    vmcb_w64(v, VMCB_RFLAGS, 0x2);
    vmcb_w64(v, VMCB_RIP, sandboxes[c->sandbox].entry);
    vmcb_w64(v, VMCB_RSP, 0);
    vmcb_w64(v, VMCB_RAX, TRIAD_MB2_LOADER_MAGIC);
    vmcb_w64(v, VMCB_GPAT, GUEST_PAT_DEFAULT);
    /* The kernel's multiboot2 entry state: magic in EAX (VMCB), info in EBX. */
    c->regs = (struct guest_regs){0};
    c->regs.rax = TRIAD_MB2_LOADER_MAGIC;
    c->regs.rbx = TRIAD_BOOT_INFO_GPA;
}

/* The state a start-up IPI gives a core: real mode, CS = vector << 8 with
   base vector << 12, IP = 0, every data segment flat 64 KiB at 0, paging
   and protection off (nested paging runs a real-mode guest as it is). */
/*@ requires \valid(c);
    assigns c->vmcs[0 .. 4095], c->regs; */
static void start_at_vector(struct core *c, uint8_t vector)
{
    uint8_t *v = c->vmcs;
    vmcb_seg(v, VMCB_CS, (uint16_t)((uint32_t)vector << 8), 0x9B, 0xFFFF, (uint64_t)vector << 12);
    vmcb_seg(v, VMCB_ES, 0, 0x93, 0xFFFF, 0);
    vmcb_seg(v, VMCB_SS, 0, 0x93, 0xFFFF, 0);
    vmcb_seg(v, VMCB_DS, 0, 0x93, 0xFFFF, 0);
    vmcb_seg(v, VMCB_FS, 0, 0x93, 0xFFFF, 0);
    vmcb_seg(v, VMCB_GS, 0, 0x93, 0xFFFF, 0);
    vmcb_seg(v, VMCB_GDTR, 0, 0, 0xFFFF, 0);
    vmcb_seg(v, VMCB_IDTR, 0, 0, 0x3FF, 0);
    vmcb_seg(v, VMCB_LDTR, 0, 0x82, 0xFFFF, 0);
    vmcb_seg(v, VMCB_TR, 0, 0x8B, 0xFFFF, 0);
    v[VMCB_CPL] = 0;
    vmcb_w64(v, VMCB_EFER, EFER_SVME);
    vmcb_w64(v, VMCB_CR0, 0x10);         /* ET only: real mode */
    vmcb_w64(v, VMCB_CR3, 0);
    vmcb_w64(v, VMCB_CR4, 0);
    vmcb_w64(v, VMCB_RFLAGS, 0x2);
    vmcb_w64(v, VMCB_RIP, 0);
    vmcb_w64(v, VMCB_RSP, 0);
    vmcb_w64(v, VMCB_RAX, 0);
    c->regs = (struct guest_regs){0};
}

int64_t svm_post_start(struct core *target, uint8_t vector)
{
    target->sipi_post_tsc = cpu_rdtsc();
    if ((target->sipi_wait == 0u) ||
        (cpu_cas16_release(&target->sipi_post, 0, (uint16_t)(0x100u | vector)) == 0)) {
        return TRIAD_E_INVAL;   /* started already, or a start already posted */
    }
    return 0;
}

void svm_wait_for_start(struct core *c)
{
    /* Waiting for the guest has no bound: a sandbox may never start its
       core (as a core in wait-for-SIPI on VMX).  GIF stays clear, so no
       INIT or NMI another sandbox sends can take this core meanwhile; PAUSE
       keeps the poll cheap (QEMU TCG yields to the next virtual CPU). */
    uint16_t post = cpu_load16_acquire(&c->sipi_post);
    /*@ loop assigns post; */
    while (post == 0u) {
        cpu_pause();
        post = cpu_load16_acquire(&c->sipi_post);
    }
    start_at_vector(c, (uint8_t)post);
    c->launch_tsc = cpu_rdtsc();
    con_lock();
    con_line("core ");
    con_dec(c->index);
    con_puts(": started by sandbox ");
    con_dec(c->sandbox);
    con_puts(" at vector ");
    con_hex(post & 0xFFu, 2);
    con_puts(", tsc ");
    con_dec(c->launch_tsc);
    con_puts(" (");
    con_dec((c->launch_tsc > c->sipi_post_tsc) ? (c->launch_tsc - c->sipi_post_tsc) : 0u);
    con_puts(" ticks after the request)\n");
    con_unlock();
    c->sipi_wait = 0;   /* runs guest code now: recovery stops it by NMI */
    cpu_store16_release(&c->sipi_post, 0);
}

void svm_vcpu_run(struct core *c, int secondary)
{
    if (enable_svm(c) != 0)
        return;
    zero_page(c->vmcs);
    setup_control(c);
    setup_guest(c);
    if (secondary != 0) {
        c->sipi_post = 0;
        c->sipi_wait = 1;
        c->state = CORE_RUNNING;
        c->launch_tsc = cpu_rdtsc();
        con_lock();
        con_line("core ");
        con_dec(c->index);
        con_puts(": secondary core of sandbox ");
        con_dec(c->sandbox);
        con_puts(" waits in its monitor for the guest's start request (SVM, asid ");
        con_dec((uint64_t)c->sandbox + 1u);
        con_puts(")\n");
        con_unlock();
        svm_wait_for_start(c);
        svm_run_loop(&c->regs, (uint64_t)(uintptr_t)c->vmcs);
    }
    const int timer = c->index == 0 && (options.window_ms != 0 || options.end_ms != 0);
    if (timer) {
        c->deadline_tsc = cpu_rdtsc() + ms_to_tsc(1);
        svm_clock_arm(c, c->deadline_tsc, cpu_rdtsc());
        con_defer_clock(c->index);   /* clock exits: its console lines may wait */
    }
    c->state = CORE_RUNNING;
    c->launch_tsc = cpu_rdtsc();
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
    con_puts(" (SVM, asid ");
    con_dec((uint64_t)c->sandbox + 1u);
    con_puts(")\n");
    con_unlock();
    (void)cpu_add32_seqcst(&launched_count, 1u);
    svm_run_loop(&c->regs, (uint64_t)(uintptr_t)c->vmcs);
}

int svm_vcpu_reset(struct core *c, int secondary)
{
    setup_control(c);   /* TLB_CONTROL = flush: the old kernel's translations go */
    setup_guest(c);
    if (secondary != 0) {
        /* back to waiting for the fresh kernel's start request: the exit
           handler holds the core once restart_nmi has set sipi_wait */
        c->sipi_post = 0;
        c->tlb_flushed = 3;
        c->state = CORE_RUNNING;
        return 0;
    }
    /* TLB_CONTROL 1 drops nested and guest translations of every ASID at
       the next VMRUN: both kinds the recovery line reports (bits 0 and 1). */
    c->tlb_flushed = 3;
    c->state = CORE_RUNNING;
    c->launch_tsc = cpu_rdtsc();
    sandboxes[c->sandbox].state = CORE_RUNNING;
    return 0;
}

uint64_t svm_guest_rip(const struct core *c)
{
    return vmcb_r64(c->vmcs, VMCB_RIP);
}

void svm_set_rip(struct core *c, uint64_t rip)
{
    vmcb_w64(c->vmcs, VMCB_RIP, rip);
}

/* EVENTINJ: valid (bit 31), type 3 = exception (bits 10:8), no error code
   (EV, bit 11, clear). */
void svm_inject_exception(struct core *c, uint8_t vector)
{
    vmcb_w64(c->vmcs, VMCB_EVENTINJ, (1ULL << 31) | (3ULL << 8) | (uint64_t)vector);
}

int svm_event_pending(const struct core *c)
{
    return (((vmcb_r64(c->vmcs, VMCB_EXITINTINFO) >> 31) & 1u) != 0u) ? 1 : 0;
}

/* CS attributes in the VMCB's packed form (vmcb_seg): L is bit 9, D/B bit 10. */
void svm_guest_paging(const struct core *c, struct guest_paging *pg)
{
    const uint8_t *v = c->vmcs;
    const uint64_t cs_attr = (vmcb_r64(v, VMCB_CS) >> 16) & 0xFFFFu;
    pg->cr0 = vmcb_r64(v, VMCB_CR0);
    pg->cr3 = vmcb_r64(v, VMCB_CR3);
    pg->cr4 = vmcb_r64(v, VMCB_CR4);
    pg->efer = vmcb_r64(v, VMCB_EFER);
    pg->cs_base = vmcb_r64(v, VMCB_CS + 8u);
    pg->cs_long = (uint8_t)((cs_attr >> 9) & 1u);
    pg->cs_32 = (uint8_t)((cs_attr >> 10) & 1u);
}
