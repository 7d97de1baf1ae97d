/*
 * Channel scenarios for the Bochs system tests (see chan_selftest.h).  They
 * use the same shmcomm API as programs; only the platform differs.
 */
#include "chan_selftest.h"
#include "chan_platform.h"
#include "chan_bench.h"
#include "chan_exits.h"
#include "../kernel/cmdline.h"
#include "../kernel/console.h"
#include "../kernel/printk.h"
#include "../kernel/string.h"
#include "../arch/x86_64/trap.h"
#include "../sched/sched.h"

#define OPEN_TRIES 2000             /* x 1 ms: how long a reader waits for its writer */

static char words[200];

/* FIFO test message: a sequence number and its complement (a torn or
 * misplaced message cannot satisfy both). */
struct fifo_msg {
    uint32_t seq;
    uint32_t check;
};

/* Readers open once the writer has created the channel; until then the
 * header is not valid (SHMCOMM_ERR_CONFIG/CORRUPT) and they retry. */
static int open_reader(uint32_t key, size_t size, shmcomm_channel_t *ch)
{
    int r = SHMCOMM_ERR_CONFIG;
    for (int i = 0; i < OPEN_TRIES; i++) {
        r = kchan_open_receive(key, SHMCOMM_CONNECT_CH, size, -1, ch);
        if (r == SHMCOMM_OK || r == SHMCOMM_ERR_KEY || r == SHMCOMM_ERR_SIZE)
            return r;
        thread_sleep_ns(1000000);
    }
    return r;
}

static void sdk_send(uint32_t key)
{
    shmcomm_channel_t ch;
    int r = kchan_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, sizeof(int), -1, &ch);
    if (r != SHMCOMM_OK) {
        printk("chan: sdk open_send(%u) failed: %s\n", key, shmcomm_strerror(r));
        return;
    }
    int x = 10;
    r = shmcomm_write(ch, &x, sizeof x);
    printk("chan: sdk sent X = %d on channel %u (%d bytes)\n", x, key, r);
    shmcomm_close(ch);
}

static void sdk_recv(uint32_t key)
{
    shmcomm_channel_t ch;
    int r = open_reader(key, sizeof(int), &ch);
    if (r != SHMCOMM_OK) {
        printk("chan: sdk open_receive(%u) failed: %s\n", key, shmcomm_strerror(r));
        return;
    }
    int x = 0;
    struct shmcomm_msg_info info = {0, 0};
    r = shmcomm_read_timeout(ch, &x, sizeof x, 5000000000ull, &info);
    if (r < 0)
        printk("chan: sdk read failed: %s\n", shmcomm_strerror(r));
    else
        printk("chan: sdk received X = %d on channel %u (seq %lu, %lu ns after it was sent)\n", x, key,
               (unsigned long)info.seq, (unsigned long)(chan_now_ns() - info.timestamp));
    shmcomm_close(ch);
}

/* The VM exits of this core over a run, by reason: channels cost none. */
static void report_exits(const char *what, const struct chan_exits *a, const struct chan_exits *b)
{
    char text[160];
    chan_exits_between(a, b, text, sizeof text);
    printk("chan: %s VM exits on this core during the run: %s\n", what, text);
}

static void fifo_send(uint32_t key, uint32_t n)
{
    shmcomm_channel_t ch;
    int r = kchan_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, sizeof(struct fifo_msg), -1, &ch);
    if (r == SHMCOMM_ERR_DEPTH || r == SHMCOMM_ERR_CONFIG) {
        const struct triad_boot_channel *c = chan_boot_find(&chan_boot_info, key);
        r = c ? kchan_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, sizeof(struct fifo_msg),
                                (int)c->depth, &ch) : r;
    }
    if (r != SHMCOMM_OK) {
        printk("chan: fifo open_send(%u) failed: %s\n", key, shmcomm_strerror(r));
        return;
    }
    struct chan_exits e0, e1;
    chan_exits_snapshot(&e0);
    uint64_t t0 = chan_now_ns();
    for (uint32_t i = 1; i <= n; i++) {
        struct fifo_msg m = { i, ~i };
        r = shmcomm_write(ch, &m, sizeof m);
        if (r < 0) {
            printk("chan: fifo write %u failed: %s\n", i, shmcomm_strerror(r));
            return;
        }
    }
    uint64_t t1 = chan_now_ns();
    chan_exits_snapshot(&e1);
    printk("chan: fifo sent %u messages on channel %u in %lu ns\n", n, key, (unsigned long)(t1 - t0));
    report_exits("fifo-send", &e0, &e1);
    shmcomm_close(ch);
}

