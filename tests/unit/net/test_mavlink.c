/*
 * The MAVLink v2 codec (tools/mavlink): CRC, CRC_EXTRA recomputed from the
 * field lists of common.xml, round trips of every message, truncation of
 * trailing zeros, and every kind of bad input refused with resynchronisation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mavlink/mavlink.h"
#include "mavlink/mavlink_msgs.h"

static void crc_check_value(void **state)
{
    (void)state;
    /* The catalogued check value of CRC-16/MCRF4XX over "123456789". */
    assert_int_equal(mavlink_crc((const uint8_t *)"123456789", 9), 0x6F91);
}

/* CRC_EXTRA as the specification defines it: the CRC of "NAME ", then per
   base field in wire order "type " and "name ", plus the array length. */
struct field { const char *type, *name; uint8_t array; };
static uint8_t crc_extra(const char *msg, const struct field *f, size_t n)
{
    uint16_t crc = MAVLINK_CRC_INIT;
    for (const char *c = msg; *c; c++)
        crc = mavlink_crc_accumulate(crc, (uint8_t)*c);
    crc = mavlink_crc_accumulate(crc, ' ');
    for (size_t i = 0; i < n; i++) {
        for (const char *c = f[i].type; *c; c++)
            crc = mavlink_crc_accumulate(crc, (uint8_t)*c);
        crc = mavlink_crc_accumulate(crc, ' ');
        for (const char *c = f[i].name; *c; c++)
            crc = mavlink_crc_accumulate(crc, (uint8_t)*c);
        crc = mavlink_crc_accumulate(crc, ' ');
        if (f[i].array)
            crc = mavlink_crc_accumulate(crc, f[i].array);
    }
    return (uint8_t)((crc & 0xFF) ^ (crc >> 8));
}
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void crc_extra_from_definitions(void **state)
{
    (void)state;
    static const struct field hb[] = { { "uint32_t", "custom_mode", 0 }, { "uint8_t", "type", 0 },
        { "uint8_t", "autopilot", 0 }, { "uint8_t", "base_mode", 0 }, { "uint8_t", "system_status", 0 },
        { "uint8_t", "mavlink_version", 0 } };
    static const struct field ss[] = { { "uint32_t", "onboard_control_sensors_present", 0 },
        { "uint32_t", "onboard_control_sensors_enabled", 0 }, { "uint32_t", "onboard_control_sensors_health", 0 },
        { "uint16_t", "load", 0 }, { "uint16_t", "voltage_battery", 0 }, { "int16_t", "current_battery", 0 },
        { "uint16_t", "drop_rate_comm", 0 }, { "uint16_t", "errors_comm", 0 }, { "uint16_t", "errors_count1", 0 },
        { "uint16_t", "errors_count2", 0 }, { "uint16_t", "errors_count3", 0 }, { "uint16_t", "errors_count4", 0 },
        { "int8_t", "battery_remaining", 0 } };
    static const struct field att[] = { { "uint32_t", "time_boot_ms", 0 }, { "float", "roll", 0 },
        { "float", "pitch", 0 }, { "float", "yaw", 0 }, { "float", "rollspeed", 0 }, { "float", "pitchspeed", 0 },
        { "float", "yawspeed", 0 } };
    static const struct field lp[] = { { "uint32_t", "time_boot_ms", 0 }, { "float", "x", 0 }, { "float", "y", 0 },
        { "float", "z", 0 }, { "float", "vx", 0 }, { "float", "vy", 0 }, { "float", "vz", 0 } };
    static const struct field st[] = { { "uint8_t", "severity", 0 }, { "char", "text", 50 } };
    static const struct field hs[] = { { "uint64_t", "time_usec", 0 }, { "float", "xacc", 0 }, { "float", "yacc", 0 },
        { "float", "zacc", 0 }, { "float", "xgyro", 0 }, { "float", "ygyro", 0 }, { "float", "zgyro", 0 },
        { "float", "xmag", 0 }, { "float", "ymag", 0 }, { "float", "zmag", 0 }, { "float", "abs_pressure", 0 },
        { "float", "diff_pressure", 0 }, { "float", "pressure_alt", 0 }, { "float", "temperature", 0 },
        { "uint32_t", "fields_updated", 0 } };
    static const struct field hac[] = { { "uint64_t", "time_usec", 0 }, { "uint64_t", "flags", 0 },
        { "float", "controls", 16 }, { "uint8_t", "mode", 0 } };
    assert_int_equal(crc_extra("HEARTBEAT", hb, N(hb)), mavlink_msg_info(0)->crc_extra);
    assert_int_equal(crc_extra("SYS_STATUS", ss, N(ss)), mavlink_msg_info(1)->crc_extra);
    assert_int_equal(crc_extra("ATTITUDE", att, N(att)), mavlink_msg_info(30)->crc_extra);
    assert_int_equal(crc_extra("LOCAL_POSITION_NED", lp, N(lp)), mavlink_msg_info(32)->crc_extra);
    assert_int_equal(crc_extra("STATUSTEXT", st, N(st)), mavlink_msg_info(253)->crc_extra);
    assert_int_equal(crc_extra("HIL_SENSOR", hs, N(hs)), mavlink_msg_info(107)->crc_extra);
    assert_int_equal(crc_extra("HIL_ACTUATOR_CONTROLS", hac, N(hac)), mavlink_msg_info(93)->crc_extra);
    static const struct field gps[] = { { "uint64_t", "time_usec", 0 }, { "int32_t", "lat", 0 },
        { "int32_t", "lon", 0 }, { "int32_t", "alt", 0 }, { "uint16_t", "eph", 0 }, { "uint16_t", "epv", 0 },
        { "uint16_t", "vel", 0 }, { "int16_t", "vn", 0 }, { "int16_t", "ve", 0 }, { "int16_t", "vd", 0 },
        { "uint16_t", "cog", 0 }, { "uint8_t", "fix_type", 0 }, { "uint8_t", "satellites_visible", 0 } };
    assert_int_equal(crc_extra("HIL_GPS", gps, N(gps)), mavlink_msg_info(113)->crc_extra);
}

