/* sim-link: the quadrotor plant of tools/sim behind the PX4 simulator
 * convention, so that a flight controller speaking it (ours in the sandbox
 * kernel: program hil_fc; or any PX4-compatible autopilot) can fly it.
 *
 *   sim-link [--port 4560] [--rate HZ] [--seconds S] [--seed N]
 *            [--accept-timeout S] [--step-timeout S] [--csv FILE]
 *            [--pause-at STEP --pause-file FILE]
 *
 * PX4's default (simulator_mavlink): the SIMULATOR listens on TCP 4560 and
 * the autopilot connects.  Lockstep: the simulator sends HIL_SENSOR for step
 * k (time_usec = k / rate), the autopilot answers HIL_ACTUATOR_CONTROLS with
 * the same time_usec, and only then does the simulator advance the plant one
 * period and send step k+1.  HEARTBEAT goes both ways once a second.
 * HIL_SENSOR is in PX4's body frame FRD (x forward, y right, z down): the
 * plant's FLU readings are converted (y and z negated).  When the sensor
 * model has a position fix (every 5th period), HIL_GPS goes first in that
 * step: latitude/longitude around a fixed home (hil_geo.h), NED velocity.  The controls are
 * Triad's motor order (tmr/frames.h mixer), 0..1 each.
 *
 * This is a front-end beside tools/sim: the physics (quad_model.c) and the
 * sensor models (sensors.c) are used unchanged.
 *
 * --pause-at/--pause-file hold the simulation before step STEP: sim-link
 * creates FILE and waits (up to --step-timeout) until somebody removes it.
 * The autopilot then waits for its next HIL_SENSOR: a test does things to
 * the running system at a known point of the flight (the link test).
 *
 * Exit status: 0 when every step was answered in lockstep and the plant did
 * not crash, 1 otherwise (a summary says which), 2 for bad usage. */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "mavlink/mavlink_msgs.h"
#include "mavlink/mavlink_stream.h"
#include "quad_model.h"
#include "sensors.h"
#include "prng.h"
#include "hil_geo.h"

struct link {
    int fd;
    struct mavlink_sender tx;
    struct mavlink_stream rx;
    unsigned long heartbeats_in, statustexts_in, other_in, stale_controls;
};

static void usage(void)
{
    fprintf(stderr, "usage: sim-link [--port 4560] [--rate HZ] [--seconds S] [--seed N]\n"
                    "                [--accept-timeout S] [--step-timeout S] [--csv FILE]\n"
                    "                [--pause-at STEP --pause-file FILE]\n");
    exit(2);
}

static int send_all(int fd, const uint8_t *b, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static int send_msg(struct link *l, uint32_t id, const uint8_t *p, size_t len)
{
    uint8_t frame[MAVLINK_MAX_FRAME];
    int n = mavlink_send_pack(&l->tx, frame, id, p, len);
    return n > 0 ? send_all(l->fd, frame, (size_t)n) : -1;
}

/* One received frame: 1 if it is the HIL_ACTUATOR_CONTROLS answering
   time_usec (copied to *c); other messages are counted, STATUSTEXT printed. */
static int take_frame(struct link *l, const struct mavlink_frame *f, uint64_t time_usec,
                      struct mav_hil_actuator_controls *c)
{
    if (f->msgid == MAVLINK_MSG_HIL_ACTUATOR_CONTROLS) {
        struct mav_hil_actuator_controls got;
        mav_hil_actuator_controls_decode(f->payload, &got);
        if (got.time_usec == time_usec) {
            *c = got;
            return 1;
        }
        l->stale_controls++;
    } else if (f->msgid == MAVLINK_MSG_HEARTBEAT) {
        l->heartbeats_in++;
    } else if (f->msgid == MAVLINK_MSG_STATUSTEXT) {
        struct mav_statustext st;
        mav_statustext_decode(f->payload, &st);
        printf("sim-link: STATUSTEXT severity %u '%s'\n", st.severity, st.text);
        l->statustexts_in++;
    } else {
        l->other_in++;
    }
    return 0;
}

/* Waits for the controls answering time_usec: 0, or -1 on timeout or a closed link. */
static int wait_controls(struct link *l, uint64_t time_usec, int timeout_ms, struct mav_hil_actuator_controls *c)
{
    int found = 0;
    struct mavlink_frame f;
    while (!found && mavlink_stream_next(&l->rx, &f))
        found = take_frame(l, &f, time_usec, c);
    while (!found) {
        struct pollfd pf = { .fd = l->fd, .events = POLLIN };
        if (poll(&pf, 1, timeout_ms) <= 0)
            return -1;
        uint8_t tmp[1024];
        ssize_t n = recv(l->fd, tmp, sizeof tmp, 0);
        if (n <= 0)
            return -1;
        /* Feed everything read; frames after the answer stay for the next step. */
        for (size_t off = 0; off < (size_t)n;) {
            off += mavlink_stream_feed(&l->rx, tmp + off, (size_t)n - off);
            while (!found && mavlink_stream_next(&l->rx, &f))
                found = take_frame(l, &f, time_usec, c);
            if (found && off < (size_t)n && mavlink_stream_feed(&l->rx, tmp + off, 0) == 0 &&
                sizeof l->rx.buf - l->rx.len < (size_t)n - off)
                return -1;      /* cannot keep the rest: the peer floods the link */
        }
    }
    return 0;
}

/* Creates `path` and waits until it is removed: 0, or -1 after timeout_s. */
static int hold_until_removed(const char *path, unsigned timeout_s)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    fclose(f);
    printf("sim-link: paused before step; remove %s to go on\n", path);
    fflush(stdout);
    for (unsigned i = 0; i < timeout_s * 100; i++) {
        if (access(path, F_OK) != 0) {
            printf("sim-link: resumed\n");
            fflush(stdout);
            return 0;
        }
        usleep(10000);
    }
    printf("sim-link: still paused after %u s: giving up\n", timeout_s);
    unlink(path);
    return -1;
}

