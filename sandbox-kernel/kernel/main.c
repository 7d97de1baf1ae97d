/*
 * Sandbox kernel entry in C: learn the machine from multiboot2, take the
 * console the command line names, bring up traps, paging, memory, time and
 * the scheduler, then run what the command line asks for (fault tests,
 * heartbeat, scheduler self-tests, programs, the shell).
 */
#include <stdint.h>
#include "bootinfo.h"
#include "cmdline.h"
#include "attest_log.h"
#include "printk.h"
#include "serial.h"
#include "pmem.h"
#include "time.h"
#include "percpu.h"
#include "panic.h"
#include "string.h"
#include "heartbeat.h"
#include "fault_selftest.h"
#include "ap_park.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/trap.h"
#include "../arch/x86_64/paging.h"
#include "../arch/x86_64/lapic.h"
#include "../arch/x86_64/pit.h"
#include "../arch/x86_64/hypercall.h"
#include "../sched/sched.h"
#include "../sched/selftest.h"
#include "../user/init.h"
#include "../chan/chan_platform.h"
#include "../chan/chan_console.h"
#include "console.h"
#include "../chan/chan_selftest.h"

#define TRIAD_KERNEL_VERSION "0.2"

extern char __kernel_start[], __kernel_end[];
struct boot_info boot_info;

void kernel_main(uint32_t magic, uint32_t info_phys);

/* triad.console=<hex port> | channel | none; COM1 when absent or malformed. */
static uint16_t console_port(const char *cmdline)
{
    char v[16];
    uint64_t port;
    if (!cmdline_get(cmdline, "triad.console", v, sizeof v))
        return 0x3F8;
    if (strcmp(v, "channel") == 0 || strcmp(v, "none") == 0)
        return 0;       /* a channel console comes with the channels work; stay silent on ports */
    if (parse_u64(v, 1, &port) != 1 || port == 0 || port > 0xFFF8)
        return 0x3F8;
    return (uint16_t)port;
}

void kernel_main(uint32_t magic, uint32_t info_phys)
{
    int info_status = BOOTINFO_BAD_SIZE;
    if (magic == MB2_BOOTLOADER_MAGIC && info_phys != 0)
        info_status = bootinfo_parse((const void *)(uintptr_t)info_phys, info_phys, 1u << 20, &boot_info);
    serial_init(console_port(boot_info.cmdline));
    printk("Triad sandbox kernel " TRIAD_KERNEL_VERSION "\n");
    if (magic != MB2_BOOTLOADER_MAGIC) {
        printk("kernel: not started by a multiboot2 loader (magic %x): halting\n", magic);
        return;
    }
    printk("kernel: boot information at %x (%s), loader '%s'\n", info_phys,
           info_status == BOOTINFO_OK ? "valid" : "malformed", boot_info.loader);
    printk("kernel: command line '%s'\n", boot_info.cmdline);

    percpu_init(0);
    gdt_init();
    idt_init();
    paging_init();
    if (!boot_info.has_mmap)
        panic("no memory map from the boot loader");
    pmem_init(&boot_info, (uint64_t)__kernel_start, (uint64_t)__kernel_end);
    printk("kernel: RAM top %lx, %lu pages free of %lu usable\n", (unsigned long)bootinfo_ram_top(&boot_info),
           (unsigned long)pmem_free_pages(), (unsigned long)pmem_total_pages());
    /* Under the Triad monitor the legacy PIC is emulated and no device of
       ours is wired to it: leave it alone (no exits), poll the console. */
    fault_selftest_early(boot_info.cmdline, bootinfo_ram_top(&boot_info));
    int virtual_platform = triad_monitor_present();
    if (!virtual_platform)
        pic_init();
    lapic_init();
    time_init();
    lapic_calibrate();
    printk("kernel: tsc %lu Hz (%s), lapic %u, timer %s, legacy pic %s\n", (unsigned long)tsc_hz,
           tsc_source, lapic_id(), lapic_tsc_deadline() ? "tsc-deadline" : "one-shot",
           virtual_platform ? "untouched" : "programmed");
    sched_init();
    sched_start();
    console_output_start();
    printk("kernel: ready\n");
    ap_park_start(boot_info.cmdline);
    chan_platform_init(boot_info.info_start, boot_info.info_end - boot_info.info_start);
    chan_console_start(boot_info.cmdline);
    chan_selftest_start(boot_info.cmdline);

    fault_selftest_run(boot_info.cmdline, bootinfo_ram_top(&boot_info));
    fault_selftest_late_configure(boot_info.cmdline, bootinfo_ram_top(&boot_info));
    attest_log_run(boot_info.cmdline, bootinfo_ram_top(&boot_info));
    heartbeat_start(boot_info.cmdline);
    selftest_run(boot_info.cmdline);
    init_run(&boot_info);
}
