/*
 * Kernel channel backend (see chan_platform.h).
 *
 * Policy: a key is granted only if the boot tag lists this sandbox as its
 * writer (send) or as one of its readers (receive), once per role at a
 * time.  A key the tag does not list is asked of the monitor
 * (TRIAD_HC_CHANNEL_OPEN), which answers from system.bin; its refusal is
 * SHMCOMM_ERR_KEY and the monitor's code is kept for the caller to report.
 */
#include "chan_platform.h"
#include "../../channels/shmcomm_backoff.h"
#include "../kernel/printk.h"
#include "../kernel/time.h"
#include "../kernel/spinlock.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/hypercall.h"
#include "../arch/x86_64/paging.h"
#include "../sched/sched.h"
#include "../../monitor/abi/hypercall.h"

struct chan_boot chan_boot_info;

/* Channels learnt from the monitor at run time (not in the boot tag). */
#define RUNTIME_MAX 8
static struct triad_boot_channel runtime[RUNTIME_MAX];
static uint32_t runtime_count;

/* Which endpoints are open: bit 0 send, bit 1 receive, per boot entry. */
static uint8_t open_roles[TRIAD_BOOT_MAX_CHANNELS + RUNTIME_MAX];
static int64_t last_hc;
static uint64_t clock_khz;          /* the monitor's TSC calibration, shared by all */
static spinlock_t open_lock;

/* VMCALL or VMMCALL by the CPU vendor (arch/x86_64/hypercall.h). */
static int64_t vmcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    return hypercall(nr, a0, a1, a2);
}

uint64_t chan_now_ns(void)
{
    uint64_t t = rdtsc();
    uint64_t khz = chan_platform_clock_khz();
    /* split so that nothing overflows 64 bits for any TSC value */
    return (t / khz) * 1000000ull + (t % khz) * 1000000ull / khz;
}

static uint64_t plat_now(void *ctx)
{
    (void)ctx;
    return chan_now_ns();
}

/* Poll a few times, then sleep with a growing backoff (shmcomm_backoff.h):
 * a blocked end no longer burns its VCPU budget. */
static void plat_wait(void *ctx, uint32_t attempt)
{
    (void)ctx;
    uint64_t ns = shmcomm_backoff_ns(attempt);
    if (ns == 0)
        thread_yield();
    else
        thread_sleep_ns(ns);
}

int64_t chan_platform_last_hypercall(void)
{
    return last_hc;
}

static int map_range(uint64_t gpa, uint64_t bytes)
{
    for (uint64_t p = gpa & ~0x1FFFFFull; p < gpa + bytes; p += 0x200000ull)
        if (!paging_kernel_map(p))
            return 0;
    return 1;
}

/* Index into open_roles of the entry for `key`: the boot tag first, then
 * the monitor.  -1 when neither knows it. */
static int find_entry(uint32_t key, const struct triad_boot_channel **out)
{
    for (uint32_t i = 0; i < chan_boot_info.count; i++)
        if (chan_boot_info.ch[i].key == key) {
            *out = &chan_boot_info.ch[i];
            return (int)i;
        }
    for (uint32_t i = 0; i < runtime_count; i++)
        if (runtime[i].key == key) {
            *out = &runtime[i];
            return (int)TRIAD_BOOT_MAX_CHANNELS + (int)i;
        }
    if (!running_under_hypervisor() || runtime_count == RUNTIME_MAX)
        return -1;
    struct triad_boot_channel d;
    last_hc = vmcall(TRIAD_HC_CHANNEL_OPEN, key, (uint64_t)(uintptr_t)&d, sizeof d);
    if (last_hc < 0)
        return -1;
    /* The monitor's word, but still checked like a boot entry before use. */
    if (!chan_boot_entry_ok(&d, chan_boot_info.window_gpa, chan_boot_info.window_size) ||
        !map_range(d.writer_gpa, d.writer_size))
        return -1;
    runtime[runtime_count] = d;
    *out = &runtime[runtime_count];
    return (int)TRIAD_BOOT_MAX_CHANNELS + (int)runtime_count++;
}

/* The claim itself; the caller holds open_lock (find_entry may append to
 * the run-time table).  The role bit is set atomically because releases
 * come without the lock (from shmcomm_close, or from a failing open that
 * already holds it). */
static int claim_locked(uint32_t key, enum shmcomm_role role, const struct triad_boot_channel **out)
{
    const struct triad_boot_channel *c = 0;
    int e = find_entry(key, &c);
    if (e < 0)
        return CHAN_CLAIM_UNKNOWN;
    int want = role == SHMCOMM_ROLE_SEND ? TRIAD_ROLE_WRITER : TRIAD_ROLE_READER;
    uint8_t bit = role == SHMCOMM_ROLE_SEND ? 1 : 2;
    if (c->role != want)
        return CHAN_CLAIM_ROLE;
    if (__atomic_fetch_or(&open_roles[e], bit, __ATOMIC_ACQ_REL) & bit)
        return CHAN_CLAIM_BUSY;
    *out = c;
    return CHAN_CLAIM_OK;
}

