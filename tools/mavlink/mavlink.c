#include "mavlink.h"

/*
 * CRC_EXTRA and payload lengths of the supported messages: facts from the
 * published definitions (mavlink/mavlink message_definitions/v1.0/common.xml,
 * seen through https://mavlink.io/en/messages/common.html and the generated
 * C headers' MAVLINK_MSG_ID_*_CRC / *_MIN_LEN / *_LEN constants).  CRC_EXTRA is
 * the CRC of the message name and its base fields in wire order;
 * tests/unit/net/test_mavlink.c recomputes it from the field lists and the
 * system test decodes our frames with node-mavlink.
 */
static const struct mavlink_msg_info messages[] = {
    { 0, 50, 9, 9, "HEARTBEAT" },
    { 1, 124, 31, 43, "SYS_STATUS" },
    { 30, 39, 28, 28, "ATTITUDE" },
    { 32, 185, 28, 28, "LOCAL_POSITION_NED" },
    { 93, 47, 81, 81, "HIL_ACTUATOR_CONTROLS" },
    { 107, 108, 64, 65, "HIL_SENSOR" },
    { 113, 124, 36, 39, "HIL_GPS" },
    { 253, 83, 51, 54, "STATUSTEXT" },
};

uint16_t mavlink_crc_accumulate(uint16_t crc, uint8_t byte)
{
    uint8_t t = (uint8_t)(byte ^ (uint8_t)(crc & 0xFF));
    t = (uint8_t)(t ^ (uint8_t)(t << 4));
    return (uint16_t)((crc >> 8) ^ ((uint16_t)t << 8) ^ ((uint16_t)t << 3) ^ ((uint16_t)t >> 4));
}

uint16_t mavlink_crc(const uint8_t *buf, size_t len)
{
    uint16_t crc = MAVLINK_CRC_INIT;
    for (size_t i = 0; i < len; i++)
        crc = mavlink_crc_accumulate(crc, buf[i]);
    return crc;
}

const struct mavlink_msg_info *mavlink_msg_info(uint32_t msgid)
{
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
        if (messages[i].id == msgid)
            return &messages[i];
    return 0;
}

const char *mavlink_msg_name(uint32_t msgid)
{
    const struct mavlink_msg_info *m = mavlink_msg_info(msgid);
    return m ? m->name : "UNKNOWN";
}

int mavlink_frame_pack(uint8_t *out, uint8_t seq, uint8_t sysid, uint8_t compid, uint32_t msgid,
                       const uint8_t *payload, size_t payload_len)
{
    const struct mavlink_msg_info *m = mavlink_msg_info(msgid);
    if (!m)
        return MAVLINK_ERR_UNKNOWN_ID;
    if (!out || (!payload && payload_len) || payload_len > m->max_len)
        return MAVLINK_ERR_ARG;
    size_t len = payload_len;
    while (len > 1 && payload[len - 1] == 0)    /* MAVLink 2 drops trailing zeros, keeps one byte */
        len--;
    out[0] = MAVLINK_STX;
    out[1] = (uint8_t)len;
    out[2] = 0;
    out[3] = 0;
    out[4] = seq;
    out[5] = sysid;
    out[6] = compid;
    out[7] = (uint8_t)msgid;
    out[8] = (uint8_t)(msgid >> 8);
    out[9] = (uint8_t)(msgid >> 16);
    for (size_t i = 0; i < len; i++)
        out[MAVLINK_HEADER_LEN + i] = payload[i];
    if (len == 1 && payload_len == 0)
        out[MAVLINK_HEADER_LEN] = 0;
    uint16_t crc = mavlink_crc(out + 1, MAVLINK_HEADER_LEN - 1 + len);
    crc = mavlink_crc_accumulate(crc, m->crc_extra);
    out[MAVLINK_HEADER_LEN + len] = (uint8_t)crc;
    out[MAVLINK_HEADER_LEN + len + 1] = (uint8_t)(crc >> 8);
    return (int)(MAVLINK_HEADER_LEN + len + MAVLINK_CRC_LEN);
}

int mavlink_frame_decode(const uint8_t *buf, size_t len, size_t *consumed, struct mavlink_frame *frame)
{
    size_t start = 0;
    while (start < len && buf[start] != MAVLINK_STX)
        start++;
    if (start == len) {
        *consumed = len;
        return 0;
    }
    *consumed = start + 1;              /* on any refusal: resynchronise after this STX */
    const uint8_t *h = buf + start;
    size_t avail = len - start;
    if (avail < MAVLINK_HEADER_LEN)
        return MAVLINK_ERR_TRUNCATED;
    uint8_t plen = h[1];
    if (h[2] != 0)                      /* no incompatibility flag is supported (signing is refused) */
        return MAVLINK_ERR_INCOMPAT;
    if (avail < (size_t)MAVLINK_HEADER_LEN + plen + MAVLINK_CRC_LEN)
        return MAVLINK_ERR_TRUNCATED;
    uint32_t msgid = (uint32_t)h[7] | (uint32_t)h[8] << 8 | (uint32_t)h[9] << 16;
    const struct mavlink_msg_info *m = mavlink_msg_info(msgid);
    if (!m)
        return MAVLINK_ERR_UNKNOWN_ID;
    if (plen > m->max_len)
        return MAVLINK_ERR_LENGTH;
    uint16_t crc = mavlink_crc(h + 1, MAVLINK_HEADER_LEN - 1 + plen);
    crc = mavlink_crc_accumulate(crc, m->crc_extra);
    uint16_t got = (uint16_t)(h[MAVLINK_HEADER_LEN + plen] | h[MAVLINK_HEADER_LEN + plen + 1] << 8);
    if (crc != got)
        return MAVLINK_ERR_CRC;
    frame->len = plen;
    frame->incompat = h[2];
    frame->compat = h[3];
    frame->seq = h[4];
    frame->sysid = h[5];
    frame->compid = h[6];
    frame->msgid = msgid;
    for (size_t i = 0; i < MAVLINK_MAX_PAYLOAD; i++)
        frame->payload[i] = i < plen ? h[MAVLINK_HEADER_LEN + i] : 0;
    *consumed = start + MAVLINK_HEADER_LEN + plen + MAVLINK_CRC_LEN;
    return 1;
}

unsigned mavlink_decode_all(const uint8_t *buf, size_t len, struct mavlink_rx_stats *stats,
                            void (*fn)(const struct mavlink_frame *f, void *ctx), void *ctx)
{
    static struct mavlink_frame frame;      /* 270 bytes: off the (small) stacks of kernel programs */
    unsigned accepted = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t used = 0;
        while (pos < len && buf[pos] != MAVLINK_STX) {     /* noise between frames */
            pos++;
            stats->bytes_skipped++;
        }
        if (pos == len)
            break;
        int r = mavlink_frame_decode(buf + pos, len - pos, &used, &frame);
        if (r == 1) {
            stats->frames++;
            accepted++;
            if (fn)
                fn(&frame, ctx);
        } else if (r == 0) {
            stats->bytes_skipped += used;
        } else {
            switch (r) {
            case MAVLINK_ERR_TRUNCATED: stats->truncated++; break;
            case MAVLINK_ERR_CRC: stats->bad_crc++; break;
            case MAVLINK_ERR_UNKNOWN_ID: stats->unknown_id++; break;
            case MAVLINK_ERR_LENGTH: stats->bad_length++; break;
            default: stats->incompat++; break;
            }
        }
        pos += used;
    }
    return accepted;
}
