/*
 * channels/shmcomm.h: the Quest SDK program API for channels between
 * sandboxes.  A sender writes, one or more receivers read:
 *
 *   shmcomm_channel_t ch;
 *   shmcomm_open_send(153, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL,
 *                     sizeof(int), -1, &ch);
 *   shmcomm_write(ch, &x, sizeof x);
 *   shmcomm_close(ch);
 *
 * Kinds: SHMCOMM_ASYNC_CH is Simpson's four-slot buffer (the newest value,
 * the writer never waits; depth is ignored); SHMCOMM_SYNC_CH is a FIFO of
 * `depth` messages (the writer waits when it is full).  A receiver that
 * connects may leave the kind out: the system description knows it.
 *
 * Calls block by default: a read waits for a message (async: one newer than
 * the last it returned), a sync write waits for space.  SHMCOMM_NONBLOCK_CH
 * at open makes them return SHMCOMM_ERR_EMPTY / SHMCOMM_ERR_FULL instead;
 * the *_timeout variants give up with SHMCOMM_ERR_TIMEOUT.  Every error
 * leaves the channel as it was: nothing half-written, nothing consumed.
 *
 * No heap: handles come from a fixed pool of SHMCOMM_MAX_OPEN per program.
 */
#ifndef TRIAD_CHANNELS_SHMCOMM_H
#define TRIAD_CHANNELS_SHMCOMM_H

#include <stddef.h>
#include <stdint.h>
#include "shmcomm_errors.h"
#include "shmcomm_platform.h"

#define SHMCOMM_CREATE_CH    0x01u  /* create the channel (if the description allows it) */
#define SHMCOMM_CONNECT_CH   0x02u  /* join a channel that the description declares */
#define SHMCOMM_ASYNC_CH     0x04u  /* four-slot: newest value */
#define SHMCOMM_SYNC_CH      0x08u  /* FIFO of depth messages */
#define SHMCOMM_NONBLOCK_CH  0x10u  /* never wait: EMPTY / FULL instead */

#define SHMCOMM_MAX_OPEN     16u
#define SHMCOMM_FOREVER      UINT64_MAX  /* timeout: wait as long as it takes */

/* Hooks: turn `in_len` bytes at `in` into at most `out_cap` bytes at `out`;
 * return the bytes produced, or a negative value to refuse.  marshal runs
 * on the sender and writes straight into the channel slot; unmarshal runs
 * on the receiver and reads straight from it (its input is untrusted data
 * from another sandbox, already bounded by the declared size). */
typedef int (*shmcomm_marshal_fn)(const void *in, uint32_t in_len, void *out, uint32_t out_cap);

typedef struct shmcomm_channel *shmcomm_channel_t;

/* Sequence number and timestamp of the message a read returned. */
struct shmcomm_msg_info {
    uint64_t seq;
    uint64_t timestamp;
};

int shmcomm_open_send(uint32_t key, uint32_t flags, shmcomm_marshal_fn marshal,
                      size_t msg_size, int depth, shmcomm_channel_t *ch);
int shmcomm_open_receive(uint32_t key, uint32_t flags, shmcomm_marshal_fn unmarshal,
                         size_t msg_size, int depth, shmcomm_channel_t *ch);

/* Return the bytes written / read, or a negative enum shmcomm_status. */
int shmcomm_write(shmcomm_channel_t ch, const void *msg, size_t len);
int shmcomm_read(shmcomm_channel_t ch, void *buf, size_t cap);
int shmcomm_write_timeout(shmcomm_channel_t ch, const void *msg, size_t len, uint64_t timeout_ns);
int shmcomm_read_timeout(shmcomm_channel_t ch, void *buf, size_t cap, uint64_t timeout_ns,
                         struct shmcomm_msg_info *info);

/* Async receiver: the newest message even if it was returned before
 * (sampling); never waits.  SHMCOMM_ERR_EMPTY only before the first write. */
int shmcomm_read_latest(shmcomm_channel_t ch, void *buf, size_t cap, struct shmcomm_msg_info *info);

/* Receiver: messages waiting for it (sync; async: 1 if a newer message
 * exists, else 0).  Sync sender: messages not yet consumed by the slowest
 * trusted reader.  Or a negative status. */
int shmcomm_pending(shmcomm_channel_t ch);

/* Async sender: a copy of the newest message published in its writer area
 * (by this end or by another sandbox writing the same area: I/O failover's
 * standby voter compares its vote with the command the voter published)
 * and its sequence number, the count of messages published so far.  Writes
 * nothing.  SHMCOMM_ERR_EMPTY before the first message or when a write
 * overlapped the copy (ask again), SHMCOMM_ERR_CORRUPT for an impossible
 * index or length in the area, SHMCOMM_ERR_ROLE on a receive end or a FIFO. */
int shmcomm_peek_sent(shmcomm_channel_t ch, void *buf, size_t cap, struct shmcomm_msg_info *info);

/* Sender: bit r set when reader r was caught corrupting its control page;
 * such a reader is skipped from then on, the others carry on. */
uint32_t shmcomm_faulty_readers(shmcomm_channel_t ch);

int shmcomm_close(shmcomm_channel_t ch);

#endif