static int pack_decode(uint32_t id, const uint8_t *payload, size_t len, struct mavlink_frame *f, uint8_t seq)
{
    uint8_t frame[MAVLINK_MAX_FRAME];
    int n = mavlink_frame_pack(frame, seq, 1, 1, id, payload, len);
    assert_true(n > 0);
    size_t used;
    assert_int_equal(mavlink_frame_decode(frame, (size_t)n, &used, f), 1);
    assert_int_equal(used, (size_t)n);
    assert_int_equal(f->msgid, id);
    assert_int_equal(f->seq, seq);
    return n;
}

/* Decoding then encoding again gives the same bytes (struct padding makes a
   memory compare of the structures meaningless). */
#define SAME_AGAIN(enc, decoded, len) do { uint8_t q_[MAVLINK_MAX_PAYLOAD]; \
        assert_int_equal(enc(q_, &(decoded)), (len)); assert_memory_equal(p, q_, (len)); } while (0)

static void round_trips(void **state)
{
    (void)state;
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    struct mavlink_frame f;
    struct mav_heartbeat hb = { 0x01020304, MAV_TYPE_QUADROTOR, MAV_AUTOPILOT_GENERIC, 0x80, MAV_STATE_ACTIVE, 3 }, hb2;
    assert_int_equal(mav_heartbeat_encode(p, &hb), 9);
    assert_int_equal(pack_decode(0, p, 9, &f, 7), 10 + 9 + 2);
    mav_heartbeat_decode(f.payload, &hb2);
    SAME_AGAIN(mav_heartbeat_encode, hb2, 9);
    assert_int_equal(hb2.custom_mode, 0x01020304);
    assert_int_equal(hb2.system_status, MAV_STATE_ACTIVE);

    struct mav_sys_status ss = { 1, 2, 3, 456, 12000, -5, 7, 8, { 9, 10, 11, 12 }, -1 }, ss2;
    assert_int_equal(mav_sys_status_encode(p, &ss), 31);
    pack_decode(1, p, 31, &f, 8);
    mav_sys_status_decode(f.payload, &ss2);
    SAME_AGAIN(mav_sys_status_encode, ss2, 31);
    assert_int_equal(ss2.current_battery, -5);
    assert_int_equal(ss2.battery_remaining, -1);

    struct mav_attitude at = { 1234, 0.1f, -0.2f, 3.0f, 0.01f, 0.02f, -0.03f }, at2;
    assert_int_equal(mav_attitude_encode(p, &at), 28);
    pack_decode(30, p, 28, &f, 9);
    mav_attitude_decode(f.payload, &at2);
    SAME_AGAIN(mav_attitude_encode, at2, 28);
    assert_true(at2.pitch == -0.2f && at2.time_boot_ms == 1234);

    struct mav_local_position_ned lp = { 99, 1, 2, -3, 0.5f, 0.25f, -0.125f }, lp2;
    assert_int_equal(mav_local_position_ned_encode(p, &lp), 28);
    pack_decode(32, p, 28, &f, 10);
    mav_local_position_ned_decode(f.payload, &lp2);
    SAME_AGAIN(mav_local_position_ned_encode, lp2, 28);
    assert_true(lp2.z == -3.0f && lp2.vz == -0.125f);

    struct mav_statustext st = { MAV_SEVERITY_CRITICAL, "replica B disagrees" }, st2;
    assert_int_equal(mav_statustext_encode(p, &st), 51);
    int n = pack_decode(253, p, 51, &f, 11);
    assert_int_equal(n, 10 + 1 + 19 + 2);         /* trailing zeros of the text are truncated */
    mav_statustext_decode(f.payload, &st2);
    assert_int_equal(st2.severity, MAV_SEVERITY_CRITICAL);
    assert_string_equal(st2.text, "replica B disagrees");

    struct mav_hil_sensor hs = { 123456789012ull, 1, 2, -9.81f, 0.1f, 0.2f, 0.3f, 0.2f, 0, 0.4f, 1013.25f, 0, 12, 20,
                                 0x1FFF, 0 }, hs2;
    assert_int_equal(mav_hil_sensor_encode(p, &hs), 65);
    pack_decode(107, p, 65, &f, 12);
    mav_hil_sensor_decode(f.payload, &hs2);
    SAME_AGAIN(mav_hil_sensor_encode, hs2, 65);
    assert_int_equal(hs2.time_usec, 123456789012ull);
    assert_int_equal(hs2.fields_updated, 0x1FFF);
    assert_true(hs2.zacc == -9.81f && hs2.abs_pressure == 1013.25f);

    struct mav_hil_gps g = { 5000000, 473977420, 85455940, 488123, 100, 150, 250, -120, 35, -7, 9000, 3, 10, 1,
                             18000 }, g2;
    assert_int_equal(mav_hil_gps_encode(p, &g), 39);
    pack_decode(113, p, 39, &f, 14);
    mav_hil_gps_decode(f.payload, &g2);
    SAME_AGAIN(mav_hil_gps_encode, g2, 39);
    assert_true(g2.lat == 473977420 && g2.lon == 85455940 && g2.alt == 488123);
    assert_true(g2.vn == -120 && g2.vd == -7 && g2.fix_type == 3 && g2.yaw == 18000);

    struct mav_hil_actuator_controls ac = { 42, { 0.5f, 0.5f, 0.5f, 0.5f }, 1, 0x8000000000000001ull }, ac2;
    memset(&ac2, 0xAA, sizeof ac2);
    assert_int_equal(mav_hil_actuator_controls_encode(p, &ac), 81);
    pack_decode(93, p, 81, &f, 13);
    mav_hil_actuator_controls_decode(f.payload, &ac2);
    assert_int_equal(ac2.time_usec, 42);
    assert_int_equal(ac2.flags, 0x8000000000000001ull);
    assert_int_equal(ac2.mode, 1);
    assert_memory_equal(ac.controls, ac2.controls, sizeof ac.controls);
}

