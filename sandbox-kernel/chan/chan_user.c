/*
 * Maps channels granted to this sandbox into a process (chan_user_abi.h).
 *
 * The sandbox-wide claim (chan_platform_claim) makes each end open once:
 * by a kernel thread or by one process.  A process's claims are kept here,
 * not in struct process, and a claim whose process has gone (exit, or exec
 * replaced the address space that held the pages) is dropped the next time
 * anyone maps: the address space itself never frees channel frames
 * (PTE_FOREIGN), so nothing is left behind but the claim bit.
 */
#include "chan_user.h"
#include "chan_platform.h"
#include "../user/process.h"
#include "../user/usercopy.h"
#include "../sched/sched.h"
#include "../kernel/spinlock.h"
#include "../kernel/string.h"
#include "../kernel/percpu.h"
#include "../kernel/printk.h"

#define CLAIMS_MAX 16

struct claim {
    int pid;                        /* 0 = free slot */
    uint32_t key;
    uint8_t role;                   /* TRIAD_CHAN_ROLE_* */
    uint64_t probe_va, probe_pa;    /* the writer area's first page: still ours? */
    const struct triad_boot_channel *c;
};

static struct claim claims[CLAIMS_MAX];
static spinlock_t claims_lock;

static uint64_t user_va(uint64_t gpa)
{
    return TRIAD_CHAN_USER_BASE + (gpa - chan_boot_info.window_gpa);
}

/* 1 while the claim's process runs with the pages this claim mapped. */
static int claim_live(const struct claim *cl)
{
    struct process *p = process_by_pid(cl->pid);
    return p && !p->zombie && as_lookup_foreign(&p->as, cl->probe_va) == cl->probe_pa;
}

/* Drops the claims of processes that are gone; the caller holds claims_lock. */
static void sweep(void)
{
    for (unsigned i = 0; i < CLAIMS_MAX; i++)
        if (claims[i].pid && !claim_live(&claims[i])) {
            chan_platform_unclaim(claims[i].key, claims[i].role == TRIAD_CHAN_ROLE_SEND
                                                     ? SHMCOMM_ROLE_SEND : SHMCOMM_ROLE_RECEIVE);
            claims[i].pid = 0;
        }
}

/* Unmaps every page of `c` this role mapped (mapping stopped at the first
 * failure: the rest are simply absent). */
static void unmap_channel(struct process *p, const struct triad_boot_channel *c, int role)
{
    for (uint64_t off = 0; off < c->writer_size; off += 4096)
        as_unmap_foreign(&p->as, user_va(c->writer_gpa + off));
    if (role == TRIAD_CHAN_ROLE_RECEIVE) {
        as_unmap_foreign(&p->as, user_va(c->control_gpa));
    } else {
        for (unsigned r = 0; r < c->reader_count && r < 8; r++)
            as_unmap_foreign(&p->as, user_va(c->reader_ctl_gpa[r]));
    }
}

static int map_pages(struct process *p, uint64_t gpa, uint64_t bytes, int writable)
{
    for (uint64_t off = 0; off < bytes; off += 4096)
        if (as_map_foreign(&p->as, user_va(gpa + off), gpa + off, writable) != 0)
            return -E_NOMEM;
    return 0;
}

/* Every page the grant names lies in the window (chan_boot_entry_ok checked
 * it); the user range is the window's size, so it fits below the stack. */
static int map_channel(struct process *p, const struct triad_boot_channel *c, int role,
                       struct triad_chan_map *m)
{
    int send = role == TRIAD_CHAN_ROLE_SEND;
    memset(m, 0, sizeof *m);
    int r = map_pages(p, c->writer_gpa, c->writer_size, send);
    if (r == 0 && send) {
        for (unsigned i = 0; i < c->reader_count && i < 8 && r == 0; i++) {
            r = map_pages(p, c->reader_ctl_gpa[i], 4096, 0);
            m->reader_ctl[i] = user_va(c->reader_ctl_gpa[i]);
        }
    } else if (r == 0) {
        r = map_pages(p, c->control_gpa, 4096, 1);
        m->reader_ctl[c->reader_index] = user_va(c->control_gpa);
    }
    if (r != 0) {
        unmap_channel(p, c, role);
        return r;
    }
    m->writer_area = user_va(c->writer_gpa);
    m->writer_area_bytes = c->writer_size;
    m->kind = c->kind;
    m->msg_size = c->msg_size;
    m->depth = c->depth;
    m->n_readers = c->reader_count;
    m->reader_index = send ? 0 : c->reader_index;
    return 0;
}

