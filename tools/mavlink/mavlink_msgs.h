/*
 * The supported MAVLink messages as C structures, with their little-endian
 * wire encoding (fields sorted by type size, largest first, as the
 * specification orders them; extensions after, in declaration order).
 */
#ifndef TRIAD_MAVLINK_MSGS_H
#define TRIAD_MAVLINK_MSGS_H
#include "mavlink.h"

#define MAVLINK_MSG_HEARTBEAT             0
#define MAVLINK_MSG_SYS_STATUS            1
#define MAVLINK_MSG_ATTITUDE              30
#define MAVLINK_MSG_LOCAL_POSITION_NED    32
#define MAVLINK_MSG_HIL_ACTUATOR_CONTROLS 93
#define MAVLINK_MSG_HIL_SENSOR            107
#define MAVLINK_MSG_HIL_GPS               113
#define MAVLINK_MSG_STATUSTEXT            253

/* MAV_TYPE_QUADROTOR, MAV_AUTOPILOT_GENERIC, MAV_STATE_ACTIVE, MAV_SEVERITY_* (common.xml enums) */
#define MAV_TYPE_QUADROTOR     2
#define MAV_AUTOPILOT_GENERIC  0
#define MAV_STATE_ACTIVE       4
#define MAV_STATE_CRITICAL     5
#define MAV_SEVERITY_CRITICAL  2
#define MAV_SEVERITY_WARNING   4
#define MAV_SEVERITY_NOTICE    5
#define MAV_SEVERITY_INFO      6

struct mav_heartbeat {
    uint32_t custom_mode;
    uint8_t type, autopilot, base_mode, system_status, mavlink_version;
};

struct mav_sys_status {
    uint32_t sensors_present, sensors_enabled, sensors_health;
    uint16_t load;                  /* 0.1 % */
    uint16_t voltage_battery;       /* mV */
    int16_t current_battery;        /* 10 mA */
    uint16_t drop_rate_comm, errors_comm, errors_count[4];
    int8_t battery_remaining;
};

struct mav_attitude {
    uint32_t time_boot_ms;
    float roll, pitch, yaw, rollspeed, pitchspeed, yawspeed;
};

struct mav_local_position_ned {
    uint32_t time_boot_ms;
    float x, y, z, vx, vy, vz;
};

struct mav_statustext {
    uint8_t severity;
    char text[51];                  /* 50 on the wire, not NUL-terminated when full; always terminated here */
};

struct mav_hil_sensor {
    uint64_t time_usec;
    float xacc, yacc, zacc, xgyro, ygyro, zgyro, xmag, ymag, zmag;
    float abs_pressure, diff_pressure, pressure_alt, temperature;
    uint32_t fields_updated;
    uint8_t id;                     /* extension */
};

struct mav_hil_gps {
    uint64_t time_usec;
    int32_t lat, lon, alt;          /* degE7, degE7, mm (MSL) */
    uint16_t eph, epv, vel;         /* dilution x100, dilution x100, cm/s */
    int16_t vn, ve, vd;             /* cm/s, NED */
    uint16_t cog;                   /* cdeg */
    uint8_t fix_type, satellites_visible;
    uint8_t id;                     /* extension */
    uint16_t yaw;                   /* extension, cdeg (0 = unknown) */
};

struct mav_hil_actuator_controls {
    uint64_t time_usec;
    float controls[16];
    uint8_t mode;
    uint64_t flags;
};

/* Each encoder writes the full payload into p (MAVLINK_MAX_PAYLOAD bytes) and
   returns its length; each decoder reads a frame's zero-filled payload. */
size_t mav_heartbeat_encode(uint8_t *p, const struct mav_heartbeat *m);
void mav_heartbeat_decode(const uint8_t *p, struct mav_heartbeat *m);
size_t mav_sys_status_encode(uint8_t *p, const struct mav_sys_status *m);
void mav_sys_status_decode(const uint8_t *p, struct mav_sys_status *m);
size_t mav_attitude_encode(uint8_t *p, const struct mav_attitude *m);
void mav_attitude_decode(const uint8_t *p, struct mav_attitude *m);
size_t mav_local_position_ned_encode(uint8_t *p, const struct mav_local_position_ned *m);
void mav_local_position_ned_decode(const uint8_t *p, struct mav_local_position_ned *m);
size_t mav_statustext_encode(uint8_t *p, const struct mav_statustext *m);
void mav_statustext_decode(const uint8_t *p, struct mav_statustext *m);
size_t mav_hil_sensor_encode(uint8_t *p, const struct mav_hil_sensor *m);
void mav_hil_sensor_decode(const uint8_t *p, struct mav_hil_sensor *m);
size_t mav_hil_gps_encode(uint8_t *p, const struct mav_hil_gps *m);
void mav_hil_gps_decode(const uint8_t *p, struct mav_hil_gps *m);
size_t mav_hil_actuator_controls_encode(uint8_t *p, const struct mav_hil_actuator_controls *m);
void mav_hil_actuator_controls_decode(const uint8_t *p, struct mav_hil_actuator_controls *m);

/* A message packed into a frame with the sender's sequence counter (incremented). */
struct mavlink_sender {
    uint8_t seq, sysid, compid;
};
int mavlink_send_pack(struct mavlink_sender *s, uint8_t *out, uint32_t msgid, const uint8_t *payload, size_t len);
#endif
