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
 *
 * Test options (triad.test_nic=, comma-separated): wedge@<ms> (the watchdog's
 * case), wild@<ms> (the driver writes outside its RAM), wildout@<ms> (the
 * same write from code outside the driver, net.c; first boot only: its
 * fallback restarts the sandbox), again (after a restart: the recovery
 * faults again before done), noupcall (nothing registered).
 *
 * Monitor-applied local recovery: the driver's code (this file and the
 * e1000 driver, kept together by kernel.ld) is registered with the monitor
 * (TRIAD_HC_DRIVER_RECOVERY) with the #VE vector.  A fault of the driver
 * that the monitor stops (an EPT violation, for which the health table says
 * recover_driver_local) comes back as that exception where the faulting
 * instruction was; its handler does not return there: the faulting thread
 * continues in drv_upcall_recover, which re-initialises the driver, tells
 * the monitor it is done, starts a fresh watchdog thread and exits:
 *   net: HEALTH t=<tsc> driver=e1000 verdict=fault action=recover-driver-local
 *   net: RECOVERY driver=e1000 upcall n=<k> gpa=<a> rip=<r> t=<tsc> upcall=<tsc> reinit= netif= total= total_us=
 */
#include "nic_watchdog.h"
#include "drivers/net/e1000.h"
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/hypercall.h"
#include "../../recovery/driver_watchdog.h"
#include "../../monitor/abi/hypercall.h"

#define NIC_WD_PERIOD_NS   5000000ull    /* 5 ms between samples */
#define NIC_WD_STALL_NS    20000000ull   /* a transmit ring stuck for 20 ms */
#define NIC_WD_WAIT_NS     1000000ull    /* poll for the reset's completion */
#define NIC_WD_WAIT_MAX    200u          /* at most 200 ms for one reset */
#define NIC_WD_FIRST_MAX   1000u         /* at most 1 s for the first frame after */

static uint64_t wedge_at_ms;              /* 0: no fault injected */
static uint64_t wild_at_ms;               /* 0: no wild write injected */
static uint64_t wildout_at_ms;            /* 0: no wild write from outside the driver's code */
static int fault_in_recovery;             /* triad.test_nic=again (after a restart): the recovery faults too */
static int no_upcall;                     /* triad.test_nic=noupcall: nothing registered */
static unsigned upcall_recoveries;
static volatile uint64_t upcall_tsc, upcall_rip;   /* the #VE handler's entry and the faulting RIP */

extern const char __driver_text_start[], __driver_text_end[];
static void watchdog_thread(void *arg);
static uint64_t first_start;              /* the first watchdog thread's start */

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
    console_flush();    /* the monitor stops this sandbox at the write: the queued lines first */
    *(volatile uint64_t *)(uintptr_t)NIC_WILD_GPA = 0x5452494144ull;
    printk("net: test: the wild write was not stopped (no monitor?)\n");
}

static uint64_t ticks_to_us(uint64_t ticks)
{
    return tsc_hz ? ticks * 1000000ull / tsc_hz : 0;
}

/* Waits for the driver thread to finish the reset e1000_reset asked for
   (its reset count moves): 0, or -1 after NIC_WD_WAIT_MAX ms. */
static int wait_reset(const struct e1000_stats *before, struct e1000_stats *after)
{
    unsigned waited = 0;
    do {
        thread_sleep_ns(NIC_WD_WAIT_NS);
        e1000_get_stats(after);
    } while (after->resets == before->resets && ++waited < NIC_WD_WAIT_MAX);
    return after->resets == before->resets ? -1 : 0;
}

/* Service back: the next frame the device takes after the reset. */
static void first_frame(const char *how, unsigned n, uint64_t frames, uint64_t since)
{
    struct e1000_stats after;
    for (unsigned i = 0; i < NIC_WD_FIRST_MAX; i++) {
        e1000_get_stats(&after);
        if (after.tx_frames != frames) {
            const uint64_t t = rdtsc() - since;
            printk("net: RECOVERY driver=e1000 %s n=%u first frame sent after=%lu (%lu us)\n", how, n,
                   (unsigned long)t, (unsigned long)ticks_to_us(t));
            return;
        }
        thread_sleep_ns(NIC_WD_WAIT_NS);
    }
    printk("net: RECOVERY driver=e1000 %s n=%u no frame sent within %u ms\n", how, n, NIC_WD_FIRST_MAX);
}

/* Where the faulting driver thread goes on after the #VE (never back to
   the faulting instruction): re-initialise the driver, tell the monitor,
   replace itself by a fresh watchdog thread. */