int chan_platform_claim(uint32_t key, enum shmcomm_role role, const struct triad_boot_channel **out)
{
    uint64_t f = spin_lock_irqsave(&open_lock);
    int r = claim_locked(key, role, out);
    spin_unlock_irqrestore(&open_lock, f);
    return r;
}

uint64_t chan_platform_clock_khz(void)
{
    return clock_khz ? clock_khz : (tsc_hz / 1000 ? tsc_hz / 1000 : 1);
}

static int plat_lookup(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t flags,
                       struct shmcomm_grant *g)
{
    (void)ctx;
    (void)flags;    /* CREATE of a declared channel resets it; undeclared keys go to the monitor */
    const struct triad_boot_channel *c = 0;
    if (claim_locked(key, role, &c) != CHAN_CLAIM_OK)
        return SHMCOMM_ERR_KEY;
    int want = c->role;
    for (unsigned r = 0; r < SHM_MAX_READERS; r++)
        g->reader_ctl[r] = 0;
    g->writer_area = (void *)(uintptr_t)c->writer_gpa;
    g->writer_area_bytes = c->writer_size;
    g->kind = c->kind;
    g->msg_size = c->msg_size;
    g->depth = c->depth;
    g->n_readers = c->reader_count;
    if (want == TRIAD_ROLE_READER) {
        g->reader_index = c->reader_index;
        g->reader_ctl[c->reader_index] = (struct shm_reader_ctl *)(uintptr_t)c->control_gpa;
    } else {
        g->reader_index = 0;
        for (unsigned r = 0; r < c->reader_count; r++)
            g->reader_ctl[r] = (struct shm_reader_ctl *)(uintptr_t)c->reader_ctl_gpa[r];
    }
    return SHMCOMM_OK;
}

void chan_platform_unclaim(uint32_t key, enum shmcomm_role role)
{
    const struct triad_boot_channel *c = 0;
    for (uint32_t i = 0; i < chan_boot_info.count + runtime_count; i++) {
        c = i < chan_boot_info.count ? &chan_boot_info.ch[i] : &runtime[i - chan_boot_info.count];
        if (c->key == key) {
            int e = i < chan_boot_info.count ? (int)i : (int)TRIAD_BOOT_MAX_CHANNELS + (int)(i - chan_boot_info.count);
            __atomic_fetch_and(&open_roles[e], (uint8_t)~(role == SHMCOMM_ROLE_SEND ? 1 : 2), __ATOMIC_ACQ_REL);
            return;
        }
    }
}

static void plat_release(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t reader_index)
{
    (void)ctx;
    (void)reader_index;
    chan_platform_unclaim(key, role);
}

static const struct shmcomm_platform kernel_platform = {
    .lookup = plat_lookup,
    .release = plat_release,
    .now_ns = plat_now,
    .wait = plat_wait,
    .ctx = 0,
};

int chan_platform_init(uint64_t info_phys, uint64_t info_len)
{
    int r = chan_boot_parse((const void *)(uintptr_t)info_phys, (size_t)info_len, &chan_boot_info);
    if (running_under_hypervisor()) {
        struct triad_hc_info hi;
        if (vmcall(TRIAD_HC_SANDBOX_INFO, (uint64_t)(uintptr_t)&hi, sizeof hi, 0) > 0)
            clock_khz = hi.tsc_khz;
    }
    if (r < 0) {
        printk("chan: Triad boot tag refused (error %d): no channels\n", r);
        return r;
    }
    if (chan_boot_info.count && !map_range(chan_boot_info.window_gpa, chan_boot_info.window_size)) {
        printk("chan: channel window %lx cannot be mapped: no channels\n",
               (unsigned long)chan_boot_info.window_gpa);
        chan_boot_info.count = 0;
        return CHAN_BOOT_BAD_CHAN;
    }
    shmcomm_set_platform(&kernel_platform);
    printk("chan: %u channels at %lx, clock %lu kHz (%s)\n", chan_boot_info.count,
           (unsigned long)chan_boot_info.window_gpa,
           (unsigned long)(clock_khz ? clock_khz : tsc_hz / 1000),
           clock_khz ? "monitor" : "own calibration");
    return (int)chan_boot_info.count;
}

int kchan_open_send(uint32_t key, uint32_t flags, size_t msg_size, int depth, shmcomm_channel_t *ch)
{
    uint64_t f = spin_lock_irqsave(&open_lock);
    int r = shmcomm_open_send(key, flags, 0, msg_size, depth, ch);
    spin_unlock_irqrestore(&open_lock, f);
    return r;
}

int kchan_open_receive(uint32_t key, uint32_t flags, size_t msg_size, int depth, shmcomm_channel_t *ch)
{
    uint64_t f = spin_lock_irqsave(&open_lock);
    int r = shmcomm_open_receive(key, flags, 0, msg_size, depth, ch);
    spin_unlock_irqrestore(&open_lock, f);
    return r;
}