static long sys_map(struct process *p, uint32_t key, uint64_t role, uint64_t uout)
{
    if (role != TRIAD_CHAN_ROLE_SEND && role != TRIAD_CHAN_ROLE_RECEIVE)
        return -E_INVAL;
    struct triad_chan_map m;
    memset(&m, 0, sizeof m);
    /* Check the pointer before claiming anything. */
    if (copy_to_user(&p->as, uout, &m, sizeof m) != 0)
        return -E_FAULT;
    if (chan_boot_info.window_size > TRIAD_CHAN_USER_SIZE)
        return -E_NOMEM;
    uint64_t f = spin_lock_irqsave(&claims_lock);
    sweep();
    unsigned slot = CLAIMS_MAX;
    for (unsigned i = 0; i < CLAIMS_MAX && slot == CLAIMS_MAX; i++)
        if (claims[i].pid == 0)
            slot = i;
    if (slot == CLAIMS_MAX) {
        spin_unlock_irqrestore(&claims_lock, f);
        return -E_NOMEM;
    }
    const struct triad_boot_channel *c = 0;
    enum shmcomm_role srole = role == TRIAD_CHAN_ROLE_SEND ? SHMCOMM_ROLE_SEND : SHMCOMM_ROLE_RECEIVE;
    int cr = chan_platform_claim(key, srole, &c);
    if (cr != CHAN_CLAIM_OK) {
        spin_unlock_irqrestore(&claims_lock, f);
        return cr == CHAN_CLAIM_UNKNOWN ? -E_NOENT : cr == CHAN_CLAIM_ROLE ? -E_PERM : -E_BUSY;
    }
    int r = map_channel(p, c, (int)role, &m);
    if (r == 0) {
        claims[slot] = (struct claim){ .pid = p->pid, .key = key, .role = (uint8_t)role,
                                       .probe_va = user_va(c->writer_gpa), .probe_pa = c->writer_gpa, .c = c };
    } else {
        chan_platform_unclaim(key, srole);
    }
    spin_unlock_irqrestore(&claims_lock, f);
    if (r != 0)
        return r;
    /* The pointer was good a moment ago; if another thread unmapped it since,
       the caller loses only the answer, and its claim stays until unmap. */
    return copy_to_user(&p->as, uout, &m, sizeof m) != 0 ? -E_FAULT : 0;
}

/*
 * Why unmap invalidates only this core's TLB (as_unmap_foreign: invlpg when
 * the address space is the current one), and when that stops being enough:
 *  - this kernel schedules on one core: main() brings up per-core block 0
 *    only; the sandbox's other cores wait for a SIPI (docs/monitor.md) or,
 *    with triad.smp=park, sit in ap_park.S's halt loop, which never loads a
 *    process's page tables; so every thread of every process of the
 *    sandbox runs on the core making this call;
 *  - the call comes from the process itself, so its page tables are loaded
 *    and invlpg drops the translation; a process that is not running holds
 *    no translation across its next CR3 load (no PCID, user pages never
 *    global);
 *  - no other sandbox's core can hold it: guest translations are tagged by
 *    VPID (one per sandbox) and come from this sandbox's page tables; the
 *    EPT mapping of the channel pages does not change (no INVEPT needed).
 * What a stale entry could do is let the unmapping process keep writing an
 * end another process of the same sandbox then maps (two writers in one
 * sandbox: a protocol error, not a breach of EPT's one-way protection).
 * The day a second core comes up here, unmap must send a shootdown IPI to
 * the sandbox's other cores before the claim is released; until then the
 * check below refuses the unmap (the end stays mapped and claimed) rather
 * than silently leave a translation behind.
 */
static int tlb_core_local(void)
{
    for (unsigned i = 1; i < MAX_CPUS; i++)
        if (percpu_blocks[i].self != 0)
            return 0;
    return 1;
}

static long sys_unmap(struct process *p, uint32_t key, uint64_t role)
{
    if (!tlb_core_local()) {
        printk("chan: unmap refused: a second core is up and unmap has no TLB shootdown\n");
        return -E_BUSY;
    }
    uint64_t f = spin_lock_irqsave(&claims_lock);
    for (unsigned i = 0; i < CLAIMS_MAX; i++) {
        struct claim *cl = &claims[i];
        if (cl->pid == p->pid && cl->key == key && cl->role == role) {
            unmap_channel(p, cl->c, (int)role);
            chan_platform_unclaim(key, role == TRIAD_CHAN_ROLE_SEND ? SHMCOMM_ROLE_SEND : SHMCOMM_ROLE_RECEIVE);
            cl->pid = 0;
            spin_unlock_irqrestore(&claims_lock, f);
            return 0;
        }
    }
    spin_unlock_irqrestore(&claims_lock, f);
    return -E_INVAL;
}

long chan_user_syscall(struct process *p, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    if (a0 > 0xFFFFFFFFull)
        return nr == TRIAD_SYS_CHAN_CLOCK ? (long)chan_platform_clock_khz() : -E_NOENT;
    switch (nr) {
    case TRIAD_SYS_CHAN_MAP:
        return sys_map(p, (uint32_t)a0, a1, a2);
    case TRIAD_SYS_CHAN_UNMAP:
        return sys_unmap(p, (uint32_t)a0, a1);
    case TRIAD_SYS_CHAN_CLOCK:
        return (long)chan_platform_clock_khz();
    default:
        return -E_NOSYS;
    }
}
