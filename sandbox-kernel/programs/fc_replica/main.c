/* The flight controller as a TMR replica in its own sandbox (issue 8).
 * usage: fc_replica a|b|c|d [--rate HZ] [--standby] [--flip PERIOD[:WORD:BIT]] [--hang PERIOD]
 *
 * Each control period: take the newest sensor frame from the sensors
 * channel; if it is a new period, run fc_replica_step on the private state
 * and publish the replica_output (seq, motors, digest, full state) on this
 * replica's act-X channel.  The standby (d) does exactly the same; only the
 * I/O sandbox's replica set decides that its output is not voted.
 * --flip is the fault injection of the system test: before stepping period
 * PERIOD, one bit of the private state is flipped (default: word 16, the
 * altitude estimate pos[2] of struct fc_state, bit 22, the top mantissa bit).
 * --hang is the other injection: from period PERIOD on the replica never
 * publishes again (it sleeps forever, like a task stuck in a loop); the
 * voter must find it late by timeliness, and since a hung replica cannot
 * obey its restart request, the voter has the monitor restart it.  The
 * fault is transient: a run that starts after PERIOD (the restarted
 * sandbox, same arguments) does not hang again.
 *
 * Reintegration (uav_msg.h, struct uav_transfer): a replica in service whose
 * bit is set in the transfer channel's restart_mask publishes a seq-0 output
 * (the end of its old run) and asks the kernel to restart its sandbox
 * (triad_sandbox_restart: the monitor reloads the pristine image).  The fresh
 * program sees a first frame later than period 1, loads the winning state of
 * the period before it from the transfer channel and steps on from there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../chan_lib/uchan.h"
#include "../lib/triad.h"
#include "flightctl.h"
#include "fc_replica.h"
#include "uav_msg.h"

#define POLL_NS 200000ull   /* between looks at the sensors channel */

struct flip { uint32_t period, word, bit; };

static int parse_flip(const char *s, struct flip *f)
{
    char *end;
    f->period = (uint32_t)strtoul(s, &end, 10);
    f->word = 16;
    f->bit = 22;
    if (*end == ':') {
        f->word = (uint32_t)strtoul(end + 1, &end, 10);
        if (*end != ':')
            return -1;
        f->bit = (uint32_t)strtoul(end + 1, &end, 10);
    }
    return (*end == '\0' && f->period > 0 && f->bit < 32) ? 0 : -1;
}

static void flip_state(struct fc_state *st, const struct flip *f)
{
    uint32_t words[sizeof *st / 4];
    memcpy(words, st, sizeof words);
    words[f->word % (sizeof words / 4)] ^= 1u << f->bit;
    memcpy(st, words, sizeof words);
}

