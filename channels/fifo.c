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
    w->hdr = shm_view_writer_header(writer_area);
    w->slots = shm_view_bytes(writer_area, SHM_LINE_BYTES);
    w->n_readers = n_readers;
    /* Bits 0 .. n_readers - 1, as a right shift of the 8-bit mask (no
     * shift that could overflow, for the proofs). */
    w->live = ((1u << SHM_MAX_READERS) - 1u) >> (SHM_MAX_READERS - n_readers);
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
    w->tail_hdr = fifo_slot_hdr(w->slots, w->slot_stride, w->tail_slot);
}

void fifo_reader_init(struct fifo_reader *r, const void *writer_area, uint32_t msg_size,
                      uint32_t depth, struct shm_reader_ctl *self, uint64_t head)
{
    r->hdr = shm_view_writer_header_ro(writer_area);
    r->slots = shm_view_bytes_ro(writer_area, SHM_LINE_BYTES);
    r->self = self;
    r->msg_size = msg_size;
    r->slot_stride = shm_slot_stride(msg_size);
    r->depth = depth;
    r->head = head;
    r->head_slot = (uint32_t)(head % depth);
    r->head_hdr = shm_view_slot_ro(r->slots, (uint64_t)r->head_slot * r->slot_stride);
}

/* Slot k + 1 <= depth ends inside the ring: multiplication is monotonic
 * (stated once for the provers, which have no nonlinear arithmetic). */
/*@ lemma fifo_mul_mono: \forall integer a, b, c; 0 <= a <= b ==> 0 <= c ==> a * c <= b * c; */

void fifo_reset(struct fifo_writer *w)
{
    /* Every slot "never written" (seq 0): its header's bytes zeroed.  Bytes,
     * not the structure's fields: the ring is a byte range the proof can
     * bound (slot k's header is bytes k * stride .. k * stride + 23). */
    /*@ loop invariant 0 <= k <= w->depth;
        loop assigns k, w->slots[0 .. w->depth * w->slot_stride - 1];
        loop variant w->depth - k; */
    for (uint32_t k = 0; k < w->depth; k++) {
        /*@ assert SLOT_IN_RING: (k + 1) * w->slot_stride <= w->depth * w->slot_stride; */
        unsigned char *h = w->slots + (uint64_t)k * w->slot_stride;
        /*@ loop invariant 0 <= i <= sizeof(struct shm_slot_header);
            loop assigns i, h[0 .. sizeof(struct shm_slot_header) - 1];
            loop variant sizeof(struct shm_slot_header) - i; */
        for (uint32_t i = 0; i < sizeof(struct shm_slot_header); i++) {
            h[i] = 0;
        }
    }
    w->tail = 0;
    w->tail_slot = 0;
    w->tail_hdr = fifo_slot_hdr(w->slots, w->slot_stride, 0);
    atomic_store_explicit(&w->hdr->published, 0, memory_order_release);
}
