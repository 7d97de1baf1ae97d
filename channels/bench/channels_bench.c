/*
 * channels/bench/channels_bench.c: the instruction-count harness behind
 * tests/bench/30-channels.sh.  Run under valgrind --tool=callgrind
 * --collect-atstart=no: each measured loop is bracketed by
 * CALLGRIND_TOGGLE_COLLECT and followed by CALLGRIND_DUMP_STATS_AT(name),
 * so every dump holds exactly one loop of ITERATIONS operations.
 *
 * The platform is the smallest one possible (a counter for a clock, never
 * waits), standing in for the kernel's TSC read: what is counted is the
 * channel code plus the copy.  Writer and reader alternate in one thread,
 * so every read finds exactly one new message.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <valgrind/callgrind.h>
#include "shmcomm.h"

#define ITERATIONS 1000
#define MAX_MSG 4096
#define FIFO_DEPTH 16

static const uint32_t sizes[] = { 16, 64, 256, 4096 };

static _Alignas(4096) unsigned char async_area[6 * 4096];   /* writer area + reader page */
static _Alignas(4096) unsigned char sync_area[18 * 4096 + 4096];
static _Alignas(64) unsigned char src[MAX_MSG], dst[MAX_MSG];
static uint64_t clock_ticks;

static int lookup(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t flags,
                  struct shmcomm_grant *g)
{
    (void)ctx; (void)role; (void)flags;
    uint32_t msg = key & 0xFFFFu;
    int sync = (key >> 16) == 1;
    unsigned char *base = sync ? sync_area : async_area;
    memset(g, 0, sizeof *g);
    g->kind = sync ? SHM_KIND_SYNC : SHM_KIND_ASYNC;
    g->msg_size = msg;
    g->depth = sync ? FIFO_DEPTH : 4;
    g->n_readers = 1;
    g->writer_area = base;
    g->writer_area_bytes = shm_writer_area_bytes(g->kind, msg, g->depth, 1);
    g->reader_ctl[0] = (struct shm_reader_ctl *)(void *)(base + g->writer_area_bytes);
    if (g->writer_area_bytes + 4096 > (sync ? sizeof sync_area : sizeof async_area))
        return SHMCOMM_ERR_KEY;
    return SHMCOMM_OK;
}

static uint64_t now_ns(void *ctx) { (void)ctx; return ++clock_ticks; }
static void wait_once(void *ctx, uint32_t attempt) { (void)ctx; (void)attempt; }

static const struct shmcomm_platform bench_platform = {
    .lookup = lookup, .now_ns = now_ns, .wait = wait_once,
};

/* The reference: the same memcpy the channel uses, not inlined. */
__attribute__((noinline)) static void plain_copy(void *d, const void *s, size_t n)
{
    memcpy(d, s, n);
    __asm__ volatile("" ::: "memory");
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "channels_bench: %s: %s\n", what, shmcomm_strerror(rc));
    return 1;
}

static int measure(uint32_t size, int sync)
{
    char name[64];
    const char *kind = sync ? "sync" : "async";
    uint32_t key = (sync ? 1u << 16 : 0) | size;
    uint32_t kflag = sync ? SHMCOMM_SYNC_CH : SHMCOMM_ASYNC_CH;
    shmcomm_channel_t tx, rx;
    /* A freshly carved channel is all zero. */
    memset(sync ? sync_area : async_area, 0, sync ? sizeof sync_area : sizeof async_area);
    int rc = shmcomm_open_send(key, SHMCOMM_CREATE_CH | kflag | SHMCOMM_NONBLOCK_CH, 0, size,
                               sync ? FIFO_DEPTH : -1, &tx);
    if (rc != SHMCOMM_OK)
        return fail("open_send", rc);
    rc = shmcomm_open_receive(key, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, 0, size, -1, &rx);
    if (rc != SHMCOMM_OK)
        return fail("open_receive", rc);
    /* Warm up: every slot touched once, so the loops measure steady state. */
    for (int i = 0; i < 2 * FIFO_DEPTH; i++) {
        if (shmcomm_write(tx, src, size) != (int)size || shmcomm_read(rx, dst, size) != (int)size)
            return fail("warm-up", -1);
    }
    /* Writes and reads are measured in separate loops of alternating
     * calls; the partner call is outside the collection window. */
    snprintf(name, sizeof name, "%s-write-%u", kind, size);
    for (int i = 0; i < ITERATIONS; i++) {
        src[0] = (unsigned char)i;
        CALLGRIND_TOGGLE_COLLECT;
        rc = shmcomm_write(tx, src, size);
        CALLGRIND_TOGGLE_COLLECT;
        if (rc != (int)size || shmcomm_read(rx, dst, size) != (int)size)
            return fail(name, rc);
    }
    CALLGRIND_DUMP_STATS_AT(name);
    snprintf(name, sizeof name, "%s-read-%u", kind, size);
    for (int i = 0; i < ITERATIONS; i++) {
        src[0] = (unsigned char)i;
        if (shmcomm_write(tx, src, size) != (int)size)
            return fail(name, -1);
        CALLGRIND_TOGGLE_COLLECT;
        rc = shmcomm_read(rx, dst, size);
        CALLGRIND_TOGGLE_COLLECT;
        if (rc != (int)size || dst[0] != (unsigned char)i)
            return fail(name, rc);
    }
    CALLGRIND_DUMP_STATS_AT(name);
    shmcomm_close(tx);
    shmcomm_close(rx);
    return 0;
}

int main(void)
{
    char name[64];
    shmcomm_set_platform(&bench_platform);
    for (uint32_t i = 0; i < MAX_MSG; i++)
        src[i] = (unsigned char)(i * 7u);
    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint32_t size = sizes[s];
        /* Empty window: what the toggling itself costs, subtracted later. */
        snprintf(name, sizeof name, "empty-%u", size);
        for (int i = 0; i < ITERATIONS; i++) {
            CALLGRIND_TOGGLE_COLLECT;
            CALLGRIND_TOGGLE_COLLECT;
        }
        CALLGRIND_DUMP_STATS_AT(name);
        snprintf(name, sizeof name, "memcpy-%u", size);
        for (int i = 0; i < ITERATIONS; i++) {
            CALLGRIND_TOGGLE_COLLECT;
            plain_copy(dst, src, size);
            CALLGRIND_TOGGLE_COLLECT;
        }
        CALLGRIND_DUMP_STATS_AT(name);
        if (measure(size, 0) || measure(size, 1))
            return 1;
    }
    printf("channels_bench: %d iterations per measurement\n", ITERATIONS);
    return 0;
}
