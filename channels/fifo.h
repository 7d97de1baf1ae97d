/*
 * channels/fifo.h: the synchronous channel, a ring of `depth` slots with one
 * writer and one or more readers; every reader receives every message in
 * order (with one reader it is the classic single-producer single-consumer
 * FIFO).
 *
 * Full and empty are told apart without locks by free-running 64-bit
 * counters instead of wrapped indices: the writer publishes `tail` (messages
 * written) in its header, each reader publishes its `head` (messages
 * consumed) in its own control page.  Empty: head == tail.  Full: tail -
 * min(head) == depth.  Counters never wrap in practice (2^64 messages).
 *
 * Every counter read from the other side is untrusted: the writer requires
 * head <= tail <= head + depth for each reader, a reader requires
 * head <= tail <= head + depth for itself and that the slot it is about to
 * read carries sequence number head + 1.  Anything else is reported as
 * SHMCOMM_ERR_CORRUPT and never used to address memory: slot addresses come
 * from each side's private position only.
 */
#ifndef TRIAD_CHANNELS_FIFO_H
#define TRIAD_CHANNELS_FIFO_H

#include <stdint.h>
#include "shm_layout.h"
#include "shmcomm_errors.h"
#include <stdatomic.h>

struct fifo_writer {
    struct shm_writer_header *hdr;                       /* our area: published = tail */
    unsigned char *slots;
    const struct shm_reader_ctl *readers[SHM_MAX_READERS]; /* read-only for us */
    uint32_t n_readers;
    uint32_t live;            /* bit r: reader r is still trusted (not quarantined) */
    uint32_t msg_size;
    uint32_t slot_stride;
    uint32_t depth;
    uint64_t tail;            /* private copy of what we published */
    uint32_t tail_slot;       /* tail % depth, kept incrementally */
    struct shm_slot_header *tail_hdr;   /* slot tail_slot, kept incrementally (no multiply per write) */
};

struct fifo_reader {
    const struct shm_writer_header *hdr;                 /* read-only for us */
    const unsigned char *slots;
    struct shm_reader_ctl *self;                          /* our own page */
    uint32_t msg_size;
    uint32_t slot_stride;
    uint32_t depth;
    uint64_t head;            /* private copy of what we consumed */
    uint32_t head_slot;       /* head % depth */
    const struct shm_slot_header *head_hdr;   /* slot head_slot, kept incrementally */
};

/*@ requires \valid(w) && \valid((struct shm_writer_header *)writer_area);
    requires 1 <= msg_size <= SHM_MAX_MSG_BYTES && 1 <= depth <= SHM_MAX_DEPTH;
    requires 1 <= n_readers <= SHM_MAX_READERS;
    requires \valid_read(readers + (0 .. n_readers - 1));
    assigns *w;
    ensures w->tail_slot < depth && w->live == (1u << n_readers) - 1u;
    ensures w->tail_hdr == (struct shm_slot_header *)(w->slots + w->tail_slot * w->slot_stride);
*/
void fifo_writer_init(struct fifo_writer *w, void *writer_area, uint32_t msg_size, uint32_t depth,
                      uint32_t n_readers, const struct shm_reader_ctl *const *readers,
                      uint64_t tail);

/*@ requires \valid(r) && \valid_read((struct shm_writer_header *)writer_area) && \valid(self);
    requires 1 <= msg_size <= SHM_MAX_MSG_BYTES && 1 <= depth <= SHM_MAX_DEPTH;
    assigns *r;
    ensures r->head_slot < depth && r->head == head;
    ensures r->head_hdr == (struct shm_slot_header *)(r->slots + r->head_slot * r->slot_stride);
*/
void fifo_reader_init(struct fifo_reader *r, const void *writer_area, uint32_t msg_size,
                      uint32_t depth, struct shm_reader_ctl *self, uint64_t head);

/* tail - head modulo 2^64: the counters are free-running and a head read
 * from the other side may be anything, so the distance is modular on
 * purpose (a head ahead of the tail gives a huge distance, reported as
 * corrupt).  Written without a wrapping subtraction because the proofs treat
 * every unsigned wrap as an error (-warn-unsigned-overflow); both branches
 * give exactly the wrapped value, so the behaviour is that of tail - head. */
