/*
 * channels/shmcomm.c: the program API on top of fourslot.c and fifo.c.
 *
 * This file owns the policy checks (flags, sizes against the grant), the
 * handle pool, the blocking loops and the marshal hooks.  All the lock-free
 * work on shared memory is in fourslot.c and fifo.c.
 */
#include <stdatomic.h>
#include "shmcomm.h"
#include "fourslot.h"
#include "fifo.h"

/* The write and read paths are written as small functions for reading but
 * compiled as one: every call layer costs a prologue, and the benchmark
 * budget (under 100 instructions on top of the copy) has no room for them. */
#define HOT static inline __attribute__((always_inline))

struct shmcomm_channel {
    _Atomic uint32_t in_use;
    uint32_t key;
    uint32_t role;               /* enum shmcomm_role */
    uint32_t kind;               /* enum shm_kind */
    uint32_t flags;
    uint32_t msg_size;           /* what the program declared at open (<= slot capacity) */
    uint32_t capacity;           /* slot payload size from the description */
    uint32_t n_readers;
    uint32_t reader_index;
    uint32_t faulty;             /* sender: readers caught corrupting their page */
    uint32_t fast_write;         /* enum fast_write: which write fast path applies */
    uint32_t fast_read;          /* enum fast_read: which read fast path applies */
    int header_checked;          /* receiver: writer header seen and consistent */
    shmcomm_marshal_fn hook;
    uint64_t seq;                /* sender: last published; async receiver: last returned */
    struct shm_writer_header *hdr;
    union {
        struct fourslot_writer async_out[SHM_MAX_READERS];
        struct fourslot_reader async_in;
        struct fifo_writer sync_out;
        struct fifo_reader sync_in;
    } u;
};

/* The write fast paths (write_fast): a send end without a marshal hook and
 * without a quarantined reader; the async one serves exactly one reader. */
enum fast_write { FAST_WRITE_NONE = 0, FAST_WRITE_ASYNC1 = 1, FAST_WRITE_SYNC = 2 };

static void choose_fast_write(struct shmcomm_channel *ch)
{
    ch->fast_write = FAST_WRITE_NONE;
    if (ch->role != SHMCOMM_ROLE_SEND || ch->hook != 0 || ch->faulty != 0)
        return;
    if (ch->kind == SHM_KIND_SYNC)
        ch->fast_write = FAST_WRITE_SYNC;
    else if (ch->n_readers == 1)
        ch->fast_write = FAST_WRITE_ASYNC1;
}

/* The read fast paths (read_fast): a receive end without an unmarshal
 * hook whose writer header has been checked once (by the first read). */
enum fast_read { FAST_READ_NONE = 0, FAST_READ_ASYNC = 1, FAST_READ_SYNC = 2 };

static void choose_fast_read(struct shmcomm_channel *ch)
{
    ch->fast_read = FAST_READ_NONE;
    if (ch->role != SHMCOMM_ROLE_RECEIVE || ch->hook != 0 || !ch->header_checked)
        return;
    ch->fast_read = ch->kind == SHM_KIND_ASYNC ? FAST_READ_ASYNC : FAST_READ_SYNC;
}

/* Pool entries are a power of two apart so that checking a handle is two
 * comparisons and a mask, no division (it runs on every call). */
#define ENTRY_BYTES 1024u
union pool_entry {
    struct shmcomm_channel ch;
    unsigned char pad[ENTRY_BYTES];
};
_Static_assert(sizeof(struct shmcomm_channel) <= ENTRY_BYTES, "channel fits its pool entry");
static _Alignas(64) union pool_entry pool[SHMCOMM_MAX_OPEN];
static const struct shmcomm_platform *_Atomic platform;

void shmcomm_set_platform(const struct shmcomm_platform *p)
{
    atomic_store_explicit(&platform, p, memory_order_release);
}

const struct shmcomm_platform *shmcomm_get_platform(void)
{
    return atomic_load_explicit(&platform, memory_order_acquire);
}

const char *shmcomm_strerror(int status)
{
    switch (status) {
    case SHMCOMM_OK:           return "ok";
    case SHMCOMM_ERR_KEY:      return "key not in the system description";
    case SHMCOMM_ERR_SIZE:     return "message size out of range";
    case SHMCOMM_ERR_DEPTH:    return "depth must be at least 1";
    case SHMCOMM_ERR_FLAGS:    return "invalid flags";
    case SHMCOMM_ERR_FULL:     return "channel full";
    case SHMCOMM_ERR_EMPTY:    return "no new message";
    case SHMCOMM_ERR_TIMEOUT:  return "timed out";
    case SHMCOMM_ERR_CORRUPT:  return "corrupted shared state";
    case SHMCOMM_ERR_CONFIG:   return "parameters disagree with the system description";
    case SHMCOMM_ERR_BADCH:    return "bad channel handle or buffer";
    case SHMCOMM_ERR_NOSPACE:  return "too many open channels";
    case SHMCOMM_ERR_MARSHAL:  return "marshal hook failed";
    case SHMCOMM_ERR_PLATFORM: return "no platform backend";
    case SHMCOMM_ERR_ROLE:     return "wrong direction for this end";
    default:                   return status > 0 ? "ok" : "unknown error";
    }
}