static void fifo_recv(uint32_t key, uint32_t n)
{
    shmcomm_channel_t ch;
    int r = open_reader(key, sizeof(struct fifo_msg), &ch);
    if (r != SHMCOMM_OK) {
        printk("chan: fifo open_receive(%u) failed: %s\n", key, shmcomm_strerror(r));
        return;
    }
    uint32_t expect = 1, out_of_order = 0, torn = 0, errors = 0;
    struct chan_exits e0, e1;
    e0.have = 0;
    uint64_t t0 = chan_now_ns();
    for (uint32_t got = 0; got < n; got++) {
        struct fifo_msg m;
        struct shmcomm_msg_info info;
        r = shmcomm_read_timeout(ch, &m, sizeof m, 5000000000ull, &info);
        if (r != (int)sizeof m) {
            printk("chan: fifo read after %u messages failed: %s\n", got, shmcomm_strerror(r));
            errors++;
            break;
        }
        if (m.check != ~m.seq || info.seq != m.seq)
            torn++;
        if (m.seq != expect)
            out_of_order++;
        expect = m.seq + 1;
        if (got == 0)
            chan_exits_snapshot(&e0);   /* from the first message: waiting for the writer is not the run */
    }
    chan_exits_snapshot(&e1);
    uint32_t received = expect - 1;
    printk("chan: fifo received %u of %u messages on channel %u: %u out of order, %u torn, %u errors, last seq %u, %lu ns\n",
           received, n, key, out_of_order, torn, errors, expect - 1, (unsigned long)(chan_now_ns() - t0));
    report_exits("fifo-recv", &e0, &e1);
    shmcomm_close(ch);
}

static void guard_send(uint32_t key)
{
    shmcomm_channel_t ch;
    int r = kchan_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, sizeof(uint64_t), -1, &ch);
    if (r != SHMCOMM_OK) {
        printk("chan: guard open_send(%u) failed: %s\n", key, shmcomm_strerror(r));
        return;
    }
    for (uint64_t i = 1;; i++) {
        r = shmcomm_write(ch, &i, sizeof i);
        if (r < 0)
            printk("chan: guard write %lu: %s\n", (unsigned long)i, shmcomm_strerror(r));
        if (i % 100 == 0)
            printk("chan: guard wrote %lu messages on channel %u, faulty readers %x\n", (unsigned long)i,
                   key, shmcomm_faulty_readers(ch));
        thread_sleep_ns(1000000);
    }
}

/* A reader writing into the writer's area: EPT makes it read-only for us,
 * so the monitor must stop this store (fault record naming us). */
static void rogue(uint32_t key)
{
    shmcomm_channel_t ch;
    int r = open_reader(key, sizeof(uint64_t), &ch);
    const struct triad_boot_channel *c = chan_boot_find(&chan_boot_info, key);
    if (r != SHMCOMM_OK || !c) {
        printk("chan: rogue open_receive(%u) failed: %s\n", key, shmcomm_strerror(r));
        return;
    }
    uint64_t v = 0;
    r = shmcomm_read_timeout(ch, &v, sizeof v, 2000000000ull, 0);
    printk("chan: rogue read %lu from channel %u (%d)\n", (unsigned long)v, key, r);
    uint64_t addr = c->writer_gpa + 64;       /* past the header: the first four-slot control */
    printk("chan: rogue writing to %lx in the writer's page of channel %u\n", (unsigned long)addr, key);
    console_flush();    /* the monitor halts this sandbox at the write: the queued lines first */
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, trap_recover_rip(%%rip)\n\t"
                     "movq $0x524f475545, %%rax\n\t"
                     "movq %%rax, (%0)\n"
                     "1: movq $0, trap_recover_rip(%%rip)"
                     : : "r"(addr) : "rax", "memory");
    printk("chan: rogue write returned: the page was writable (protection broken)\n");
}