/*@ assigns \nothing;
    ensures \result == (tail >= head ? tail - head : 18446744073709551616 + tail - head);
*/
static inline uint64_t fifo_distance(uint64_t tail, uint64_t head)
{
    return tail >= head ? tail - head : tail + (UINT64_MAX - head) + 1u;
}

/* Start of slot k of the ring (k < depth, from a private position only). */
/*@ requires 1 <= stride;
    requires \valid(slots + (0 .. (k + 1) * stride - 1));
    assigns \nothing;
    ensures \result == slots + k * stride;
*/
static inline unsigned char *fifo_slot_base(unsigned char *slots, uint32_t stride, uint32_t k)
{
    return slots + (uint64_t)k * stride;
}

/* Writer: forget everything (fresh channel): tail 0, every slot unwritten. */
/*@ requires \valid(w) && \valid(w->hdr);
    assigns w->hdr->published, w->tail, w->tail_slot, w->tail_hdr;
    ensures w->tail == 0 && w->tail_slot == 0;
*/
void fifo_reset(struct fifo_writer *w);

/* Writer: is there a free slot for every trusted reader?  SHMCOMM_OK,
 * SHMCOMM_ERR_FULL, or SHMCOMM_ERR_CORRUPT with *bad set to the readers
 * whose head is impossible (the caller decides whether to quarantine them). */
/*@ requires \valid(w) && \valid(bad);
    requires w->n_readers <= SHM_MAX_READERS;
    requires \forall integer k; 0 <= k < w->n_readers ==> \valid_read(w->readers[k]);
    assigns *bad;
    ensures REQ_CHN_IDX_002: FIFO_HEAD_CHECKED: \result == SHMCOMM_ERR_CORRUPT <==> *bad != 0;
    ensures \result == SHMCOMM_OK || \result == SHMCOMM_ERR_FULL
         || \result == SHMCOMM_ERR_CORRUPT;
*/
static inline int fifo_space(const struct fifo_writer *w, uint32_t *bad)
{
    uint32_t corrupt = 0;
    int full = 0;
    /*@ loop invariant 0 <= r <= w->n_readers;
        loop assigns r, corrupt, full;
        loop variant w->n_readers - r; */
    for (uint32_t r = 0; r < w->n_readers; r++) {
        if (!(w->live & (1u << r)))
            continue;
        uint64_t head = atomic_load_explicit(&w->readers[r]->head, memory_order_acquire);
        /* Unsigned: a head ahead of the tail wraps to a huge distance. */
        uint64_t used = fifo_distance(w->tail, head);
        if (used > w->depth)
            corrupt |= 1u << r;
        else if (used == w->depth)
            full = 1;
    }
    *bad = corrupt;
    if (corrupt)
        return SHMCOMM_ERR_CORRUPT;
    return full ? SHMCOMM_ERR_FULL : SHMCOMM_OK;
}

/* Writer fast path: 1 when every reader has room for one more message.
 * Only for a writer with no quarantined reader; 0 (full, or some head
 * impossible) sends the caller to fifo_space(), which tells the two apart. */
/*@ requires \valid(w) && w->n_readers <= SHM_MAX_READERS;
    requires \forall integer k; 0 <= k < w->n_readers ==> \valid_read(w->readers[k]);
    assigns \nothing;
*/
static inline int fifo_room_all(const struct fifo_writer *w)
{
    /*@ loop invariant 0 <= r <= w->n_readers;
        loop assigns r;
        loop variant w->n_readers - r; */
    for (uint32_t r = 0; r < w->n_readers; r++) {
        /* Unsigned: a head ahead of the tail wraps to a huge distance. */
        if (fifo_distance(w->tail, atomic_load_explicit(&w->readers[r]->head, memory_order_acquire))
            >= w->depth)
            return 0;
    }
    return 1;
}