static void all_zero_payload_keeps_one_byte(void **state)
{
    (void)state;
    uint8_t p[9] = { 0 }, frame[MAVLINK_MAX_FRAME];
    assert_int_equal(mavlink_frame_pack(frame, 0, 1, 1, 0, p, 9), 10 + 1 + 2);
    assert_int_equal(frame[1], 1);
}

/* A good HEARTBEAT frame into buf; its length. */
static size_t good(uint8_t *buf, uint8_t seq)
{
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    struct mav_heartbeat hb = { 0, MAV_TYPE_QUADROTOR, 0, 0, MAV_STATE_ACTIVE, 3 };
    return (size_t)mavlink_frame_pack(buf, seq, 1, 1, 0, p, mav_heartbeat_encode(p, &hb));
}

/* bad bytes followed by a good frame: the bad part is refused with `err`
   and counted, the good frame after it still comes out. */
static void refused_then_resync(const uint8_t *bad, size_t badlen, int err)
{
    uint8_t buf[600];
    memcpy(buf, bad, badlen);
    size_t n = badlen + good(buf + badlen, 77);
    struct mavlink_frame f;
    size_t used;
    int r = mavlink_frame_decode(buf, n, &used, &f);
    assert_int_equal(r, err);
    struct mavlink_rx_stats st = { 0 };
    assert_int_equal(mavlink_decode_all(buf, n, &st, 0, 0), 1);
    assert_int_equal(st.frames, 1);
    assert_true(st.truncated + st.bad_crc + st.unknown_id + st.bad_length + st.incompat >= 1);
}

