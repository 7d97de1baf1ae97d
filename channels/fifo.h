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
#include "shm_view.h"
#include <stdatomic.h>

/* The FIFO invariant on the shared counters (proofs/ASSUMPTIONS.md,
 * "Channel core"): for each reader, the messages it has not consumed,
 * tail - head modulo 2^64, are 0..depth.  The writer keeps it (it publishes
 * only with room for every trusted reader: fifo_commit), each reader keeps
 * it (it consumes only what was published: fifo_consume); each side checks
 * the other's counter against it before using it (fifo_space, fifo_peek). */
/*@ logic integer fifo_dist(integer tail, integer head) =
        tail >= head ? tail - head : 18446744073709551616 + tail - head;
    predicate fifo_count_ok(integer tail, integer head, integer depth) =
        0 <= fifo_dist(tail, head) <= depth;
*/

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

/*@ requires \valid(w);
    requires 1 <= msg_size <= SHM_MAX_MSG_BYTES && 1 <= depth <= SHM_MAX_DEPTH;
    requires 1 <= n_readers <= SHM_MAX_READERS;
    requires \valid_read(readers + (0 .. n_readers - 1));
    requires \forall integer k; 0 <= k < n_readers ==> \object_pointer(readers[k]);
    requires \separated(w, readers + (0 .. n_readers - 1));
    assigns *w;
    ensures REQ_CHN_IDX_002: FIFO_INIT_TAIL:
        w->tail == tail && w->tail_slot < depth && w->tail_slot == tail % depth && w->depth == depth;
    ensures w->live == ((1u << SHM_MAX_READERS) - 1u) >> (SHM_MAX_READERS - n_readers)
         && w->n_readers == n_readers;
    ensures w->tail_hdr == shm_slot_l(w->slots, w->tail_slot * w->slot_stride);
    ensures \object_pointer(w->tail_hdr) && \object_pointer(w->slots);
*/
void fifo_writer_init(struct fifo_writer *w, void *writer_area, uint32_t msg_size, uint32_t depth,
                      uint32_t n_readers, const struct shm_reader_ctl *const *readers,
                      uint64_t tail);

/*@ requires \valid(r) && \valid(self);
    requires 1 <= msg_size <= SHM_MAX_MSG_BYTES && 1 <= depth <= SHM_MAX_DEPTH;
    assigns *r;
    ensures REQ_CHN_IDX_002: FIFO_INIT_HEAD:
        r->head == head && r->head_slot < depth && r->head_slot == head % depth && r->depth == depth;
    ensures \object_pointer(r->head_hdr) && \object_pointer(r->slots);
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
    ensures \result == fifo_dist(tail, head);
*/
static inline uint64_t fifo_distance(uint64_t tail, uint64_t head)
{
    return tail >= head ? tail - head : tail + (UINT64_MAX - head) + 1u;
}

/* Header of slot k of the ring (k < depth, from a private position only). */
/*@ assigns \nothing;
    ensures \result == shm_slot_l(slots, k * stride) && \object_pointer(\result);
*/
static inline struct shm_slot_header *fifo_slot_hdr(unsigned char *slots, uint32_t stride, uint32_t k)
{
    return shm_view_slot(slots, (uint64_t)k * stride);
}

/* Writer: forget everything (fresh channel): tail 0, every slot unwritten. */
/*@ requires \valid(w) && \valid(w->hdr) && \separated(w, w->hdr);
    requires 1 <= w->depth <= SHM_MAX_DEPTH && w->slot_stride <= SHM_MAX_MSG_BYTES + 24 + SHM_LINE_BYTES - 1;
    requires sizeof(struct shm_slot_header) <= w->slot_stride;
    requires \valid(w->slots + (0 .. w->depth * w->slot_stride - 1));
    requires \separated(w->slots + (0 .. w->depth * w->slot_stride - 1), w, w->hdr);
    requires \object_pointer(w->slots);
    assigns w->hdr->published, w->tail, w->tail_slot, w->tail_hdr,
            w->slots[0 .. w->depth * w->slot_stride - 1];
    ensures REQ_CHN_IDX_004: FIFO_RESET_EMPTY:
        w->tail == 0 && w->tail_slot == 0 && w->hdr->published == 0;
    ensures w->tail_hdr == shm_slot_l(w->slots, 0) && \object_pointer(w->tail_hdr);
*/
void fifo_reset(struct fifo_writer *w);

/* Writer: is there a free slot for every trusted reader?  SHMCOMM_OK,
 * SHMCOMM_ERR_FULL, or SHMCOMM_ERR_CORRUPT with *bad set to the readers
 * whose head is impossible (the caller decides whether to quarantine them). */
