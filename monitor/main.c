/*
 * Monitor entry in C on the boot processor.  For now (foundation issue) it
 * reports what the platform gives it: the boot information from GRUB and
 * the virtualization features of the processor, then ends the run.
 */
#include <stdint.h>
#include "console.h"
#include "cpu.h"
#include "exit.h"
#include "boot/multiboot2.h"
#include "vmx/caps.h"
#include "svm/caps.h"
#include "virt.h"

#include "monitor.h"
#include "sandbox.h"
#include "module_apply.h"
#include "tsc.h"
#include "boot/idt.h"
#include "attest/launch.h"
#include "pci.h"
#include "irq_route.h"

static struct boot_info boot;
uint64_t tsc_khz;
struct monitor_options options;

uint64_t ms_to_tsc(uint32_t ms)
{
    return (uint64_t)ms * tsc_khz;
}

/* The value of "key=<decimal>" in the command line, or fallback. */
/*@ assigns \nothing; */
static uint32_t option(const char *cmdline, const char *key, uint32_t fallback)
{
    if (!cmdline)
        return fallback;
    /*@ loop assigns i; loop variant 4096 - i; */
    for (uint32_t i = 0; i < 4096 && cmdline[i]; i++) {
        if (i > 0 && cmdline[i - 1] != ' ')
            continue;
        uint32_t k = 0;
        /*@ loop assigns k; loop variant 64 - k; */
        while (k < 64 && key[k] && cmdline[i + k] == key[k])
            k++;
        if (key[k] != '\0' || cmdline[i + k] != '=')
            continue;
        uint32_t v = 0, d = i + k + 1;
        /*@ loop assigns d, v; loop variant 4096 - d; */
        while (d < 4096 && cmdline[d] >= '0' && cmdline[d] <= '9' && v < 100000000u)
            v = v * 10 + (uint32_t)(cmdline[d++] - '0');
        return v;
    }
    return fallback;
}

/*@ assigns \nothing; */
static const char *yes_no(int b)
{
    return b ? "yes" : "no";
}

/*@ assigns \nothing; */
static const char *region_type_name(uint32_t type)
{
    switch (type) {
    case MB2_RAM:          return "available";
    case MB2_ACPI_RECLAIM: return "ACPI reclaimable";
    case MB2_NVS:          return "ACPI NVS";
    case MB2_BAD:          return "bad memory";
    default:               return "reserved";
    }
}

/*@ requires \valid_read(b);
    assigns \nothing; */
static void print_boot_info(const struct boot_info *b)
{
    con_line("boot loader: ");
    con_puts(b->loader ? b->loader : "(unnamed)");
    con_puts("\n");
    con_line("command line: ");
    con_puts(b->cmdline ? b->cmdline : "");
    con_puts("\n");

    uint64_t ram = 0;
    con_line("memory map:\n");
    /*@ loop invariant 0 <= i <= b->region_count;
        loop assigns i, ram;
        loop variant b->region_count - i; */
    for (uint32_t i = 0; i < b->region_count && i < MB2_MAX_REGIONS; i++) {
        const struct mb2_region *r = &b->regions[i];
        con_line("  ");
        con_hex(r->base, 16);
        con_puts("-");
        con_hex(r->base + r->length - 1, 16);
        con_puts(" ");
        con_puts(region_type_name(r->type));
        con_puts("\n");
        if (r->type == MB2_RAM)
            ram += r->length / 1024;
    }
    con_line("usable RAM: ");
    con_dec(ram / 1024);
    con_puts(" MiB\n");

    con_line("modules: ");
    con_dec(b->module_count);
    con_puts("\n");
    /*@ loop invariant 0 <= i <= b->module_count;
        loop assigns i;
        loop variant b->module_count - i; */
    for (uint32_t i = 0; i < b->module_count && i < MB2_MAX_MODULES; i++) {
        const struct mb2_module *m = &b->modules[i];
        con_line("  module ");
        con_dec(i);
        con_puts(": ");
        con_hex(m->start, 8);
        con_puts("-");
        con_hex(m->end, 8);
        con_puts(" ");
        con_dec(m->end - m->start);
        con_puts(" bytes ");
        con_puts(m->name ? m->name : "(unnamed)");
        con_puts("\n");
    }
    if (b->dropped) {
        con_line("warning: boot information entries dropped: ");
        con_dec(b->dropped);
        con_puts("\n");
    }
}

