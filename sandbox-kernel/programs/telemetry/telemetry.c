/*
 * telemetry [--wait-net] [--until-event PREFIX | --until-severity N[:COUNT]] [RATE_HZ] [SECONDS] [A.B.C.D] [PORT]: the I/O sandbox's MAVLink v2
 * telemetry to the ground station (default 10.0.2.2:14550, which QEMU's user
 * network hands to the host's loopback).  HEARTBEAT and SYS_STATUS every
 * second of kernel time; ATTITUDE and LOCAL_POSITION_NED at RATE_HZ (default
 * 10); STATUSTEXT for events: start, stop, frames the network dropped, the
 * link coming back after failed sends, and every event posted to the kernel's
 * event queue (fault and recovery events, SYS_NET_EVENT_POST).
 * SECONDS = 0 runs for ever; --until-event stops after forwarding the first
 * event whose text starts with PREFIX (a test ends when the flight ends),
 * --until-severity N[:COUNT] after the COUNT-th (default the first) of
 * severity N or more urgent (0 emergency .. 7 debug; test
 * 80-qemu-svm-uav-square: 2:4 = the monitor's and the voter's safe-mode texts, entry and exit).  The flight state is the one the
 * TMR voter (io_voter) publishes each period (SYS_NET_STATE_PUT); without a
 * voter, a synthetic circuit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../net/user/triad_socket.h"
#include "../lib/triad.h"
#include "../../../tools/mavlink/mavlink_msgs.h"

static int sd;
static uint32_t dest_ip = TRIAD_IPV4(10, 0, 2, 2);
static uint16_t dest_port = 14550;
static struct mavlink_sender sender = { 0, 1, 1 };     /* system 1, autopilot component 1 */
static unsigned long sent, send_errors;
static unsigned long failing;       /* consecutive failed sends: the link is down or unreachable */
static unsigned long outages, events_sent, events_lost;
static const char *until_event;
static int until_severity = -1;     /* --until-severity: -1 off */
static unsigned long until_count = 1, until_seen;  /* ... after that many such events */
static int stop_now;
static void statustext(uint8_t severity, const char *text);
static uint64_t send_ns;            /* kernel time in sendto; instructions under QEMU -icount shift=0 */

static void send_msg(uint32_t id, const uint8_t *payload, size_t len)
{
    static uint8_t frame[MAVLINK_MAX_FRAME];
    int n = mavlink_send_pack(&sender, frame, id, payload, len);
    uint64_t t0 = triad_time_ns();
    long r = n > 0 ? tsock_sendto(sd, frame, (size_t)n, dest_ip, dest_port) : -1;
    send_ns += triad_time_ns() - t0;
    if (r != n) {
        send_errors++;
        if (failing++ == 0) {
            outages++;
            printf("telemetry: send failed (%ld): messages are dropped and counted until the link is back\n", r);
        }
        return;
    }
    sent++;
    if (failing) {
        unsigned long lost = failing;
        failing = 0;
        printf("telemetry: sending again after %lu dropped messages\n", lost);
        char text[51];
        snprintf(text, sizeof text, "net: link back, %lu messages dropped", lost);
        statustext(MAV_SEVERITY_WARNING, text);
    }
}

/* Fault and recovery events posted by the kernel or other programs
   (SYS_NET_EVENT_POST) go out as STATUSTEXT; at most 8 per period, the rest
   wait in the kernel's queue for the next one. */
static void forward_events(void)
{
    struct triad_event e;
    for (int i = 0; i < 8 && tnet_event_next(&e) == 1; i++) {
        if (e.lost_before) {
            char text[51];
            snprintf(text, sizeof text, "events: %lu lost (queue full)", (unsigned long)e.lost_before);
            statustext(MAV_SEVERITY_WARNING, text);
            events_lost += e.lost_before;
        }
        statustext(e.severity, e.text);
        events_sent++;
        if (until_event && strncmp(e.text, until_event, strlen(until_event)) == 0)
            stop_now = 1;
        if (until_severity >= 0 && (int)e.severity <= until_severity && ++until_seen >= until_count)
            stop_now = 1;
    }
}

static void statustext(uint8_t severity, const char *text)
{
    struct mav_statustext st = { .severity = severity };
    strncpy(st.text, text, 50);
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    send_msg(MAVLINK_MSG_STATUSTEXT, p, mav_statustext_encode(p, &st));
}

