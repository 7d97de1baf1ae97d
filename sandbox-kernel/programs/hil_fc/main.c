/* hil_fc: the flight controller flown by an external simulator over the PX4
 * simulator link (docs/networking.md, "Simulator link").
 *
 *   hil_fc [--rate HZ] [--seconds S] [--host A.B.C.D] [--port P] [--flip PERIOD]
 *
 * Connects to the simulator (PX4's convention: the simulator listens on TCP
 * 4560, the autopilot connects; default 10.0.2.2:4560, the host under QEMU's
 * user network), sends HEARTBEAT once a second, and for every HIL_SENSOR
 * (period k) builds a sensor_frame (FRD -> the controller's FLU axes, the
 * mission's setpoint for period k from tools/sim/mission.c; the position fix
 * from a HIL_GPS of the same step, converted back to the local frame), runs the shared
 * flight-control law (flightctl/) in three replicas, votes their outputs
 * with the proved voter (tmr/voter.c, exact mode) and answers
 * HIL_ACTUATOR_CONTROLS with the same time_usec: the simulator steps only
 * then (lockstep).
 *
 * A replica the vote finds disagreeing is reloaded from the majority's state
 * (fc_replica_load): both the disagreement and the recovery decision are
 * posted as events (SYS_NET_EVENT_POST), which the telemetry program sends
 * to the ground station as STATUSTEXT.  --flip PERIOD flips one bit of
 * replica b's state before period PERIOD (the test's fault injection).
 * The triplication here is in one process; the sandboxed TMR of issue 8 is
 * io_voter/fc_replica. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../net/user/triad_socket.h"
#include "../lib/triad.h"
#include "../../../tools/mavlink/mavlink_msgs.h"
#include "../../../tools/mavlink/mavlink_stream.h"
#include "flightctl.h"
#include "fc_replica.h"
#include "voter.h"
#include "mission.h"
#include "../../../tools/simlink/hil_geo.h"

#define REPLICAS 3
#define CONNECT_TRIES 100          /* 200 ms apart: the simulator may start after us */

static int sd = -1;
static struct mavlink_sender tx = { 0, 1, 1 };
static struct mavlink_stream rx;
static unsigned long send_errors;

static int send_msg(uint32_t id, const uint8_t *p, size_t len)
{
    uint8_t frame[MAVLINK_MAX_FRAME];
    int n = mavlink_send_pack(&tx, frame, id, p, len);
    if (n <= 0 || tsock_send(sd, frame, (size_t)n) != n) {
        send_errors++;
        return -1;
    }
    return 0;
}

static void event(unsigned severity, const char *fmt, unsigned a, unsigned b)
{
    char text[64];
    snprintf(text, sizeof text, fmt, a, b);
    text[TRIAD_NET_EVENT_TEXT] = '\0';
    printf("hil_fc: event: %s\n", text);
    int r = tnet_event_post(severity, text);
    if (r != 0)
        printf("hil_fc: event not queued (%d)\n", r);
}

static int parse_ip(const char *s, uint32_t *out)
{
    unsigned a, b, c, d;
    char tail;
    if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
        return 0;
    *out = TRIAD_IPV4(a, b, c, d);
    return 1;
}

static int connect_sim(uint32_t ip, uint16_t port)
{
    for (int i = 0; i < CONNECT_TRIES; i++) {
        sd = tsock_socket(TRIAD_SOCK_TCP);
        if (sd < 0)
            return sd;
        int r = tsock_connect(sd, ip, port);
        if (r == 0)
            return 0;
        tsock_close(sd);        /* a refused connection leaves the netconn unusable */
        sd = -1;
        triad_sleep_ns(200000000ull);
    }
    return -1;
}

/* The next whole frame from the link: 1, or 0 when the link closed or the
   receive timed out. */
static int next_frame(struct mavlink_frame *f)
{
    uint8_t tmp[512];
    while (!mavlink_stream_next(&rx, f)) {
        long n = tsock_recv(sd, tmp, sizeof tmp);
        if (n <= 0)
            return 0;
        for (size_t off = 0; off < (size_t)n;) {
            size_t took = mavlink_stream_feed(&rx, tmp + off, (size_t)n - off);
            off += took;
            if (took == 0)
                return 0;       /* cannot happen after a drained stream: a frame fits twice */
        }
    }
    return 1;
}

