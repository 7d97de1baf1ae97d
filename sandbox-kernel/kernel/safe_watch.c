/*
 * triad.watch_safe=1 (recovery tests, docs/recovery.md "System safe mode"):
 * at every heartbeat the kernel asks the monitor for the system's state
 * (TRIAD_HC_SANDBOX_INFO).  The first time it reads safe mode it prints the
 * cause and entry time, reads the monitor's fault records (kept across the
 * entry: their count and sequence numbers) and asks for its own restart,
 * which the monitor must refuse (no restarts in safe mode).  A sandbox that
 * prints this keeps running, so the heartbeats after it show it.
 */
#include "safe_watch.h"
#include "cmdline.h"
#include "printk.h"
#include "../arch/x86_64/hypercall.h"
#include "../../monitor/abi/hypercall.h"

static int watching, seen;

void safe_watch_configure(const char *cmdline)
{
    char v[4];
    watching = cmdline_get(cmdline, "triad.watch_safe", v, sizeof v) && v[0] == '1' && v[1] == '\0' &&
               running_under_hypervisor();
}

void safe_watch_tick(void)
{
    static struct triad_hc_info info;                  /* the kernel image is mapped 1:1 */
    static struct triad_fault_record recs[8];
    if (!watching || seen)
        return;
    if (hypercall(TRIAD_HC_SANDBOX_INFO, (uint64_t)(uintptr_t)&info, sizeof info, 0) < (int64_t)sizeof info ||
        info.system_state != TRIAD_SYSTEM_SAFE_MODE)
        return;
    seen = 1;
    printk("kernel: system safe mode seen: cause sandbox %u since t=%lu\n", (unsigned)info.safe_cause,
           (unsigned long)info.safe_tsc);
    int64_t n = hypercall(TRIAD_HC_FAULT_LOG, 0, (uint64_t)(uintptr_t)recs, sizeof recs);
    if (n >= 0 && n <= 8) {
        char line[160];
        unsigned used = 0;
        for (int64_t i = 0; i < n && used < sizeof line; i++)
            used += (unsigned)snprintk(line + used, sizeof line - used, " %lu:sandbox%u",
                                       (unsigned long)recs[i].sequence, (unsigned)recs[i].sandbox);
        line[used < sizeof line ? used : sizeof line - 1] = '\0';
        printk("kernel: fault records kept: %ld%s\n", (long)n, line);
    } else {
        printk("kernel: fault log read returned %ld\n", (long)n);
    }
    int64_t r = hypercall(TRIAD_HC_RESTART, TRIAD_HC_SELF, 0, 0);
    printk("kernel: restart request in safe mode returned %ld\n", (long)r);
}
