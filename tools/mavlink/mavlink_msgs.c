#include "mavlink_msgs.h"

/* Little-endian field writers and readers; floats travel as their IEEE-754 bits. */
static uint8_t *put8(uint8_t *p, uint8_t v) { *p = v; return p + 1; }
static uint8_t *put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); return p + 2; }
static uint8_t *put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return p + 4;
}
static uint8_t *put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
    return p + 8;
}
static uint8_t *putf(uint8_t *p, float f)
{
    union { float f; uint32_t u; } c = { .f = f };
    return put32(p, c.u);
}
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32; }
static float getf(const uint8_t *p)
{
    union { uint32_t u; float f; } c = { .u = get32(p) };
    return c.f;
}

size_t mav_heartbeat_encode(uint8_t *p, const struct mav_heartbeat *m)
{
    uint8_t *q = put32(p, m->custom_mode);
    q = put8(q, m->type);
    q = put8(q, m->autopilot);
    q = put8(q, m->base_mode);
    q = put8(q, m->system_status);
    q = put8(q, m->mavlink_version);
    return (size_t)(q - p);
}
void mav_heartbeat_decode(const uint8_t *p, struct mav_heartbeat *m)
{
    m->custom_mode = get32(p);
    m->type = p[4];
    m->autopilot = p[5];
    m->base_mode = p[6];
    m->system_status = p[7];
    m->mavlink_version = p[8];
}

size_t mav_sys_status_encode(uint8_t *p, const struct mav_sys_status *m)
{
    uint8_t *q = put32(p, m->sensors_present);
    q = put32(q, m->sensors_enabled);
    q = put32(q, m->sensors_health);
    q = put16(q, m->load);
    q = put16(q, m->voltage_battery);
    q = put16(q, (uint16_t)m->current_battery);
    q = put16(q, m->drop_rate_comm);
    q = put16(q, m->errors_comm);
    for (int i = 0; i < 4; i++)
        q = put16(q, m->errors_count[i]);
    q = put8(q, (uint8_t)m->battery_remaining);
    return (size_t)(q - p);
}
void mav_sys_status_decode(const uint8_t *p, struct mav_sys_status *m)
{
    m->sensors_present = get32(p);
    m->sensors_enabled = get32(p + 4);
    m->sensors_health = get32(p + 8);
    m->load = get16(p + 12);
    m->voltage_battery = get16(p + 14);
    m->current_battery = (int16_t)get16(p + 16);
    m->drop_rate_comm = get16(p + 18);
    m->errors_comm = get16(p + 20);
    for (int i = 0; i < 4; i++)
        m->errors_count[i] = get16(p + 22 + 2 * i);
    m->battery_remaining = (int8_t)p[30];
}

/* ATTITUDE and LOCAL_POSITION_NED share one shape: a u32 time and six floats. */
static size_t time_and_six(uint8_t *p, uint32_t t, const float v[6])
{
    uint8_t *q = put32(p, t);
    for (int i = 0; i < 6; i++)
        q = putf(q, v[i]);
    return (size_t)(q - p);
}
static void read_six(const uint8_t *p, uint32_t *t, float v[6])
{
    *t = get32(p);
    for (int i = 0; i < 6; i++)
        v[i] = getf(p + 4 + 4 * i);
}

size_t mav_attitude_encode(uint8_t *p, const struct mav_attitude *m)
{
    const float v[6] = { m->roll, m->pitch, m->yaw, m->rollspeed, m->pitchspeed, m->yawspeed };
    return time_and_six(p, m->time_boot_ms, v);
}
void mav_attitude_decode(const uint8_t *p, struct mav_attitude *m)
{
    float v[6];
    read_six(p, &m->time_boot_ms, v);
    m->roll = v[0], m->pitch = v[1], m->yaw = v[2], m->rollspeed = v[3], m->pitchspeed = v[4], m->yawspeed = v[5];
}

size_t mav_local_position_ned_encode(uint8_t *p, const struct mav_local_position_ned *m)
{
    const float v[6] = { m->x, m->y, m->z, m->vx, m->vy, m->vz };
    return time_and_six(p, m->time_boot_ms, v);
}
void mav_local_position_ned_decode(const uint8_t *p, struct mav_local_position_ned *m)
{
    float v[6];
    read_six(p, &m->time_boot_ms, v);
    m->x = v[0], m->y = v[1], m->z = v[2], m->vx = v[3], m->vy = v[4], m->vz = v[5];
}