/* ---- handles ------------------------------------------------------------ */

static struct shmcomm_channel *claim_handle(void)
{
    for (uint32_t i = 0; i < SHMCOMM_MAX_OPEN; i++) {
        uint32_t expected = 0;
        if (atomic_compare_exchange_strong(&pool[i].ch.in_use, &expected, 1u))
            return &pool[i].ch;
    }
    return 0;
}

/* Only a pointer to an open pool entry is a channel.  The offset from the
 * pool's start may have bits only where an entry number goes (the pool is
 * a power of two of entries, each a power of two of bytes): one mask tests
 * both the range and the alignment. */
_Static_assert((SHMCOMM_MAX_OPEN & (SHMCOMM_MAX_OPEN - 1u)) == 0, "pool size is a power of two");
HOT int valid_handle(const struct shmcomm_channel *ch)
{
    uintptr_t off = (uintptr_t)ch - (uintptr_t)&pool[0];
    if (off & ~(uintptr_t)((SHMCOMM_MAX_OPEN - 1u) * ENTRY_BYTES))
        return 0;
    return atomic_load_explicit(&ch->in_use, memory_order_acquire) == 1u;
}

/* ---- open --------------------------------------------------------------- */

#define KNOWN_FLAGS (SHMCOMM_CREATE_CH | SHMCOMM_CONNECT_CH | SHMCOMM_ASYNC_CH | \
                     SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH)

static int check_flags(uint32_t flags)
{
    uint32_t mode = flags & (SHMCOMM_CREATE_CH | SHMCOMM_CONNECT_CH);
    uint32_t kind = flags & (SHMCOMM_ASYNC_CH | SHMCOMM_SYNC_CH);
    if (flags & ~KNOWN_FLAGS)
        return SHMCOMM_ERR_FLAGS;
    if (mode != SHMCOMM_CREATE_CH && mode != SHMCOMM_CONNECT_CH)
        return SHMCOMM_ERR_FLAGS;          /* exactly one of create / connect */
    if (kind == (SHMCOMM_ASYNC_CH | SHMCOMM_SYNC_CH))
        return SHMCOMM_ERR_FLAGS;
    if (mode == SHMCOMM_CREATE_CH && kind == 0)
        return SHMCOMM_ERR_FLAGS;          /* creating needs to say what */
    return SHMCOMM_OK;
}

/* The grant is the description's word; the program's request must fit it,
 * and the grant itself must describe a channel we can lay out. */
static int check_grant(const struct shmcomm_grant *g, enum shmcomm_role role, uint32_t flags,
                       uint32_t msg_size, int depth)
{
    if (!shm_params_valid(g->kind, g->msg_size, g->depth, g->n_readers))
        return SHMCOMM_ERR_CONFIG;
    if (g->writer_area == 0
        || g->writer_area_bytes != shm_writer_area_bytes(g->kind, g->msg_size, g->depth, g->n_readers))
        return SHMCOMM_ERR_CONFIG;
    if (role == SHMCOMM_ROLE_SEND) {
        for (uint32_t r = 0; r < g->n_readers; r++)
            if (g->reader_ctl[r] == 0)
                return SHMCOMM_ERR_CONFIG;
    } else if (g->reader_index >= g->n_readers || g->reader_ctl[g->reader_index] == 0) {
        return SHMCOMM_ERR_CONFIG;
    }
    if ((flags & SHMCOMM_ASYNC_CH) && g->kind != SHM_KIND_ASYNC)
        return SHMCOMM_ERR_CONFIG;
    if ((flags & SHMCOMM_SYNC_CH) && g->kind != SHM_KIND_SYNC)
        return SHMCOMM_ERR_CONFIG;
    if (msg_size > g->msg_size)
        return SHMCOMM_ERR_SIZE;
    if (g->kind == SHM_KIND_SYNC) {
        /* -1 means "as declared", allowed when the kind was not spelled out. */
        if (depth == 0 || (depth < 0 && (flags & SHMCOMM_SYNC_CH)))
            return SHMCOMM_ERR_DEPTH;
        if (depth > 0 && (uint32_t)depth != g->depth)
            return SHMCOMM_ERR_CONFIG;
    }
    return SHMCOMM_OK;
}

