/*
 * Deliberate faults for the monitor's isolation tests, chosen with
 * `triad.test=<name>`.  Each prints `kernel: running test <name>`, commits
 * the fault, and reports what happened if the kernel is still running
 * (standalone most of these are harmless; under the monitor each must be
 * stopped or refused by it).  Exceptions raised in the kernel by a test are
 * caught by the recovery point, so the kernel carries on either way.
 */
#include "fault_selftest.h"
#include "cmdline.h"
#include "printk.h"
#include "console.h"
#include "string.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/io.h"
#include "../arch/x86_64/trap.h"
#include "../arch/x86_64/paging.h"
#include "../arch/x86_64/hypercall.h"
#include "../arch/x86_64/lapic.h"
#include "../../monitor/abi/hypercall.h"

/* Writes a marker to physical `addr` through a kernel mapping made for it; a fault is caught. */
static void poke(uint64_t addr)
{
    if (!paging_kernel_map(addr)) {
        printk("kernel: test address %lx cannot be mapped\n", (unsigned long)addr);
        return;
    }
    printk("kernel: writing to %lx\n", (unsigned long)addr);
    console_flush();        /* the monitor may stop this sandbox at the write */
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, trap_recover_rip(%%rip)\n\t"
                     "movq $0x5452494144, %%rax\n\t"
                     "movq %%rax, (%0)\n"
                     "1: movq $0, trap_recover_rip(%%rip)"
                     : : "r"(addr) : "rax", "memory");
}

static int64_t vmcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    return hypercall(nr, a0, a1, a2);
}

/* send-init / send-nmi: the IPI to another core (triad.test_addr = its APIC
   ID), then a fixed IPI to this core's own APIC ID, which must arrive. */
#define VECTOR_SELF_IPI 0xE1
static volatile unsigned self_ipis;
static void self_ipi(struct trap_frame *f)
{
    (void)f;
    self_ipis++;
    lapic_eoi();
}

static void send_ipis(uint32_t mode, uint64_t target)
{
    printk("kernel: lapic in %s mode, sending %s to apic %lu\n", lapic_x2apic() ? "x2APIC" : "xAPIC",
           mode == 5 ? "INIT" : "NMI", (unsigned long)target);
    lapic_send_ipi((unsigned)target, (mode << 8) | (mode == 5 ? (1u << 14) : 0));
    trap_set_handler(VECTOR_SELF_IPI, self_ipi);
    lapic_send_ipi(lapic_id(), VECTOR_SELF_IPI);
    for (unsigned spin = 0; spin < 1000000u && self_ipis == 0; spin++)
        __asm__ volatile("pause");
    printk("kernel: IPI to own apic %u %s\n", lapic_id(), self_ipis ? "delivered" : "NOT delivered");
}

