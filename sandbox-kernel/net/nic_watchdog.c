/*
 * Local NIC driver recovery (issue 9).  The watchdog thread runs on the
 * best-effort VCPU, samples the device (e1000_health: register reads, no
 * side effects) every NIC_WD_PERIOD_NS and asks recovery/driver_watchdog.c
 * for a verdict.  On a bad one it asks the driver to re-initialise
 * (e1000_reset: the driver thread resets the device, rebuilds the rings and
 * reports the link down and up to lwIP, which keeps its sockets and
 * addresses), waits for it, and logs, with TSC times (instructions in
 * Bochs):
 *   net: HEALTH t=<tsc> driver=e1000 verdict=<v> action=recover-driver-local
 *   net: RECOVERY driver=e1000 local n=<k> t=<tsc> detect= reinit= netif= total= total_us=
 *   net: RECOVERY driver=e1000 local n=<k> first frame sent after=<ticks> (<us> us)
 * detect: the verdict's sample to the request; reinit: device reset and
 * rings; netif: link down/up through lwIP; total: sample to done.
 */
#include "nic_watchdog.h"
#include "drivers/net/e1000.h"
#include "kernel/printk.h"
#include "kernel/cmdline.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "../../recovery/driver_watchdog.h"

#define NIC_WD_PERIOD_NS   5000000ull    /* 5 ms between samples */
#define NIC_WD_STALL_NS    20000000ull   /* a transmit ring stuck for 20 ms */
#define NIC_WD_WAIT_NS     1000000ull    /* poll for the reset's completion */
#define NIC_WD_WAIT_MAX    200u          /* at most 200 ms for one reset */
#define NIC_WD_FIRST_MAX   1000u         /* at most 1 s for the first frame after */

static uint64_t wedge_at_ms;              /* 0: no fault injected */
static uint64_t wild_at_ms;               /* 0: no wild write injected */

/* triad.test_nic=wild@<ms> (remote driver recovery's test): the driver side
   writes outside its sandbox's RAM, as a corrupted DMA or descriptor address
   would make it; under the monitor that is an EPT violation of this
   sandbox, whose health table decides (recover_driver_remote: the NIC goes
   to the standby and this sandbox restarts). */
#define NIC_WILD_GPA 0x3FF00000ull        /* 1 GiB - 1 MiB: past any sandbox RAM, below the channel window */

static void wild_write(void)
{
    struct e1000_stats st;
    e1000_get_stats(&st);
    printk("net: test: driver writes outside its RAM at %lx, tx frames %lu\n", (unsigned long)NIC_WILD_GPA,
           (unsigned long)st.tx_frames);
    if (!paging_kernel_map(NIC_WILD_GPA)) {
        printk("net: test: %lx cannot be mapped: no fault injected\n", (unsigned long)NIC_WILD_GPA);
        return;
    }
    *(volatile uint64_t *)(uintptr_t)NIC_WILD_GPA = 0x5452494144ull;
    printk("net: test: the wild write was not stopped (no monitor?)\n");
}

static uint64_t ticks_to_us(uint64_t ticks)
{
    return tsc_hz ? ticks * 1000000ull / tsc_hz : 0;
}

