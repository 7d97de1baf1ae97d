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
    uint64_t off = shm_fourslot_instance_offset(msg_size, instance);
    w->ctl = shm_view_fourslot_ctl(writer_area, off);
    w->slots = shm_view_bytes(writer_area, off + SHM_LINE_BYTES);
    w->reader = reader;
    w->slot_stride = shm_slot_stride(msg_size);
    w->msg_size = msg_size;
    /*@ loop invariant 0 <= k <= SHM_FOURSLOT_SLOTS;
        loop invariant \forall integer j; 0 <= j < k ==> \object_pointer(w->slot_at[j]);
        loop assigns k, w->slot_at[0 .. SHM_FOURSLOT_SLOTS - 1];
        loop variant SHM_FOURSLOT_SLOTS - k; */
    for (uint32_t k = 0; k < SHM_FOURSLOT_SLOTS; k++)
        w->slot_at[k] = fourslot_slot_at(w->slots, w->slot_stride, k / 2u, k % 2u);
    w->pair = 0;
    w->index = 0;
    w->claimed = w->slot_at[0];
}

void fourslot_reader_init(struct fourslot_reader *r, const void *writer_area, uint32_t msg_size,
                          uint32_t instance, struct shm_reader_ctl *reader)
{
    uint64_t off = shm_fourslot_instance_offset(msg_size, instance);
    r->ctl = shm_view_fourslot_ctl_ro(writer_area, off);
    r->slots = shm_view_bytes_ro(writer_area, off + SHM_LINE_BYTES);
    r->reader = reader;
    r->slot_stride = shm_slot_stride(msg_size);
    r->msg_size = msg_size;
    /*@ loop invariant 0 <= k <= SHM_FOURSLOT_SLOTS;
        loop assigns k, r->slot_at[0 .. SHM_FOURSLOT_SLOTS - 1];
        loop variant SHM_FOURSLOT_SLOTS - k; */
    for (uint32_t k = 0; k < SHM_FOURSLOT_SLOTS; k++)
        r->slot_at[k] = shm_view_slot_ro(r->slots, (uint64_t)k * r->slot_stride);
}


void fourslot_reset(struct fourslot_writer *w)
{
    /* The headers of the table init computed: slot k is pair k / 2, index
     * k % 2, the same address fourslot_slot_at gives. */
    /*@ loop invariant 0 <= k <= SHM_FOURSLOT_SLOTS;
        loop assigns k, *(w->slot_at[0 .. SHM_FOURSLOT_SLOTS - 1]);
        loop variant SHM_FOURSLOT_SLOTS - k; */
    for (uint32_t k = 0; k < SHM_FOURSLOT_SLOTS; k++) {
        struct shm_slot_header *h = w->slot_at[k];
        h->seq = 0;
        h->timestamp = 0;
        h->length = 0;
    }
    atomic_store_explicit(&w->ctl->slot[0], 0u, memory_order_relaxed);
    atomic_store_explicit(&w->ctl->slot[1], 0u, memory_order_relaxed);
    atomic_store_explicit(&w->ctl->latest, 0u, memory_order_release);
    w->pair = 0;
    w->index = 0;
    w->claimed = w->slot_at[0];
}