static void write_header(struct shm_writer_header *h, const struct shmcomm_grant *g, uint32_t key)
{
    h->version = SHM_LAYOUT_VERSION;
    h->kind = (uint8_t)g->kind;
    h->n_readers = (uint8_t)g->n_readers;
    h->msg_size = g->msg_size;
    h->depth = g->kind == SHM_KIND_SYNC ? g->depth : SHM_FOURSLOT_SLOTS;
    h->slot_stride = shm_slot_stride(g->msg_size);
    h->instance_stride = g->kind == SHM_KIND_ASYNC ? shm_fourslot_instance_stride(g->msg_size) : 0;
    h->key = key;
    h->area_bytes = (uint32_t)g->writer_area_bytes;
    /* The magic goes last: a reader that sees it sees the rest. */
    atomic_thread_fence(memory_order_release);
    *(volatile uint32_t *)&h->magic = SHM_LAYOUT_MAGIC;
}

/* Does the writer's header say what the description says?  The receiver
 * never addresses memory with these fields; a mismatch is reported. */
static int header_matches(const struct shm_writer_header *h, const struct shmcomm_channel *ch)
{
    return *(const volatile uint32_t *)&h->magic == SHM_LAYOUT_MAGIC
        && h->version == SHM_LAYOUT_VERSION && h->kind == ch->kind
        && h->n_readers == ch->n_readers && h->msg_size == ch->capacity;
}

static void setup_sender(struct shmcomm_channel *ch, const struct shmcomm_grant *g, int create)
{
    if (ch->kind == SHM_KIND_ASYNC) {
        for (uint32_t r = 0; r < g->n_readers; r++) {
            fourslot_writer_init(&ch->u.async_out[r], g->writer_area, g->msg_size, r,
                                 g->reader_ctl[r]);
            if (create)
                fourslot_reset(&ch->u.async_out[r]);
        }
        if (create)
            atomic_store_explicit(&ch->hdr->published, 0, memory_order_release);
        ch->seq = atomic_load_explicit(&ch->hdr->published, memory_order_relaxed);
    } else {
        uint64_t tail = create ? 0 : atomic_load_explicit(&ch->hdr->published, memory_order_relaxed);
        fifo_writer_init(&ch->u.sync_out, g->writer_area, g->msg_size, g->depth, g->n_readers,
                         (const struct shm_reader_ctl *const *)g->reader_ctl, tail);
        if (create)
            fifo_reset(&ch->u.sync_out);
        ch->seq = 0;                    /* the FIFO keeps its own tail */
    }
    if (create)
        write_header(ch->hdr, g, ch->key);
}

static void setup_receiver(struct shmcomm_channel *ch, const struct shmcomm_grant *g)
{
    struct shm_reader_ctl *self = g->reader_ctl[g->reader_index];
    if (ch->kind == SHM_KIND_ASYNC) {
        atomic_store_explicit(&self->reading, 0u, memory_order_release);
        fourslot_reader_init(&ch->u.async_in, g->writer_area, g->msg_size, g->reader_index, self);
    } else {
        /* Resume where this reader left off (a restarted reader keeps its
         * place).  A stored head that does not fit the writer's tail (a
         * stale page, a channel created afresh) restarts at the tail: the
         * reader gets what is written from now on. */
        uint64_t head = atomic_load_explicit(&self->head, memory_order_acquire);
        uint64_t tail = atomic_load_explicit(&ch->hdr->published, memory_order_acquire);
        if (tail - head > g->depth) {
            head = tail;
            atomic_store_explicit(&self->head, head, memory_order_release);
        }
        fifo_reader_init(&ch->u.sync_in, g->writer_area, g->msg_size, g->depth, self, head);
    }
    ch->seq = 0;
}