/*@ assigns \nothing; */
static int print_cpu(void)
{
    struct cpuid_regs r;
    char vendor[13];
    cpu_cpuid(0, 0, &r);
    const uint32_t words[3] = { r.ebx, r.edx, r.ecx };
    /*@ loop invariant 0 <= i <= 12;
        loop assigns i, vendor[0 .. 11];
        loop variant 12 - i; */
    for (unsigned i = 0; i < 12; i++)
        vendor[i] = (char)(words[i / 4] >> ((i % 4) * 8));
    vendor[12] = '\0';
    con_line("cpu vendor: ");
    con_puts(vendor);
    con_puts("\n");

    struct vmx_caps vmx;
    vmx_read_caps(&vmx);
    con_line("vmx: ");
    if (!vmx.vmx) {
        con_puts("absent\n");
    } else {
        con_puts("present, vmcs revision ");
        con_hex(vmx.vmcs_revision, 8);
        con_puts(vmx.locked_off ? ", disabled by firmware" : "");
        con_puts("\n");
        con_line("vmx features: ept=");
        con_puts(yes_no(vmx.ept));
        con_puts(" unrestricted-guest=");
        con_puts(yes_no(vmx.unrestricted_guest));
        con_puts(" vpid=");
        con_puts(yes_no(vmx.vpid));
        con_puts(" preemption-timer=");
        con_puts(yes_no(vmx.preemption_timer));
        con_puts(" ept-2mb=");
        con_puts(yes_no(vmx.ept_2mb_pages));
        con_puts(" ept-wb=");
        con_puts(yes_no(vmx.ept_wb));
        con_puts("\n");
    }
    const int usable = vmx.vmx && !vmx.locked_off && vmx.ept && vmx.unrestricted_guest && vmx.vpid;

    struct svm_caps svm;
    svm_read_caps(&svm);
    con_line("svm: ");
    if (!svm.svm) {
        con_puts("absent\n");
    } else {
        con_puts("present, npt=");
        con_puts(yes_no(svm.npt));
        con_puts(" asids=");
        con_dec(svm.asids);
        con_puts("\n");
    }
    /* SVM needs nested paging and ASIDs besides the monitor's 0 (one per
       sandbox: checked per sandbox in virt_build_tables). */
    const int svm_usable = svm.svm && svm.npt && svm.asids >= 2;
    return (usable ? 1 : 0) | (svm_usable ? 2 : 0);
}

/*@ assigns \nothing; */
void monitor_main(uint32_t magic, uint32_t info_phys);

void monitor_main(uint32_t magic, uint32_t info_phys)
{
    /* Read first: in Bochs the time-stamp counter at this point counts the
       instructions executed since power-on (one CPU). */
    uint64_t boot_tsc = cpu_rdtsc();
    con_init();
    con_line("Triad monitor " TRIAD_VERSION " starting, boot tsc ");
    con_dec(boot_tsc);
    con_puts("\n");

    int err = mb2_parse(magic, (const uint8_t *)(uintptr_t)info_phys, MB2_MAX_INFO_BYTES, &boot);
    if (err != MB2_OK) {
        con_line("fatal: ");
        con_puts(mb2_strerror(err));
        con_puts("\n");
        monitor_exit(2);
    }
    print_boot_info(&boot);
    /* Measured launch: before anything from a module is used or launched. */
    attest_boot(&boot);
    const int caps = print_cpu();
    if (virt_select(caps & 1, caps & 2) == VIRT_NONE) {
        con_line("no usable VMX (EPT, unrestricted guest and VPID needed) nor SVM "
                 "(nested paging and ASIDs needed): nothing launched\n");
        monitor_exit(0);
    }
    con_line("backend: ");
    con_puts(virt_name());
    con_puts("\n");
    options.settle_ms = option(boot.cmdline, "triad.settle-ms", 200);
    options.window_ms = option(boot.cmdline, "triad.window-ms", 0);
    options.end_ms = option(boot.cmdline, "triad.end-ms", 0);
    options.corrupt_pristine = option(boot.cmdline, "triad.test-corrupt-pristine", 0xFFFFFFFFu);
    options.svm_clock_us = option(boot.cmdline, "triad.svm-clock-us", 0);
    tsc_khz = tsc_calibrate_khz();
    con_line("tsc: ");
    con_dec(tsc_khz);
    con_puts(" kHz (PIT calibrated)\n");
    idt_init();
    idt_load();
    /* The 8259 PICs belong to no sandbox: masked for good, so no legacy
       interrupt reaches core 0's LINT0 (the guests see virtual ones). */
    cpu_outb(0x21, 0xFF);
    cpu_outb(0xA1, 0xFF);
    /* Through tboot the modules may lie in sandbox regions: moved first. */
    (void)modules_out_of_sandboxes(&boot, info_phys);
    if (sandboxes_prepare(&boot) != 0)
        monitor_exit(4);
    /* Devices where the description says, before any sandbox can see them. */
    (void)pci_place_bars(&sys->platform);
    /* Their interrupt lines to their owners' cores (irq_route.h). */
    if (irq_route_devices(sys) < 0) {
        con_line("fatal: a declared device interrupt line cannot be routed\n");
        monitor_exit(4);
    }
    struct core *bsp = &cores[cpu_apic_id() < MAX_CORES ? cpu_apic_id() : 0];
    bsp->index = cpu_apic_id();
    bsp->state = CORE_IDLE;
    uint32_t needed = sys->platform.core_count;
    uint32_t started = smp_start(needed);
    con_lock();
    con_line("cores: ");
    con_dec(started + 1);
    con_puts(" of ");
    con_dec(needed);
    con_puts(" running the monitor\n");
    con_unlock();
    if (started + 1 < needed) {
        con_line("fatal: this machine has fewer cores than system.bin needs\n");
        monitor_exit(4);
    }
    core_enter(bsp);
}