int main(int argc, char **argv)
{
    int id = argc > 1 ? uav_replica_id(argv[1]) : -1;
    uint32_t rate = UAV_DEFAULT_RATE_HZ;
    int standby = 0;
    struct flip flip = { 0, 0, 0 };
    uint32_t hang = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc)
            rate = (uint32_t)strtoul(argv[++i], 0, 10);
        else if (strcmp(argv[i], "--standby") == 0)
            standby = 1;
        else if (strcmp(argv[i], "--flip") == 0 && i + 1 < argc && parse_flip(argv[i + 1], &flip) == 0)
            i++;
        else if (strcmp(argv[i], "--hang") == 0 && i + 1 < argc && (hang = (uint32_t)strtoul(argv[i + 1], 0, 10)) > 0)
            i++;
        else
            id = -1;
    }
    if (id < 0 || rate < 50 || rate > 2000) {
        printf("usage: fc_replica a|b|c|d [--rate HZ] [--standby] [--flip PERIOD[:WORD:BIT]] [--hang PERIOD]\n");
        return 2;
    }
    if (uchan_init() != 0) {
        printf("fc_replica %c: no channel clock\n", 'a' + id);
        return 1;
    }
    shmcomm_channel_t in, out, xfer;
    int rc = shmcomm_open_receive(UAV_KEY_SENSORS, SHMCOMM_CONNECT_CH, NULL, sizeof(struct sensor_frame), -1, &in);
    if (rc == SHMCOMM_OK)
        rc = shmcomm_open_receive(UAV_KEY_TRANSFER, SHMCOMM_CONNECT_CH, NULL, sizeof(struct uav_transfer), -1, &xfer);
    if (rc == SHMCOMM_OK)
        rc = shmcomm_open_send(UAV_KEY_ACT(id), SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL,
                               sizeof(struct replica_output), -1, &out);
    if (rc != SHMCOMM_OK) {
        printf("fc_replica %c: channel open: %d (%s), kernel said %ld\n", 'a' + id, rc,
               shmcomm_strerror(rc), uchan_last_map_error());
        return 1;
    }
    static struct fc_params p;
    static struct fc_state st;
    static struct replica_output o;
    static struct sensor_frame f;
    static struct uav_transfer xt;
    fc_params_default(&p, rate);
    fc_state_init(&st);
    memset(&o, 0, sizeof o);
    memset(&f, 0, sizeof f);
    printf("fc_replica %c: %s, %u Hz, state %u bytes%s\n", 'a' + id, standby ? "hot standby" : "active",
           (unsigned)rate, (unsigned)sizeof st, flip.period || hang ? ", fault injection armed" : "");
    uint32_t last = 0, steps = 0, corrupted_at = 0, first = 0;
    /* A restart request is obeyed only once this run has seen a transfer
     * without its bit: a request raised against an earlier run of this
     * replica (the monitor restarted the sandbox for a fault of its own
     * while io was asking) stays in the transfers until io sees the fresh
     * program's first output; obeying it would restart a healthy replica a
     * second time (seen in test 80's boot: fc-c restarted twice). */
    int mask_seen_clear = 0;
    for (;;) {
        if (shmcomm_read_latest(in, &f, sizeof f, NULL) != (int)sizeof f || f.seq == last) {
            triad_sleep_ns(POLL_NS);
            continue;
        }
        last = f.seq;
        if (first == 0)
            first = f.seq;             /* 1, or a later period after a restart */
        int have_xt = shmcomm_read_latest(xfer, &xt, sizeof xt, NULL) == (int)sizeof xt;
        if (have_xt && !(xt.restart_mask >> id & 1u))
            mask_seen_clear = 1;
        if (steps > 0 && have_xt && mask_seen_clear && (xt.restart_mask >> id & 1u)) {
            printf("fc_replica %c: declared failed by the voter (transfer of period %u): restarting my sandbox\n",
                   'a' + id, (unsigned)xt.seq);
            memset(&o, 0, sizeof o);
            o.replica_id = (uint32_t)id;               /* seq 0: the end of this run */
            shmcomm_write(out, &o, sizeof o);
            /* No wait for the console line above: the kernel sends what is
               queued before it asks the monitor (SYS_SANDBOX_RESTART). */
            long r = triad_sandbox_restart(TRIAD_RESTART_SELF);
            printf("fc_replica %c: restart refused (%ld): no more outputs\n", 'a' + id, r);
            for (;;)
                triad_sleep_ns(1000000000ull);
        }
        if (steps > 0 && have_xt && (xt.corrupt_mask >> id & 1u) && xt.seq != corrupted_at) {
            struct flip demo = { xt.seq, 16, 22 };
            flip_state(&st, &demo);
            corrupted_at = xt.seq;
            printf("fc_replica %c: corrupted on the voter's command (transfer of period %u): state word 16 bit 22 flipped\n",
                   'a' + id, (unsigned)xt.seq);
        }
        if (steps == 0 && f.seq > 1) {
            /* Started mid-flight: a restart.  The winner of period seq-1 is
             * the state to continue from; if the voter already moved on, try
             * again with the next frame. */
            if (!have_xt || xt.seq + 1 != f.seq || xt.source >= 4 || fc_replica_load(&st, &xt.winner) != 0) {
                triad_sleep_ns(POLL_NS);
                continue;
            }
            printf("fc_replica %c: restarted: loaded the state of period %u from replica %c, stepping from period %u\n",
                   'a' + id, (unsigned)xt.seq, 'a' + (int)xt.source, (unsigned)f.seq);
        }
        if (hang && f.seq >= hang && first < hang) {
            printf("fc_replica %c: hang injected at period %u: no output from now on\n", 'a' + id, (unsigned)f.seq);
            for (;;)
                triad_sleep_ns(1000000000ull);
        }
        if (flip.period && f.seq == flip.period) {
            flip_state(&st, &flip);
            printf("fc_replica %c: fault injected at period %u: state word %u bit %u flipped\n",
                   'a' + id, (unsigned)f.seq, (unsigned)flip.word, (unsigned)flip.bit);
        }
        if (fc_replica_step(&p, &st, &f, (uint32_t)id, &o, NULL) == FC_OK)
            steps++;
        shmcomm_write(out, &o, sizeof o);
        if (steps == 1)
            printf("fc_replica %c: first period %u answered\n", 'a' + id, (unsigned)f.seq);
    }
}
