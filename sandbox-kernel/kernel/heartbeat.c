#include "heartbeat.h"
#include "cmdline.h"
#include "printk.h"
#include "time.h"
#include "safe_watch.h"
#include "fault_selftest.h"
#include "../sched/sched.h"

static uint64_t period_ns;

static void heartbeat(void *arg)
{
    (void)arg;
    uint64_t next = now_ns();
    for (uint64_t n = 1;; n++) {
        next += period_ns;
        thread_sleep_until(next);
        printk("kernel: alive %lu\n", (unsigned long)n);
        safe_watch_tick();
        fault_selftest_late_tick(n);
    }
}

void heartbeat_start(const char *cmdline)
{
    uint64_t ms;
    int r = cmdline_get_u64(cmdline, "triad.heartbeat", 0, &ms);
    if (r == 0)
        return;
    if (r < 0 || ms == 0 || ms > 3600000) {
        printk("kernel: bad triad.heartbeat value ignored\n");
        return;
    }
    period_ns = ms * 1000000;
    safe_watch_configure(cmdline);
    if (!thread_create("heartbeat", heartbeat, 0, vcpu_best_effort()))
        printk("kernel: no thread slot for the heartbeat\n");
}
