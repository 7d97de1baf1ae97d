/*
 * channels/fourslot.h: Simpson's four-slot asynchronous buffer, one writer
 * and one reader per instance, on the layout of shm_layout.h.
 *
 * The writer never waits and never blocks the reader; the reader always
 * gets the newest complete message and never a torn one.  The control words
 * are split by owner: latest and slot[] live in the writer's area, the
 * reader's "reading" pair lives in the reader's own control page.
 *
 * A write is three steps so that callers can fill the slot in place (a
 * marshal hook writes straight into shared memory, several instances can be
 * claimed before any is written):
 *   fourslot_claim()    choose the free slot (reads the reader's page)
 *   fourslot_slot()     where to put the payload
 *   fourslot_publish()  stamp the header and make the slot the newest
 * Values read from the other side's page are checked: an impossible index
 * is reported as SHMCOMM_ERR_CORRUPT and never used.
 */
#ifndef TRIAD_CHANNELS_FOURSLOT_H
#define TRIAD_CHANNELS_FOURSLOT_H

#include <stdint.h>
#include "shm_layout.h"
#include "shmcomm_errors.h"
#include "shm_view.h"
#include <stdatomic.h>

/* The four-slot invariant on the shared words (proofs/ASSUMPTIONS.md,
 * "Channel core"): the writer keeps latest and slot[] at 0 or 1
 * (fourslot_commit, fourslot_reset prove it), the reader keeps its
 * "reading" at 0 or 1 (fourslot_read proves it).  Each side relies on the
 * other's only through checks: a value outside 0..1 is reported corrupt. */
/*@ predicate fourslot_words_ok(integer latest, integer slot0, integer slot1) =
        0 <= latest <= 1 && 0 <= slot0 <= 1 && 0 <= slot1 <= 1;
*/

/* The writer's private view of one instance. */
struct fourslot_writer {
    struct shm_fourslot_ctl *ctl;         /* writer area: latest, slot[] */
    unsigned char *slots;                 /* writer area: first of the 4 slots */
    const struct shm_reader_ctl *reader;  /* reader's page, read-only for us */
    /* Slot 2*pair+index, computed once at init: a claim is a table load,
     * not a multiplication (the write fast path counts instructions). */
    struct shm_slot_header *slot_at[SHM_FOURSLOT_SLOTS];
    struct shm_slot_header *claimed;      /* slot_at[2*pair+index] of the last claim */
    uint32_t slot_stride;
    uint32_t msg_size;
    uint32_t pair;                        /* chosen by the last claim */
    uint32_t index;
};

/* The reader's private view of one instance. */
struct fourslot_reader {
    const struct shm_fourslot_ctl *ctl;   /* writer area, read-only for us */
    const unsigned char *slots;
    struct shm_reader_ctl *reader;        /* our own page */
    /* Slot 2*pair+index, computed once at init from our own parameters. */
    const struct shm_slot_header *slot_at[SHM_FOURSLOT_SLOTS];
    uint32_t slot_stride;
    uint32_t msg_size;
};

/* What a reader learns about the message it got. */
struct fourslot_msg {
    const unsigned char *payload;         /* inside the slot; stable until the next read */
    uint32_t length;                      /* checked: 1 <= length <= msg_size */
    uint64_t seq;
    uint64_t timestamp;
};

/*@ requires \valid(w);
    requires \valid_read(reader);
    requires 1 <= msg_size <= SHM_MAX_MSG_BYTES;
    requires instance < SHM_MAX_READERS;
    assigns *w;
    ensures w->msg_size == msg_size && w->reader == reader;
    ensures w->pair == 0 && w->index == 0 && w->claimed == w->slot_at[0];
*/
void fourslot_writer_init(struct fourslot_writer *w, void *writer_area, uint32_t msg_size,
                          uint32_t instance, const struct shm_reader_ctl *reader);

/*@ requires \valid(r);
    requires \valid(reader);
    requires 1 <= msg_size <= SHM_MAX_MSG_BYTES;
    requires instance < SHM_MAX_READERS;
    assigns *r;
    ensures r->msg_size == msg_size && r->reader == reader;
*/
void fourslot_reader_init(struct fourslot_reader *r, const void *writer_area, uint32_t msg_size,
                          uint32_t instance, struct shm_reader_ctl *reader);

/* Writer: forget every earlier message (fresh channel): all slots "never
 * written", latest pair 0. */
/*@ requires \valid(w) && \valid(w->ctl);
    requires \forall integer k; 0 <= k < SHM_FOURSLOT_SLOTS ==> \valid(w->slot_at[k]);
    requires \forall integer k; 0 <= k < SHM_FOURSLOT_SLOTS ==> \separated(w->slot_at[k], w, w->ctl);
    requires \separated(w, w->ctl);
    assigns *w->ctl, w->pair, w->index, w->claimed, *(w->slot_at[0 .. SHM_FOURSLOT_SLOTS - 1]);
    ensures REQ_CHN_IDX_003: FOURSLOT_RESET_WORDS:
        w->ctl->latest == 0 && w->ctl->slot[0] == 0 && w->ctl->slot[1] == 0
        && fourslot_words_ok(w->ctl->latest, w->ctl->slot[0], w->ctl->slot[1]);
    ensures REQ_CHN_IDX_001: FOURSLOT_RESET_CLAIM:
        w->pair == 0 && w->index == 0 && w->claimed == w->slot_at[0];
*/
void fourslot_reset(struct fourslot_writer *w);

