/* tests/unit/channels/host_platform.c: see host_platform.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "host_platform.h"
#include "shmcomm.h"

#define HOST_MAX_CHANNELS 16
#define HOST_MAX_VIEWS    64

struct host_channel {
    struct host_channel_decl decl;
    int fd;
    uint64_t writer_bytes;
    void *monitor_view;               /* read-write, whole channel */
    uint32_t readers_taken;           /* bit r: reader index r is open */
    void *send_writer;                /* last grant to the sender */
    struct shm_reader_ctl *send_ctl[SHM_MAX_READERS];
    void *recv_writer[SHM_MAX_READERS];   /* last grant to receiver r */
    struct shm_reader_ctl *recv_ctl[SHM_MAX_READERS];
};

static struct host_channel channels[HOST_MAX_CHANNELS];
static unsigned channel_count;

/* Every mapping handed out, so stop() can unmap them. */
static struct { void *addr; size_t len; } views[HOST_MAX_VIEWS];
static unsigned view_count;

static _Atomic int manual_clock;
static _Atomic uint64_t manual_now;
static uint64_t manual_tick;
static _Atomic unsigned long waits;
static _Atomic uint32_t wait_max_attempt, wait_first_attempts;   /* what the library passed */

static void die(const char *what)
{
    perror(what);
    abort();
}

static void *map_view(int fd, uint64_t offset, uint64_t len, int prot)
{
    void *p = mmap(0, len, prot, MAP_SHARED, fd, (off_t)offset);
    if (p == MAP_FAILED)
        die("mmap");
    if (view_count == HOST_MAX_VIEWS)
        die("host platform: too many views");
    views[view_count].addr = p;
    views[view_count].len = len;
    view_count++;
    return p;
}

static struct host_channel *find(uint32_t key)
{
    for (unsigned i = 0; i < channel_count; i++)
        if (channels[i].decl.key == key)
            return &channels[i];
    return 0;
}

static int lookup(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t flags,
                  struct shmcomm_grant *g)
{
    (void)ctx;
    struct host_channel *c = find(key);
    if (c == 0)
        return SHMCOMM_ERR_KEY;
    if ((flags & SHMCOMM_CREATE_CH) && !c->decl.create_allowed)
        return SHMCOMM_ERR_KEY;
    memset(g, 0, sizeof *g);
    g->kind = c->decl.kind;
    g->msg_size = c->decl.msg_size;
    g->depth = c->decl.depth;
    g->n_readers = c->decl.n_readers;
    g->writer_area_bytes = c->writer_bytes;
    if (role == SHMCOMM_ROLE_SEND) {
        g->writer_area = map_view(c->fd, 0, c->writer_bytes, PROT_READ | PROT_WRITE);
        for (uint32_t r = 0; r < c->decl.n_readers; r++)
            g->reader_ctl[r] = map_view(c->fd, c->writer_bytes + (uint64_t)r * SHM_READER_CTL_BYTES,
                                        SHM_READER_CTL_BYTES, PROT_READ);
        c->send_writer = g->writer_area;
        memcpy(c->send_ctl, g->reader_ctl, sizeof c->send_ctl);
        return SHMCOMM_OK;
    }
    uint32_t r = 0;
    while (r < c->decl.n_readers && (c->readers_taken & (1u << r)))
        r++;
    if (r == c->decl.n_readers)
        return SHMCOMM_ERR_KEY;        /* every reader of this channel is open */
    c->readers_taken |= 1u << r;
    g->reader_index = r;
    g->writer_area = map_view(c->fd, 0, c->writer_bytes, PROT_READ);
    g->reader_ctl[r] = map_view(c->fd, c->writer_bytes + (uint64_t)r * SHM_READER_CTL_BYTES,
                                SHM_READER_CTL_BYTES, PROT_READ | PROT_WRITE);
    c->recv_writer[r] = g->writer_area;
    c->recv_ctl[r] = g->reader_ctl[r];
    return SHMCOMM_OK;
}

static void release(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t reader_index)
{
    (void)ctx;
    struct host_channel *c = find(key);
    if (c && role == SHMCOMM_ROLE_RECEIVE && reader_index < 32)
        c->readers_taken &= ~(1u << reader_index);
}