__attribute__((noreturn)) static void drv_upcall_recover(void)
{
    const unsigned n = ++upcall_recoveries;
    const uint64_t entered = upcall_tsc;
    if (fault_in_recovery) {
        fault_in_recovery = 0;
        printk("net: test: the driver faults again during its recovery\n");
        wild_write();        /* the monitor escalates: this sandbox stops here */
    }
    struct e1000_stats before, after;
    e1000_get_stats(&before);
    if (e1000_reset() != 0 || wait_reset(&before, &after) != 0) {
        printk("net: RECOVERY driver=e1000 upcall n=%u failed: no reset\n", n);
        (void)hypercall(TRIAD_HC_DRIVER_RECOVERY, TRIAD_DRV_DONE, 0, 0);
        thread_exit(1);
    }
    const uint64_t done = rdtsc();    /* re-initialised, interface up: the done call's own line not counted */
    const int64_t gpa = hypercall(TRIAD_HC_DRIVER_RECOVERY, TRIAD_DRV_DONE, 0, 0);
    printk("net: HEALTH t=%lu driver=e1000 verdict=fault action=recover-driver-local\n", (unsigned long)entered);
    printk("net: RECOVERY driver=e1000 upcall n=%u gpa=%lx rip=%lx t=%lu upcall=%lu reinit=%lu netif=%lu total=%lu "
           "total_us=%lu\n", n, (unsigned long)gpa, (unsigned long)upcall_rip, (unsigned long)done,
           (unsigned long)entered, (unsigned long)after.reset_hw_ticks, (unsigned long)after.reset_netif_ticks,
           (unsigned long)(done - entered), (unsigned long)ticks_to_us(done - entered));
    if (!thread_create("nic-wd", watchdog_thread, 0, vcpu_best_effort()))
        printk("net: NIC watchdog not restarted (no thread)\n");
    first_frame("upcall", n, after.tx_frames, entered);
    thread_exit(0);
}

/* The #VE the monitor injects for a driver fault.  Only kernel-mode driver
   code is registered, so the frame is the faulting driver thread's: it
   resumes in drv_upcall_recover on its own stack, below the faulting
   frame, aligned as after a call. */
static void drv_upcall_vector(struct trap_frame *f)
{
    upcall_tsc = rdtsc();
    upcall_rip = f->rip;
    if (frame_from_user(f) || f->rip < (uint64_t)(uintptr_t)__driver_text_start ||
        f->rip >= (uint64_t)(uintptr_t)__driver_text_end) {
        printk("kernel: #VE at rip %lx outside the driver: not a driver recovery\n", (unsigned long)f->rip);
        return;      /* re-executes the faulting instruction: the monitor escalates */
    }
    f->rip = (uint64_t)(uintptr_t)drv_upcall_recover;
    f->rsp = ((f->rsp - 512u) & ~0xFull) - 8u;
}

/* Registers the driver's code and the upcall's vector with the monitor. */
static void drv_upcall_register(void)
{
    if (no_upcall || !triad_monitor_present()) {
        printk("net: driver recovery upcall not registered%s\n", no_upcall ? " (test: noupcall)" : " (no monitor)");
        return;
    }
    trap_set_handler(TRIAD_DRV_VECTOR, drv_upcall_vector);
    const uint64_t lo = (uint64_t)(uintptr_t)__driver_text_start, hi = (uint64_t)(uintptr_t)__driver_text_end;
    const int64_t r = hypercall(TRIAD_HC_DRIVER_RECOVERY, TRIAD_DRV_REGISTER | (TRIAD_DRV_VECTOR << 8), lo, hi);
    if (r == 0)
        printk("net: driver recovery upcall registered: vector %u, code %lx-%lx\n", TRIAD_DRV_VECTOR,
               (unsigned long)lo, (unsigned long)hi);
    else
        printk("net: driver recovery upcall refused by the monitor (%ld): a driver fault restarts the sandbox\n",
               (long)r);
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
    if (!first_start)
        first_start = start;
    struct drv_wd wd;
    drv_wd_init(&wd, tsc_hz ? NIC_WD_STALL_NS * tsc_hz / 1000000000ull : 0);
    unsigned recoveries = 0;
    for (;;) {
        thread_sleep_ns(NIC_WD_PERIOD_NS);
        if (wild_at_ms && tsc_hz && rdtsc() - start >= wild_at_ms * (tsc_hz / 1000)) {
            wild_at_ms = 0;
            wild_write();
        }
        /* timed from the first watchdog thread's start (a local recovery
           replaces the thread) */
        if (wildout_at_ms && tsc_hz && rdtsc() - first_start >= wildout_at_ms * (tsc_hz / 1000)) {
            wildout_at_ms = 0;
            net_test_write_outside_driver(NIC_WILD_GPA);
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
    char v[40], n[12];
    const int restarted = cmdline_get(cmdline, "triad.restart", n, sizeof n) != 0;   /* added by the monitor */
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
            else if (!strncmp(tok, "wildout@", 8) && parse_u64(tok + 8, 0, &ms) == 1 && ms > 0)
                wildout_at_ms = restarted ? 0 : ms;     /* first boot only: it restarts the sandbox */
            else if (!strcmp(tok, "again"))
                fault_in_recovery = restarted;          /* after a restart only */
            else if (!strcmp(tok, "noupcall"))
                no_upcall = 1;
            else
                printk("net: triad.test_nic '%s' not understood (wedge@<ms>, wild@<ms>, wildout@<ms>, again or "
                       "noupcall): not injected\n", tok);
            tok = more ? comma + 1 : 0;
        }
    }
    drv_upcall_register();
    if (!thread_create("nic-wd", watchdog_thread, 0, vcpu_best_effort()))
        printk("net: NIC watchdog not started (no thread)\n");
}