static int open_end(enum shmcomm_role role, uint32_t key, uint32_t flags, shmcomm_marshal_fn hook,
                    size_t msg_size, int depth, shmcomm_channel_t *out)
{
    if (out == 0)
        return SHMCOMM_ERR_BADCH;
    *out = 0;
    int rc = check_flags(flags);
    if (rc != SHMCOMM_OK)
        return rc;
    if (msg_size == 0 || msg_size > SHM_MAX_MSG_BYTES)
        return SHMCOMM_ERR_SIZE;
    if ((flags & SHMCOMM_SYNC_CH) && depth <= 0)
        return SHMCOMM_ERR_DEPTH;
    const struct shmcomm_platform *p = shmcomm_get_platform();
    if (p == 0 || p->lookup == 0 || p->now_ns == 0 || p->wait == 0)
        return SHMCOMM_ERR_PLATFORM;

    struct shmcomm_grant g = {0};
    if (p->lookup(p->ctx, key, role, flags, &g) != SHMCOMM_OK)
        return SHMCOMM_ERR_KEY;
    rc = check_grant(&g, role, flags, (uint32_t)msg_size, depth);
    struct shmcomm_channel *ch = 0;
    if (rc == SHMCOMM_OK) {
        ch = claim_handle();
        if (ch == 0)
            rc = SHMCOMM_ERR_NOSPACE;
    }
    int create = (flags & SHMCOMM_CREATE_CH) != 0;
    struct shm_writer_header *hdr = (struct shm_writer_header *)g.writer_area;
    /* A sender that connects resumes an existing channel: it must be there. */
    if (rc == SHMCOMM_OK && role == SHMCOMM_ROLE_SEND && !create) {
        if (*(volatile uint32_t *)&hdr->magic != SHM_LAYOUT_MAGIC || hdr->kind != g.kind
            || hdr->msg_size != g.msg_size || hdr->n_readers != g.n_readers)
            rc = SHMCOMM_ERR_CONFIG;
    }
    if (rc != SHMCOMM_OK) {
        if (ch)
            atomic_store_explicit(&ch->in_use, 0u, memory_order_release);
        if (p->release)
            p->release(p->ctx, key, role, g.reader_index);
        return rc;
    }
    ch->key = key;
    ch->role = role;
    ch->kind = g.kind;
    ch->flags = flags;
    ch->msg_size = (uint32_t)msg_size;
    ch->capacity = g.msg_size;
    ch->n_readers = g.n_readers;
    ch->reader_index = g.reader_index;
    ch->faulty = 0;
    ch->header_checked = 0;
    ch->hook = hook;
    ch->hdr = hdr;
    if (role == SHMCOMM_ROLE_SEND)
        setup_sender(ch, &g, create);
    else
        setup_receiver(ch, &g);
    choose_fast_write(ch);
    choose_fast_read(ch);
    *out = ch;
    return SHMCOMM_OK;
}

int shmcomm_open_send(uint32_t key, uint32_t flags, shmcomm_marshal_fn marshal,
                      size_t msg_size, int depth, shmcomm_channel_t *ch)
{
    return open_end(SHMCOMM_ROLE_SEND, key, flags, marshal, msg_size, depth, ch);
}

int shmcomm_open_receive(uint32_t key, uint32_t flags, shmcomm_marshal_fn unmarshal,
                         size_t msg_size, int depth, shmcomm_channel_t *ch)
{
    return open_end(SHMCOMM_ROLE_RECEIVE, key, flags, unmarshal, msg_size, depth, ch);
}

/* ---- moving bytes ------------------------------------------------------- */

HOT void copy_bytes(void *dst, const void *src, uint32_t n)
{
    /* The platform provides memcpy (libc on the host, the kernel's own in
     * a sandbox): one copy routine, the fastest each build has. */
    __builtin_memcpy(dst, src, n);
}

/* Put the program's message into a slot (marshalled or copied).
 * Returns the wire length or SHMCOMM_ERR_MARSHAL. */
HOT int fill_slot(const struct shmcomm_channel *ch, unsigned char *slot, const void *msg,
                     uint32_t len)
{
    if (ch->hook == 0) {
        copy_bytes(slot, msg, len);
        return (int)len;
    }
    int n = ch->hook(msg, len, slot, ch->capacity);
    if (n <= 0 || (uint32_t)n > ch->capacity)
        return SHMCOMM_ERR_MARSHAL;
    return n;
}

/* A write found reader(s) `bad` corrupting their page: nothing was written
 * in this call, and they are skipped from now on (the others are served). */
static int quarantine(struct shmcomm_channel *ch, uint32_t bad)
{
    ch->faulty |= bad;
    if (ch->kind == SHM_KIND_SYNC)
        ch->u.sync_out.live &= ~bad;
    choose_fast_write(ch);
    return SHMCOMM_ERR_CORRUPT;
}

/* Several readers, or one quarantined: claim every trusted instance first,
 * so that a corrupt reader page stops the write before anything changes. */
__attribute__((noinline))
static int write_async_all(struct shmcomm_channel *ch, const void *msg, uint32_t len, uint64_t now)
{
    uint32_t bad = 0;
    for (uint32_t r = 0; r < ch->n_readers; r++)
        if (!(ch->faulty & (1u << r)) && fourslot_claim(&ch->u.async_out[r]) != SHMCOMM_OK)
            bad |= 1u << r;
    if (bad)
        return quarantine(ch, bad);
    const unsigned char *first = 0;
    int wire = (int)len;
    for (uint32_t r = 0; r < ch->n_readers; r++) {
        if (ch->faulty & (1u << r))
            continue;
        unsigned char *slot = fourslot_slot(&ch->u.async_out[r]);
        if (first == 0) {
            wire = fill_slot(ch, slot, msg, len);
            if (wire < 0)
                return wire;      /* claimed slots are simply not published */
            first = slot;
        } else {
            copy_bytes(slot, first, (uint32_t)wire);
        }
    }
    ch->seq++;
    for (uint32_t r = 0; r < ch->n_readers; r++)
        if (!(ch->faulty & (1u << r)))
            fourslot_publish(&ch->u.async_out[r], (uint32_t)wire, ch->seq, now);
    atomic_store_explicit(&ch->hdr->published, ch->seq, memory_order_release);
    return (int)len;
}

