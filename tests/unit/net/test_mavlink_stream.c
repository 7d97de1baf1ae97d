/*
 * The MAVLink stream reader (tools/mavlink/mavlink_stream.c) that the TCP
 * simulator link uses on both ends: frames cut at every byte boundary,
 * several frames in one read, garbage and refused frames between good ones,
 * a truncated frame that never completes, and a flood larger than the buffer.
 * REQ: NET-SIM-001
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mavlink/mavlink_msgs.h"
#include "mavlink/mavlink_stream.h"

static size_t sensor_frame(uint8_t *out, uint8_t seq, uint64_t t)
{
    struct mav_hil_sensor hs = { .time_usec = t, .zacc = -9.81f, .pressure_alt = 1.5f, .fields_updated = 0x1C3F };
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    int n = mavlink_frame_pack(out, seq, 1, 51, MAVLINK_MSG_HIL_SENSOR, p, mav_hil_sensor_encode(p, &hs));
    assert_true(n > 0);
    return (size_t)n;
}

/* Feeds buf in pieces of `piece` bytes; returns the frames taken, checks their order. */
static unsigned feed_in_pieces(struct mavlink_stream *s, const uint8_t *buf, size_t len, size_t piece)
{
    unsigned got = 0;
    struct mavlink_frame f;
    for (size_t off = 0; off < len;) {
        size_t n = len - off < piece ? len - off : piece;
        size_t took = mavlink_stream_feed(s, buf + off, n);
        assert_true(took > 0 || s->len > 0);
        off += took;
        while (mavlink_stream_next(s, &f)) {
            struct mav_hil_sensor hs;
            assert_int_equal(f.msgid, MAVLINK_MSG_HIL_SENSOR);
            mav_hil_sensor_decode(f.payload, &hs);
            assert_int_equal(hs.time_usec, 10000u * (got + 1));
            got++;
        }
    }
    return got;
}

static void split_at_every_boundary(void **state)
{
    (void)state;
    uint8_t buf[3 * MAVLINK_MAX_FRAME];
    size_t len = 0;
    for (uint8_t i = 0; i < 3; i++)
        len += sensor_frame(buf + len, i, 10000u * (i + 1u));
    for (size_t piece = 1; piece <= len; piece++) {
        struct mavlink_stream s;
        mavlink_stream_init(&s);
        assert_int_equal(feed_in_pieces(&s, buf, len, piece), 3);
        assert_int_equal(s.stats.frames, 3);
        assert_int_equal(s.stats.bad_crc + s.stats.unknown_id + s.stats.bad_length + s.stats.incompat, 0);
        assert_int_equal(s.len, 0);
    }
}

static void refused_frames_between_good_ones(void **state)
{
    (void)state;
    uint8_t buf[6 * MAVLINK_MAX_FRAME];
    size_t len = 0;
    const char junk[] = "noise\xFD";          /* ends in a lone STX */
    len += sensor_frame(buf + len, 0, 10000);
    memcpy(buf + len, junk, sizeof junk - 1);
    len += sizeof junk - 1;
    size_t bad = len;
    len += sensor_frame(buf + len, 1, 99999);
    buf[bad + 20] ^= 0x40;                      /* payload bit: bad CRC */
    size_t unknown = len;
    len += sensor_frame(buf + len, 2, 99999);
    buf[unknown + 7] = 0x77;                    /* message id nobody knows */
    len += sensor_frame(buf + len, 3, 20000);
    struct mavlink_stream s;
    mavlink_stream_init(&s);
    assert_int_equal(feed_in_pieces(&s, buf, len, 7), 2);
    assert_int_equal(s.stats.bad_crc, 1);
    assert_int_equal(s.stats.unknown_id, 1);
    assert_true(s.stats.bytes_skipped >= 5);
}

static void truncated_frame_waits_then_flood_is_counted(void **state)
{
    (void)state;
    uint8_t one[MAVLINK_MAX_FRAME];
    size_t n = sensor_frame(one, 0, 10000);
    struct mavlink_stream s;
    mavlink_stream_init(&s);
    struct mavlink_frame f;
    assert_int_equal(mavlink_stream_feed(&s, one, n - 1), n - 1);
    assert_int_equal(mavlink_stream_next(&s, &f), 0);      /* waits for the last byte */
    assert_int_equal(s.len, n - 1);
    assert_int_equal(mavlink_stream_feed(&s, one + n - 1, 1), 1);
    assert_int_equal(mavlink_stream_next(&s, &f), 1);
    /* A flood of garbage without a single STX: everything is skipped and
       counted, the buffer never overflows, and a good frame still gets through. */
    uint8_t junk[4096];
    memset(junk, 0x55, sizeof junk);
    for (size_t off = 0; off < sizeof junk;) {
        off += mavlink_stream_feed(&s, junk + off, sizeof junk - off);
        assert_int_equal(mavlink_stream_next(&s, &f), 0);
    }
    assert_int_equal(s.stats.bytes_skipped, sizeof junk);
    assert_int_equal(mavlink_stream_feed(&s, one, n), n);
    assert_int_equal(mavlink_stream_next(&s, &f), 1);
    assert_int_equal(s.stats.frames, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_at_every_boundary),
        cmocka_unit_test(refused_frames_between_good_ones),
        cmocka_unit_test(truncated_frame_waits_then_flood_is_counted),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
