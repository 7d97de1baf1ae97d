/* VM exits over a channel run, by reason (chan_exits.h). */
#include "chan_exits.h"
#include "../arch/x86_64/hypercall.h"
#include "../kernel/printk.h"
#include "../kernel/string.h"

/* Short names, in the order of enum triad_exit_counter. */
static const char *const reason_name[TRIAD_EXIT_COUNTER_COUNT] = {
    "exception", "cpuid", "vmcall", "io", "ept-violation", "xsetbv", "rdmsr", "wrmsr",
    "cr-access", "vmx-instruction", "triple-fault", "nmi", "ept-misconfig", "preemption-timer",
    "other",
};

void chan_exits_snapshot(struct chan_exits *s)
{
    /* Asking whether the monitor is there costs two CPUID exits, and the
     * first hypercall of this file one more: only the first snapshot pays
     * them, before its counters are read, so they never fall between two
     * snapshots. */
    static int present = -1;
    struct triad_hc_exit_counters c;
    memset(s, 0, sizeof *s);
    if (present < 0)
        present = triad_monitor_present();
    if (!present
        || hypercall(TRIAD_HC_EXIT_COUNTERS, TRIAD_HC_SELF, (uint64_t)(uintptr_t)&c, sizeof c) < 0)
        return;
    for (unsigned i = 0; i < TRIAD_EXIT_COUNTER_COUNT; i++)
        s->count[i] = c.count[i];
    s->have = 1;
}

uint64_t chan_exits_of(const struct chan_exits *a, const struct chan_exits *b, unsigned reason)
{
    if (!a->have || !b->have || reason >= TRIAD_EXIT_COUNTER_COUNT)
        return 0;
    uint64_t n = b->count[reason] - a->count[reason];
    return reason == TRIAD_EXIT_VMCALL && n > 0 ? n - 1 : n;
}

long chan_exits_between(const struct chan_exits *a, const struct chan_exits *b, char *out, size_t size)
{
    if (!a->have || !b->have) {
        snprintk(out, size, "unknown");
        return -1;
    }
    uint64_t total = 0;
    for (unsigned i = 0; i < TRIAD_EXIT_COUNTER_COUNT; i++)
        total += chan_exits_of(a, b, i);
    size_t used = (size_t)snprintk(out, size, "%lu (", (unsigned long)total);
    int first = 1;
    for (unsigned i = 0; i < TRIAD_EXIT_COUNTER_COUNT && used < size; i++) {
        uint64_t n = chan_exits_of(a, b, i);
        if (n == 0)
            continue;
        used += (size_t)snprintk(out + used, size - used, "%s%s %lu", first ? "" : ", ", reason_name[i],
                                 (unsigned long)n);
        first = 0;
    }
    if (used < size)
        snprintk(out + used, size - used, "%s)", first ? "none" : "");
    return (long)total;
}