static void badkey(uint32_t key)
{
    shmcomm_channel_t ch;
    int r = kchan_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, 8, -1, &ch);
    printk("chan: create of undeclared key %u: %d (%s), monitor answered %ld\n", key, r,
           shmcomm_strerror(r), (long)chan_platform_last_hypercall());
    if (r == SHMCOMM_OK)
        shmcomm_close(ch);
    r = kchan_open_receive(key, SHMCOMM_CONNECT_CH, 8, -1, &ch);
    printk("chan: connect to undeclared key %u: %d (%s)\n", key, r, shmcomm_strerror(r));
    if (r == SHMCOMM_OK)
        shmcomm_close(ch);
}

/* "name:a:b:c" -> up to three numbers after the name; returns how many. */
static int split(const char *w, char *name, size_t cap, uint64_t *nums)
{
    size_t i = 0;
    for (; w[i] && w[i] != ':' && i + 1 < cap; i++)
        name[i] = w[i];
    name[i] = 0;
    int k = 0;
    while (w[i] == ':' && k < 3) {
        i++;
        uint64_t v = 0;
        int digits = 0;
        for (; w[i] >= '0' && w[i] <= '9' && digits < 10; i++, digits++)
            v = v * 10 + (uint64_t)(w[i] - '0');
        if (!digits)
            return -1;
        nums[k++] = v;
    }
    return w[i] ? -1 : k;
}

static void run(void *arg)
{
    (void)arg;
    const char *p = words;
    char w[48];
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != ',')
            n++;
        if (n < sizeof w) {
            memcpy(w, p, n);
            w[n] = 0;
        } else {
            w[0] = 0;
        }
        p += p[n] ? n + 1 : n;
        char name[16];
        uint64_t a[3] = {0, 0, 0};
        int k = split(w, name, sizeof name, a);
        uint32_t key = (uint32_t)a[0];
        if (k >= 1 && strcmp(name, "sdk-send") == 0)
            sdk_send(key);
        else if (k >= 1 && strcmp(name, "sdk-recv") == 0)
            sdk_recv(key);
        else if (k >= 2 && strcmp(name, "fifo-send") == 0)
            fifo_send(key, (uint32_t)a[1]);
        else if (k >= 2 && strcmp(name, "fifo-recv") == 0)
            fifo_recv(key, (uint32_t)a[1]);
        else if (k >= 1 && strcmp(name, "guard-send") == 0)
            guard_send(key);
        else if (k >= 1 && strcmp(name, "rogue") == 0)
            rogue(key);
        else if (k >= 1 && strcmp(name, "badkey") == 0)
            badkey(key);
        else if (k >= 2 && strcmp(name, "bench-send") == 0)
            chan_bench_send(key, (uint32_t)a[1], (uint32_t)a[2]);
        else if (k >= 3 && strcmp(name, "bench-recv") == 0)
            chan_bench_recv(key, (uint32_t)a[1], (uint32_t)a[2]);
        else
            printk("chan: unknown scenario '%s' ignored\n", w);
    }
    printk("chan: scenarios done\n");
    thread_exit(0);
}

void chan_selftest_start(const char *cmdline)
{
    if (!cmdline_get(cmdline, "triad.chan", words, sizeof words))
        return;
    if (!thread_create("chan-test", run, 0, vcpu_best_effort()))
        printk("chan: no thread for the scenarios\n");
}