void fault_selftest_run(const char *cmdline, uint64_t ram_top)
{
    char name[40];
    if (!cmdline_get(cmdline, "triad.test", name, sizeof name))
        return;
    /* triad.test_once=1: only on the first boot, not after a monitor restart
       (which adds triad.restart=<n>; recovery tests, docs/recovery.md). */
    char once[4], restart[12];
    if (cmdline_get(cmdline, "triad.test_once", once, sizeof once) &&
        cmdline_get(cmdline, "triad.restart", restart, sizeof restart)) {
        printk("kernel: restart %s: test %s skipped (triad.test_once)\n", restart, name);
        return;
    }
    /* triad.test_after_restart=1: only once the monitor restarted this
       sandbox (remote driver recovery: the old owner touching the device it
       lost must fault). */
    if (cmdline_get(cmdline, "triad.test_after_restart", once, sizeof once) &&
        !cmdline_get(cmdline, "triad.restart", restart, sizeof restart))
        return;
    uint64_t addr = 0, port = 0x3F8;
    int has_addr = cmdline_get_u64(cmdline, "triad.test_addr", 1, &addr) == 1;
    cmdline_get_u64(cmdline, "triad.test_port", 1, &port);
    printk("kernel: running test %s\n", name);
    console_flush();        /* what follows may end this sandbox */
    int hv = running_under_hypervisor();
    if (strcmp(name, "write-other-sandbox") == 0) {
        poke(ram_top);
        if (has_addr)
            poke(addr);
    } else if (strcmp(name, "write-monitor") == 0) {
        poke(has_addr ? addr : ram_top + 0x100000);
    } else if (strcmp(name, "write-unassigned-mmio") == 0) {
        poke(has_addr ? addr : 0xFEB00000ull);
    } else if (strcmp(name, "touch-other-serial") == 0) {
        printk("kernel: writing to port %lx\n", (unsigned long)port);
        console_flush();
        outb((uint16_t)port, 'X');
    } else if (strcmp(name, "vmx-instruction") == 0) {
        /* The processor's own virtualization instruction: VMPTRST on
           Intel, VMLOAD on AMD (the monitor's SVM backend intercepts it);
           without a monitor either one raises #UD, recovered here. */
        uint32_t v[4];
        cpuid(0, 0, v);
        uint64_t vmcs_ptr = 0;
        if (v[1] == 0x68747541u)        /* "Auth"enticAMD */
            __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                             "movq %%rax, trap_recover_rip(%%rip)\n\t"
                             "xorl %%eax, %%eax\n\t"
                             "vmload %%rax\n"
                             "1: movq $0, trap_recover_rip(%%rip)"
                             : : : "rax", "memory");
        else
            __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                             "movq %%rax, trap_recover_rip(%%rip)\n\t"
                             "vmptrst %0\n"
                             "1: movq $0, trap_recover_rip(%%rip)"
                             : "=m"(vmcs_ptr) : : "rax", "memory");
        printk("kernel: %s done (%u exceptions caught)\n", v[1] == 0x68747541u ? "vmload" : "vmptrst",
               trap_recovered_count);
    } else if (strcmp(name, "bad-hypercall-pointer") == 0 || strcmp(name, "bad-hypercall-number") == 0) {
        if (!hv) {
            printk("kernel: no hypervisor (CPUID bit clear): hypercall not issued\n");
        } else if (name[14] == 'p') {
            int64_t r = vmcall(TRIAD_HC_SANDBOX_INFO, ram_top + 0x1000, sizeof(struct triad_hc_info), 0);
            printk("kernel: hypercall with a pointer outside RAM returned %ld\n", (long)r);
        } else {
            int64_t r = vmcall(0xDEAD, 0, 0, 0);
            printk("kernel: unknown hypercall returned %ld\n", (long)r);
        }
    } else if (strcmp(name, "restart-request") == 0) {
        /* the restart hypercall for sandbox test_addr (default: itself);
           an accepted request does not return (the kernel restarts) */
        uint64_t target = has_addr ? addr : TRIAD_HC_SELF;
        int64_t r = hv ? vmcall(TRIAD_HC_RESTART, target, 0, 0) : 0;
        printk("kernel: restart request for sandbox %lx returned %ld\n", (unsigned long)target, (long)r);
    } else if (strcmp(name, "start-core") == 0) {
        /* asks the monitor to start core test_addr (TRIAD_HC_START_CORE,
           vector 7): another sandbox's core must be refused */
        int64_t r = hv ? vmcall(TRIAD_HC_START_CORE, has_addr ? addr : 0, 0x07, 0) : 0;
        printk("kernel: start request for core %lu returned %ld\n", (unsigned long)(has_addr ? addr : 0), (long)r);
    } else if (strcmp(name, "send-init") == 0 || strcmp(name, "send-nmi") == 0) {
        send_ipis(name[5] == 'i' ? 5u : 4u, has_addr ? addr : 0);
    } else {
        printk("kernel: unknown test '%s'\n", name);
        return;
    }
    printk("kernel: test %s done, kernel still running\n", name);
}

void fault_selftest_early(const char *cmdline, uint64_t ram_top)
{
    char name[40];
    if (!cmdline_get(cmdline, "triad.test_early", name, sizeof name))
        return;
    printk("kernel: running early test %s (before the first hypercall)\n", name);
    if (strcmp(name, "write-monitor") == 0)
        poke(ram_top + 0x100000);
    else
        printk("kernel: unknown early test '%s'\n", name);
}

/* `triad.test_late_beat=N`: write-monitor at the kernel's Nth heartbeat
   (triad.heartbeat), not at boot: a fault at a chosen virtual time of a
   long run (test 80: system safe mode entered after the flight's report). */
static uint64_t late_beat, late_addr;

void fault_selftest_late_configure(const char *cmdline, uint64_t ram_top)
{
    uint64_t n = 0;
    int r = cmdline_get_u64(cmdline, "triad.test_late_beat", 0, &n);
    if (r == 0)
        return;
    if (r < 0 || n == 0) {
        printk("kernel: bad triad.test_late_beat value ignored\n");
        return;
    }
    /* triad.test_once=1 makes the late fault one-shot too: a kernel the
       monitor restarted (triad.restart=<n>) does not fault again, so a test
       sees the replica come back and rejoin (test 80: fc-c's wild write). */
    char once[4], restart[12];
    if (cmdline_get(cmdline, "triad.test_once", once, sizeof once) &&
        cmdline_get(cmdline, "triad.restart", restart, sizeof restart)) {
        printk("kernel: restart %s: late test skipped (triad.test_once)\n", restart);
        return;
    }
    late_beat = n;
    late_addr = ram_top + 0x100000;
    printk("kernel: late test write-monitor armed for heartbeat %lu\n", (unsigned long)n);
}

void fault_selftest_late_tick(uint64_t beat)
{
    if (late_beat == 0 || beat != late_beat)
        return;
    printk("kernel: running late test write-monitor at heartbeat %lu\n", (unsigned long)beat);
    poke(late_addr);
}
