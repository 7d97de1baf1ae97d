/*
 * channels/fourslot.c: Simpson's four-slot algorithm with C11 atomics.
 *
 * Writer:  pair = !reading; index = !slot[pair]; fill data[pair][index];
 *          slot[pair] = index; latest = pair.
 * Reader:  pair = latest; reading = pair; index = slot[pair];
 *          read data[pair][index].
 *
 * Ordering on x86-64: acquire loads and release stores are plain moves, but
 * the algorithm has two store-then-load patterns that x86 may reorder (its
 * store buffer): the reader's store of "reading" before its load of
 * slot[pair], and the writer's stores of slot[]/latest before its next load
 * of "reading".  Each side puts a sequentially consistent fence (mfence)
 * between them; without it the writer could pick the pair the reader has
 * just announced and overwrite the slot being read (the Promela model in
 * proofs/promela/fourslot.pml checks the protocol).
 */
#include <stdatomic.h>
#include "fourslot.h"

void fourslot_writer_init(struct fourslot_writer *w, void *writer_area, uint32_t msg_size,
                          uint32_t instance, const struct shm_reader_ctl *reader)
{
    unsigned char *base = (unsigned char *)writer_area;
    uint64_t off = shm_fourslot_instance_offset(msg_size, instance);
    w->ctl = (struct shm_fourslot_ctl *)(void *)(base + off);
    w->slots = base + off + SHM_LINE_BYTES;
    w->reader = reader;
    w->slot_stride = shm_slot_stride(msg_size);
    w->msg_size = msg_size;
    w->pair = 0;
    w->index = 0;
}

void fourslot_reader_init(struct fourslot_reader *r, const void *writer_area, uint32_t msg_size,
                          uint32_t instance, struct shm_reader_ctl *reader)
{
    const unsigned char *base = (const unsigned char *)writer_area;
    uint64_t off = shm_fourslot_instance_offset(msg_size, instance);
    r->ctl = (const struct shm_fourslot_ctl *)(const void *)(base + off);
    r->slots = base + off + SHM_LINE_BYTES;
    r->reader = reader;
    r->slot_stride = shm_slot_stride(msg_size);
    r->msg_size = msg_size;
}

static struct shm_slot_header *slot_at(unsigned char *slots, uint32_t stride,
                                       uint32_t pair, uint32_t index)
{
    return (struct shm_slot_header *)(void *)(slots + (2u * pair + index) * stride);
}

void fourslot_reset(struct fourslot_writer *w)
{
    /*@ loop invariant 0 <= k <= SHM_FOURSLOT_SLOTS;
        loop assigns k;
        loop variant SHM_FOURSLOT_SLOTS - k; */
    for (uint32_t k = 0; k < SHM_FOURSLOT_SLOTS; k++) {
        struct shm_slot_header *h = slot_at(w->slots, w->slot_stride, k / 2u, k % 2u);
        h->seq = 0;
        h->timestamp = 0;
        h->length = 0;
    }
    atomic_store_explicit(&w->ctl->slot[0], 0u, memory_order_relaxed);
    atomic_store_explicit(&w->ctl->slot[1], 0u, memory_order_relaxed);
    atomic_store_explicit(&w->ctl->latest, 0u, memory_order_release);
    w->pair = 0;
    w->index = 0;
}

int fourslot_claim(struct fourslot_writer *w)
{
    /* Orders the previous publish's stores before the load of "reading". */
    atomic_thread_fence(memory_order_seq_cst);
    uint32_t reading = atomic_load_explicit(&w->reader->reading, memory_order_acquire);
    if (reading > 1u)
        return SHMCOMM_ERR_CORRUPT;
    uint32_t pair = reading ^ 1u;
    /* slot[] is our own word, but we still never index with more than a bit. */
    uint32_t last = atomic_load_explicit(&w->ctl->slot[pair], memory_order_relaxed);
    w->pair = pair;
    w->index = (last & 1u) ^ 1u;
    return SHMCOMM_OK;
}

unsigned char *fourslot_slot(const struct fourslot_writer *w)
{
    return (unsigned char *)slot_at(w->slots, w->slot_stride, w->pair, w->index)
         + sizeof(struct shm_slot_header);
}

void fourslot_publish(struct fourslot_writer *w, uint32_t length, uint64_t seq, uint64_t timestamp)
{
    struct shm_slot_header *h = slot_at(w->slots, w->slot_stride, w->pair, w->index);
    h->seq = seq;
    h->timestamp = timestamp;
    h->length = length;
    atomic_store_explicit(&w->ctl->slot[w->pair], w->index, memory_order_release);
    atomic_store_explicit(&w->ctl->latest, w->pair, memory_order_release);
}

int fourslot_read(struct fourslot_reader *r, struct fourslot_msg *msg)
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
    const struct shm_slot_header *h = (const struct shm_slot_header *)(const void *)
        (r->slots + (2u * pair + index) * r->slot_stride);
    /* Each header field is read exactly once: the checked value is the used one. */
    uint64_t seq = *(const volatile uint64_t *)&h->seq;
    if (seq == 0)
        return SHMCOMM_ERR_EMPTY;
    uint32_t length = *(const volatile uint32_t *)&h->length;
    if (length == 0 || length > r->msg_size)
        return SHMCOMM_ERR_CORRUPT;
    msg->payload = (const unsigned char *)h + sizeof(struct shm_slot_header);
    msg->length = length;
    msg->seq = seq;
    msg->timestamp = *(const volatile uint64_t *)&h->timestamp;
    return SHMCOMM_OK;
}
