/*
 * channels/shm_layout.h: the memory layout of one shmcomm channel.
 *
 * This header is a contract between three parties and must stay stable:
 *   - tools/sysgen carves channel pages with shm_writer_area_bytes() and
 *     SHM_READER_CTL_BYTES (it includes this file; only <stdint.h> needed);
 *   - the monitor maps those pages with one-way permissions (EPT);
 *   - channels/ reads and writes the structures below in place.
 * Any change to a structure or a formula bumps SHM_LAYOUT_VERSION.
 *
 * One channel = one writer area + one control page per reader:
 *
 *   writer area (read-write for the writer, read-only for every reader),
 *   a whole number of 4 KiB pages:
 *     offset 0   struct shm_writer_header            64 bytes
 *     offset 64  body:
 *       async (Simpson's four-slot), one instance per reader, all written by
 *       the same write call:
 *         instance r at 64 + r * instance_stride:
 *           struct shm_fourslot_ctl                  64 bytes
 *           4 slots (pair p, index i at slot 2p+i), slot_stride bytes each
 *       sync (FIFO ring shared by all readers, each with its own head):
 *         slot k at 64 + k * slot_stride, k = 0 .. depth-1
 *     every slot: struct shm_slot_header (24 bytes), then msg_size bytes
 *     of payload, padded to a multiple of 64 bytes (slot_stride).
 *
 *   reader control page r (read-write for reader r only, read-only for the
 *   writer), exactly SHM_READER_CTL_BYTES: struct shm_reader_ctl.
 *
 * Nothing a reader writes lives in the writer area and nothing the writer
 * writes lives in a reader page, so EPT can enforce one-way protection at
 * page granularity.  Whoever reads the other side's page treats every value
 * in it as untrusted (bounds-checked before use).
 *
 * All multi-byte fields are little-endian (x86-64), read in place.
 * A freshly carved channel is all zero; zero is a valid initial state of
 * every index (nothing published, nothing consumed, reader on pair 0).
 */
#ifndef TRIAD_CHANNELS_SHM_LAYOUT_H
#define TRIAD_CHANNELS_SHM_LAYOUT_H

#include <stdint.h>

#define SHM_LAYOUT_MAGIC    0x48435254u   /* "TRCH" in memory order */
#define SHM_LAYOUT_VERSION  1u

#define SHM_PAGE_BYTES       4096u
#define SHM_READER_CTL_BYTES 4096u        /* one page per reader */
#define SHM_LINE_BYTES       64u          /* slots and control lines are cache-line aligned */
#define SHM_MAX_READERS      8u           /* = TRIAD_MAX_READERS in system_table.h */
#define SHM_MAX_MSG_BYTES    65536u       /* largest declared message */
#define SHM_MAX_DEPTH        4096u        /* largest FIFO depth */
#define SHM_FOURSLOT_SLOTS   4u

/* Values match enum triad_channel_kind in monitor/partition/system_table.h. */
enum shm_kind {
    SHM_KIND_ASYNC = 0,   /* four-slot, latest value, one instance per reader */
    SHM_KIND_SYNC = 1     /* FIFO of declared depth, every reader gets every message */
};

/* First 64 bytes of the writer area.  Written by the writer only. */
struct shm_writer_header {
    uint32_t magic;            /* SHM_LAYOUT_MAGIC once the writer has created it */
    uint16_t version;          /* SHM_LAYOUT_VERSION */
    uint8_t  kind;             /* enum shm_kind */
    uint8_t  n_readers;        /* 1 .. SHM_MAX_READERS */
    uint32_t msg_size;         /* declared payload capacity of a slot, bytes */
    uint32_t depth;            /* FIFO slots (sync); SHM_FOURSLOT_SLOTS (async) */
    uint32_t slot_stride;      /* bytes from one slot to the next */
    uint32_t instance_stride;  /* async: bytes per four-slot instance; sync: 0 */
    uint32_t key;              /* the channel's key, for diagnostics */
    uint32_t area_bytes;       /* size of the writer area */
    /* Messages published so far (async: sequence number of the newest
     * message; sync: the FIFO tail, free-running).  Release-stored. */
    _Atomic uint64_t published;
    uint8_t  reserved[24];
};