static int try_write_sync(struct shmcomm_channel *ch, const void *msg, uint32_t len, uint64_t now)
{
    struct fifo_writer *w = &ch->u.sync_out;
    uint32_t bad = 0;
    int rc = fifo_space(w, &bad);
    if (rc == SHMCOMM_ERR_CORRUPT)
        return quarantine(ch, bad);
    if (rc != SHMCOMM_OK)
        return rc;
    int wire = fill_slot(ch, fifo_slot(w), msg, len);
    if (wire < 0)
        return wire;
    fifo_publish(w, (uint32_t)wire, now);
    return (int)len;
}

/* The general write, every case (hooks, several readers, quarantine): the
 * checked path's single attempt. */
static int write_once(struct shmcomm_channel *ch, const void *msg, uint32_t len,
                      const struct shmcomm_platform *p)
{
    uint64_t now = p->now_ns(p->ctx);
    return ch->kind == SHM_KIND_ASYNC ? write_async_all(ch, msg, len, now)
                                      : try_write_sync(ch, msg, len, now);
}

/* The write fast path, for the ends choose_fast_write() picked (no hook,
 * no quarantined reader; async: one reader).  The caller checked the
 * handle, the buffer, the length and the platform.  The slot is stamped
 * before its payload is copied (nobody looks at it before the commit), so
 * only the channel and the length live across the copy: few saved
 * registers.  Returns the bytes written, SHMCOMM_ERR_CORRUPT, or
 * SHMCOMM_ERR_FULL when this path cannot finish the write (the checked
 * path then runs and tells full from a corrupt reader page). */
HOT int write_fast(struct shmcomm_channel *ch, const void *msg, uint32_t len,
                   const struct shmcomm_platform *p)
{
    if (ch->fast_write == FAST_WRITE_ASYNC1) {
        struct fourslot_writer *w = &ch->u.async_out[0];
        uint64_t now = p->now_ns(p->ctx);
        if (__builtin_expect(fourslot_claim(w) != SHMCOMM_OK, 0))
            return quarantine(ch, 1u);
        uint64_t seq = ++ch->seq;
        fourslot_stamp(w, len, seq, now);
        copy_bytes(fourslot_slot(w), msg, len);
        fourslot_commit(w);
        atomic_store_explicit(&ch->hdr->published, seq, memory_order_release);
        return (int)len;
    }
    struct fifo_writer *w = &ch->u.sync_out;
    if (!fifo_room_all(w))
        return SHMCOMM_ERR_FULL;
    fifo_stamp(w, len, p->now_ns(p->ctx));
    copy_bytes(fifo_slot(w), msg, len);
    fifo_commit(w);
    return (int)len;
}

/* Deadline bookkeeping of the wait loop: returns nonzero while the caller
 * may wait once more. */
static int may_wait(const struct shmcomm_platform *p, uint64_t timeout_ns, int *started,
                    uint64_t *deadline)
{
    if (timeout_ns == 0)
        return 0;
    if (timeout_ns == SHMCOMM_FOREVER)
        return 1;
    uint64_t now = p->now_ns(p->ctx);
    if (!*started) {
        *started = 1;
        *deadline = now + timeout_ns < now ? UINT64_MAX : now + timeout_ns;
        return 1;
    }
    return now < *deadline;
}

/* One transfer in either direction, as the wait loop retries it. */
struct transfer {
    const void *msg;                  /* write: the message */
    void *buf;                        /* read: the buffer */
    uint32_t len;                     /* write: its length; read: the buffer's capacity */
    struct shmcomm_msg_info *info;    /* read: optional */
};

static int read_once(struct shmcomm_channel *ch, void *buf, uint32_t cap,
                     struct shmcomm_msg_info *info);

/* The blocking part of both directions, off the fast paths: wait (the
 * platform's backoff, numbered per call), retry, until the attempt stops
 * answering "full" (a write) or "empty" (a read), or the deadline passes.
 * Every wait is bounded by the deadline; only SHMCOMM_FOREVER has none. */
__attribute__((noinline))
static int wait_and_retry(struct shmcomm_channel *ch, const struct transfer *t, uint64_t timeout_ns,
                          const struct shmcomm_platform *p)
{
    int writing = ch->role == SHMCOMM_ROLE_SEND;
    int again = writing ? SHMCOMM_ERR_FULL : SHMCOMM_ERR_EMPTY;
    int started = 0;
    uint64_t deadline = 0;
    for (uint32_t attempt = 0;; attempt++) {
        if (!may_wait(p, timeout_ns, &started, &deadline))
            return SHMCOMM_ERR_TIMEOUT;
        p->wait(p->ctx, attempt);
        int rc = writing ? write_once(ch, t->msg, t->len, p)
                         : read_once(ch, t->buf, t->len, t->info);
        if (rc != again)
            return rc;
    }
}