/*@ requires \valid(w) && \valid(bad) && \separated(w, bad);
    requires w->n_readers <= SHM_MAX_READERS;
    requires \forall integer k; 0 <= k < w->n_readers ==> \valid_read(w->readers[k]);
    requires \forall integer k; 0 <= k < w->n_readers ==> \separated(w->readers[k], bad);
    assigns *bad;
    ensures REQ_CHN_IDX_002: FIFO_HEAD_CHECKED: \result == SHMCOMM_ERR_CORRUPT <==> *bad != 0;
    ensures REQ_CHN_IDX_004: FIFO_FULL_ONLY_IF_FULL:
        \result == SHMCOMM_ERR_FULL ==> \exists integer k; 0 <= k < w->n_readers &&
            fifo_dist(w->tail, w->readers[k]->head) == w->depth;
    ensures \result == SHMCOMM_OK || \result == SHMCOMM_ERR_FULL
         || \result == SHMCOMM_ERR_CORRUPT;
*/
static inline int fifo_space(const struct fifo_writer *w, uint32_t *bad)
{
    uint32_t corrupt = 0;
    int full = 0;
    /*@ loop invariant 0 <= r <= w->n_readers;
        loop invariant full == 0 || full == 1;
        loop invariant full == 1 ==> \exists integer k; 0 <= k < r &&
            fifo_dist(w->tail, w->readers[k]->head) == w->depth;
        loop assigns r, corrupt, full;
        loop variant w->n_readers - r; */
    for (uint32_t r = 0; r < w->n_readers; r++) {
        /* A right shift: it cannot overflow (the proofs check every shift). */
        if (((w->live >> r) & 1u) == 0u)
            continue;
        uint64_t head = atomic_load_explicit(&w->readers[r]->head, memory_order_acquire);
        /* Unsigned: a head ahead of the tail wraps to a huge distance. */
        uint64_t used = fifo_distance(w->tail, head);
        if (used > w->depth)
            corrupt |= (1u << SHM_MAX_READERS) >> (SHM_MAX_READERS - r);  /* bit r, no left shift */
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
    ensures REQ_CHN_IDX_004: FIFO_ROOM_FOR_ALL:
        \result == 1 ==> \forall integer k; 0 <= k < w->n_readers ==>
            fifo_dist(w->tail, w->readers[k]->head) < w->depth;
    ensures REQ_CHN_IDX_004: FIFO_FULL_REFUSED:
        \result == 0 ==> \exists integer k; 0 <= k < w->n_readers &&
            fifo_dist(w->tail, w->readers[k]->head) >= w->depth;
    ensures \result == 0 || \result == 1;
*/
static inline int fifo_room_all(const struct fifo_writer *w)
{
    /*@ loop invariant 0 <= r <= w->n_readers;
        loop invariant \forall integer k; 0 <= k < r ==> fifo_dist(w->tail, w->readers[k]->head) < w->depth;
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
        /* A right shift: it cannot overflow (the proofs check every shift). */
        if (((w->live >> r) & 1u) == 0u)
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
/*@ requires \valid(w) && w->tail_slot < w->depth && \object_pointer(w->tail_hdr);
    assigns \nothing;
*/
static inline unsigned char *fifo_slot(const struct fifo_writer *w)
{
    return shm_view_payload(w->tail_hdr);
}

/* Writer: stamp the tail slot (before or after its payload is filled:
 * readers do not look at it until fifo_commit). */
/*@ requires \valid(w) && \valid(w->tail_hdr) && \separated(w, w->tail_hdr);
    requires 1 <= length <= w->msg_size;
    requires FIFO_NO_WRAP: w->tail < UINT64_MAX;
    assigns *w->tail_hdr;
    ensures w->tail_hdr->seq == w->tail + 1 && w->tail_hdr->length == length;
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
/*@ requires \valid(w) && \valid(w->hdr) && \separated(w, w->hdr) && w->tail_slot < w->depth;
    requires \object_pointer(w->tail_hdr) && \object_pointer(w->slots);
    requires w->n_readers <= SHM_MAX_READERS;
    requires \forall integer k; 0 <= k < w->n_readers ==> \separated(w->readers[k], w, w->hdr);
    requires FIFO_NO_WRAP: w->tail < UINT64_MAX;
    assigns w->hdr->published, w->tail, w->tail_slot, w->tail_hdr;
    ensures w->tail == \old(w->tail) + 1 && w->hdr->published == w->tail;
    ensures \object_pointer(w->tail_hdr);
    ensures REQ_CHN_IDX_002: FIFO_TAIL_SLOT_IN_DEPTH: w->tail_slot < w->depth;
    ensures REQ_CHN_IDX_002: FIFO_TAIL_SLOT_FOLLOWS:
        w->tail_slot == (\old(w->tail_slot) + 1 == w->depth ? 0 : \old(w->tail_slot) + 1);
    ensures REQ_CHN_IDX_004: FIFO_COUNT_KEPT_BY_WRITER:
        \forall integer k; 0 <= k < w->n_readers ==>
            fifo_dist(\old(w->tail), w->readers[k]->head) < w->depth ==>
            fifo_dist(w->tail, w->readers[k]->head) == fifo_dist(\old(w->tail), w->readers[k]->head) + 1
            && fifo_count_ok(w->tail, w->readers[k]->head, w->depth);
*/
static inline void fifo_commit(struct fifo_writer *w)
{
    uint64_t tail = w->tail + 1u;
    w->tail = tail;
    if (w->tail_slot + 1u == w->depth) {
        w->tail_slot = 0;
        w->tail_hdr = fifo_slot_hdr(w->slots, w->slot_stride, 0);
    } else {
        w->tail_slot++;
        w->tail_hdr = shm_view_next(w->tail_hdr, w->slot_stride);
    }
    atomic_store_explicit(&w->hdr->published, tail, memory_order_release);
}

/* Writer: stamp the tail slot and publish it. */
/*@ requires \valid(w) && \valid(w->hdr) && w->tail_slot < w->depth && \valid(w->tail_hdr);
    requires \object_pointer(w->slots);
    requires \separated(w, w->tail_hdr, w->hdr);
    requires w->n_readers <= SHM_MAX_READERS;
    requires \forall integer k; 0 <= k < w->n_readers ==> \separated(w->readers[k], w, w->hdr, w->tail_hdr);
    requires 1 <= length <= w->msg_size;
    requires FIFO_NO_WRAP: w->tail < UINT64_MAX;
    assigns w->hdr->published, w->tail, w->tail_slot, w->tail_hdr, *\old(w->tail_hdr);
    ensures w->tail == \old(w->tail) + 1 && w->tail_slot < w->depth;
    ensures REQ_CHN_IDX_004: FIFO_PUBLISHED_SEQ: \old(w->tail_hdr)->seq == w->tail;
    ensures REQ_CHN_IDX_004: FIFO_PUBLISH_COUNT_KEPT:
        \forall integer k; 0 <= k < w->n_readers ==>
            fifo_dist(\old(w->tail), w->readers[k]->head) < w->depth ==>
            fifo_count_ok(w->tail, w->readers[k]->head, w->depth);
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
    ensures REQ_CHN_IDX_004: FIFO_PENDING_IS_COUNT:
        \result != SHMCOMM_ERR_CORRUPT ==> \result == fifo_dist(r->hdr->published, r->head);
    ensures REQ_CHN_IDX_004: FIFO_PENDING_CORRUPT_ONLY_IF_BROKEN:
        \result == SHMCOMM_ERR_CORRUPT <==> !fifo_count_ok(r->hdr->published, r->head, r->depth);
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
    requires \separated(payload, length, timestamp, r, r->hdr, r->head_hdr);
    requires FIFO_NO_WRAP: r->head < UINT64_MAX;
    assigns *payload, *length, *timestamp;
    ensures REQ_CHN_IDX_002: FIFO_LENGTH_CHECKED: \result == SHMCOMM_OK ==> 1 <= *length <= r->msg_size;
    ensures REQ_CHN_IDX_002: FIFO_EMPTY_DISTINGUISHED:
        \old(r->hdr->published) == \old(r->head) ==> \result == SHMCOMM_ERR_EMPTY;
    ensures REQ_CHN_IDX_004: FIFO_EMPTY_REFUSED:
        \result == SHMCOMM_ERR_EMPTY ==> \old(r->hdr->published) == \old(r->head);
    ensures REQ_CHN_IDX_004: FIFO_PEEK_IN_ORDER:
        \result == SHMCOMM_OK ==> 1 <= fifo_dist(\old(r->hdr->published), \old(r->head)) <= r->depth;
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
    *payload = shm_view_payload_ro(h);
    *length = len;
    *timestamp = *(const volatile uint64_t *)&h->timestamp;
    return SHMCOMM_OK;
}

/* Reader: release the slot fifo_peek() showed (head + 1). */
/*@ requires \valid(r) && \valid(r->self) && r->head_slot < r->depth;
    requires \valid_read(r->hdr) && \separated(r, r->self, r->hdr);
    requires \object_pointer(r->head_hdr) && \object_pointer(r->slots);
    requires FIFO_NO_WRAP: r->head < UINT64_MAX;
    assigns r->head, r->head_slot, r->head_hdr, r->self->head;
    ensures r->head == \old(r->head) + 1 && r->self->head == r->head;
    ensures \object_pointer(r->head_hdr);
    ensures REQ_CHN_IDX_002: FIFO_HEAD_SLOT_IN_DEPTH: r->head_slot < r->depth;
    ensures REQ_CHN_IDX_002: FIFO_HEAD_SLOT_FOLLOWS:
        r->head_slot == (\old(r->head_slot) + 1 == r->depth ? 0 : \old(r->head_slot) + 1);
    ensures REQ_CHN_IDX_004: FIFO_COUNT_KEPT_BY_READER:
        1 <= fifo_dist(r->hdr->published, \old(r->head)) <= r->depth ==>
            fifo_dist(r->hdr->published, r->head) == fifo_dist(r->hdr->published, \old(r->head)) - 1
            && fifo_count_ok(r->hdr->published, r->head, r->depth);
*/
static inline void fifo_consume(struct fifo_reader *r)
{
    uint64_t head = r->head + 1u;
    r->head = head;
    if (r->head_slot + 1u == r->depth) {
        r->head_slot = 0;
        r->head_hdr = shm_view_slot_ro(r->slots, 0);
    } else {
        r->head_slot++;
        r->head_hdr = shm_view_next_ro(r->head_hdr, r->slot_stride);
    }
    atomic_store_explicit(&r->self->head, head, memory_order_release);
}

#endif