/* Every message slot starts with this header; the payload follows it. */
struct shm_slot_header {
    uint64_t seq;              /* 1, 2, 3...: 0 means "never written" */
    uint64_t timestamp;        /* writer's clock when written, nanoseconds */
    uint32_t length;           /* payload bytes actually used, <= msg_size */
    uint32_t reserved;
};

/* Simpson's four-slot control words of one instance (writer-owned). */
struct shm_fourslot_ctl {
    _Atomic uint32_t latest;   /* pair written last: 0 or 1 */
    _Atomic uint32_t slot[2];  /* per pair, index written last: 0 or 1 */
    uint8_t  reserved[52];
};

/* One reader's control page (reader-owned). */
struct shm_reader_ctl {
    _Atomic uint64_t head;     /* sync: messages this reader consumed, free-running */
    _Atomic uint32_t reading;  /* async: pair this reader is reading (Simpson's "reading") */
    uint32_t reserved0;
    uint8_t  reserved[SHM_READER_CTL_BYTES - 16];
};

/* Proofs only (Frama-C defines __FRAMAC__; the build never does).  WP proves
 * the channel core sequentially: an atomic load or store is the plain access
 * it compiles to on x86-64 and a fence has no effect on one thread.  What the
 * orderings and fences buy between threads is the spin models' part
 * (proofs/promela/); this model is listed in proofs/ASSUMPTIONS.md.  Frama-C's
 * own <stdatomic.h> declares these operations without a contract, which WP
 * cannot use. */
#ifdef __FRAMAC__
#include <stdatomic.h>
#undef atomic_load_explicit
#define atomic_load_explicit(obj, order) (*(obj))
#undef atomic_store_explicit
#define atomic_store_explicit(obj, value, order) ((void)(*(obj) = (value)))
#undef atomic_thread_fence
#define atomic_thread_fence(order) ((void)0)
#endif

_Static_assert(sizeof(struct shm_writer_header) == SHM_LINE_BYTES, "writer header is one line");
_Static_assert(sizeof(struct shm_slot_header) == 24, "slot header is 24 bytes");
_Static_assert(sizeof(struct shm_fourslot_ctl) == SHM_LINE_BYTES, "four-slot control is one line");
_Static_assert(sizeof(struct shm_reader_ctl) == SHM_READER_CTL_BYTES, "reader control is one page");

/* round_up(x, a) for a power of two a. */
/*@ requires 1 <= a <= SHM_PAGE_BYTES;
    requires x <= 18446744073709551615 - a + 1;
    assigns \nothing;
    ensures \result <= x + a - 1;
*/
static inline uint64_t shm_round_up(uint64_t x, uint64_t a)
{
    /* Division, not a mask: the same value for a power of two (a constant
     * at every call, so the compiler emits the shift), and one the proofs
     * can bound without bit-vector reasoning (channels-* modules). */
    return ((x + (a - 1u)) / a) * a;
}

/* Bytes from one slot to the next for a declared message size. */
/*@ requires msg_size <= SHM_MAX_MSG_BYTES;
    assigns \nothing;
    ensures \result <= msg_size + 24 + SHM_LINE_BYTES - 1;
*/
static inline uint32_t shm_slot_stride(uint32_t msg_size)
{
    return (uint32_t)shm_round_up((uint64_t)sizeof(struct shm_slot_header) + msg_size,
                                  SHM_LINE_BYTES);
}

/* Bytes of one four-slot instance (control line + 4 slots). */
/*@ requires msg_size <= SHM_MAX_MSG_BYTES;
    assigns \nothing;
    ensures \result <= SHM_LINE_BYTES + SHM_FOURSLOT_SLOTS * (msg_size + 24 + SHM_LINE_BYTES - 1);
*/
static inline uint32_t shm_fourslot_instance_stride(uint32_t msg_size)
{
    return SHM_LINE_BYTES + SHM_FOURSLOT_SLOTS * shm_slot_stride(msg_size);
}

/* Are these declared parameters a channel we can lay out?  The async kind
 * ignores depth (its slots are always four per reader); the sync kind needs
 * 1 <= depth <= SHM_MAX_DEPTH. */