static uint64_t now_ns(void *ctx)
{
    (void)ctx;
    if (atomic_load(&manual_clock))
        return atomic_load(&manual_now);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void wait_once(void *ctx, uint32_t attempt)
{
    (void)ctx;
    atomic_fetch_add(&waits, 1);
    if (attempt == 0)
        atomic_fetch_add(&wait_first_attempts, 1);
    if (attempt > atomic_load(&wait_max_attempt))
        atomic_store(&wait_max_attempt, attempt);
    if (atomic_load(&manual_clock))
        atomic_fetch_add(&manual_now, manual_tick);
    sched_yield();
}

static const struct shmcomm_platform platform = {
    .lookup = lookup, .release = release, .now_ns = now_ns, .wait = wait_once, .ctx = 0,
};

const struct shmcomm_platform *host_platform(void)
{
    return &platform;
}

void host_platform_stop(void)
{
    for (unsigned i = 0; i < view_count; i++)
        munmap(views[i].addr, views[i].len);
    view_count = 0;
    for (unsigned i = 0; i < channel_count; i++) {
        munmap(channels[i].monitor_view,
               channels[i].writer_bytes + (uint64_t)channels[i].decl.n_readers * SHM_READER_CTL_BYTES);
        close(channels[i].fd);
    }
    channel_count = 0;
    shmcomm_set_platform(0);
}

void host_platform_start(const struct host_channel_decl *table, unsigned count)
{
    host_platform_stop();
    if (count > HOST_MAX_CHANNELS)
        die("host platform: too many channels");
    for (unsigned i = 0; i < count; i++) {
        struct host_channel *c = &channels[i];
        memset(c, 0, sizeof *c);
        c->decl = table[i];
        c->writer_bytes = shm_writer_area_bytes(table[i].kind, table[i].msg_size, table[i].depth,
                                                table[i].n_readers);
        /* An invalid declaration gets a one-page area: the library must
         * refuse it (SHMCOMM_ERR_CONFIG), which tests check. */
        uint64_t total = (c->writer_bytes ? c->writer_bytes : SHM_PAGE_BYTES)
                       + (uint64_t)SHM_MAX_READERS * SHM_READER_CTL_BYTES;
        if (c->writer_bytes == 0)
            c->writer_bytes = SHM_PAGE_BYTES;
        c->fd = memfd_create("triad-channel", 0);
        if (c->fd < 0 || ftruncate(c->fd, (off_t)total) != 0)
            die("memfd");
        c->monitor_view = mmap(0, total, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
        if (c->monitor_view == MAP_FAILED)
            die("mmap");
        channel_count++;
    }
    host_clock_real();
    atomic_store(&waits, 0);
    shmcomm_set_platform(&platform);
}

void *host_writer_area_rw(uint32_t key)
{
    struct host_channel *c = find(key);
    return c ? c->monitor_view : 0;
}

struct shm_reader_ctl *host_reader_ctl_rw(uint32_t key, uint32_t reader)
{
    struct host_channel *c = find(key);
    if (c == 0)
        return 0;
    return (struct shm_reader_ctl *)(void *)((unsigned char *)c->monitor_view + c->writer_bytes
                                             + (uint64_t)reader * SHM_READER_CTL_BYTES);
}

void host_clock_manual(uint64_t start_ns, uint64_t tick_ns)
{
    atomic_store(&manual_now, start_ns);
    manual_tick = tick_ns;
    atomic_store(&manual_clock, 1);
}

void host_clock_real(void) { atomic_store(&manual_clock, 0); }
void host_clock_set(uint64_t ns) { atomic_store(&manual_now, ns); }
void host_clock_advance(uint64_t ns) { atomic_fetch_add(&manual_now, ns); }
uint64_t host_clock_now(void) { return now_ns(0); }
unsigned long host_wait_count(void) { return atomic_load(&waits); }

void *host_granted_writer_area(uint32_t key, enum shmcomm_role role, uint32_t reader)
{
    struct host_channel *c = find(key);
    if (c == 0 || reader >= SHM_MAX_READERS)
        return 0;
    return role == SHMCOMM_ROLE_SEND ? c->send_writer : c->recv_writer[reader];
}

struct shm_reader_ctl *host_granted_reader_ctl(uint32_t key, enum shmcomm_role role, uint32_t reader)
{
    struct host_channel *c = find(key);
    if (c == 0 || reader >= SHM_MAX_READERS)
        return 0;
    return role == SHMCOMM_ROLE_SEND ? c->send_ctl[reader] : c->recv_ctl[reader];
}

void host_wait_attempts(uint32_t *first, uint32_t *max)
{
    *first = atomic_exchange(&wait_first_attempts, 0);
    *max = atomic_exchange(&wait_max_attempt, 0);
}