/* Every write the fast path did not finish: each check with its own error
 * code, the general write, then the wait.  `from_flags`: the timeout is the
 * handle's (SHMCOMM_NONBLOCK_CH or forever), as shmcomm_write wants. */
__attribute__((noinline))
static int write_checked(struct shmcomm_channel *ch, const void *msg, size_t len,
                         uint64_t timeout_ns, int from_flags)
{
    if (!valid_handle(ch) || msg == 0)
        return SHMCOMM_ERR_BADCH;
    if (ch->role != SHMCOMM_ROLE_SEND)
        return SHMCOMM_ERR_ROLE;
    if (len == 0 || len > ch->msg_size)
        return SHMCOMM_ERR_SIZE;
    const struct shmcomm_platform *p = shmcomm_get_platform();
    if (p == 0)
        return SHMCOMM_ERR_PLATFORM;
    if (from_flags)
        timeout_ns = (ch->flags & SHMCOMM_NONBLOCK_CH) ? 0 : SHMCOMM_FOREVER;
    int rc = write_once(ch, msg, (uint32_t)len, p);
    if (rc != SHMCOMM_ERR_FULL || timeout_ns == 0)
        return rc;
    const struct transfer t = { .msg = msg, .len = (uint32_t)len };
    return wait_and_retry(ch, &t, timeout_ns, p);
}

/* The fast path's entry test: an open send end it was chosen for, a buffer,
 * a length within 1..msg_size (one unsigned comparison), a platform.
 * Returns SHMCOMM_ERR_FULL when the checked path must run. */
HOT int try_write_fast(struct shmcomm_channel *ch, const void *msg, size_t len)
{
    if (valid_handle(ch) && ch->fast_write != FAST_WRITE_NONE && msg != 0
        && len - 1u < (size_t)ch->msg_size) {
        const struct shmcomm_platform *p = shmcomm_get_platform();
        if (p != 0)
            return write_fast(ch, msg, (uint32_t)len, p);
    }
    return SHMCOMM_ERR_FULL;
}

int shmcomm_write_timeout(shmcomm_channel_t ch, const void *msg, size_t len, uint64_t timeout_ns)
{
    int rc = try_write_fast(ch, msg, len);
    if (rc != SHMCOMM_ERR_FULL)
        return rc;
    return write_checked(ch, msg, len, timeout_ns, 0);
}

int shmcomm_write(shmcomm_channel_t ch, const void *msg, size_t len)
{
    int rc = try_write_fast(ch, msg, len);
    if (rc != SHMCOMM_ERR_FULL)
        return rc;
    return write_checked(ch, msg, len, 0, 1);
}

/* Hand a slot's payload to the program (unmarshalled or copied). */
HOT int deliver(const struct shmcomm_channel *ch, void *buf, uint32_t cap,
                   const unsigned char *payload, uint32_t length)
{
    if (ch->hook == 0) {
        if (length > cap)
            return SHMCOMM_ERR_SIZE;
        copy_bytes(buf, payload, length);
        return (int)length;
    }
    int n = ch->hook(payload, length, buf, cap);
    if (n < 0 || (uint32_t)n > cap)
        return SHMCOMM_ERR_MARSHAL;
    return n;
}

HOT int check_header_once(struct shmcomm_channel *ch)
{
    if (ch->header_checked)
        return SHMCOMM_OK;
    if (!header_matches(ch->hdr, ch))
        return SHMCOMM_ERR_CORRUPT;
    ch->header_checked = 1;
    choose_fast_read(ch);
    return SHMCOMM_OK;
}

HOT int try_read_async(struct shmcomm_channel *ch, void *buf, uint32_t cap,
                          struct shmcomm_msg_info *info, int again)
{
    struct fourslot_msg m;
    int rc = fourslot_read(&ch->u.async_in, &m);
    if (rc != SHMCOMM_OK)
        return rc;
    if (m.seq == ch->seq && !again)
        return SHMCOMM_ERR_EMPTY;       /* nothing newer than what we returned */
    if (m.seq < ch->seq)
        return SHMCOMM_ERR_CORRUPT;     /* the writer went back in time */
    rc = check_header_once(ch);
    if (rc != SHMCOMM_OK)
        return rc;
    int n = deliver(ch, buf, cap, m.payload, m.length);
    if (n < 0)
        return n;
    ch->seq = m.seq;
    if (info) {
        info->seq = m.seq;
        info->timestamp = m.timestamp;
    }
    return n;
}