/* Slot 2*pair+index of an instance.  pair and index are 0 or 1 here:
 * callers only pass values they checked or masked. */
/*@ requires pair <= 1 && index <= 1;
    requires stride <= SHM_MAX_MSG_BYTES + 24 + SHM_LINE_BYTES - 1;
    assigns \nothing;
    ensures \result == shm_slot_l(slots, (2 * pair + index) * stride) && \object_pointer(\result);
*/
static inline struct shm_slot_header *fourslot_slot_at(unsigned char *slots, uint32_t stride,
                                                       uint32_t pair, uint32_t index)
{
    return shm_view_slot(slots, ((2u * (uint64_t)pair) + index) * stride);
}

/* Writer step 1: pick the slot the reader cannot be using.  Reads the
 * reader's "reading" once; a value other than 0 or 1 is corruption. */
/*@ requires \valid(w) && \valid_read(w->reader) && \valid_read(w->ctl);
    requires \separated(w, w->ctl, w->reader);
    requires \forall integer k; 0 <= k < SHM_FOURSLOT_SLOTS ==> \valid(w->slot_at[k]);
    assigns w->pair, w->index, w->claimed;
    ensures REQ_CHN_IDX_001: FOURSLOT_CLAIM_IN_RANGE:
        \result == SHMCOMM_OK ==> w->pair <= 1 && w->index <= 1
                                && w->claimed == w->slot_at[2 * w->pair + w->index];
    ensures REQ_CHN_IDX_001: FOURSLOT_READING_CHECKED:
        \old(w->reader->reading) > 1 ==> \result == SHMCOMM_ERR_CORRUPT;
    ensures REQ_CHN_IDX_003: FOURSLOT_CLAIM_AVOIDS_READER:
        \result == SHMCOMM_OK ==> w->pair != \old(w->reader->reading)
                                && (w->ctl->slot[w->pair] <= 1 ==> w->index != w->ctl->slot[w->pair]);
    ensures \result == SHMCOMM_OK || \result == SHMCOMM_ERR_CORRUPT;
*/
static inline int fourslot_claim(struct fourslot_writer *w)
{
    /* Orders the previous publish's stores before the load of "reading"
     * (x86-TSO lets a load pass earlier stores: this is the one mfence of
     * the write). */
    atomic_thread_fence(memory_order_seq_cst);
    uint32_t reading = atomic_load_explicit(&w->reader->reading, memory_order_acquire);
    if (reading > 1u)
        return SHMCOMM_ERR_CORRUPT;
    uint32_t pair = reading ^ 1u;
    /* For the prover (no bit-vector reasoning): flipping a bit, case by case. */
    /*@ assert reading == 0 ==> pair == 1; */
    /*@ assert reading == 1 ==> pair == 0; */
    /* slot[] is our own word, but we still never index with more than a bit. */
    uint32_t last = atomic_load_explicit(&w->ctl->slot[pair], memory_order_relaxed);
    /* The other index of the pair (a comparison, not a bit flip: the prover
     * has no bit-vector reasoning, and it is the same for 0 and 1). */
    uint32_t index = 1u;
    if (last != 0u) {
        index = 0u;
    }
    w->pair = pair;
    w->index = index;
    w->claimed = w->slot_at[2u * pair + index];
    return SHMCOMM_OK;
}

/* Writer step 2: the payload area of the claimed slot (msg_size bytes). */
/*@ requires \valid(w) && \valid(w->claimed) && w->pair <= 1 && w->index <= 1;
    assigns \nothing;
*/
static inline unsigned char *fourslot_slot(const struct fourslot_writer *w)
{
    return shm_view_payload(w->claimed);
}

/* Writer step 3a: stamp the claimed slot (before or after its payload is
 * filled: nobody reads it until step 3b). */
/*@ requires \valid(w) && \valid(w->claimed);
    requires 1 <= length <= w->msg_size;
    assigns *w->claimed;
*/
static inline void fourslot_stamp(struct fourslot_writer *w, uint32_t length, uint64_t seq,
                                  uint64_t timestamp)
{
    struct shm_slot_header *h = w->claimed;
    h->seq = seq;
    h->timestamp = timestamp;
    h->length = length;
}

