/*
 * gcs: a minimal ground station.  Listens for MAVLink v2 over UDP on the
 * loopback (127.0.0.1, never another interface), decodes every frame with
 * tools/mavlink and prints one line per message; --json FILE adds one JSON
 * object per message, --raw FILE one line of hex per datagram (for other
 * decoders).  Ends after --heartbeats N HEARTBEATs, a STATUSTEXT containing
 * --until-text TEXT, --timeout seconds without traffic, or SIGINT/SIGTERM,
 * then prints what it received and what it refused.
 *
 *   gcs [--port 14550] [--json FILE] [--raw FILE] [--heartbeats N] [--until-text TEXT]
 *       [--timeout S] [--quiet]
 */
#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "mavlink/mavlink_msgs.h"

struct gcs {
    FILE *json, *raw;
    int quiet, done;
    const char *until_text;
    unsigned long heartbeats, count[256];
};

static void print_frame(const struct mavlink_frame *f, void *ctx)
{
    struct gcs *g = ctx;
    char text[400];
    switch (f->msgid) {
    case MAVLINK_MSG_HEARTBEAT: {
        struct mav_heartbeat m;
        mav_heartbeat_decode(f->payload, &m);
        g->heartbeats++;
        snprintf(text, sizeof text, "\"type\":%u,\"autopilot\":%u,\"base_mode\":%u,\"system_status\":%u,"
                 "\"mavlink_version\":%u", m.type, m.autopilot, m.base_mode, m.system_status, m.mavlink_version);
        break;
    }
    case MAVLINK_MSG_SYS_STATUS: {
        struct mav_sys_status m;
        mav_sys_status_decode(f->payload, &m);
        snprintf(text, sizeof text, "\"voltage_battery\":%u,\"errors_comm\":%u,\"load\":%u", m.voltage_battery,
                 m.errors_comm, m.load);
        break;
    }
    case MAVLINK_MSG_ATTITUDE: {
        struct mav_attitude m;
        mav_attitude_decode(f->payload, &m);
        snprintf(text, sizeof text, "\"time_boot_ms\":%u,\"roll\":%.4f,\"pitch\":%.4f,\"yaw\":%.4f", m.time_boot_ms,
                 m.roll, m.pitch, m.yaw);
        break;
    }
    case MAVLINK_MSG_LOCAL_POSITION_NED: {
        struct mav_local_position_ned m;
        mav_local_position_ned_decode(f->payload, &m);
        snprintf(text, sizeof text, "\"time_boot_ms\":%u,\"x\":%.3f,\"y\":%.3f,\"z\":%.3f", m.time_boot_ms, m.x,
                 m.y, m.z);
        break;
    }
    case MAVLINK_MSG_STATUSTEXT: {
        struct mav_statustext m;
        mav_statustext_decode(f->payload, &m);
        if (g->until_text && strstr(m.text, g->until_text))
            g->done = 1;
        char esc[120];
        size_t k = 0;
        for (size_t i = 0; m.text[i] && k + 7 < sizeof esc; i++) {
            unsigned char c = (unsigned char)m.text[i];
            if (c == '"' || c == '\\')
                k += (size_t)snprintf(esc + k, sizeof esc - k, "\\%c", c);
            else if (c < 0x20 || c > 0x7E)
                k += (size_t)snprintf(esc + k, sizeof esc - k, "\\u%04x", c);
            else
                esc[k++] = (char)c;
        }
        esc[k] = 0;
        snprintf(text, sizeof text, "\"severity\":%u,\"text\":\"%s\"", m.severity, esc);
        break;
    }
    default:
        snprintf(text, sizeof text, "\"len\":%u", f->len);
        break;
    }
    g->count[f->msgid & 0xFF]++;
    if (!g->quiet)
        printf("%s seq %u sys %u comp %u {%s}\n", mavlink_msg_name(f->msgid), f->seq, f->sysid, f->compid, text);
    if (g->json)
        fprintf(g->json, "{\"msg\":\"%s\",\"msgid\":%u,\"seq\":%u,\"sysid\":%u,\"compid\":%u,%s}\n",
                mavlink_msg_name(f->msgid), f->msgid, f->seq, f->sysid, f->compid, text);
}

static int usage(void)
{
    fprintf(stderr, "usage: gcs [--port N] [--json FILE] [--raw FILE] [--heartbeats N] [--until-text TEXT] "
                    "[--timeout SECONDS] [--quiet]\n");
    return 2;
}

/* SIGINT/SIGTERM (make run stopping it beside the emulator): the blocked
   recv returns EINTR, the loop ends and the summary is printed as usual. */
static void stop(int sig) { (void)sig; }

int main(int argc, char **argv)
{
    struct gcs g = { 0 };
    struct sigaction sa = { .sa_handler = stop };   /* no SA_RESTART */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    long port = 14550, want = 0, timeout = 30;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : 0;
        char *end;
        if (!strcmp(a, "--quiet")) {
            g.quiet = 1;
            continue;
        }
        if (!v)
            return usage();
        i++;
        if (!strcmp(a, "--until-text")) {
            g.until_text = v;
            continue;
        }
        if (!strcmp(a, "--json") || !strcmp(a, "--raw")) {
            FILE *f = fopen(v, "w");
            if (!f) {
                perror(v);
                return 1;
            }
            *(a[2] == 'j' ? &g.json : &g.raw) = f;
            continue;
        }
        long n = strtol(v, &end, 10);
        if (*end || n < 0)
            return usage();
        if (!strcmp(a, "--port") && n > 0 && n < 65536)
            port = n;
        else if (!strcmp(a, "--heartbeats"))
            want = n;
        else if (!strcmp(a, "--timeout") && n > 0)
            timeout = n;
        else
            return usage();
    }
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0 || bind(s, (struct sockaddr *)&me, sizeof me) != 0) {
        perror("gcs: bind 127.0.0.1");
        return 1;
    }
    struct timeval tv = { .tv_sec = timeout };
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    printf("gcs: listening on 127.0.0.1:%ld\n", port);
    fflush(stdout);
    struct mavlink_rx_stats st = { 0 };
    unsigned long datagrams = 0;
    static uint8_t buf[65536];
    while ((!want || g.heartbeats < (unsigned long)want) && !g.done) {
        ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n < 0)
            break;                  /* quiet for `timeout` seconds */
        datagrams++;
        if (g.raw) {
            for (ssize_t i = 0; i < n; i++)
                fprintf(g.raw, "%02x", buf[i]);
            fputc('\n', g.raw);
            fflush(g.raw);
        }
        mavlink_decode_all(buf, (size_t)n, &st, print_frame, &g);
        fflush(stdout);
        if (g.json)
            fflush(g.json);
    }
    printf("gcs: %lu datagrams, %lu frames (%lu HEARTBEAT, %lu ATTITUDE, %lu LOCAL_POSITION_NED, %lu SYS_STATUS, "
           "%lu STATUSTEXT); refused: %lu bad crc, %lu truncated, %lu unknown id, %lu bad length, %lu incompatible, "
           "%lu bytes skipped\n",
           datagrams, (unsigned long)st.frames, g.count[0], g.count[30], g.count[32], g.count[1], g.count[253],
           (unsigned long)st.bad_crc, (unsigned long)st.truncated, (unsigned long)st.unknown_id,
           (unsigned long)st.bad_length, (unsigned long)st.incompat, (unsigned long)st.bytes_skipped);
    if (g.json)
        fclose(g.json);
    if (g.raw)
        fclose(g.raw);
    close(s);
    if (g.until_text && !g.done)
        return 1;
    return want && g.heartbeats < (unsigned long)want ? 1 : 0;
}
