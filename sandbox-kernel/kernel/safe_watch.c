/*
 * triad.watch_safe=1 (recovery tests, docs/recovery.md "System safe mode"):
 * at every heartbeat the kernel asks the monitor for the system's state
 * (TRIAD_HC_SANDBOX_INFO).  The first time it reads safe mode it prints the
 * cause and entry time, reads the monitor's fault records (kept across the
 * entry: their count and sequence numbers) and asks for its own restart,
 * which the monitor must refuse (no restarts in safe mode).  A sandbox that
 * prints this keeps running, so the heartbeats after it show it.
 *
 * triad.safe_exit=1 (docs/recovery.md "Leaving system safe mode"): then it
 * asks to leave safe mode (TRIAD_HC_SAFE_MODE_EXIT, vehicle on the ground
 * and disarmed): once with an ack that is not the entry's (refused,
 * stale-ack), then with the entry time it read at every heartbeat until
 * the monitor answers other than "hold not elapsed" (bounded).  After an
 * accepted exit it keeps watching: a later entry is printed, and the old
 * entry's ack is offered once (refused: a request made for an earlier entry
 * never ends a later one).
 */
#include "safe_watch.h"
#include "cmdline.h"
#include "printk.h"
#include "../arch/x86_64/hypercall.h"
#include "../../monitor/abi/hypercall.h"

static int watching, seen, asking;
static uint64_t exit_ack;          /* the entry acknowledged; 0 before */
static unsigned tries, left;
#define EXIT_TRIES 40u             /* heartbeats of "hold not elapsed" before giving up */
#define VEHICLE_SAFE (TRIAD_VEHICLE_ON_GROUND | TRIAD_VEHICLE_DISARMED)

void safe_watch_configure(const char *cmdline)
{
    char v[4];
    watching = cmdline_get(cmdline, "triad.watch_safe", v, sizeof v) && v[0] == '1' && v[1] == '\0' &&
               running_under_hypervisor();
    asking = watching && cmdline_get(cmdline, "triad.safe_exit", v, sizeof v) && v[0] == '1' && v[1] == '\0';
}

/* After the first entry: the exit requests, then the watch for a later one. */
static void safe_exit_tick(const struct triad_hc_info *info)
{
    if (left) {
        if (info->system_state == TRIAD_SYSTEM_SAFE_MODE && info->safe_tsc != exit_ack && left == 1u) {
            left = 2u;
            printk("kernel: system safe mode seen again: cause sandbox %u since t=%lu\n", (unsigned)info->safe_cause,
                   (unsigned long)info->safe_tsc);
            int64_t r = hypercall(TRIAD_HC_SAFE_MODE_EXIT, exit_ack, VEHICLE_SAFE, 0);
            printk("kernel: safe-mode exit with the earlier entry's ack returned %ld\n", (long)r);
        }
        return;
    }
    if (tries >= EXIT_TRIES)
        return;
    tries++;
    int64_t r = hypercall(TRIAD_HC_SAFE_MODE_EXIT, info->safe_tsc, VEHICLE_SAFE, 0);
    if (r == TRIAD_E_BUSY && tries < EXIT_TRIES)
        return;                    /* the safe command has not held long enough yet */
    printk("kernel: safe-mode exit returned %ld after %u tries\n", (long)r, tries);
    if (r == 0) {
        left = 1u;
        exit_ack = info->safe_tsc;
    } else {
        tries = EXIT_TRIES;        /* any other answer is final: asked no more */
    }
}

void safe_watch_tick(void)
{
    static struct triad_hc_info info;                  /* the kernel image is mapped 1:1 */
    static struct triad_fault_record recs[8];
    if (!watching || (seen && !asking))
        return;
    if (hypercall(TRIAD_HC_SANDBOX_INFO, (uint64_t)(uintptr_t)&info, sizeof info, 0) < (int64_t)sizeof info)
        return;
    if (seen) {
        safe_exit_tick(&info);
        return;
    }
    if (info.system_state != TRIAD_SYSTEM_SAFE_MODE)
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
    if (asking) {
        r = hypercall(TRIAD_HC_SAFE_MODE_EXIT, info.safe_tsc + 1u, VEHICLE_SAFE, 0);
        printk("kernel: safe-mode exit with a stale ack returned %ld\n", (long)r);
        if (r == TRIAD_E_PERM) {
            tries = EXIT_TRIES;    /* not the sandbox the description names: it may never ask */
            return;
        }
        r = hypercall(TRIAD_HC_SAFE_MODE_EXIT, info.safe_tsc, TRIAD_VEHICLE_ON_GROUND, 0);
        printk("kernel: safe-mode exit with the vehicle armed returned %ld\n", (long)r);
    }
}