static int listen_and_accept(uint16_t port, int timeout_s)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 1) != 0) {
        fprintf(stderr, "sim-link: cannot listen on 127.0.0.1:%u: %s\n", port, strerror(errno));
        exit(1);
    }
    printf("sim-link: listening on 127.0.0.1:%u (PX4 convention: the autopilot connects)\n", port);
    fflush(stdout);
    struct pollfd pf = { .fd = s, .events = POLLIN };
    if (poll(&pf, 1, timeout_s * 1000) <= 0) {
        fprintf(stderr, "sim-link: no autopilot connected within %d s\n", timeout_s);
        exit(1);
    }
    int fd = accept(s, 0, 0);
    close(s);
    if (fd < 0) {
        perror("sim-link: accept");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

int main(int argc, char **argv)
{
    unsigned port = 4560, rate = 100, seconds = 6, accept_s = 120, step_s = 30;
    unsigned long long seed = 1;
    const char *csv_path = NULL, *pause_file = NULL;
    unsigned pause_at = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!v)
            usage();
        unsigned long long n = strtoull(v, &end, 10);
        int numeric = *v && *end == '\0';
        if (!strcmp(argv[i], "--csv"))
            csv_path = v;
        else if (!strcmp(argv[i], "--pause-file"))
            pause_file = v;
        else if (!numeric)
            usage();
        else if (!strcmp(argv[i], "--port") && n > 0 && n < 65536)
            port = (unsigned)n;
        else if (!strcmp(argv[i], "--rate") && n >= 50 && n <= 1000)
            rate = (unsigned)n;
        else if (!strcmp(argv[i], "--seconds") && n > 0 && n <= 3600)
            seconds = (unsigned)n;
        else if (!strcmp(argv[i], "--pause-at") && n > 0)
            pause_at = (unsigned)n;
        else if (!strcmp(argv[i], "--seed"))
            seed = n;
        else if (!strcmp(argv[i], "--accept-timeout") && n > 0 && n <= 3600)
            accept_s = (unsigned)n;
        else if (!strcmp(argv[i], "--step-timeout") && n > 0 && n <= 3600)
            step_s = (unsigned)n;
        else
            usage();
        i++;
    }
    if (!pause_at != !pause_file)
        usage();
    FILE *csv = csv_path ? fopen(csv_path, "w") : NULL;
    if (csv_path && !csv) {
        perror(csv_path);
        return 2;
    }
    if (csv)
        fprintf(csv, "step,t,x,y,z,roll,pitch,yaw,m0,m1,m2,m3\n");

    struct quad_params qp;
    struct quad_state q;
    struct sensor_params sp;
    struct sim_rng rng;
    quad_params_default(&qp);
    quad_init(&q);
    sensor_params_default(&sp);
    sim_rng_seed(&rng, seed);

    struct link l = { .fd = listen_and_accept((uint16_t)port, (int)accept_s), .tx = { 0, 1, 51 } };
    mavlink_stream_init(&l.rx);
    printf("sim-link: autopilot connected; %u Hz lockstep for %u s (%u steps)\n", rate, seconds, rate * seconds);
    fflush(stdout);

    const uint32_t steps = rate * seconds;
    const double dt = 1.0 / rate;
    uint32_t lockstep = 0, gps_sent = 0;
    double max_alt = 0.0, max_tilt = 0.0;
    int failed = 0;
    for (uint32_t k = 1; k <= steps; k++) {
        uint8_t p[MAVLINK_MAX_PAYLOAD];
        if (k == pause_at && hold_until_removed(pause_file, step_s) != 0) {
            failed = 1;
            break;
        }
        if (k % rate == 1) {
            struct mav_heartbeat hb = { 0, MAV_TYPE_QUADROTOR, MAV_AUTOPILOT_GENERIC, 0, MAV_STATE_ACTIVE, 3 };
            if (send_msg(&l, MAVLINK_MSG_HEARTBEAT, p, mav_heartbeat_encode(p, &hb)) != 0) {
                failed = 1;
                break;
            }
        }
        struct sensor_frame sf;
        memset(&sf, 0, sizeof sf);
        sensors_sample(&sp, &rng, &q, k, &sf);
        /* FLU -> FRD; pressure from the altitude by the standard atmosphere's
           first-order slope (12 Pa per metre near sea level). */
        struct mav_hil_sensor hs = {
            .time_usec = (uint64_t)k * 1000000ull / rate,
            .xacc = sf.accel[0], .yacc = -sf.accel[1], .zacc = -sf.accel[2],
            .xgyro = sf.gyro[0], .ygyro = -sf.gyro[1], .zgyro = -sf.gyro[2],
            .abs_pressure = 1013.25f - 0.12f * sf.baro_alt, .pressure_alt = sf.baro_alt,
            .temperature = 15.0f,
            .fields_updated = 0x1C3F,   /* accel, gyro (bits 0-5), abs pressure, pressure alt, temperature */
        };
        if (sf.sensor_flags & SENSOR_POS_VALID) {
            struct mav_hil_gps g = {
                .time_usec = hs.time_usec,
                .lat = hil_lat_e7(sf.pos[0]), .lon = hil_lon_e7(sf.pos[1]),
                .alt = HIL_HOME_ALT_MM + (int32_t)lrint(q.pos[2] * 1000.0),
                .eph = 100, .epv = 100, .vel = (uint16_t)lrint(hypot(q.vel[0], q.vel[1]) * 100.0),
                .vn = (int16_t)lrint(q.vel[0] * 100.0), .ve = (int16_t)lrint(-q.vel[1] * 100.0),
                .vd = (int16_t)lrint(-q.vel[2] * 100.0), .cog = 65535, .fix_type = 3, .satellites_visible = 10,
            };
            if (send_msg(&l, MAVLINK_MSG_HIL_GPS, p, mav_hil_gps_encode(p, &g)) != 0) {
                failed = 1;
                break;
            }
            gps_sent++;
        }
        if (send_msg(&l, MAVLINK_MSG_HIL_SENSOR, p, mav_hil_sensor_encode(p, &hs)) != 0) {
            failed = 1;
            break;
        }
        struct mav_hil_actuator_controls c;
        if (wait_controls(&l, hs.time_usec, (int)step_s * 1000, &c) != 0) {
            printf("sim-link: no HIL_ACTUATOR_CONTROLS for step %u within %u s (or the link closed)\n", k, step_s);
            failed = 1;
            break;
        }
        lockstep++;
        uint16_t cmd[4];
        for (int i = 0; i < 4; i++) {
            float u = c.controls[i];
            if (!(u >= 0.0f))           /* also NaN */
                u = 0.0f;
            if (u > 1.0f)
                u = 1.0f;
            cmd[i] = (uint16_t)lrintf(u * 10000.0f);
        }
        quad_step(&qp, &q, cmd, dt, 4);
        double e[3];
        quad_euler(&q, e);
        double tilt = acos(fmin(1.0, cos(e[0]) * cos(e[1]))) * 180.0 / M_PI;
        if (q.pos[2] > max_alt)
            max_alt = q.pos[2];
        if (!q.on_ground && tilt > max_tilt)
            max_tilt = tilt;
        if (csv)
            fprintf(csv, "%u,%.3f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%u,%u,%u,%u\n", k, k * dt, q.pos[0], q.pos[1],
                    q.pos[2], e[0], e[1], e[2], cmd[0], cmd[1], cmd[2], cmd[3]);
        if (k % rate == 0) {
            printf("sim-link: t=%.2f s alt %.3f m x %.3f y %.3f tilt %.2f deg motors %u %u %u %u\n", k * dt,
                   q.pos[2], q.pos[0], q.pos[1], tilt, cmd[0], cmd[1], cmd[2], cmd[3]);
            fflush(stdout);
        }
    }
    if (csv)
        fclose(csv);
    close(l.fd);
    const struct mavlink_rx_stats *s = &l.rx.stats;
    printf("sim-link: lockstep %u of %u steps, final alt %.3f m, max alt %.3f m, max tilt %.2f deg, crashed %d\n",
           lockstep, steps, q.pos[2], max_alt, max_tilt, q.crashed);
    printf("sim-link: final position x %.3f y %.3f m, %u HIL_GPS fixes sent\n", q.pos[0], q.pos[1], gps_sent);
    printf("sim-link: received %llu frames (heartbeat %lu statustext %lu other %lu stale controls %lu); "
           "refused %llu bad crc, %llu unknown id, %llu bad length, %llu incompatible\n",
           (unsigned long long)s->frames, l.heartbeats_in, l.statustexts_in, l.other_in, l.stale_controls,
           (unsigned long long)s->bad_crc, (unsigned long long)s->unknown_id, (unsigned long long)s->bad_length,
           (unsigned long long)s->incompat);
    return failed || q.crashed || lockstep != steps ? 1 : 0;
}
