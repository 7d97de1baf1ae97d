/*
 * Secondary cores parked in a halt loop (ap_park.S), under the Triad monitor.  The monitor enters a
 * sandbox's extra cores in wait-for-SIPI; without an SMP scheduler the
 * kernel can still start them, which is what recovery needs to exercise a
 * multi-core stop (NMI to every running core of the sandbox) and a restart
 * that starts them again.  Page 0x7000 (below the boot block at 0x8000,
 * reserved from the allocator with the rest of the first MiB) holds the code.
 */
#include "ap_park.h"
#include "cmdline.h"
#include "printk.h"
#include "string.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/lapic.h"
#include "../arch/x86_64/paging.h"
#include "../arch/x86_64/hypercall.h"
#include "../../monitor/abi/hypercall.h"

#define AP_PARK_PAGE 0x7000u
#define ICR_STARTUP  (6u << 8)
#define START_SPINS  2000000u

extern const char ap_park_code[], ap_park_code_end[];
extern const uint32_t ap_park_flag_offset;

void ap_park_start(const char *cmdline)
{
    char mode[8];
    if (!cmdline_get(cmdline, "triad.smp", mode, sizeof mode) || strcmp(mode, "park") != 0)
        return;
    static struct triad_hc_info info;
    if (!triad_monitor_present() ||
        hypercall(TRIAD_HC_SANDBOX_INFO, (uint64_t)(uintptr_t)&info, sizeof info, 0) < (int64_t)sizeof info) {
        printk("kernel: triad.smp=park needs the monitor's core list: no core started\n");
        return;
    }
    if (!paging_kernel_map(AP_PARK_PAGE)) {
        printk("kernel: page %x cannot be mapped: no core started\n", AP_PARK_PAGE);
        return;
    }
    volatile uint8_t *page = (volatile uint8_t *)(uintptr_t)AP_PARK_PAGE;
    const unsigned size = (unsigned)(ap_park_code_end - ap_park_code);
    for (unsigned i = 0; i < size; i++)
        page[i] = (uint8_t)ap_park_code[i];
    volatile uint32_t *started = (volatile uint32_t *)(page + ap_park_flag_offset);
    const unsigned self = lapic_id();
    for (unsigned core = 0; core < 32; core++) {
        if (!(info.core_mask & (1u << core)) || core == self)
            continue;
        const uint32_t before = *started;
        /* Under the Triad monitor the core already waits for its start (the
           monitor holds it from boot, and again after a restart) and an
           INIT would only be swallowed: no INIT.  The monitor is asked
           first (TRIAD_HC_START_CORE: on AMD SVM the core waits in its
           monitor); on VMX it answers TRIAD_E_NOT_YET and the core, in
           wait-for-SIPI, takes our own start-up IPI.  (Bochs 2.7 also keeps
           an INIT that reached a waiting core pending and re-delivers it
           forever once the core runs.) */
        int64_t asked = hypercall(TRIAD_HC_START_CORE, core, AP_PARK_PAGE >> 12, 0);
        if (asked != 0 && asked != TRIAD_E_NOT_YET)
            printk("kernel: the monitor refused to start core %u (%ld)\n", core, (long)asked);
        for (int sipi = 0; sipi < 2 && *started == before; sipi++) {
            if (asked == TRIAD_E_NOT_YET)
                lapic_send_ipi(core, ICR_STARTUP | (AP_PARK_PAGE >> 12));
            for (unsigned spin = 0; spin < START_SPINS && *started == before; spin++)
                __asm__ volatile("pause");
        }
        printk("kernel: core %u %s\n", core, *started != before ? "started, parked in hlt" : "did NOT start");
    }
}