/*@ assigns \nothing;
    ensures \result != 0 ==> 1 <= msg_size <= SHM_MAX_MSG_BYTES
                           && 1 <= n_readers <= SHM_MAX_READERS
                           && (kind == SHM_KIND_ASYNC
                               || (kind == SHM_KIND_SYNC && 1 <= depth <= SHM_MAX_DEPTH));
*/
static inline int shm_params_valid(uint32_t kind, uint32_t msg_size, uint32_t depth,
                                   uint32_t n_readers)
{
    if (msg_size == 0u || msg_size > SHM_MAX_MSG_BYTES)
        return 0;
    if (n_readers == 0u || n_readers > SHM_MAX_READERS)
        return 0;
    if (kind == SHM_KIND_ASYNC)
        return 1;
    if (kind == SHM_KIND_SYNC)
        return depth >= 1u && depth <= SHM_MAX_DEPTH;
    return 0;
}

/* Bytes used in the writer area before rounding to pages. */
/*@ assigns \nothing;
    ensures \result <= 536870912;
*/
static inline uint64_t shm_writer_area_used(uint32_t kind, uint32_t msg_size, uint32_t depth,
                                            uint32_t n_readers)
{
    if (!shm_params_valid(kind, msg_size, depth, n_readers))
        return 0;
    if (kind == SHM_KIND_ASYNC)
        return SHM_LINE_BYTES + (uint64_t)n_readers * shm_fourslot_instance_stride(msg_size);
    return SHM_LINE_BYTES + (uint64_t)depth * shm_slot_stride(msg_size);
}

/* Size of the writer area, a whole number of 4 KiB pages; 0 when the
 * parameters are not a valid channel (see shm_params_valid). */
/*@ assigns \nothing;
    ensures \result <= 536870912 + SHM_PAGE_BYTES;
*/
static inline uint64_t shm_writer_area_bytes(uint32_t kind, uint32_t msg_size, uint32_t depth,
                                             uint32_t n_readers)
{
    return shm_round_up(shm_writer_area_used(kind, msg_size, depth, n_readers), SHM_PAGE_BYTES);
}

/* Size of one reader's control area: always one page. */
/*@ assigns \nothing;
    ensures \result == SHM_READER_CTL_BYTES;
*/
static inline uint64_t shm_reader_ctl_bytes(void)
{
    return SHM_READER_CTL_BYTES;
}

/* Writer area plus every reader's control page: what one channel costs. */
/*@ assigns \nothing; */
static inline uint64_t shm_channel_bytes(uint32_t kind, uint32_t msg_size, uint32_t depth,
                                         uint32_t n_readers)
{
    uint64_t w = shm_writer_area_bytes(kind, msg_size, depth, n_readers);
    return w == 0 ? 0 : w + (uint64_t)n_readers * SHM_READER_CTL_BYTES;
}

/* Byte offsets inside the writer area.  Callers pass in-range readers,
 * pairs and indices (the proofs check every call). */
/*@ requires msg_size <= SHM_MAX_MSG_BYTES && reader < SHM_MAX_READERS;
    assigns \nothing;
    ensures \result <= SHM_LINE_BYTES + (SHM_MAX_READERS - 1)
                       * (SHM_LINE_BYTES + SHM_FOURSLOT_SLOTS * (msg_size + 24 + SHM_LINE_BYTES - 1));
*/
static inline uint64_t shm_fourslot_instance_offset(uint32_t msg_size, uint32_t reader)
{
    return SHM_LINE_BYTES + (uint64_t)reader * shm_fourslot_instance_stride(msg_size);
}

/*@ requires msg_size <= SHM_MAX_MSG_BYTES && reader < SHM_MAX_READERS;
    requires pair <= 1 && index <= 1;
    assigns \nothing;
*/
static inline uint64_t shm_fourslot_slot_offset(uint32_t msg_size, uint32_t reader,
                                                uint32_t pair, uint32_t index)
{
    return shm_fourslot_instance_offset(msg_size, reader) + SHM_LINE_BYTES
         + (uint64_t)(2u * pair + index) * shm_slot_stride(msg_size);
}

/*@ requires msg_size <= SHM_MAX_MSG_BYTES;
    assigns \nothing;
*/
static inline uint64_t shm_fifo_slot_offset(uint32_t msg_size, uint32_t k)
{
    return SHM_LINE_BYTES + (uint64_t)k * shm_slot_stride(msg_size);
}

#endif