static void flip_bit(struct fc_state *st, uint32_t word, uint32_t bit)
{
    uint32_t w[sizeof *st / 4];
    memcpy(w, st, sizeof w);
    w[word % (sizeof w / 4)] ^= 1u << bit;
    memcpy(st, w, sizeof w);
}

int main(int argc, char **argv)
{
    uint32_t rate = 100, seconds = 0, flip_period = 0;
    uint32_t ip = TRIAD_IPV4(10, 0, 2, 2);
    uint16_t port = 4560;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[++i] : 0;
        if (!v)
            bad = 1;
        else if (!strcmp(argv[i - 1], "--rate"))
            rate = (uint32_t)strtoul(v, 0, 10);
        else if (!strcmp(argv[i - 1], "--seconds"))
            seconds = (uint32_t)strtoul(v, 0, 10);
        else if (!strcmp(argv[i - 1], "--port"))
            port = (uint16_t)strtoul(v, 0, 10);
        else if (!strcmp(argv[i - 1], "--flip"))
            flip_period = (uint32_t)strtoul(v, 0, 10);
        else if (!strcmp(argv[i - 1], "--host"))
            bad |= !parse_ip(v, &ip);
        else
            bad = 1;
    }
    if (bad || rate < 50 || rate > 1000 || port == 0) {
        printf("usage: hil_fc [--rate HZ 50..1000] [--seconds S] [--host A.B.C.D] [--port P] [--flip PERIOD]\n");
        return 2;
    }
    if (connect_sim(ip, port) != 0) {
        printf("hil_fc: no simulator at %u.%u.%u.%u:%u\n", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255,
               port);
        event(MAV_SEVERITY_CRITICAL, "end of flight: no simulator", 0, 0);
        return 1;
    }
    tsock_set_timeout_ms(sd, 60000);    /* virtual time: a paused simulator (the link test) must not end the flight */
    mavlink_stream_init(&rx);
    printf("hil_fc: connected to the simulator at %u.%u.%u.%u:%u, %u Hz, %u replicas voted\n", ip >> 24,
           (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, port, rate, REPLICAS);
    event(MAV_SEVERITY_INFO, "hil_fc: simulator link up, %u Hz", rate, 0);

    static struct fc_params params;
    static struct fc_state st[REPLICAS];
    static struct replica_output out[REPLICAS];
    static struct mission ms;
    fc_params_default(&params, rate);
    for (int r = 0; r < REPLICAS; r++)
        fc_state_init(&st[r]);
    mission_default(&ms, rate);
    const uint16_t safe[TMR_MOTORS] = { 0, 0, 0, 0 };
    uint32_t k = 0, answered = 0, other = 0, no_majority = 0, reloads = 0;
    uint64_t last_beat_us = 0, first_us = 0;
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    struct mav_heartbeat hb = { 0, MAV_TYPE_QUADROTOR, MAV_AUTOPILOT_GENERIC, 0, MAV_STATE_ACTIVE, 3 };
    send_msg(MAVLINK_MSG_HEARTBEAT, p, mav_heartbeat_encode(p, &hb));
    struct mavlink_frame f;
    struct mav_hil_gps gps;
    int gps_fresh = 0;
    uint32_t gps_fixes = 0;
    while (next_frame(&f)) {
        if (f.msgid == MAVLINK_MSG_HIL_GPS) {
            mav_hil_gps_decode(f.payload, &gps);
            gps_fresh = gps.fix_type >= 3;      /* a 3D fix; used by the next HIL_SENSOR */
            gps_fixes += (uint32_t)gps_fresh;
            continue;
        }
        if (f.msgid != MAVLINK_MSG_HIL_SENSOR) {
            other++;
            continue;
        }
        struct mav_hil_sensor hs;
        mav_hil_sensor_decode(f.payload, &hs);
        k++;
        if (k == 1)
            first_us = hs.time_usec;
        struct sensor_frame sf;
        memset(&sf, 0, sizeof sf);
        sf.version = TMR_FRAME_VERSION;
        sf.seq = k;
        sf.time_us = hs.time_usec;
        sf.gyro[0] = hs.xgyro, sf.gyro[1] = -hs.ygyro, sf.gyro[2] = -hs.zgyro;      /* FRD -> FLU */
        sf.accel[0] = hs.xacc, sf.accel[1] = -hs.yacc, sf.accel[2] = -hs.zacc;
        sf.baro_alt = hs.pressure_alt;
        if (gps_fresh && gps.time_usec == hs.time_usec) {
            sf.pos[0] = (float)hil_x_of(gps.lat);
            sf.pos[1] = (float)hil_y_of(gps.lon);
            sf.sensor_flags |= SENSOR_POS_VALID;
        }
        gps_fresh = 0;
        mission_setpoint(&ms, k, &sf);
        if (flip_period && k == flip_period) {
            flip_bit(&st[1], 16, 22);   /* replica b's altitude estimate, top mantissa bit */
            printf("hil_fc: fault injected into replica b at period %u\n", (unsigned)k);
        }
        struct tmr_ballot ballots[REPLICAS];
        for (int r = 0; r < REPLICAS; r++) {
            int rc = fc_replica_step(&params, &st[r], &sf, (uint32_t)r, &out[r], 0);
            tmr_ballot_from_output(rc == FC_OK ? &out[r] : 0, &ballots[r]);
        }
        struct tmr_vote_result v;
        tmr_vote(ballots, REPLICAS, k, TMR_VOTE_EXACT, 0, safe, &v);
        if (v.status == TMR_VOTE_NO_MAJORITY)
            no_majority++;
        for (int r = 0; r < REPLICAS && v.status == TMR_VOTE_MAJORITY; r++) {
            if (v.verdict[r] == TMR_SLOT_AGREES)
                continue;
            event(MAV_SEVERITY_WARNING, "TMR: replica %c outvoted at period %u", 'a' + (unsigned)r, k);
            if (fc_replica_load(&st[r], &out[v.winner]) == 0) {
                reloads++;
                event(MAV_SEVERITY_NOTICE, "recovery: replica %c reloaded at period %u", 'a' + (unsigned)r, k);
            } else {
                event(MAV_SEVERITY_CRITICAL, "recovery: replica %c reload refused, period %u", 'a' + (unsigned)r, k);
            }
        }
        struct mav_hil_actuator_controls c = { .time_usec = hs.time_usec };
        for (unsigned m = 0; m < TMR_MOTORS; m++)
            c.controls[m] = (float)v.motor[m] / (float)TMR_MOTOR_MAX;
        c.mode = (v.flags & REPLICA_FLAG_ARMED) ? 0x80 : 0;        /* MAV_MODE_FLAG_SAFETY_ARMED */
        if (send_msg(MAVLINK_MSG_HIL_ACTUATOR_CONTROLS, p, mav_hil_actuator_controls_encode(p, &c)) == 0)
            answered++;
        if (hs.time_usec - last_beat_us >= 1000000ull) {
            last_beat_us = hs.time_usec;
            hb.base_mode = c.mode;
            send_msg(MAVLINK_MSG_HEARTBEAT, p, mav_heartbeat_encode(p, &hb));
        }
        if (k % rate == 0)
            printf("hil_fc: period %u alt est %d mm phase %u motors %u %u %u %u\n", (unsigned)k,
                   (int)(st[0].pos[2] * 1000.0f), (unsigned)sf.phase, v.motor[0], v.motor[1], v.motor[2], v.motor[3]);
        if (seconds && hs.time_usec - first_us >= (uint64_t)seconds * 1000000ull)
            break;
    }
    event(MAV_SEVERITY_INFO, "end of flight: %u HIL periods flown", k, 0);
    const struct mavlink_rx_stats *s = &rx.stats;
    printf("hil_fc: %u HIL_GPS fixes used\n", (unsigned)gps_fixes);
    printf("hil_fc: %u HIL_SENSOR answered %u, other messages %u, no-majority %u, reloads %u, send errors %lu; "
           "refused %lu bad crc, %lu unknown id, %lu bad length\n", (unsigned)k, (unsigned)answered, (unsigned)other,
           (unsigned)no_majority, (unsigned)reloads, send_errors, (unsigned long)s->bad_crc,
           (unsigned long)s->unknown_id, (unsigned long)s->bad_length);
    tsock_close(sd);
    return 0;
}