/* Writer step 3b: make the claimed, stamped and filled slot the newest. */
/*@ requires \valid(w) && \valid(w->ctl) && w->pair <= 1 && w->index <= 1;
    requires \separated(w, w->ctl);
    assigns *w->ctl;
    ensures REQ_CHN_IDX_003: FOURSLOT_COMMIT_NEWEST:
        w->ctl->latest == w->pair && w->ctl->slot[w->pair] == w->index;
    ensures REQ_CHN_IDX_003: FOURSLOT_WORDS_KEPT:
        fourslot_words_ok(\old(w->ctl->latest), \old(w->ctl->slot[0]), \old(w->ctl->slot[1]))
        ==> fourslot_words_ok(w->ctl->latest, w->ctl->slot[0], w->ctl->slot[1]);
*/
static inline void fourslot_commit(struct fourslot_writer *w)
{
    atomic_store_explicit(&w->ctl->slot[w->pair], w->index, memory_order_release);
    atomic_store_explicit(&w->ctl->latest, w->pair, memory_order_release);
}

/* Writer step 3: stamp the claimed slot and publish it as the newest. */
/*@ requires \valid(w) && \valid(w->ctl) && w->pair <= 1 && w->index <= 1 && \valid(w->claimed);
    requires \separated(w, w->ctl, w->claimed);
    requires 1 <= length <= w->msg_size;
    assigns *w->ctl, *w->claimed;
    ensures REQ_CHN_IDX_003: FOURSLOT_PUBLISH_WORDS_KEPT:
        fourslot_words_ok(\old(w->ctl->latest), \old(w->ctl->slot[0]), \old(w->ctl->slot[1]))
        ==> fourslot_words_ok(w->ctl->latest, w->ctl->slot[0], w->ctl->slot[1]);
*/
static inline void fourslot_publish(struct fourslot_writer *w, uint32_t length, uint64_t seq, uint64_t timestamp)
{
    fourslot_stamp(w, length, seq, timestamp);
    fourslot_commit(w);
}

/* Reader: pin the newest slot and describe it.  The payload stays intact
 * until the next fourslot_read on this instance.  Returns SHMCOMM_OK,
 * SHMCOMM_ERR_EMPTY (nothing ever written) or SHMCOMM_ERR_CORRUPT (an index
 * or length from the writer's area is impossible). */
/*@ requires \valid(r) && \valid(msg) && \valid(r->reader) && \valid_read(r->ctl);
    requires \forall integer k; 0 <= k < SHM_FOURSLOT_SLOTS ==> \valid_read(r->slot_at[k]);
    requires \separated(r, msg, r->reader, r->ctl);
    requires \forall integer k; 0 <= k < SHM_FOURSLOT_SLOTS ==> \separated(r->slot_at[k], r->reader);
    assigns r->reader->reading, *msg;
    ensures REQ_CHN_IDX_003: FOURSLOT_READ_ANNOUNCED:
        \result == SHMCOMM_OK ==> r->reader->reading == \old(r->ctl->latest) && r->reader->reading <= 1;
    ensures REQ_CHN_IDX_003: FOURSLOT_READING_KEPT:
        \old(r->reader->reading) <= 1 ==> r->reader->reading <= 1;

    ensures REQ_CHN_IDX_001: FOURSLOT_LENGTH_CHECKED:
        \result == SHMCOMM_OK ==> 1 <= msg->length <= r->msg_size;
    ensures REQ_CHN_IDX_001: FOURSLOT_LATEST_CHECKED:
        \old(r->ctl->latest) > 1 ==> \result == SHMCOMM_ERR_CORRUPT;
    ensures \result == SHMCOMM_OK || \result == SHMCOMM_ERR_EMPTY
         || \result == SHMCOMM_ERR_CORRUPT;
*/
static inline int fourslot_read(struct fourslot_reader *r, struct fourslot_msg *msg)
{
    uint32_t pair = atomic_load_explicit(&r->ctl->latest, memory_order_acquire);
    if (pair > 1u)
        return SHMCOMM_ERR_CORRUPT;
    /* Release: our reads of the slot we held before are done before the
     * writer can see that we left it (and reuse it). */
    atomic_store_explicit(&r->reader->reading, pair, memory_order_release);
    /* Our announcement must be visible before we look at slot[pair]. */
    atomic_thread_fence(memory_order_seq_cst);
    uint32_t index = atomic_load_explicit(&r->ctl->slot[pair], memory_order_acquire);
    if (index > 1u)
        return SHMCOMM_ERR_CORRUPT;
    const struct shm_slot_header *h = r->slot_at[2u * pair + index];
    /* Each header field is read exactly once: the checked value is the used one. */
    uint64_t seq = *(const volatile uint64_t *)&h->seq;
    if (seq == 0)
        return SHMCOMM_ERR_EMPTY;
    uint32_t length = *(const volatile uint32_t *)&h->length;
    if (length == 0 || length > r->msg_size)
        return SHMCOMM_ERR_CORRUPT;
    msg->payload = shm_view_payload_ro(h);
    msg->length = length;
    msg->seq = seq;
    msg->timestamp = *(const volatile uint64_t *)&h->timestamp;
    return SHMCOMM_OK;
}

#endif
