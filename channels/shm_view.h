/*
 * channels/shm_view.h: the channel area seen as the structures of
 * shm_layout.h.
 *
 * The writer area is bytes (sysgen carves pages, the monitor maps them) and
 * the channel code reads and writes it in place as a writer header, four-slot
 * control lines and slot headers.  Frama-C/WP's typed memory model gives
 * each location one C type, so a cast from bytes to a structure cannot be
 * proved there.  Each change of view is therefore one function here: under
 * Frama-C only its declaration and contract are seen (trusted, listed in
 * proofs/ASSUMPTIONS.md, "Type views"); the build compiles the one-line body,
 * which inlines to the address arithmetic the code had before.
 *
 * The views compute addresses and nothing else: which slot a pair, an index,
 * a head or a tail selects is decided in the proved code (fourslot.h,
 * fifo.h), and that each address lies inside the channel area is the layout
 * requirement CHN-LAY-001 (tests/unit/channels/test_shm_layout.c,
 * test_fourslot_fifo.c under the address sanitizer).
 */
#ifndef TRIAD_CHANNELS_SHM_VIEW_H
#define TRIAD_CHANNELS_SHM_VIEW_H

#include <stdint.h>
#include "shm_layout.h"

/* The slot header `off` bytes after `slots`, as a logic value: what
 * shm_view_slot returns, so that contracts can name a slot by its offset. */
/*@ axiomatic ShmView {
      logic struct shm_slot_header *shm_slot_l(unsigned char *slots, integer off);
    }
*/

#ifdef __FRAMAC__
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
struct shm_writer_header *shm_view_writer_header(void *area);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
const struct shm_writer_header *shm_view_writer_header_ro(const void *area);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
struct shm_fourslot_ctl *shm_view_fourslot_ctl(void *area, uint64_t off);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
const struct shm_fourslot_ctl *shm_view_fourslot_ctl_ro(const void *area, uint64_t off);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
unsigned char *shm_view_bytes(void *area, uint64_t off);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
const unsigned char *shm_view_bytes_ro(const void *area, uint64_t off);
/*@ assigns \nothing;
    ensures \result == shm_slot_l(slots, off) && \object_pointer(\result); */
struct shm_slot_header *shm_view_slot(unsigned char *slots, uint64_t off);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
const struct shm_slot_header *shm_view_slot_ro(const unsigned char *slots, uint64_t off);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
struct shm_slot_header *shm_view_next(struct shm_slot_header *h, uint32_t stride);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
const struct shm_slot_header *shm_view_next_ro(const struct shm_slot_header *h, uint32_t stride);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
unsigned char *shm_view_payload(struct shm_slot_header *h);
/*@ assigns \nothing;
    ensures \object_pointer(\result); */
const unsigned char *shm_view_payload_ro(const struct shm_slot_header *h);
#else
static inline struct shm_writer_header *shm_view_writer_header(void *area)
{
    return (struct shm_writer_header *)area;
}
static inline const struct shm_writer_header *shm_view_writer_header_ro(const void *area)
{
    return (const struct shm_writer_header *)area;
}
static inline struct shm_fourslot_ctl *shm_view_fourslot_ctl(void *area, uint64_t off)
{
    return (struct shm_fourslot_ctl *)(void *)((unsigned char *)area + off);
}
static inline const struct shm_fourslot_ctl *shm_view_fourslot_ctl_ro(const void *area, uint64_t off)
{
    return (const struct shm_fourslot_ctl *)(const void *)((const unsigned char *)area + off);
}
static inline unsigned char *shm_view_bytes(void *area, uint64_t off)
{
    return (unsigned char *)area + off;
}
static inline const unsigned char *shm_view_bytes_ro(const void *area, uint64_t off)
{
    return (const unsigned char *)area + off;
}
static inline struct shm_slot_header *shm_view_slot(unsigned char *slots, uint64_t off)
{
    return (struct shm_slot_header *)(void *)(slots + off);
}
static inline const struct shm_slot_header *shm_view_slot_ro(const unsigned char *slots, uint64_t off)
{
    return (const struct shm_slot_header *)(const void *)(slots + off);
}
static inline struct shm_slot_header *shm_view_next(struct shm_slot_header *h, uint32_t stride)
{
    return (struct shm_slot_header *)(void *)((unsigned char *)h + stride);
}
static inline const struct shm_slot_header *shm_view_next_ro(const struct shm_slot_header *h,
                                                             uint32_t stride)
{
    return (const struct shm_slot_header *)(const void *)((const unsigned char *)h + stride);
}
static inline unsigned char *shm_view_payload(struct shm_slot_header *h)
{
    return (unsigned char *)h + sizeof(struct shm_slot_header);
}
static inline const unsigned char *shm_view_payload_ro(const struct shm_slot_header *h)
{
    return (const unsigned char *)h + sizeof(struct shm_slot_header);
}
#endif

#endif