size_t mav_statustext_encode(uint8_t *p, const struct mav_statustext *m)
{
    uint8_t *q = put8(p, m->severity);
    int end = 0;
    for (int i = 0; i < 50; i++) {
        if (!m->text[i])
            end = 1;
        q = put8(q, end ? 0 : (uint8_t)m->text[i]);
    }
    return (size_t)(q - p);       /* the extensions (id, chunk_seq) stay zero: one-chunk messages */
}
void mav_statustext_decode(const uint8_t *p, struct mav_statustext *m)
{
    m->severity = p[0];
    for (int i = 0; i < 50; i++)
        m->text[i] = (char)p[1 + i];
    m->text[50] = 0;
}

size_t mav_hil_sensor_encode(uint8_t *p, const struct mav_hil_sensor *m)
{
    const float v[13] = { m->xacc, m->yacc, m->zacc, m->xgyro, m->ygyro, m->zgyro, m->xmag, m->ymag, m->zmag,
                          m->abs_pressure, m->diff_pressure, m->pressure_alt, m->temperature };
    uint8_t *q = put64(p, m->time_usec);
    for (int i = 0; i < 13; i++)
        q = putf(q, v[i]);
    q = put32(q, m->fields_updated);
    q = put8(q, m->id);
    return (size_t)(q - p);
}
void mav_hil_sensor_decode(const uint8_t *p, struct mav_hil_sensor *m)
{
    float v[13];
    m->time_usec = get64(p);
    for (int i = 0; i < 13; i++)
        v[i] = getf(p + 8 + 4 * i);
    m->xacc = v[0], m->yacc = v[1], m->zacc = v[2], m->xgyro = v[3], m->ygyro = v[4], m->zgyro = v[5];
    m->xmag = v[6], m->ymag = v[7], m->zmag = v[8], m->abs_pressure = v[9], m->diff_pressure = v[10];
    m->pressure_alt = v[11], m->temperature = v[12];
    m->fields_updated = get32(p + 60);
    m->id = p[64];
}

size_t mav_hil_gps_encode(uint8_t *p, const struct mav_hil_gps *m)
{
    uint8_t *q = put64(p, m->time_usec);
    q = put32(q, (uint32_t)m->lat);
    q = put32(q, (uint32_t)m->lon);
    q = put32(q, (uint32_t)m->alt);
    q = put16(q, m->eph);
    q = put16(q, m->epv);
    q = put16(q, m->vel);
    q = put16(q, (uint16_t)m->vn);
    q = put16(q, (uint16_t)m->ve);
    q = put16(q, (uint16_t)m->vd);
    q = put16(q, m->cog);
    q = put8(q, m->fix_type);
    q = put8(q, m->satellites_visible);
    q = put8(q, m->id);
    q = put16(q, m->yaw);
    return (size_t)(q - p);
}
void mav_hil_gps_decode(const uint8_t *p, struct mav_hil_gps *m)
{
    m->time_usec = get64(p);
    m->lat = (int32_t)get32(p + 8);
    m->lon = (int32_t)get32(p + 12);
    m->alt = (int32_t)get32(p + 16);
    m->eph = get16(p + 20);
    m->epv = get16(p + 22);
    m->vel = get16(p + 24);
    m->vn = (int16_t)get16(p + 26);
    m->ve = (int16_t)get16(p + 28);
    m->vd = (int16_t)get16(p + 30);
    m->cog = get16(p + 32);
    m->fix_type = p[34];
    m->satellites_visible = p[35];
    m->id = p[36];
    m->yaw = get16(p + 37);
}

size_t mav_hil_actuator_controls_encode(uint8_t *p, const struct mav_hil_actuator_controls *m)
{
    uint8_t *q = put64(p, m->time_usec);
    q = put64(q, m->flags);
    for (int i = 0; i < 16; i++)
        q = putf(q, m->controls[i]);
    q = put8(q, m->mode);
    return (size_t)(q - p);
}
void mav_hil_actuator_controls_decode(const uint8_t *p, struct mav_hil_actuator_controls *m)
{
    m->time_usec = get64(p);
    m->flags = get64(p + 8);
    for (int i = 0; i < 16; i++)
        m->controls[i] = getf(p + 16 + 4 * i);
    m->mode = p[80];
}

int mavlink_send_pack(struct mavlink_sender *s, uint8_t *out, uint32_t msgid, const uint8_t *payload, size_t len)
{
    int n = mavlink_frame_pack(out, s->seq, s->sysid, s->compid, msgid, payload, len);
    if (n > 0)
        s->seq++;
    return n;
}
