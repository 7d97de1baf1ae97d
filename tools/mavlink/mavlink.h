/*
 * MAVLink v2 framing, written here from the protocol specification
 * (https://mavlink.io/en/guide/serialization.html), portable C11 without libc
 * so that kernel programs and host tools compile the same file.
 *
 * Frame: STX 0xFD, payload length, incompatibility flags, compatibility
 * flags, sequence, system id, component id, message id (24 bits, little
 * endian), payload (trailing zero bytes truncated, at least one kept),
 * CRC-16/MCRF4XX over everything after STX plus the message's CRC_EXTRA byte,
 * little endian.  Signed frames (incompatibility flag 0x01) are refused: this
 * link does not carry signatures.
 */
#ifndef TRIAD_MAVLINK_H
#define TRIAD_MAVLINK_H
#include <stddef.h>
#include <stdint.h>

#define MAVLINK_STX         0xFD
#define MAVLINK_HEADER_LEN  10      /* STX to the end of the message id */
#define MAVLINK_CRC_LEN     2
#define MAVLINK_MAX_PAYLOAD 255
#define MAVLINK_MAX_FRAME   (MAVLINK_HEADER_LEN + MAVLINK_MAX_PAYLOAD + MAVLINK_CRC_LEN)
#define MAVLINK_IFLAG_SIGNED 0x01

enum mavlink_error {
    MAVLINK_OK = 0,
    MAVLINK_ERR_TRUNCATED = -1,     /* the buffer ends inside the frame */
    MAVLINK_ERR_CRC = -2,           /* checksum does not match */
    MAVLINK_ERR_UNKNOWN_ID = -3,    /* no CRC_EXTRA known: cannot be checked */
    MAVLINK_ERR_LENGTH = -4,        /* payload longer than the message allows */
    MAVLINK_ERR_INCOMPAT = -5,      /* incompatibility flags we do not support */
    MAVLINK_ERR_ARG = -6,           /* encoder: bad arguments */
};

struct mavlink_msg_info {
    uint32_t id;
    uint8_t crc_extra;
    uint8_t base_len;               /* payload without MAVLink 2 extensions */
    uint8_t max_len;                /* payload with every extension field */
    const char *name;
};

struct mavlink_frame {
    uint8_t len, incompat, compat, seq, sysid, compid;
    uint32_t msgid;
    uint8_t payload[MAVLINK_MAX_PAYLOAD];   /* zero-filled past len, so decoders see the full message */
};

/* CRC-16/MCRF4XX (X.25 polynomial 0x1021 reflected, initial 0xFFFF, no final xor). */
#define MAVLINK_CRC_INIT 0xFFFFu
uint16_t mavlink_crc_accumulate(uint16_t crc, uint8_t byte);
uint16_t mavlink_crc(const uint8_t *buf, size_t len);

/* The messages this codec knows, or 0. */
const struct mavlink_msg_info *mavlink_msg_info(uint32_t msgid);
const char *mavlink_msg_name(uint32_t msgid);

/* Builds a frame into out (MAVLINK_MAX_FRAME bytes): its length, or a
   negative mavlink_error (unknown id, payload longer than the message). */
int mavlink_frame_pack(uint8_t *out, uint8_t seq, uint8_t sysid, uint8_t compid, uint32_t msgid,
                       const uint8_t *payload, size_t payload_len);

/* Finds and checks the next frame in buf[0..len).  Returns 1 with *frame
   filled, 0 when no frame starts in the buffer, or a negative mavlink_error
   for a frame that starts but is refused.  *consumed says how many bytes to
   drop before the next call: past the frame when accepted, just past the
   rejected STX otherwise, so the next good frame is found again. */
int mavlink_frame_decode(const uint8_t *buf, size_t len, size_t *consumed, struct mavlink_frame *frame);

/* Counts of what a receiver saw (tools/gcs, the simulator link). */
struct mavlink_rx_stats {
    uint64_t frames, bytes_skipped;
    uint64_t truncated, bad_crc, unknown_id, bad_length, incompat;
};
/* Decodes every frame in one datagram, calling fn for each accepted one and
   counting the rest; returns the number accepted. */
unsigned mavlink_decode_all(const uint8_t *buf, size_t len, struct mavlink_rx_stats *stats,
                            void (*fn)(const struct mavlink_frame *f, void *ctx), void *ctx);
#endif
