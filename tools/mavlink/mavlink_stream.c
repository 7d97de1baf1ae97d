#include "mavlink_stream.h"

void mavlink_stream_init(struct mavlink_stream *s)
{
    s->len = 0;
    s->stats = (struct mavlink_rx_stats){ 0 };
}

static void drop_front(struct mavlink_stream *s, size_t n)
{
    if (n > s->len)
        n = s->len;
    for (size_t i = n; i < s->len; i++)
        s->buf[i - n] = s->buf[i];
    s->len -= n;
}

size_t mavlink_stream_feed(struct mavlink_stream *s, const uint8_t *data, size_t len)
{
    size_t room = sizeof s->buf - s->len;
    size_t n = len < room ? len : room;
    for (size_t i = 0; i < n; i++)
        s->buf[s->len + i] = data[i];
    s->len += n;
    return n;
}

int mavlink_stream_next(struct mavlink_stream *s, struct mavlink_frame *frame)
{
    /* Bounded: every refusal drops at least one byte. */
    while (s->len > 0) {
        size_t used = 0;
        int r = mavlink_frame_decode(s->buf, s->len, &used, frame);
        if (r == 1) {
            s->stats.frames++;
            drop_front(s, used);
            return 1;
        }
        if (r == 0) {
            s->stats.bytes_skipped += used;
            drop_front(s, used);
            return 0;
        }
        if (r == MAVLINK_ERR_TRUNCATED) {
            /* The frame has only begun: keep it from its STX on and wait.  A
               full buffer cannot hold a truncated frame (a frame is at most
               half of it), so waiting always ends. */
            s->stats.bytes_skipped += used - 1;
            drop_front(s, used - 1);
            return 0;
        }
        switch (r) {
        case MAVLINK_ERR_CRC: s->stats.bad_crc++; break;
        case MAVLINK_ERR_UNKNOWN_ID: s->stats.unknown_id++; break;
        case MAVLINK_ERR_LENGTH: s->stats.bad_length++; break;
        default: s->stats.incompat++; break;
        }
        drop_front(s, used);
    }
    return 0;
}
