/*
 * A synchronous (FIFO) channel from user mode (usage: chan_fifo send KEY N
 * [PACE_US] | chan_fifo recv KEY N).  Each message is its number and the
 * number's complement: the receiver counts messages out of order, torn
 * (the halves disagree) and failed reads, and reports the latency of the
 * last message on the clock both sandboxes share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../chan_lib/uchan.h"
#include "../lib/triad.h"

/* A creating sender names the depth: the one the descriptions declare for
 * the user FIFO (config/tests/channels-xsandbox.xml); another is refused
 * with SHMCOMM_ERR_CONFIG. */
#define FIFO_DEPTH 64

struct msg {
    uint32_t n, not_n;
};

static int sender(uint32_t key, uint32_t count, uint64_t pace_us)
{
    shmcomm_channel_t ch;
    int rc = shmcomm_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, sizeof(struct msg), FIFO_DEPTH, &ch);
    if (rc != SHMCOMM_OK) {
        printf("chan_fifo: open send %u: %d (%s), kernel said %ld\n", (unsigned)key, rc,
               shmcomm_strerror(rc), uchan_last_map_error());
        return 1;
    }
    uint32_t sent = 0, errors = 0;
    for (uint32_t i = 1; i <= count; i++) {
        struct msg m = { i, ~i };
        rc = shmcomm_write_timeout(ch, &m, sizeof m, 5000000000ull);
        if (rc == (int)sizeof m)
            sent++;
        else
            errors++;
        if (pace_us)
            triad_sleep_ns(pace_us * 1000);
    }
    printf("chan_fifo: sent %u messages on channel %u from user mode, %u errors\n", (unsigned)sent,
           (unsigned)key, (unsigned)errors);
    shmcomm_close(ch);
    return errors != 0;
}

static int receiver(uint32_t key, uint32_t count)
{
    shmcomm_channel_t ch;
    int rc = shmcomm_open_receive(key, SHMCOMM_CONNECT_CH, NULL, sizeof(struct msg), -1, &ch);
    if (rc != SHMCOMM_OK) {
        printf("chan_fifo: open receive %u: %d (%s), kernel said %ld\n", (unsigned)key, rc,
               shmcomm_strerror(rc), uchan_last_map_error());
        return 1;
    }
    uint32_t got = 0, disorder = 0, torn = 0, errors = 0, last = 0;
    uint64_t latency_ns = 0;
    while (got + errors < count) {
        struct msg m;
        struct shmcomm_msg_info info;
        rc = shmcomm_read_timeout(ch, &m, sizeof m, 10000000000ull, &info);
        if (rc != (int)sizeof m) {
            errors++;
            if (rc == SHMCOMM_ERR_TIMEOUT)
                break;          /* the sender is gone: report what came */
            continue;
        }
        got++;
        if (m.not_n != ~m.n)
            torn++;
        if (m.n != last + 1)
            disorder++;
        last = m.n;
        latency_ns = uchan_now_ns() - info.timestamp;
    }
    printf("chan_fifo: received %u of %u messages on channel %u in user mode: %u out of order, %u torn, "
           "%u errors, last seq %u, last latency %llu ns\n", (unsigned)got, (unsigned)count, (unsigned)key,
           (unsigned)disorder, (unsigned)torn, (unsigned)errors, (unsigned)last,
           (unsigned long long)latency_ns);
    shmcomm_close(ch);
    return got != count || disorder || torn;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "recv") != 0)) {
        printf("usage: chan_fifo send KEY N [PACE_US] | chan_fifo recv KEY N\n");
        return 2;
    }
    if (uchan_init() != 0) {
        printf("chan_fifo: no channel clock\n");
        return 1;
    }
    uint32_t key = (uint32_t)strtoul(argv[2], 0, 0), n = (uint32_t)strtoul(argv[3], 0, 0);
    if (argv[1][0] == 's')
        return sender(key, n, argc > 4 ? strtoull(argv[4], 0, 0) : 0);
    return receiver(key, n);
}
