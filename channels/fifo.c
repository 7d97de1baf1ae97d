/*
 * channels/fifo.c: wait-free ring with free-running counters.
 *
 * The writer fills a slot, then release-stores the new tail; a reader
 * acquire-loads the tail, so the slot's contents are visible before the
 * tail says they exist.  The reader copies the slot out, then release-stores
 * its new head; the writer acquire-loads the head, so the copy is complete
 * before the slot can be reused.  No store is followed by a load of the
 * other side's word that must not pass it, so no full fence is needed.
 */
#include <stdatomic.h>
#include "fifo.h"

static unsigned char *slot_base(unsigned char *slots, uint32_t stride, uint32_t k)
{
    return slots + (uint64_t)k * stride;
}

void fifo_writer_init(struct fifo_writer *w, void *writer_area, uint32_t msg_size, uint32_t depth,
                      uint32_t n_readers, const struct shm_reader_ctl *const *readers,
                      uint64_t tail)
{
    w->hdr = (struct shm_writer_header *)writer_area;
    w->slots = (unsigned char *)writer_area + SHM_LINE_BYTES;
    w->n_readers = n_readers;
    w->live = (1u << n_readers) - 1u;
    /*@ loop invariant 0 <= r <= SHM_MAX_READERS;
        loop assigns r, w->readers[0 .. SHM_MAX_READERS - 1];
        loop variant SHM_MAX_READERS - r; */
    for (uint32_t r = 0; r < SHM_MAX_READERS; r++)
        w->readers[r] = r < n_readers ? readers[r] : 0;
    w->msg_size = msg_size;
    w->slot_stride = shm_slot_stride(msg_size);
    w->depth = depth;
    w->tail = tail;
    w->tail_slot = (uint32_t)(tail % depth);
}

void fifo_reader_init(struct fifo_reader *r, const void *writer_area, uint32_t msg_size,
                      uint32_t depth, struct shm_reader_ctl *self, uint64_t head)
{
    r->hdr = (const struct shm_writer_header *)writer_area;
    r->slots = (const unsigned char *)writer_area + SHM_LINE_BYTES;
    r->self = self;
    r->msg_size = msg_size;
    r->slot_stride = shm_slot_stride(msg_size);
    r->depth = depth;
    r->head = head;
    r->head_slot = (uint32_t)(head % depth);
}

void fifo_reset(struct fifo_writer *w)
{
    /*@ loop invariant 0 <= k <= w->depth;
        loop assigns k;
        loop variant w->depth - k; */
    for (uint32_t k = 0; k < w->depth; k++) {
        struct shm_slot_header *h =
            (struct shm_slot_header *)(void *)slot_base(w->slots, w->slot_stride, k);
        h->seq = 0;
        h->length = 0;
        h->timestamp = 0;
    }
    w->tail = 0;
    w->tail_slot = 0;
    atomic_store_explicit(&w->hdr->published, 0, memory_order_release);
}

int fifo_space(const struct fifo_writer *w, uint32_t *bad)
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
        uint64_t used = w->tail - head;
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

int fifo_used(const struct fifo_writer *w)
{
    uint64_t most = 0;
    /*@ loop invariant 0 <= r <= w->n_readers && most <= w->depth;
        loop assigns r, most;
        loop variant w->n_readers - r; */
    for (uint32_t r = 0; r < w->n_readers; r++) {
        if (!(w->live & (1u << r)))
            continue;
        uint64_t used = w->tail - atomic_load_explicit(&w->readers[r]->head, memory_order_acquire);
        if (used > w->depth)
            return SHMCOMM_ERR_CORRUPT;
        if (used > most)
            most = used;
    }
    return (int)most;
}

unsigned char *fifo_slot(const struct fifo_writer *w)
{
    return slot_base(w->slots, w->slot_stride, w->tail_slot) + sizeof(struct shm_slot_header);
}

void fifo_publish(struct fifo_writer *w, uint32_t length, uint64_t timestamp)
{
    struct shm_slot_header *h =
        (struct shm_slot_header *)(void *)slot_base(w->slots, w->slot_stride, w->tail_slot);
    h->seq = w->tail + 1u;
    h->timestamp = timestamp;
    h->length = length;
    w->tail++;
    w->tail_slot = w->tail_slot + 1u == w->depth ? 0u : w->tail_slot + 1u;
    atomic_store_explicit(&w->hdr->published, w->tail, memory_order_release);
}

int fifo_pending(const struct fifo_reader *r)
{
    uint64_t tail = atomic_load_explicit(&r->hdr->published, memory_order_acquire);
    uint64_t avail = tail - r->head;
    if (avail > r->depth)
        return SHMCOMM_ERR_CORRUPT;
    return (int)avail;
}

int fifo_peek(const struct fifo_reader *r, const unsigned char **payload, uint32_t *length,
              uint64_t *timestamp)
{
    uint64_t tail = atomic_load_explicit(&r->hdr->published, memory_order_acquire);
    uint64_t avail = tail - r->head;
    if (avail == 0)
        return SHMCOMM_ERR_EMPTY;
    if (avail > r->depth)
        return SHMCOMM_ERR_CORRUPT;
    const struct shm_slot_header *h = (const struct shm_slot_header *)(const void *)
        (r->slots + (uint64_t)r->head_slot * r->slot_stride);
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

void fifo_consume(struct fifo_reader *r)
{
    r->head++;
    r->head_slot = r->head_slot + 1u == r->depth ? 0u : r->head_slot + 1u;
    atomic_store_explicit(&r->self->head, r->head, memory_order_release);
}