/* Writer: messages the slowest trusted reader has not consumed (0..depth),
 * or SHMCOMM_ERR_CORRUPT when a head is impossible. */
/*@ requires \valid(w) && w->n_readers <= SHM_MAX_READERS && w->depth <= SHM_MAX_DEPTH;
    requires \forall integer k; 0 <= k < w->n_readers ==> \valid_read(w->readers[k]);
    assigns \nothing;
    ensures REQ_CHN_IDX_002: FIFO_USED_IN_DEPTH:
        \result == SHMCOMM_ERR_CORRUPT || 0 <= \result <= w->depth;
*/
static inline int fifo_used(const struct fifo_writer *w)
{
    uint64_t most = 0;
    /*@ loop invariant 0 <= r <= w->n_readers && most <= w->depth;
        loop assigns r, most;
        loop variant w->n_readers - r; */
    for (uint32_t r = 0; r < w->n_readers; r++) {
        if (!(w->live & (1u << r)))
            continue;
        uint64_t used = fifo_distance(w->tail,
                                      atomic_load_explicit(&w->readers[r]->head, memory_order_acquire));
        if (used > w->depth)
            return SHMCOMM_ERR_CORRUPT;
        if (used > most)
            most = used;
    }
    return (int)most;
}

/* Writer: the payload area of the slot at the tail (msg_size bytes). */
/*@ requires \valid(w) && w->tail_slot < w->depth;
    assigns \nothing;
*/
static inline unsigned char *fifo_slot(const struct fifo_writer *w)
{
    return (unsigned char *)w->tail_hdr + sizeof(struct shm_slot_header);
}

/* Writer: stamp the tail slot (before or after its payload is filled:
 * readers do not look at it until fifo_commit). */
/*@ requires \valid(w) && \valid(w->tail_hdr);
    requires 1 <= length <= w->msg_size;
    requires FIFO_NO_WRAP: w->tail < UINT64_MAX;
    assigns *w->tail_hdr;
*/
static inline void fifo_stamp(struct fifo_writer *w, uint32_t length, uint64_t timestamp)
{
    struct shm_slot_header *h = w->tail_hdr;
    h->seq = w->tail + 1u;
    h->timestamp = timestamp;
    h->length = length;
}

/* Writer: publish the stamped and filled tail slot (tail + 1).  Call only
 * after fifo_space() said SHMCOMM_OK or fifo_room_all() said 1. */
/*@ requires \valid(w) && w->tail_slot < w->depth;
    requires FIFO_NO_WRAP: w->tail < UINT64_MAX;
    assigns w->hdr->published, w->tail, w->tail_slot, w->tail_hdr;
    ensures w->tail == \old(w->tail) + 1;
    ensures REQ_CHN_IDX_002: FIFO_TAIL_SLOT_IN_DEPTH: w->tail_slot < w->depth;
*/
static inline void fifo_commit(struct fifo_writer *w)
{
    uint64_t tail = w->tail + 1u;
    w->tail = tail;
    if (w->tail_slot + 1u == w->depth) {
        w->tail_slot = 0;
        w->tail_hdr = (struct shm_slot_header *)(void *)w->slots;
    } else {
        w->tail_slot++;
        w->tail_hdr = (struct shm_slot_header *)(void *)((unsigned char *)w->tail_hdr + w->slot_stride);
    }
    atomic_store_explicit(&w->hdr->published, tail, memory_order_release);
}

/* Writer: stamp the tail slot and publish it. */
/*@ requires \valid(w) && w->tail_slot < w->depth && \valid(w->tail_hdr);
    requires \separated(w, w->tail_hdr);
    requires 1 <= length <= w->msg_size;
    requires FIFO_NO_WRAP: w->tail < UINT64_MAX;
    assigns w->hdr->published, w->tail, w->tail_slot, w->tail_hdr, *\old(w->tail_hdr);
    ensures w->tail == \old(w->tail) + 1 && w->tail_slot < w->depth;
*/
static inline void fifo_publish(struct fifo_writer *w, uint32_t length, uint64_t timestamp)
{
    fifo_stamp(w, length, timestamp);
    fifo_commit(w);
}