static void heartbeat_and_status(void)
{
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    /* Armed and active, unless the voter's state says disarmed (on the
       ground) or degraded (a replica short: MAV_STATE_CRITICAL). */
    struct triad_flight_state fs;
    int have = tnet_state_get(&fs) > 0;
    uint8_t base_mode = have && !(fs.flags & TRIAD_FS_ARMED) ? 0 : 0x80;
    uint8_t status = have && (fs.flags & TRIAD_FS_DEGRADED) ? MAV_STATE_CRITICAL : MAV_STATE_ACTIVE;
    struct mav_heartbeat hb = { 0, MAV_TYPE_QUADROTOR, MAV_AUTOPILOT_GENERIC, base_mode, status, 3 };
    send_msg(MAVLINK_MSG_HEARTBEAT, p, mav_heartbeat_encode(p, &hb));
    struct triad_netstats ns;
    struct mav_sys_status ss = { 0 };
    if (tsock_stats(&ns) == 0) {
        ss.errors_comm = (uint16_t)(ns.rx_errors + ns.rx_no_buffer + ns.ip_drop + ns.udp_drop);
        ss.drop_rate_comm = 0;
    }
    ss.voltage_battery = 12600;
    ss.current_battery = -1;
    ss.battery_remaining = -1;
    send_msg(MAVLINK_MSG_SYS_STATUS, p, mav_sys_status_encode(p, &ss));
}

/* The voter's flight state (SYS_NET_STATE_GET), when a voter publishes one:
   the sandboxed TMR flight of config/uav-tmr.xml.  Its time is the flight
   time of the voted period, so the ground station sees the flight's clock. */
static int voted_state(void)
{
    struct triad_flight_state fs;
    static uint32_t last_period;
    if (tnet_state_get(&fs) <= 0)
        return 0;
    if (fs.period == last_period)
        return 1;               /* nothing new since the last send: the loop is paused */
    last_period = fs.period;
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    uint32_t t_ms = (uint32_t)(fs.time_us / 1000u);
    struct mav_attitude at = { t_ms, fs.roll, fs.pitch, fs.yaw, fs.rollspeed, fs.pitchspeed, fs.yawspeed };
    send_msg(MAVLINK_MSG_ATTITUDE, p, mav_attitude_encode(p, &at));
    struct mav_local_position_ned lp = { t_ms, fs.x, fs.y, fs.z, fs.vx, fs.vy, fs.vz };
    send_msg(MAVLINK_MSG_LOCAL_POSITION_NED, p, mav_local_position_ned_encode(p, &lp));
    return 1;
}

/* Without a voter: a slow synthetic circuit: yaw turns 0.1 rad/s, the vehicle
   drifts north at 0.5 m/s at 10 m altitude, with a small roll oscillation
   (triangle wave). */
