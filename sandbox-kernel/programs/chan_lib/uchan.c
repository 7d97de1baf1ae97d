/*
 * User-side shmcomm platform (uchan.h).
 *
 * lookup maps the channel through TRIAD_SYS_CHAN_MAP and hands the library
 * the user addresses the kernel chose; the library then checks the grant
 * against the layout as it does in the kernel.  now_ns reads the TSC and
 * converts it with the rate the kernel got from the monitor, so timestamps
 * compare across sandboxes without a system call per message.  wait polls
 * with sched_yield a few times, then sleeps with the backoff of
 * channels/shmcomm_backoff.h, so a blocked program does not spend its
 * VCPU's budget polling.
 */
#include "uchan.h"
#include "../../../channels/shmcomm_backoff.h"
#include "../lib/triad.h"

#define SYS_YIELD 14        /* user/syscall.h */

static uint64_t clock_khz = 1;
static long last_map_error;

long uchan_map(uint32_t key, int role, struct triad_chan_map *out)
{
    return triad_syscall(TRIAD_SYS_CHAN_MAP, (long)key, role, (long)out);
}

long uchan_unmap(uint32_t key, int role)
{
    return triad_syscall(TRIAD_SYS_CHAN_UNMAP, (long)key, role, 0);
}

long uchan_last_map_error(void)
{
    return last_map_error;
}

uint64_t uchan_now_ns(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    uint64_t t = ((uint64_t)hi << 32) | lo;
    /* split so that nothing overflows 64 bits (as the kernel converts it) */
    return (t / clock_khz) * 1000000ull + (t % clock_khz) * 1000000ull / clock_khz;
}

static int lookup(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t flags,
                  struct shmcomm_grant *g)
{
    (void)ctx;
    (void)flags;    /* the kernel's policy: the boot tag, then the monitor */
    struct triad_chan_map m;
    last_map_error = uchan_map(key, role == SHMCOMM_ROLE_SEND ? TRIAD_CHAN_ROLE_SEND
                                                              : TRIAD_CHAN_ROLE_RECEIVE, &m);
    if (last_map_error != 0)
        return SHMCOMM_ERR_KEY;
    g->writer_area = (void *)(uintptr_t)m.writer_area;
    g->writer_area_bytes = m.writer_area_bytes;
    for (unsigned r = 0; r < SHM_MAX_READERS; r++)
        g->reader_ctl[r] = r < 8 ? (struct shm_reader_ctl *)(uintptr_t)m.reader_ctl[r] : 0;
    g->kind = m.kind;
    g->msg_size = m.msg_size;
    g->depth = m.depth;
    g->n_readers = m.n_readers;
    g->reader_index = m.reader_index;
    return SHMCOMM_OK;
}

static void release(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t reader_index)
{
    (void)ctx;
    (void)reader_index;
    uchan_unmap(key, role == SHMCOMM_ROLE_SEND ? TRIAD_CHAN_ROLE_SEND : TRIAD_CHAN_ROLE_RECEIVE);
}

static uint64_t now_ns(void *ctx)
{
    (void)ctx;
    return uchan_now_ns();
}

static void wait_backoff(void *ctx, uint32_t attempt)
{
    (void)ctx;
    uint64_t ns = shmcomm_backoff_ns(attempt);
    if (ns == 0)
        triad_syscall(SYS_YIELD, 0, 0, 0);
    else
        triad_sleep_ns(ns);
}

static const struct shmcomm_platform user_platform = {
    .lookup = lookup, .release = release, .now_ns = now_ns, .wait = wait_backoff, .ctx = 0,
};

int uchan_init(void)
{
    long khz = triad_syscall(TRIAD_SYS_CHAN_CLOCK, 0, 0, 0);
    if (khz <= 0)
        return khz < 0 ? (int)khz : -22;
    clock_khz = (uint64_t)khz;
    shmcomm_set_platform(&user_platform);
    return 0;
}