HOT int try_read_sync(struct shmcomm_channel *ch, void *buf, uint32_t cap,
                         struct shmcomm_msg_info *info)
{
    const unsigned char *payload;
    uint32_t length;
    uint64_t ts;
    int rc = fifo_peek(&ch->u.sync_in, &payload, &length, &ts);
    if (rc != SHMCOMM_OK)
        return rc;
    rc = check_header_once(ch);
    if (rc != SHMCOMM_OK)
        return rc;
    int n = deliver(ch, buf, cap, payload, length);
    if (n < 0)
        return n;                       /* not consumed: the message stays */
    fifo_consume(&ch->u.sync_in);
    ch->seq = ch->u.sync_in.head;
    if (info) {
        info->seq = ch->seq;
        info->timestamp = ts;
    }
    return n;
}

HOT int read_once(struct shmcomm_channel *ch, void *buf, uint32_t cap,
                  struct shmcomm_msg_info *info)
{
    return ch->kind == SHM_KIND_ASYNC ? try_read_async(ch, buf, cap, info, 0)
                                      : try_read_sync(ch, buf, cap, info);
}

/* Every read the fast path did not finish: each check with its own error
 * code, the general read, then the wait.  `from_flags`: the timeout is the
 * handle's (SHMCOMM_NONBLOCK_CH or forever), as shmcomm_read wants. */
__attribute__((noinline))
static int read_checked(struct shmcomm_channel *ch, void *buf, size_t cap, uint64_t timeout_ns,
                        int from_flags, struct shmcomm_msg_info *info)
{
    if (!valid_handle(ch) || buf == 0)
        return SHMCOMM_ERR_BADCH;
    if (ch->role != SHMCOMM_ROLE_RECEIVE)
        return SHMCOMM_ERR_ROLE;
    if (cap == 0)
        return SHMCOMM_ERR_SIZE;
    if (from_flags)
        timeout_ns = (ch->flags & SHMCOMM_NONBLOCK_CH) ? 0 : SHMCOMM_FOREVER;
    uint32_t cap32 = cap > SHM_MAX_MSG_BYTES ? SHM_MAX_MSG_BYTES : (uint32_t)cap;
    int rc = read_once(ch, buf, cap32, info);
    if (rc != SHMCOMM_ERR_EMPTY || timeout_ns == 0)
        return rc;
    const struct shmcomm_platform *p = shmcomm_get_platform();
    if (p == 0)
        return SHMCOMM_ERR_PLATFORM;
    const struct transfer t = { .buf = buf, .len = cap32, .info = info };
    return wait_and_retry(ch, &t, timeout_ns, p);
}

/* The read fast path, for the ends choose_fast_read() picked, with a buffer
 * that holds the declared size (so no length can exceed it).  The checks on
 * what the writer published are the cores' own (fourslot_read, fifo_peek).
 * Returns the bytes read, SHMCOMM_ERR_CORRUPT, or SHMCOMM_ERR_EMPTY when
 * this path cannot finish the read (the checked path then runs: it waits,
 * or tells "nothing new" from a writer that went back in time). */
HOT int try_read_fast(struct shmcomm_channel *ch, void *buf, size_t cap,
                      struct shmcomm_msg_info *info)
{
    if (!valid_handle(ch) || ch->fast_read == FAST_READ_NONE || buf == 0 || cap < ch->capacity)
        return SHMCOMM_ERR_EMPTY;
    if (ch->fast_read == FAST_READ_ASYNC) {
        struct fourslot_msg m;
        int rc = fourslot_read(&ch->u.async_in, &m);
        if (rc != SHMCOMM_OK)
            return rc;
        if (m.seq <= ch->seq)
            return SHMCOMM_ERR_EMPTY;
        copy_bytes(buf, m.payload, m.length);
        ch->seq = m.seq;
        if (info) {
            info->seq = m.seq;
            info->timestamp = m.timestamp;
        }
        return (int)m.length;
    }
    struct fifo_reader *r = &ch->u.sync_in;
    const unsigned char *payload;
    uint32_t length;
    uint64_t ts;
    int rc = fifo_peek(r, &payload, &length, &ts);
    if (rc != SHMCOMM_OK)
        return rc;
    copy_bytes(buf, payload, length);
    fifo_consume(r);
    if (info) {
        info->seq = r->head;
        info->timestamp = ts;
    }
    return (int)length;
}

int shmcomm_read_timeout(shmcomm_channel_t ch, void *buf, size_t cap, uint64_t timeout_ns,
                         struct shmcomm_msg_info *info)
{
    int rc = try_read_fast(ch, buf, cap, info);
    if (rc != SHMCOMM_ERR_EMPTY)
        return rc;
    return read_checked(ch, buf, cap, timeout_ns, 0, info);
}