static void bad_input(void **state)
{
    (void)state;
    uint8_t frame[MAVLINK_MAX_FRAME];
    size_t n = good(frame, 1);
    uint8_t bad[MAVLINK_MAX_FRAME];

    memcpy(bad, frame, n);                      /* wrong magic: v1's 0xFE is not a v2 frame */
    bad[0] = 0xFE;
    struct mavlink_frame f;
    size_t used;
    assert_int_equal(mavlink_frame_decode(bad, n, &used, &f), 0);
    assert_int_equal(used, n);

    memcpy(bad, frame, n);                      /* bad CRC */
    bad[n - 1] ^= 0x40;
    refused_then_resync(bad, n, MAVLINK_ERR_CRC);

    memcpy(bad, frame, n);                      /* flipped payload bit */
    bad[11] ^= 1;
    refused_then_resync(bad, n, MAVLINK_ERR_CRC);

    memcpy(bad, frame, n);                      /* unknown message id 12345 */
    bad[7] = 0x39, bad[8] = 0x30, bad[9] = 0;
    refused_then_resync(bad, n, MAVLINK_ERR_UNKNOWN_ID);

    memcpy(bad, frame, n);                      /* signed frame: incompatibility flag */
    bad[2] = MAVLINK_IFLAG_SIGNED;
    refused_then_resync(bad, n, MAVLINK_ERR_INCOMPAT);

    memcpy(bad, frame, n);                      /* oversized length for a HEARTBEAT (200 > 9) */
    bad[1] = 200;
    memset(bad + n, 0x55, 200);
    refused_then_resync(bad, n + 200, MAVLINK_ERR_LENGTH);

    /* truncated at the end of the buffer */
    assert_int_equal(mavlink_frame_decode(frame, n - 3, &used, &f), MAVLINK_ERR_TRUNCATED);
    assert_int_equal(mavlink_frame_decode(frame, 5, &used, &f), MAVLINK_ERR_TRUNCATED);
    assert_int_equal(used, 1);
    /* a truncated frame followed by a good one: the length swallows the good
       frame's start, the CRC fails, and the good frame is found again */
    uint8_t buf[64];
    memcpy(buf, frame, 8);
    size_t m = 8 + good(buf + 8, 2);
    struct mavlink_rx_stats st = { 0 };
    assert_int_equal(mavlink_decode_all(buf, m, &st, 0, 0), 1);

    /* encoder refusals */
    uint8_t p[MAVLINK_MAX_PAYLOAD] = { 1 };
    assert_int_equal(mavlink_frame_pack(frame, 0, 1, 1, 12345, p, 4), MAVLINK_ERR_UNKNOWN_ID);
    assert_int_equal(mavlink_frame_pack(frame, 0, 1, 1, 0, p, 10), MAVLINK_ERR_ARG);
}

static void garbage_between_frames(void **state)
{
    (void)state;
    uint8_t buf[256];
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        memcpy(buf + n, "\x00\xFD\xFD\x13garbage", 11);     /* includes false STX bytes */
        n += 11;
        n += good(buf + n, (uint8_t)i);
    }
    struct mavlink_rx_stats st = { 0 };
    assert_int_equal(mavlink_decode_all(buf, n, &st, 0, 0), 3);
    assert_true(st.bytes_skipped > 0);
}

static void sender_sequence_wraps(void **state)
{
    (void)state;
    struct mavlink_sender s = { 254, 1, 1 };
    uint8_t frame[MAVLINK_MAX_FRAME], p[9] = { 0 };
    for (int i = 0; i < 3; i++)
        assert_true(mavlink_send_pack(&s, frame, 0, p, 9) > 0);
    assert_int_equal(frame[4], 0);          /* 254, 255, 0 */
    assert_int_equal(s.seq, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_check_value),
        cmocka_unit_test(crc_extra_from_definitions),
        cmocka_unit_test(round_trips),
        cmocka_unit_test(all_zero_payload_keeps_one_byte),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(garbage_between_frames),
        cmocka_unit_test(sender_sequence_wraps),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
