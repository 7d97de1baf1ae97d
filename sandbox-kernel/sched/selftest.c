/*
 * In-kernel scheduler scenarios selected by `triad.selftest=<name>`; each
 * prints what it measured (virtual time under QEMU -icount, so the numbers
 * repeat) and ends the run with TRIAD-EXIT.  System tests assert on them.
 *
 * sched: admission control accepts a VCPU set under the utilization bound
 *        and refuses one over it; then for one virtual second a CPU hog on a
 *        Main VCPU (C = 20 ms, T = 100 ms) competes with a best-effort
 *        spinner while a periodic task (1 ms of work every 10 ms, on a
 *        C = 2 ms, T = 10 ms VCPU) must meet every deadline; an I/O VCPU
 *        (PIBS, U = 10%) serves a stream of requests and must stay within
 *        its bandwidth.
 */
#include "selftest.h"
#include "sched.h"
#include "sync.h"
#include "../kernel/cmdline.h"
#include "../kernel/printk.h"
#include "../kernel/string.h"
#include "../kernel/time.h"
#include "../kernel/panic.h"
#include "../kernel/pmem.h"

#define MS 1000000ull

static volatile int stop;
static volatile unsigned periodic_releases, periodic_misses;
static volatile uint64_t periodic_worst_response;
static uint64_t periodic_start;
static struct semaphore io_requests;
static volatile unsigned io_served;

static void spin_for(uint64_t ns)
{
    uint64_t end = now_ns() + ns;
    while (now_ns() < end)
        ;
}

static void hog(void *arg)
{
    (void)arg;
    while (!stop)
        ;
}

static void periodic(void *arg)
{
    (void)arg;
    for (uint64_t k = 1; !stop; k++) {
        uint64_t release = periodic_start + k * 10 * MS;
        thread_sleep_until(release);
        if (stop)
            break;
        spin_for(1 * MS);
        uint64_t response = now_ns() - release;
        periodic_releases++;
        if (response > 10 * MS)
            periodic_misses++;
        if (response > periodic_worst_response)
            periodic_worst_response = response;
    }
}

/* An interrupt-style handler thread on the I/O VCPU: each request costs 0.5 ms. */
static void io_server(void *arg)
{
    (void)arg;
    while (!stop) {
        sem_wait(&io_requests);
        if (stop)
            break;
        spin_for(MS / 2);
        io_served++;
    }
}

static int make_main(uint64_t C_ms, uint64_t T_ms)
{
    struct vcpu_params p = { .type = VCPU_MAIN, .C_us = C_ms * 1000, .T_us = T_ms * 1000 };
    return vcpu_create(&p);
}

static unsigned failures;

static void expect(int cond, const char *what)
{
    printk("sched: %s: %s\n", cond ? "ok" : "FAILED", what);
    if (!cond)
        failures++;
}

static void admission_scenario(void)
{
    uint64_t load0 = vcpu_load_ppb();
    int a = make_main(20, 100);
    int b = make_main(10, 50);
    struct vcpu_params io = { .type = VCPU_IO, .U_ppm = 100000 };
    int c = vcpu_create(&io);
    printk("sched: admission: main 20/100 -> %d, main 10/50 -> %d, io 10%% -> %d, load %lu ppb\n",
           a, b, c, (unsigned long)vcpu_load_ppb());
    expect(a > 0 && b > 0 && c > 0, "a set under the bound (0.59 <= 0.7798) is admitted");
    int d = make_main(40, 100);
    printk("sched: admission: main 40/100 over the bound -> %d, load %lu ppb\n", d, (unsigned long)vcpu_load_ppb());
    expect(d == -E_BUSY, "a VCPU taking the set over the bound is refused");
    int e = make_main(10, 100);
    printk("sched: admission: main 10/100 -> %d, load %lu ppb\n", e, (unsigned long)vcpu_load_ppb());
    expect(e > 0, "a smaller VCPU that keeps the set under the bound is admitted");
    struct vcpu_params bad[] = {
        { .type = VCPU_MAIN, .C_us = 200, .T_us = 100 },
        { .type = VCPU_MAIN, .C_us = 0, .T_us = 100 },
        { .type = 7, .C_us = 10, .T_us = 100 },
        { .type = VCPU_IO, .U_ppm = 2000000 },
    };
    int all_inval = 1;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        all_inval &= vcpu_create(&bad[i]) == -E_INVAL;
    expect(all_inval, "malformed parameters (C > T, C = 0, unknown type, U > 100%) are refused");
    struct vcpu_params up = { .type = VCPU_MAIN, .C_us = 90000, .T_us = 100000 };
    expect(vcpu_set_params(a, &up) == -E_BUSY, "raising a VCPU over the bound with setparams is refused");
    struct vcpu_params got;
    expect(vcpu_get_params(a, &got) == 0 && got.C_us == 20000 && got.T_us == 100000,
           "the refused change left the VCPU's parameters as they were");
    expect(vcpu_destroy(a) == 0 && vcpu_destroy(b) == 0 && vcpu_destroy(c) == 0 && vcpu_destroy(e) == 0,
           "VCPUs are destroyed");
    expect(vcpu_destroy(a) == -E_INVAL && vcpu_destroy(0) == -E_PERM, "destroying a missing or the best-effort VCPU fails");
    expect(vcpu_load_ppb() == load0, "the load returns to where it was: nothing leaks");
}