/* Messages this reader has not consumed yet, or SHMCOMM_ERR_CORRUPT. */
/*@ requires \valid(r) && \valid_read(r->hdr) && r->depth <= SHM_MAX_DEPTH;
    assigns \nothing;
    ensures REQ_CHN_IDX_002: FIFO_PENDING_IN_DEPTH:
        \result == SHMCOMM_ERR_CORRUPT || 0 <= \result <= r->depth;
*/
static inline int fifo_pending(const struct fifo_reader *r)
{
    uint64_t tail = atomic_load_explicit(&r->hdr->published, memory_order_acquire);
    uint64_t avail = fifo_distance(tail, r->head);
    if (avail > r->depth)
        return SHMCOMM_ERR_CORRUPT;
    return (int)avail;
}

/* Reader: look at the oldest unconsumed message without consuming it.
 * SHMCOMM_OK, SHMCOMM_ERR_EMPTY or SHMCOMM_ERR_CORRUPT. */
/*@ requires \valid(r) && \valid_read(r->hdr) && \valid_read(r->head_hdr) && \valid(payload) && \valid(length) && \valid(timestamp);
    requires r->head_slot < r->depth;
    requires FIFO_NO_WRAP: r->head < UINT64_MAX;
    assigns *payload, *length, *timestamp;
    ensures REQ_CHN_IDX_002: FIFO_LENGTH_CHECKED: \result == SHMCOMM_OK ==> 1 <= *length <= r->msg_size;
    ensures REQ_CHN_IDX_002: FIFO_EMPTY_DISTINGUISHED:
        \old(r->hdr->published) == \old(r->head) ==> \result == SHMCOMM_ERR_EMPTY;
    ensures \result == SHMCOMM_OK || \result == SHMCOMM_ERR_EMPTY
         || \result == SHMCOMM_ERR_CORRUPT;
*/
static inline int fifo_peek(const struct fifo_reader *r, const unsigned char **payload, uint32_t *length,
              uint64_t *timestamp)
{
    uint64_t tail = atomic_load_explicit(&r->hdr->published, memory_order_acquire);
    uint64_t avail = fifo_distance(tail, r->head);
    if (avail == 0)
        return SHMCOMM_ERR_EMPTY;
    if (avail > r->depth)
        return SHMCOMM_ERR_CORRUPT;
    const struct shm_slot_header *h = r->head_hdr;
    /* Read each field once so that the checked value is the one used. */
    uint64_t seq = *(const volatile uint64_t *)&h->seq;
    uint32_t len = *(const volatile uint32_t *)&h->length;
    if (seq != r->head + 1u || len == 0 || len > r->msg_size)
        return SHMCOMM_ERR_CORRUPT;
    *payload = (const unsigned char *)h + sizeof(struct shm_slot_header);
    *length = len;
    *timestamp = *(const volatile uint64_t *)&h->timestamp;
    return SHMCOMM_OK;
}

/* Reader: release the slot fifo_peek() showed (head + 1). */
/*@ requires \valid(r) && \valid(r->self) && r->head_slot < r->depth;
    requires FIFO_NO_WRAP: r->head < UINT64_MAX;
    assigns r->head, r->head_slot, r->head_hdr, r->self->head;
    ensures r->head == \old(r->head) + 1;
    ensures REQ_CHN_IDX_002: FIFO_HEAD_SLOT_IN_DEPTH: r->head_slot < r->depth;
*/
static inline void fifo_consume(struct fifo_reader *r)
{
    uint64_t head = r->head + 1u;
    r->head = head;
    if (r->head_slot + 1u == r->depth) {
        r->head_slot = 0;
        r->head_hdr = (const struct shm_slot_header *)(const void *)r->slots;
    } else {
        r->head_slot++;
        r->head_hdr = (const struct shm_slot_header *)(const void *)
            ((const unsigned char *)r->head_hdr + r->slot_stride);
    }
    atomic_store_explicit(&r->self->head, head, memory_order_release);
}

#endif