static void flight_state(uint32_t t_ms)
{
    uint8_t p[MAVLINK_MAX_PAYLOAD];
    if (voted_state())
        return;
    float t = (float)t_ms / 1000.0f;
    float phase = (float)(t_ms % 4000) / 1000.0f;          /* 0..4 s */
    float roll = 0.05f * (phase < 2.0f ? phase - 1.0f : 3.0f - phase);
    float yaw = 0.1f * t;
    while (yaw > 3.14159265f)
        yaw -= 6.2831853f;
    struct mav_attitude at = { t_ms, roll, 0.02f, yaw, 0.0f, 0.0f, 0.1f };
    send_msg(MAVLINK_MSG_ATTITUDE, p, mav_attitude_encode(p, &at));
    struct mav_local_position_ned lp = { t_ms, 0.5f * t, 0.0f, -10.0f, 0.5f, 0.0f, 0.0f };
    send_msg(MAVLINK_MSG_LOCAL_POSITION_NED, p, mav_local_position_ned_encode(p, &lp));
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

int main(int argc, char **argv)
{
    /* --wait-net: the sandbox may get its NIC later (the I/O failover's
       voter pair: the ground link follows the voter role, triad.net-standby
       =thread): wait until the network is up, then send as usual. */
    int wait_net = 0;
    if (argc > 1 && strcmp(argv[1], "--wait-net") == 0) {
        wait_net = 1;
        argv[1] = argv[0];
        argc -= 1;
        argv += 1;
    }
    if (argc > 2 && strcmp(argv[1], "--until-event") == 0) {
        until_event = argv[2];
        argv[2] = argv[0];
        argc -= 2;
        argv += 2;
    }
    if (argc > 2 && strcmp(argv[1], "--until-severity") == 0 && !until_event) {
        char *end;
        long sev = strtol(argv[2], &end, 10);
        if (*end == ':') {
            char *cend;
            long cnt = strtol(end + 1, &cend, 10);
            until_count = cnt >= 1 && cnt <= 100 && *cend == '\0' && cend != end + 1 ? (unsigned long)cnt : 0;
            end = until_count ? cend : end;
        }
        until_severity = *end == '\0' && sev >= 0 && sev <= 7 && end != argv[2] ? (int)sev : -2;
        argv[2] = argv[0];
        argc -= 2;
        argv += 2;
    }
    int rate = argc > 1 ? atoi(argv[1]) : 10;
    int seconds = argc > 2 ? atoi(argv[2]) : 0;
    if (until_severity == -2 || rate < 1 || rate > 100 || seconds < 0 || (argc > 3 && !parse_ip(argv[3], &dest_ip))) {
        printf("telemetry: usage: telemetry [--wait-net] [--until-event PREFIX | --until-severity 0..7[:COUNT]] [RATE_HZ 1..100] [SECONDS] [A.B.C.D] [PORT]\n");
        return 2;
    }
    if (argc > 4)
        dest_port = (uint16_t)atoi(argv[4]);
    sd = tsock_socket(TRIAD_SOCK_UDP);
    if (sd < 0 && wait_net) {
        printf("telemetry: waiting for the network (this sandbox gets its NIC when it takes the voter role)\n");
        while (sd == -2) {      /* -E_NOENT, no network yet: one syscall per 10 ms, no VM exit */
            triad_sleep_ns(10000000ull);
            sd = tsock_socket(TRIAD_SOCK_UDP);
        }
    }
    if (sd < 0) {
        printf("telemetry: no socket (%d): is triad.net= set?\n", sd);
        return 1;
    }
    printf("telemetry: to %u.%u.%u.%u:%u, flight state at %d Hz, heartbeat at 1 Hz\n", dest_ip >> 24,
           (dest_ip >> 16) & 255, (dest_ip >> 8) & 255, dest_ip & 255, dest_port, rate);
    uint64_t start = triad_time_ns(), period = 1000000000ull / (uint64_t)rate;
    uint64_t next = start, next_beat = start, end = start + (uint64_t)seconds * 1000000000ull;
    uint64_t dropped_seen = 0;
    struct triad_netstats mark;
    tsock_stats_ex(&mark, TRIAD_NETSTATS_MARK);        /* VM exits from here (under the monitor) */
    statustext(MAV_SEVERITY_INFO, "Triad telemetry up");
    for (unsigned long tick = 0;; tick++) {
        uint64_t now = triad_time_ns();
        if ((seconds && now >= end) || stop_now)
            break;
        if (now >= next_beat) {
            heartbeat_and_status();
            next_beat += 1000000000ull;
            struct triad_netstats ns;
            if (tsock_stats(&ns) == 0) {
                uint64_t dropped = ns.rx_errors + ns.rx_no_buffer + ns.ip_drop + ns.udp_drop;
                if (dropped > dropped_seen) {
                    char text[51];
                    snprintf(text, sizeof text, "net: %lu frames dropped", (unsigned long)(dropped - dropped_seen));
                    statustext(MAV_SEVERITY_WARNING, text);
                    dropped_seen = dropped;
                }
            }
        }
        flight_state((uint32_t)((now - start) / 1000000ull));
        forward_events();
        next += period;
        now = triad_time_ns();
        if (next > now)
            triad_sleep_ns(next - now);
    }
    forward_events();
    statustext(MAV_SEVERITY_INFO, "Triad telemetry stopping");
    printf("telemetry: sent %lu messages, %lu send errors, last sequence %u\n", sent, send_errors,
           (unsigned)(uint8_t)(sender.seq - 1));
    printf("telemetry: %lu outages, %lu events sent as STATUSTEXT, %lu events lost\n", outages, events_sent,
           events_lost);
    struct triad_netstats ns;
    if (tsock_stats_ex(&ns, TRIAD_NETSTATS_EXITS) == 0 && ns.vm_exits != ~0ull)
        printf("telemetry: %lu VM exits on this core while sending %lu messages\n", (unsigned long)ns.vm_exits, sent);
    if (sent && tsock_stats(&ns) == 0)
        printf("telemetry: %lu ns of kernel time per message sent; nic rx %lu tx %lu irqs %lu, irq-to-thread "
               "latency avg %lu max %lu ticks; driver wakeups %lu, ticks %lu\n", (unsigned long)(send_ns / sent),
               (unsigned long)ns.rx_frames, (unsigned long)ns.tx_frames, (unsigned long)ns.irqs,
               (unsigned long)ns.latency_avg, (unsigned long)ns.latency_max, (unsigned long)ns.driver_wakeups,
               (unsigned long)ns.driver_ticks);
    tsock_close(sd);
    return 0;
}