static void share_scenario(void)
{
    int hv = make_main(20, 100);
    int pv = make_main(2, 10);
    struct vcpu_params iop = { .type = VCPU_IO, .U_ppm = 100000 };
    int iv = vcpu_create(&iop);
    if (hv <= 0 || pv <= 0 || iv <= 0)
        panic("sched selftest: VCPUs refused");
    vcpu_io_serve(vcpu_by_id(iv), vcpu_by_id(hv));      /* serves the hog's VCPU: T = 100 ms */
    sem_init(&io_requests, 0);
    uint64_t free0 = pmem_free_pages();
    periodic_start = now_ns();
    struct thread *h = thread_create("hog", hog, 0, vcpu_by_id(hv));
    struct thread *p = thread_create("periodic", periodic, 0, vcpu_by_id(pv));
    struct thread *s = thread_create("spinner", hog, 0, vcpu_best_effort());
    struct thread *io = thread_create("io-server", io_server, 0, vcpu_by_id(iv));
    if (!h || !p || !s || !io)
        panic("sched selftest: no thread slots");
    thread_sleep_ns(50 * MS);                           /* settle: every thread has started */
    uint64_t t0 = now_ns(), hog0 = h->cpu_ns, io0 = io->cpu_ns;
    unsigned rel0 = periodic_releases, served0 = io_served;
    /* Offer the I/O VCPU far more work than 10% allows: 40 requests (20 ms) every 100 ms. */
    for (unsigned burst = 0; burst < 10; burst++) {
        for (unsigned i = 0; i < 40; i++)
            sem_post_from_irq(&io_requests);
        thread_sleep_until(t0 + (burst + 1) * 100 * MS);
    }
    uint64_t t1 = now_ns(), hog1 = h->cpu_ns, io1 = io->cpu_ns;
    unsigned releases = periodic_releases - rel0, served = io_served - served0;
    uint64_t window = t1 - t0, hog_ns = hog1 - hog0, io_ns = io1 - io0;
    unsigned share_x100 = (unsigned)(hog_ns * 10000 / window);
    unsigned io_x100 = (unsigned)(io_ns * 10000 / window);
    printk("sched: window %lu us, hog %lu us = %u.%02u%% (C = 20 ms, T = 100 ms)\n", (unsigned long)(window / 1000),
           (unsigned long)(hog_ns / 1000), share_x100 / 100, share_x100 % 100);
    printk("sched: periodic: %u releases, %u deadline misses, worst response %lu us\n", releases,
           periodic_misses, (unsigned long)(periodic_worst_response / 1000));
    printk("sched: io vcpu: %u requests served, %lu us = %u.%02u%% (U = 10%%)\n", served,
           (unsigned long)(io_ns / 1000), io_x100 / 100, io_x100 % 100);
    expect(share_x100 >= 1800 && share_x100 <= 2200, "hog receives 20% +- 2% of the core");
    expect(releases >= 99 && periodic_misses == 0, "periodic task meets every deadline");
    /* The bound is U * window plus one budget (U * T of the served VCPU,
     * 10 ms): the window does not start at a replenishment, so the budget
     * the I/O VCPU already held at t0 can be spent inside it.  A limiter
     * that did not hold would take the 20% offered.  (The former bound of
     * 10.5% failed deterministically at 10.78% under -icount after an
     * unrelated boot-time change shifted where t0 falls.) */
    const uint64_t io_bound_ns = window / 10 + 10 * MS;
    expect(io_ns <= io_bound_ns && served >= 150, "I/O VCPU stays within its 10% bandwidth and makes progress");
    stop = 1;
    sem_post(&io_requests);
    thread_sleep_ns(300 * MS);                          /* everyone sees `stop` and exits */
    expect(h->state == T_DEAD && p->state == T_DEAD && s->state == T_DEAD && io->state == T_DEAD,
           "all scenario threads exited");
    thread_release(h);
    thread_release(p);
    thread_release(s);
    thread_release(io);
    expect(vcpu_destroy(hv) == 0 && vcpu_destroy(pv) == 0 && vcpu_destroy(iv) == 0, "their VCPUs are destroyed");
    expect(pmem_free_pages() == free0, "no page leaked");
}

void selftest_run(const char *cmdline)
{
    char name[16];
    if (!cmdline_get(cmdline, "triad.selftest", name, sizeof name))
        return;
    if (strcmp(name, "sched") == 0) {
        printk("sched: selftest start\n");
        admission_scenario();
        share_scenario();
        struct sched_stats st;
        sched_get_stats(&st);
        printk("sched: %lu timer interrupts, %lu context switches\n", (unsigned long)st.timer_interrupts,
               (unsigned long)st.context_switches);
        printk("sched: selftest %s (%u failures)\n", failures ? "FAILED" : "passed", failures);
        kernel_exit(failures ? 1 : 0);
    }
    printk("kernel: unknown selftest '%s'\n", name);
}