int shmcomm_read_latest(shmcomm_channel_t ch, void *buf, size_t cap, struct shmcomm_msg_info *info)
{
    if (!valid_handle(ch) || buf == 0)
        return SHMCOMM_ERR_BADCH;
    if (ch->role != SHMCOMM_ROLE_RECEIVE || ch->kind != SHM_KIND_ASYNC)
        return SHMCOMM_ERR_ROLE;
    if (cap == 0)
        return SHMCOMM_ERR_SIZE;
    return try_read_async(ch, buf, cap > SHM_MAX_MSG_BYTES ? SHM_MAX_MSG_BYTES : (uint32_t)cap,
                          info, 1);
}

int shmcomm_read(shmcomm_channel_t ch, void *buf, size_t cap)
{
    int rc = try_read_fast(ch, buf, cap, 0);
    if (rc != SHMCOMM_ERR_EMPTY)
        return rc;
    return read_checked(ch, buf, cap, 0, 1, 0);
}

int shmcomm_pending(shmcomm_channel_t ch)
{
    if (!valid_handle(ch))
        return SHMCOMM_ERR_BADCH;
    if (ch->role == SHMCOMM_ROLE_SEND) {
        if (ch->kind == SHM_KIND_ASYNC)
            return 0;                   /* a four-slot never holds a backlog */
        return fifo_used(&ch->u.sync_out);
    }
    if (ch->kind == SHM_KIND_SYNC)
        return fifo_pending(&ch->u.sync_in);
    uint64_t published = atomic_load_explicit(&ch->hdr->published, memory_order_acquire);
    return published > ch->seq ? 1 : 0;
}

/* The newest message of a send end's own writer area (instance 0), as
 * shmcomm_peek_sent says.  Whoever writes the area may publish meanwhile:
 * the copy counts only if it is of message `before` and the count did not
 * move across it; otherwise the caller asks again (as after an empty read). */
static int peek_newest(const struct shmcomm_channel *ch, void *buf, size_t cap, struct shmcomm_msg_info *info)
{
    const struct fourslot_writer *w = &ch->u.async_out[0];
    const uint64_t before = atomic_load_explicit(&ch->hdr->published, memory_order_acquire);
    const uint32_t pair = atomic_load_explicit(&w->ctl->latest, memory_order_acquire);
    int rc = (int)SHMCOMM_ERR_EMPTY;
    if (before == 0u) {
        rc = (int)SHMCOMM_ERR_EMPTY;
    } else if (pair > 1u) {
        rc = (int)SHMCOMM_ERR_CORRUPT;
    } else {
        const uint32_t index = atomic_load_explicit(&w->ctl->slot[pair], memory_order_acquire) & 1u;
        const struct shm_slot_header *h = w->slot_at[(2u * pair) + index];
        const uint32_t length = h->length;
        const uint64_t seq = h->seq;
        const uint64_t stamp = h->timestamp;
        if ((length == 0u) || (length > w->msg_size)) {
            rc = (int)SHMCOMM_ERR_CORRUPT;
        } else if (length > cap) {
            rc = (int)SHMCOMM_ERR_SIZE;
        } else {
            const unsigned char *payload = (const unsigned char *)&h[1];
            copy_bytes(buf, payload, length);
            atomic_thread_fence(memory_order_acquire);
            /* one decision: the count did not move and the slot is message `before` */
            const uint64_t after = atomic_load_explicit(&ch->hdr->published, memory_order_acquire);
            if (((after ^ before) | (seq ^ before)) == 0u) {
                if (info != NULL) {
                    info->seq = seq;
                    info->timestamp = stamp;
                }
                rc = (int)length;
            }
        }
    }
    return rc;
}

int shmcomm_peek_sent(shmcomm_channel_t ch, void *buf, size_t cap, struct shmcomm_msg_info *info)
{
    int rc = (int)SHMCOMM_ERR_BADCH;
    if ((valid_handle(ch) != 0) && (buf != NULL)) {
        rc = (int)SHMCOMM_ERR_ROLE;
        if ((ch->role == (uint32_t)SHMCOMM_ROLE_SEND) && (ch->kind == (uint32_t)SHM_KIND_ASYNC)) {
            rc = peek_newest(ch, buf, cap, info);
        }
    }
    return rc;
}

uint32_t shmcomm_faulty_readers(shmcomm_channel_t ch)
{
    if (!valid_handle(ch) || ch->role != SHMCOMM_ROLE_SEND)
        return 0;
    return ch->faulty;
}

int shmcomm_close(shmcomm_channel_t ch)
{
    if (!valid_handle(ch))
        return SHMCOMM_ERR_BADCH;
    const struct shmcomm_platform *p = shmcomm_get_platform();
    uint32_t key = ch->key, role = ch->role, index = ch->reader_index;
    atomic_store_explicit(&ch->in_use, 0u, memory_order_release);
    if (p && p->release)
        p->release(p->ctx, key, (enum shmcomm_role)role, index);
    return SHMCOMM_OK;
}
