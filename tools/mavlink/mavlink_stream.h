/*
 * MAVLink v2 over a byte stream (the TCP simulator link): frames arrive cut
 * anywhere, several per read, or with garbage between them.  The stream keeps
 * the unread rest, hands out whole checked frames, waits when a frame is not
 * complete yet, and counts what it refuses (as mavlink_decode_all does for
 * datagrams).  Portable C11 without libc, like the rest of tools/mavlink.
 */
#ifndef TRIAD_MAVLINK_STREAM_H
#define TRIAD_MAVLINK_STREAM_H
#include "mavlink.h"

struct mavlink_stream {
    uint8_t buf[2 * MAVLINK_MAX_FRAME];     /* room for a partial frame plus a whole read */
    size_t len;
    struct mavlink_rx_stats stats;
};

void mavlink_stream_init(struct mavlink_stream *s);
/* Appends up to len bytes; returns how many were taken (fewer only while
   frames are waiting to be taken out with mavlink_stream_next). */
size_t mavlink_stream_feed(struct mavlink_stream *s, const uint8_t *data, size_t len);
/* 1 with the next accepted frame in *frame, or 0 when more bytes are needed.
   Refused frames are counted in s->stats and skipped. */
int mavlink_stream_next(struct mavlink_stream *s, struct mavlink_frame *frame);
#endif
