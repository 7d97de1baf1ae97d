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

/* The writer's private view of one instance. */
struct fourslot_writer {
    struct shm_fourslot_ctl *ctl;         /* writer area: latest, slot[] */
    unsigned char *slots;                 /* writer area: first of the 4 slots */
    const struct shm_reader_ctl *reader;  /* reader's page, read-only for us */
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
    requires \valid((unsigned char *)writer_area + (0 .. 63));
    requires \valid_read(reader);
    requires 1 <= msg_size <= SHM_MAX_MSG_BYTES;
    requires instance < SHM_MAX_READERS;
    assigns *w;
    ensures w->msg_size == msg_size && w->reader == reader;
    ensures w->pair == 0 && w->index == 0;
*/
void fourslot_writer_init(struct fourslot_writer *w, void *writer_area, uint32_t msg_size,
                          uint32_t instance, const struct shm_reader_ctl *reader);

/*@ requires \valid(r);
    requires \valid_read((unsigned char *)writer_area + (0 .. 63));
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
    assigns *w->ctl, w->pair, w->index;
*/
void fourslot_reset(struct fourslot_writer *w);

/* Writer step 1: pick the slot the reader cannot be using.  Reads the
 * reader's "reading" once; a value other than 0 or 1 is corruption. */
/*@ requires \valid(w) && \valid_read(w->reader);
    assigns w->pair, w->index;
    behavior ok:
      ensures \result == SHMCOMM_OK ==> w->pair <= 1 && w->index <= 1;
    ensures \result == SHMCOMM_OK || \result == SHMCOMM_ERR_CORRUPT;
*/
int fourslot_claim(struct fourslot_writer *w);

/* Writer step 2: the payload area of the claimed slot (msg_size bytes). */
/*@ requires \valid(w) && w->pair <= 1 && w->index <= 1;
    assigns \nothing;
*/
unsigned char *fourslot_slot(const struct fourslot_writer *w);

/* Writer step 3: stamp the claimed slot and publish it as the newest. */
/*@ requires \valid(w) && w->pair <= 1 && w->index <= 1;
    requires 1 <= length <= w->msg_size;
    assigns *w->ctl;
*/
void fourslot_publish(struct fourslot_writer *w, uint32_t length, uint64_t seq, uint64_t timestamp);

/* Reader: pin the newest slot and describe it.  The payload stays intact
 * until the next fourslot_read on this instance.  Returns SHMCOMM_OK,
 * SHMCOMM_ERR_EMPTY (nothing ever written) or SHMCOMM_ERR_CORRUPT (an index
 * or length from the writer's area is impossible). */
/*@ requires \valid(r) && \valid(msg) && \valid(r->reader);
    assigns r->reader->reading, *msg;
    ensures \result == SHMCOMM_OK ==> 1 <= msg->length <= r->msg_size;
    ensures \result == SHMCOMM_OK || \result == SHMCOMM_ERR_EMPTY
         || \result == SHMCOMM_ERR_CORRUPT;
*/
int fourslot_read(struct fourslot_reader *r, struct fourslot_msg *msg);

#endif
