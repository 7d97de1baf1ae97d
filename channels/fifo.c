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
    w->tail_hdr = (struct shm_slot_header *)(void *)fifo_slot_base(w->slots, w->slot_stride,
                                                                   w->tail_slot);
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
    r->head_hdr = (const struct shm_slot_header *)(const void *)
        (r->slots + (uint64_t)r->head_slot * r->slot_stride);
}

void fifo_reset(struct fifo_writer *w)
{
    /*@ loop invariant 0 <= k <= w->depth;
        loop assigns k;
        loop variant w->depth - k; */
    for (uint32_t k = 0; k < w->depth; k++) {
        struct shm_slot_header *h =
            (struct shm_slot_header *)(void *)fifo_slot_base(w->slots, w->slot_stride, k);
        h->seq = 0;
        h->length = 0;
        h->timestamp = 0;
    }
    w->tail = 0;
    w->tail_slot = 0;
    w->tail_hdr = (struct shm_slot_header *)(void *)w->slots;
    atomic_store_explicit(&w->hdr->published, 0, memory_order_release);
}