static void recover(enum drv_wd_verdict v, uint64_t sampled, unsigned n)
{
    printk("net: HEALTH t=%lu driver=e1000 verdict=%s action=recover-driver-local\n", (unsigned long)sampled,
           drv_wd_name(v));
    struct e1000_stats before, after;
    e1000_get_stats(&before);
    const uint64_t asked = rdtsc();
    if (e1000_reset() != 0) {
        printk("net: RECOVERY driver=e1000 local n=%u refused: no device\n", n);
        return;
    }
    unsigned waited = 0;
    do {
        thread_sleep_ns(NIC_WD_WAIT_NS);
        e1000_get_stats(&after);
    } while (after.resets == before.resets && ++waited < NIC_WD_WAIT_MAX);
    const uint64_t done = rdtsc();
    if (after.resets == before.resets) {
        printk("net: RECOVERY driver=e1000 local n=%u failed: no reset within %u ms\n", n, NIC_WD_WAIT_MAX);
        return;
    }
    printk("net: RECOVERY driver=e1000 local n=%u t=%lu detect=%lu reinit=%lu netif=%lu total=%lu total_us=%lu\n", n,
           (unsigned long)done, (unsigned long)(asked - sampled), (unsigned long)after.reset_hw_ticks,
           (unsigned long)after.reset_netif_ticks, (unsigned long)(done - sampled),
           (unsigned long)ticks_to_us(done - sampled));
    /* service back: the next frame the device takes after the reset */
    const uint64_t frames = after.tx_frames;
    for (unsigned i = 0; i < NIC_WD_FIRST_MAX; i++) {
        e1000_get_stats(&after);
        if (after.tx_frames != frames) {
            const uint64_t t = rdtsc() - sampled;
            printk("net: RECOVERY driver=e1000 local n=%u first frame sent after=%lu (%lu us)\n", n,
                   (unsigned long)t, (unsigned long)ticks_to_us(t));
            return;
        }
        thread_sleep_ns(NIC_WD_WAIT_NS);
    }
    printk("net: RECOVERY driver=e1000 local n=%u no frame sent within %u ms\n", n, NIC_WD_FIRST_MAX);
}

static void watchdog_thread(void *arg)
{
    (void)arg;
    const uint64_t start = rdtsc();
    struct drv_wd wd;
    drv_wd_init(&wd, tsc_hz ? NIC_WD_STALL_NS * tsc_hz / 1000000000ull : 0);
    unsigned recoveries = 0;
    for (;;) {
        thread_sleep_ns(NIC_WD_PERIOD_NS);
        if (wild_at_ms && tsc_hz && rdtsc() - start >= wild_at_ms * (tsc_hz / 1000)) {
            wild_at_ms = 0;
            wild_write();
        }
        if (wedge_at_ms && tsc_hz && rdtsc() - start >= wedge_at_ms * (tsc_hz / 1000)) {
            wedge_at_ms = 0;
            struct e1000_stats st;
            e1000_get_stats(&st);
            printk("net: test: e1000 wedged (receiver and transmitter disabled behind the driver), tx frames %lu\n",
                   (unsigned long)st.tx_frames);
            e1000_inject_wedge();
        }
        struct drv_wd_sample s;
        e1000_health(&s);
        const enum drv_wd_verdict v = drv_wd_step(&wd, &s);
        if (v == DRV_WD_OK)
            continue;
        recover(v, s.now, ++recoveries);
        drv_wd_init(&wd, wd.stall_limit);
    }
}

void nic_watchdog_start(const char *cmdline)
{
    /* triad.test_nic=wedge@<ms>[,wild@<ms>] (either or both, comma-separated) */
    char v[40];
    if (cmdline_get(cmdline, "triad.test_nic", v, sizeof v)) {
        char *tok = v;
        while (tok && *tok) {
            char *comma = tok;
            while (*comma && *comma != ',')
                comma++;
            const int more = *comma == ',';
            *comma = 0;
            uint64_t ms = 0;
            if (tok[0] == 'w' && tok[1] == 'e' && tok[2] == 'd' && tok[3] == 'g' && tok[4] == 'e' && tok[5] == '@' &&
                parse_u64(tok + 6, 0, &ms) == 1 && ms > 0)
                wedge_at_ms = ms;
            else if (tok[0] == 'w' && tok[1] == 'i' && tok[2] == 'l' && tok[3] == 'd' && tok[4] == '@' &&
                     parse_u64(tok + 5, 0, &ms) == 1 && ms > 0)
                wild_at_ms = ms;
            else
                printk("net: triad.test_nic '%s' not understood (wedge@<ms> or wild@<ms>): not injected\n", tok);
            tok = more ? comma + 1 : 0;
        }
    }
    if (!thread_create("nic-wd", watchdog_thread, 0, vcpu_best_effort()))
        printk("net: NIC watchdog not started (no thread)\n");
}
