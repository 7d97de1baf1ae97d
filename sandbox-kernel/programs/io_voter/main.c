/* The I/O sandbox's side of the in-sandbox closed loop (issue 8).
 * usage: io_voter [--rate HZ] [--alt M] [--square M] [--land S] [--deadline-ms N] [--report PERIODS] [--trace 0|1] [--pace 0|1] [--corrupt R:PERIOD] [--members A,B,C,D|A:B:C:D] [--peer ID] [--hang-at PERIOD] [--shadow-ask 0|1] [--rejoin K]
 *
 * Each control period k: wait for the plant's readings of period k
 * (sim-sensors), stamp them into a sequence-numbered sensor_frame with the
 * mission's setpoint and phase, publish it to every replica (sensors), wait
 * until every replica still in service answered k on its act-X channel or the
 * deadline passed (a missing answer is late), vote with the replica set of
 * tmr/ (tmr/voter.c over the active slots, standby d checked and promoted on
 * a failure), send the voted command to the plant (sim-actuators).
 * Console (COM2): every TMR event as it happens, a flight status line once a
 * second of flight time, and at period --report a summary of the flight.
 * Typed commands (io_console.h: help, status, corrupt R, safe-exit) are read
 * from the console once per period when io_voter runs in the shell's
 * foreground.
 * A failed replica that has not ended its run UAV_UNOBEYED_PERIODS after
 * its restart request (hung: it cannot obey) is restarted on io's request:
 * the monitor lets a TMR group's voter restart the group's members
 * (monitor/tmr_restart.h); --members gives their sandbox ids (a..d).
 * In shadow (a voter-standby, io_shadow.h), --peer names the voter's sandbox
 * id: a voter that publishes nothing for IO_SHADOW_STALL_PERIODS is failed
 * over on the shadow's request.  Test injections: --hang-at P (the voter
 * spins from period P), --shadow-ask 1 (a shadow asks for member restarts
 * too: the monitor refuses it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <unistd.h>
#include "../chan_lib/uchan.h"
#include "../lib/triad.h"
#include "mission.h"
#include "replica_set.h"
#include "uav_msg.h"
#include "uav_flight.h"
#include "io_report.h"
#include "io_ground.h"
#include "io_console.h"
#include "io_shadow.h"

#define POLL_NS       100000ull
/* Periods a failed replica has to end its run itself (its seq-0 output)
 * after the restart request before io asks the monitor to restart it: 25
 * periods (250 ms at 100 Hz); a replica that obeys ends its run in the
 * period after the request (the next transfer it reads). */
#define UAV_UNOBEYED_PERIODS 25u
#define FIRST_WAIT_NS 60000000000ull    /* period 1: the replicas are still starting */
#define SAFE_POLL_PERIODS 10u /* the monitor's state is read every 10 periods (one VM exit) */

/* System safe mode (docs/recovery.md): once the monitor reports it, every
 * command is the replica set's safe command (cfg.safe_motor: motors off)
 * whatever the vote; no restart happens meanwhile anyway.  It lasts until
 * the monitor accepts an operator's exit (`safe-exit` on this console, or
 * one the poll finds: the state back to NORMAL): from the next period on the
 * voted command goes out again, and the replicas the entry halted, which the
 * monitor restarts, rejoin through the replica set's reintegration. */
struct io_safe {
    int on;                     /* the safe command is applied */
    uint32_t since;             /* period io_voter saw the entry */
    int last_cmd_safe;          /* the command last sent to the motors was the safe one */
    uint32_t left_at;           /* period the exit was accepted or seen (0: none yet) */
    uint64_t left_ns;           /* its time (channel clock) */
    uint32_t first_voted;       /* first period voted by a majority after it */
};

static void safe_mode_left(struct io_safe *s, uint32_t k, const char *how)
{
    s->on = 0;
    s->left_at = k;
    s->left_ns = uchan_now_ns();
    s->first_voted = 0;
    printf("[tmr] period %u: safe-mode-left voted command from the next period on (%s)\n", (unsigned)k, how);
    io_ground_event(k, "safe-mode-left", TMR_NO_REPLICA);
}

static int system_safe(struct io_safe *s, uint32_t k)
{
    if (k % SAFE_POLL_PERIODS == 0) {
        const long state = triad_system_state();
        if (!s->on && state == 1) {
            s->on = 1;
            s->since = k;
            printf("[tmr] period %u: system-safe-mode safe command from now on (detail 0)\n", (unsigned)k);
            io_ground_event(k, "system-safe-mode", TMR_NO_REPLICA);
        } else if (s->on && state == 0) {
            safe_mode_left(s, k, "the monitor's state is normal again");
        }
    }
    return s->on;
}

struct io {
    uint32_t rate, report, deadline_ms, pace;
    uint32_t rejoin;                            /* --rejoin K: probation periods (0: the replica set's default) */
    uint32_t trace;                             /* --trace 1: a line per period (io_trace_line) */
    uint32_t corrupt_id, corrupt_at;            /* --corrupt: the demo fault of make run */
    uint32_t typed_corrupt;                     /* `corrupt R` typed this period: bit R */
    struct io_console con;
    struct mission ms;
    shmcomm_channel_t sim_in, sim_out, sens, act[TMR_MAX_REPLICAS];
    struct tmr_replica_set rs;
    struct replica_output out[TMR_MAX_REPLICAS];
    int have[TMR_MAX_REPLICAS];
    uint32_t ev_seen;
    struct io_stats st;
    /* Reintegration (uav_msg.h): the transfer channel, and per replica the
     * period its restart was asked for (0: not asked) and whether its seq-0
     * output (the end of its old run) has been seen since. */
    shmcomm_channel_t xfer;
    struct uav_transfer xt;
    uint32_t restart_asked[TMR_MAX_REPLICAS];
    int went_down[TMR_MAX_REPLICAS];
    int back[TMR_MAX_REPLICAS];     /* the restarted program has published: wait for it */
    /* The seq of the replica's last output of its old run: 0 when it ended
     * the run itself, its last answer when io had the monitor restart it. */
    uint32_t down_seq[TMR_MAX_REPLICAS];
    uint32_t member[TMR_MAX_REPLICAS];          /* --members: sandbox id of a..d */
    struct io_shadow sh;                        /* I/O failover: votes without writing (io_shadow.h) */
    uint32_t peer;                              /* --peer: the voter pair's other member (hung-voter watch) */
    uint32_t hang_at;                           /* --hang-at: as the voter, spin from this period on (test) */
    uint32_t shadow_asks;                       /* --shadow-ask 1: in shadow, ask member restarts too (test) */
    uint32_t shadow_asked[TMR_MAX_REPLICAS];    /* period it asked for that member (0: never) */
    uint64_t t_readings;                        /* when the plant's readings of this period were seen */
    uint32_t voter_restarted[TMR_MAX_REPLICAS]; /* period io asked the monitor (0: never) */
    struct io_safe safe;                        /* system safe mode and the operator's exit */
    int on_ground;                              /* the plant's sensors this period: on the ground */
};

/* One sender end: a channel whose writer area is already set up (the
 * voter's, seen by its voter-standby; or the voter restarted) is resumed as
 * it is, continuing its message numbers; a fresh one is created.  In shadow
 * (the pages are read-only: creating would fault) only resumed, waiting for
 * the voter to create it. */
static int open_sender(const struct io *io, uint32_t key, size_t size, shmcomm_channel_t *ch)
{
    int rc = SHMCOMM_ERR_CONFIG;
    for (int tries = 0; tries < (io->sh.on ? 200 : 1) && rc != SHMCOMM_OK; tries++) {
        if (tries)
            triad_sleep_ns(50000000ull);
        rc = shmcomm_open_send(key, SHMCOMM_CONNECT_CH, NULL, size, -1, ch);
    }
    if (rc != SHMCOMM_OK && !io->sh.on)
        rc = shmcomm_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, size, -1, ch);
    return rc;
}

static int open_senders(struct io *io)
{
    int rc = open_sender(io, UAV_KEY_SIM_ACTUATORS, sizeof(struct actuator_cmd), &io->sim_out);
    if (rc == SHMCOMM_OK)
        rc = open_sender(io, UAV_KEY_SENSORS, sizeof(struct sensor_frame), &io->sens);
    if (rc == SHMCOMM_OK)
        rc = open_sender(io, UAV_KEY_TRANSFER, sizeof(struct uav_transfer), &io->xfer);
    return rc;
}

/* Has channel `ch` (one message per period, from period 1) period k's
 * message already?  Its count of published messages says so. */
static int has_period(shmcomm_channel_t ch, void *buf, size_t size, uint32_t k)
{
    struct shmcomm_msg_info info = { 0, 0 };
    int n = SHMCOMM_ERR_EMPTY;
    for (int tries = 0; tries < 3 && n == SHMCOMM_ERR_EMPTY; tries++)   /* a write overlapped the copy */
        n = shmcomm_peek_sent(ch, buf, size, &info);
    return n == (int)size && info.seq >= k;
}

/* The monitor's failover made this sandbox the voter in period k: the
 * sender ends are opened again so they continue from the messages the
 * old voter published, and the sensor frame of k goes out unless the old
 * voter published it before it failed. */
static void promote(struct io *io, uint32_t k, const struct sensor_frame *f)
{
    shmcomm_close(io->sim_out);
    shmcomm_close(io->sens);
    shmcomm_close(io->xfer);
    int rc = open_senders(io);
    struct sensor_frame seen;
    int had = rc == SHMCOMM_OK && has_period(io->sens, &seen, sizeof seen, k);
    if (rc == SHMCOMM_OK && !had)
        shmcomm_write(io->sens, f, sizeof *f);
    io->sh.promoted_at = k;
    printf("[tmr] period %u: failover-voter now (detail %d)\n", (unsigned)k, rc == SHMCOMM_OK ? had : rc);
    io_ground_event(k, "failover-voter", TMR_NO_REPLICA);
}

static int open_retry(struct io *io)
{
    int rc = SHMCOMM_OK;
    for (int tries = 0; tries < 200; tries++) {
        rc = shmcomm_open_receive(UAV_KEY_SIM_SENSORS, SHMCOMM_CONNECT_CH, NULL, sizeof(struct sim_msg), -1, &io->sim_in);
        if (rc == SHMCOMM_OK)
            break;
        triad_sleep_ns(50000000ull);
    }
    if (rc == SHMCOMM_OK)
        rc = open_senders(io);
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS && rc == SHMCOMM_OK; id++) {
        for (int tries = 0; tries < 200; tries++) {
            rc = shmcomm_open_receive(UAV_KEY_ACT(id), SHMCOMM_CONNECT_CH, NULL,
                                      sizeof(struct replica_output), -1, &io->act[id]);
            if (rc == SHMCOMM_OK)
                break;
            triad_sleep_ns(50000000ull);
        }
    }
    if (rc != SHMCOMM_OK)
        printf("io_voter: channel open: %d (%s), kernel said %ld\n", rc, shmcomm_strerror(rc),
               uchan_last_map_error());
    return rc;
}

/* A restarted replica's program writes its channel from message 1 again,
 * which the reader end sees as a writer gone back in time: open it anew. */
static void reopen_output(struct io *io, uint32_t id, uint32_t k)
{
    shmcomm_close(io->act[id]);
    int rc = shmcomm_open_receive(UAV_KEY_ACT(id), SHMCOMM_CONNECT_CH, NULL, sizeof(struct replica_output), -1,
                                  &io->act[id]);
    printf("[tmr] period %u: reconnected replica %c (detail %d)\n", (unsigned)k, 'a' + (int)id, rc);
}

/* The replica's old run is over without its seq-0 output (the monitor
 * restarted its sandbox): remember its last answer, which stays stale in its
 * channel until the fresh program writes, and say which restart it was. */
static void old_run_ended(struct io *io, uint32_t id, uint32_t k, const char *event, uint32_t detail)
{
    io->went_down[id] = 1;
    io->down_seq[id] = io->have[id] ? io->out[id].seq : 0;
    printf("[tmr] period %u: %s replica %c (detail %u)\n", (unsigned)k, event, 'a' + (int)id, (unsigned)detail);
    io_ground_event(k, event, id);
}

/* Reads every replica's newest output until each one in service answered k,
 * or the deadline passed.  Returns the replicas that answered k, as bits. */
static uint32_t collect(struct io *io, uint32_t k, uint64_t wait_ns, const struct sensor_frame *f)
{
    uint64_t t0 = uchan_now_ns();
    uint32_t answered;
    int frame_seen = 0;
    io_shadow_wait_begins(&io->sh, t0);
    for (;;) {
        /* The deadline is judged before the reads, so every replica gets a
         * look after it expired: when io itself was held up (its core busy
         * relaying a restarted sandbox's boot lines to the serial console:
         * 650 virtual ms once in Bochs), an answer that arrived meanwhile is
         * on time, not late (it made a healthy replica late in period 1112
         * of the Bochs fault flight: no majority, one held command). */
        int expired = uchan_now_ns() - t0 > wait_ns;
        /* In shadow the replicas cannot answer before the voter's sensor
         * frame of k: a voter that hangs before it is the shadow's to
         * judge (io_shadow_stalled), not a reason to vote without them. */
        static struct sensor_frame sent;
        const int voter_silent = io->sh.on && !has_period(io->sens, &sent, sizeof sent, k);
        if (voter_silent)
            expired = 0;
        else if (io->sh.on && !frame_seen) {
            frame_seen = 1;
            io_shadow_lag(&io->sh, 0, uchan_now_ns() - t0);
        }
        uint32_t need = 0;
        answered = 0;
        for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++) {
            int n = shmcomm_read_latest(io->act[id], &io->out[id], sizeof io->out[id], NULL);
            if (n == (int)sizeof io->out[id])
                io->have[id] = 1;
            else if (n == SHMCOMM_ERR_CORRUPT && io->went_down[id])
                reopen_output(io, id, k);   /* its restarted writer numbers its messages from 1 again */
            else if (n == SHMCOMM_ERR_CORRUPT && io->restart_asked[id]) {
                /* A failed replica's writer started over without ending its
                 * old run (no seq-0 output seen): the monitor restarted its
                 * sandbox for a fault of its own (an EPT violation), and
                 * refused io's request meanwhile as in-recovery.  Its old
                 * run is over: stop asking the fresh program to restart
                 * (restart_mask) and let it rejoin like any restarted
                 * replica, on probation (K agreeing periods). */
                old_run_ended(io, id, k, "restarted-by-monitor", 0);
                reopen_output(io, id, k);
            }
            if (io->have[id] && io->out[id].seq == k)
                answered |= 1u << id;
            if (io->restart_asked[id] && io->have[id] && io->out[id].seq == 0 && !io->went_down[id]) {
                io->went_down[id] = 1;
                printf("[tmr] period %u: restarting replica %c (detail 0)\n", (unsigned)k, 'a' + (int)id);
                io_ground_event(k, "restarting", id);
            }
            if (io->went_down[id] && io->have[id] && io->out[id].seq != io->down_seq[id])
                io->back[id] = 1;
            uint32_t role = io->rs.rep[id].role;
            if (role == TMR_ROLE_ACTIVE || role == TMR_ROLE_STANDBY || role == TMR_ROLE_REJOINING || io->back[id])
                need |= 1u << id;
        }
        if ((answered & need) == need || expired)
            return answered;
        /* The replicas wait for a sensor frame the failed voter did not send. */
        const uint64_t now = uchan_now_ns();
        if ((voter_silent && io_shadow_stalled(&io->sh, k, t0, now, 0, 1000000000ull / io->rate, "no-sensor-frame") &&
             io_shadow_promoted_now(&io->sh)) || io_shadow_promoted(&io->sh, now)) {
            promote(io, k, f);
            t0 = uchan_now_ns();    /* the replicas' deadline runs from the frame sent now */
        }
        triad_sleep_ns(POLL_NS);
    }
}

/* A failed replica that did not end its run UAV_UNOBEYED_PERIODS after its
 * restart request (hung, or too late to read it) is restarted by the
 * monitor on io's request (triad_sandbox_restart with the member's sandbox
 * id; the restart runs on the member's own core).  Accepted: its old run is
 * over (its last output stays stale in its channel until the fresh program
 * writes); it rejoins like a replica that restarted itself.  Refused: said
 * once, the replica stays failed. */
static void restart_unobeyed(struct io *io, uint32_t k)
{
    if (io->sh.on)
        return;         /* the monitor takes restart requests from the voter only (--shadow-ask: shadow_asks) */
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++) {
        if (!io->restart_asked[id] || io->went_down[id] || io->voter_restarted[id] ||
            k - io->restart_asked[id] < UAV_UNOBEYED_PERIODS)
            continue;
        io->voter_restarted[id] = k;
        long r = triad_sandbox_restart(io->member[id]);
        if (r != 0) {
            printf("[tmr] period %u: voter-restart-refused replica %c (detail %ld)\n", (unsigned)k, 'a' + (int)id, -r);
            io_ground_event(k, "voter-restart-refused", id);
            continue;
        }
        io->st.voter_restarts++;
        old_run_ended(io, id, k, "voter-restart", io->member[id]);
    }
}

/* --shadow-ask 1 (a test): in shadow, ask the monitor for the restart of
 * each member the voter asks to restart (the restart_mask of its transfer
 * of k, not this shadow's own view of the replicas, which may lag), once
 * per member: the monitor refuses it, the voter role being the voter's. */
static void shadow_asks(struct io *io, uint32_t k)
{
    static struct uav_transfer vt;
    /* The voter's transfer of k - 1 or newer: the shadow may finish its
       vote of k before the voter publishes k (the restart mask stays set
       for many periods, so one period behind is as good); asking for k
       exactly missed every period of a run where the shadow was ahead
       (test 82, session 9: no shadow request for fc-b). */
    if (!io->sh.on || !io->shadow_asks || !has_period(io->xfer, &vt, sizeof vt, k > 1u ? k - 1u : k))
        return;
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++) {
        if (!(vt.restart_mask >> id & 1u) || io->shadow_asked[id])
            continue;
        io->shadow_asked[id] = k;
        long r = triad_sandbox_restart(io->member[id]);
        printf("[tmr] period %u: shadow-restart-%s replica %c (detail %ld)\n", (unsigned)k,
               r == 0 ? "accepted" : "refused", 'a' + (int)id, r == 0 ? 0L : -r);
    }
}

/* After the vote of period k: ask every newly failed replica to restart,
 * and publish the winner's output (its full state) for the ones rejoining. */
static void publish_transfer(struct io *io, uint32_t k)
{
    uint32_t mask = 0;
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++) {
        if (io->rs.rep[id].role == TMR_ROLE_FAILED && !io->restart_asked[id]) {
            io->restart_asked[id] = k;
            io->st.restarts_asked++;
            printf("[tmr] period %u: restart-request replica %c (detail 0)\n", (unsigned)k, 'a' + (int)id);
            io_ground_event(k, "restart-request", id);
        }
        if (io->restart_asked[id] && !io->went_down[id])
            mask |= 1u << id;
    }
    io->xt.seq = k;
    io->xt.restart_mask = mask;
    io->xt.corrupt_mask = (io->corrupt_at == k ? 1u << io->corrupt_id : 0) | io->typed_corrupt;
    io->typed_corrupt = 0;
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++)
        if (io->xt.corrupt_mask >> id & 1u) {
            printf("[tmr] period %u: corrupt-command replica %c (detail 0)\n", (unsigned)k, 'a' + (int)id);
            io_ground_event(k, "corrupt-command", id);
        }
    io->xt.source = tmr_rs_transfer_source(&io->rs);
    if (io->xt.source < TMR_MAX_REPLICAS)
        io->xt.winner = io->out[io->xt.source];
    static struct uav_transfer seen;
    if (!io->sh.on && !(io->sh.promoted_at == k && has_period(io->xfer, &seen, sizeof seen, k)))
        shmcomm_write(io->xfer, &io->xt, sizeof io->xt);
}

/* The voted command of period k to the plant.  In shadow: compared with
 * the one the voter published for k instead (waiting for it; the monitor's
 * failover may make this sandbox the voter meanwhile). */
static void publish_command(struct io *io, uint32_t k, const struct actuator_cmd *cmd, const struct sensor_frame *f)
{
    static struct actuator_cmd seen;
    io_shadow_wait_begins(&io->sh, uchan_now_ns());
    while (io->sh.on) {
        if (has_period(io->sim_out, &seen, sizeof seen, k)) {
            io_shadow_lag(&io->sh, 1, uchan_now_ns() - io->t_readings);
            if (seen.seq == k)
                io_shadow_compare(&io->sh, k, cmd->motor, cmd->vote_status, seen.motor, seen.vote_status, TMR_MOTORS);
            return;
        }
        /* A voter that hangs after its sensor frame: its command is late by
         * more than the replica deadline it may wait (io_shadow_stalled). */
        const uint64_t now = uchan_now_ns();
        if ((io_shadow_stalled(&io->sh, k, io->t_readings, now, io->deadline_ms * 1000000ull, 1000000000ull / io->rate,
                               "no-command") &&
             io_shadow_promoted_now(&io->sh)) || io_shadow_promoted(&io->sh, now))
            promote(io, k, f);
        else
            triad_sleep_ns(POLL_NS);
    }
    if (io->sh.promoted_at == k && has_period(io->sim_out, &seen, sizeof seen, k))
        return;     /* the old voter's last command went out before it failed */
    shmcomm_write(io->sim_out, cmd, sizeof *cmd);
    /* The failover's figure: the first command this sandbox published as
     * the voter, counted from the plant's readings of its period. */
    if (io->sh.promoted_at && !io->sh.first_published) {
        io->sh.first_published = k;
        uint32_t lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));   /* the monitor's clock: its FAULT line's t= */
        printf("io_voter: failover: first command published for period %u, %llu us after the plant's readings "
               "(promoted in period %u) tsc=%llu\n", (unsigned)k,
               (unsigned long long)((uchan_now_ns() - io->t_readings) / 1000u), (unsigned)io->sh.promoted_at,
               ((unsigned long long)hi << 32) | lo);
    }
}

static void log_events(struct io *io)
{
    uint32_t n = io->rs.ev_total - io->ev_seen;
    if (n > TMR_EVENT_LOG)
        n = TMR_EVENT_LOG;
    for (uint32_t i = n; i-- > 0;) {
        const struct tmr_event *e = tmr_rs_event(&io->rs, i);
        if (!e)
            continue;
        char who = e->replica < TMR_MAX_REPLICAS ? (char)('a' + e->replica) : '-';
        printf("[tmr] period %u: %s replica %c (detail %u)\n", (unsigned)e->seq, tmr_event_name(e->kind),
               who, (unsigned)e->detail);
        io_ground_event(e->seq, tmr_event_name(e->kind), e->replica);
    }
    io->ev_seen = io->rs.ev_total;
}

static void console_status(const struct io *io, uint32_t k)
{
    char roles[64];
    size_t r = 0;
    for (uint32_t id = 0; id < io->rs.cfg.replicas && id < TMR_MAX_REPLICAS; id++)
        r += (size_t)snprintf(roles + r, sizeof roles - r, "%s%c=%s", id ? " " : "", 'a' + (int)id,
                              tmr_role_name(io->rs.rep[id].role));
    printf("tmr: status period %u: %u vote slots, %u failures, %u promotions, %u rejoins | %s\n", (unsigned)k,
           (unsigned)io->rs.nslots, (unsigned)io->rs.failures, (unsigned)io->rs.promotions, (unsigned)io->rs.rejoins,
           roles);
}

/* `safe-exit`: the operator acknowledges the entry the monitor reports
 * (safe_tsc; 0 when not in safe mode, which the monitor refuses) with the
 * vehicle word of this period, and the monitor decides.  Accepted: the
 * command of this period was the last safe one.  Refused: safe mode stays,
 * nothing changes here. */
static void console_safe_exit(struct io *io, uint32_t k)
{
    const long tsc = triad_safe_tsc();
    const uint64_t ack = tsc > 0 ? (uint64_t)tsc : 0u;
    const uint32_t word = io_safe_exit_vehicle(io->on_ground, io->safe.on && io->safe.last_cmd_safe);
    const long rc = tsc < 0 ? tsc : triad_safe_mode_exit(ack, word);
    const char *verdict = io_safe_exit_verdict(rc, ack, word);
    /* One line (the test's typist sends its next line per `tmr: ` line). */
    printf("tmr: safe-exit %s: %s: %s (period %u, ack=%llu, vehicle=%u: %s, %s)\n", rc == 0 ? "accepted" : "refused",
           verdict, io_safe_exit_advice(verdict), (unsigned)k, (unsigned long long)ack, (unsigned)word,
           word & IO_VEHICLE_ON_GROUND ? "on the ground" : "not on the ground",
           word & IO_VEHICLE_DISARMED ? "disarmed" : "not disarmed");
    if (rc == 0)
        safe_mode_left(&io->safe, k, "the operator's safe-exit");
}

/* The typed commands that arrived since the last period (io_console.h).
 * Every line is echoed and answered; a refused one changes nothing. */
static void console_poll(struct io *io, uint32_t k)
{
    char buf[64], echo[IO_CONSOLE_LINE + 1];
    int n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (int i = 0; i < n; i++) {
            struct io_cmd cmd;
            if (!io_console_byte(&io->con, buf[i], &cmd, echo))
                continue;
            if (cmd.kind == IO_CMD_NONE)
                continue;
            printf("tmr> %s\n", echo);
            if (cmd.kind == IO_CMD_HELP) {
                printf("tmr: commands: help | status | corrupt a|b|c|d (flip a bit of that replica's state: watch it "
                       "outvoted, replaced by the standby, restarted and rejoining) | safe-exit (leave system safe "
                       "mode: on the ground, safe command held)\n");
            } else if (cmd.kind == IO_CMD_STATUS) {
                console_status(io, k);
            } else if (cmd.kind == IO_CMD_SAFE_EXIT) {
                console_safe_exit(io, k);
            } else if (cmd.kind == IO_CMD_CORRUPT) {
                const char *why = io_console_corrupt_refusal(&io->rs, cmd.replica,
                                                             io->typed_corrupt != 0 || io->corrupt_at == k);
                if (why)
                    printf("tmr: corrupt %c refused: %s\n", 'a' + (int)cmd.replica, why);
                else {
                    io->typed_corrupt = 1u << cmd.replica;
                    printf("tmr: corrupt %c: sent in period %u\n", 'a' + (int)cmd.replica, (unsigned)k);
                }
            } else {
                printf("tmr: %s\n", cmd.error);
            }
        }
    }
}

/* --members A,B,C,D (or A:B:C:D): the sandbox ids of replicas a..d in
 * system.bin.  Written into `member` only when all four parse, so a refused
 * value leaves the defaults whole. */
static int parse_members(const char *v, uint32_t member[TMR_MAX_REPLICAS])
{
    uint32_t ids[TMR_MAX_REPLICAS];
    const char *p = v;
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++) {
        char *end;
        if (*p < '0' || *p > '9')
            return -1;                      /* empty, signed or not a number */
        unsigned long n = strtoul(p, &end, 10);
        int last = id + 1 == TMR_MAX_REPLICAS;
        if (n > 255ul || (last ? *end != '\0' : (*end != ',' && *end != ':')))
            return -1;
        ids[id] = (uint32_t)n;
        p = end + (last ? 0 : 1);
    }
    memcpy(member, ids, sizeof ids);
    return 0;
}

static int parse(struct io *io, int argc, char **argv, double *alt, double *square, double *land)
{
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc)
            return -1;
        if (strcmp(argv[i], "--rate") == 0)
            io->rate = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--alt") == 0)
            *alt = strtod(argv[i + 1], 0);
        else if (strcmp(argv[i], "--square") == 0)
            *square = strtod(argv[i + 1], 0);
        else if (strcmp(argv[i], "--land") == 0)
            *land = strtod(argv[i + 1], 0);
        else if (strcmp(argv[i], "--deadline-ms") == 0)
            io->deadline_ms = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--corrupt") == 0) {
            /* R:PERIOD, R one of a..d */
            const char *v = argv[i + 1];
            char *end = "";
            char letter[2] = { v[0], 0 };
            int id = uav_replica_id(letter);
            if (id < 0 || v[1] != ':')
                return -1;
            io->corrupt_id = (uint32_t)id;
            io->corrupt_at = (uint32_t)strtoul(v + 2, &end, 10);
            if (io->corrupt_at == 0 || *end)
                return -1;
        } else if (strcmp(argv[i], "--pace") == 0)
            io->pace = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--report") == 0)
            io->report = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--trace") == 0)
            io->trace = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--peer") == 0) {
            char *end;
            io->peer = (uint32_t)strtoul(argv[i + 1], &end, 10);
            if (*argv[i + 1] < '0' || *argv[i + 1] > '9' || *end != '\0' || io->peer > 255u) {
                printf("io_voter: --peer '%s' refused: the sandbox id (0..255) of the voter pair's other member\n",
                       argv[i + 1]);
                return -1;
            }
        } else if (strcmp(argv[i], "--rejoin") == 0) {
            /* K, the agreeing periods a restarted replica serves on
             * probation before it rejoins (docs/recovery.md: what K is for) */
            char *end;
            unsigned long k = strtoul(argv[i + 1], &end, 10);
            if (*argv[i + 1] < '0' || *argv[i + 1] > '9' || *end != '\0' || k < 1ul || k > 1000ul) {
                printf("io_voter: --rejoin '%s' refused: the probation K, 1..1000 agreeing periods\n", argv[i + 1]);
                return -1;
            }
            io->rejoin = (uint32_t)k;
        } else if (strcmp(argv[i], "--hang-at") == 0)
            io->hang_at = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--shadow-ask") == 0)
            io->shadow_asks = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--members") == 0) {
            if (parse_members(argv[i + 1], io->member) != 0) {
                printf("io_voter: --members '%s' refused: four sandbox ids (0..255) for a,b,c,d, separated by ',' "
                       "or ':' (',' separates programs on a kernel command line)\n", argv[i + 1]);
                return -1;
            }
        } else
            return -1;
    }
    return (io->rate >= 50 && io->rate <= 2000 && *alt > 0.0 && *alt <= 10.0 && io->deadline_ms > 0 &&
            *square >= 0.0 && *square <= 20.0 && *land >= 0.0 && *land <= 600.0 && io->pace <= 1) ? 0 : -1;
}

int main(int argc, char **argv)
{
    static struct io io;
    memset(&io, 0, sizeof io);
    io.rate = UAV_DEFAULT_RATE_HZ;
    io.deadline_ms = 50;
    io.peer = IO_SHADOW_NO_PEER;
    /* config/uav-tmr.xml's order: io 0, fc-a..fc-d 1..4 (a wrong id is
     * refused by the monitor: not a member of io's group) */
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++)
        io.member[id] = id + 1u;
    double alt = 2.0, square = 0.0, land = 0.0;
    if (parse(&io, argc, argv, &alt, &square, &land) != 0) {
        printf("usage: io_voter [--rate HZ] [--alt M] [--square M] [--land S] [--deadline-ms N] [--report PERIODS] [--pace 0|1] [--corrupt R:PERIOD] [--members A,B,C,D|A:B:C:D] [--peer ID] [--hang-at PERIOD] [--shadow-ask 0|1] [--rejoin K]\n");
        return 2;
    }
    uav_mission(&io.ms, io.rate, alt, square, land);
    struct tmr_rs_config cfg;
    tmr_rs_default_config(&cfg);
    if (io.rejoin != 0u)
        cfg.rejoin_periods = io.rejoin;
    if (uchan_init() != 0 || tmr_rs_init(&io.rs, &cfg) != 0) {
        printf("io_voter: no channel clock or bad replica-set configuration\n");
        return 1;
    }
    io_shadow_start(&io.sh, io.peer);
    if (open_retry(&io) != SHMCOMM_OK)
        return 1;
    io_stats_init(&io.st, &io.ms, io.rate);
    io_console_init(&io.con);
    printf("io_voter: %u Hz, exact vote of a,b,c, standby d, deadline %u ms; mission: arm %d ms, hover at %d mm from %d ms\n",
           (unsigned)io.rate, (unsigned)io.deadline_ms, (int)(io.ms.t_arm * 1000), (int)(alt * 1000),
           (int)(io.ms.t_hover * 1000));
    if (io.rejoin != 0u)
        printf("io_voter: probation K = %u agreeing periods before a restarted replica rejoins (--rejoin)\n",
               (unsigned)cfg.rejoin_periods);
    printf("tmr: commands on this console: help, status, corrupt a|b|c|d, safe-exit (then Enter)\n");
    /* The reminder once the vehicle hovers: the banner above has scrolled
     * away under the boot lines of five sandboxes by then. */
    uint32_t hint_at = (uint32_t)(io.ms.t_hover * io.rate + 0.5);
    static struct sim_msg sm;
    uint64_t t_start = 0;
    /* A voter in shadow that starts mid-flight (the restarted voter after
     * its failover) joins at the plant's current period. */
    uint32_t k0 = 1;
    if (io.sh.on && shmcomm_read_latest(io.sim_in, &sm, sizeof sm, NULL) == (int)sizeof sm && sm.seq > 1)
        k0 = sm.seq;
    if (k0 > 1)
        printf("io_voter: joins the flight in period %u\n", (unsigned)k0);
    for (uint32_t k = k0;; k++) {
        /* --pace 1: period k starts (k-1)/rate virtual seconds after period
         * 1, as on a vehicle; otherwise the loop runs as fast as the
         * sandboxes answer (the plant waits for each command either way). */
        while (io.pace && k > k0 && uchan_now_ns() - t_start < (uint64_t)(k - k0) * 1000000000ull / io.rate)
            triad_sleep_ns(POLL_NS);
        while (shmcomm_read_latest(io.sim_in, &sm, sizeof sm, NULL) != (int)sizeof sm || sm.seq != k) {
            /* A shadow that fell behind the plant (its voter went on
             * meanwhile: at its start) takes up the plant's period. */
            if (io.sh.on && sm.seq > k) {
                k = sm.seq;
                continue;
            }
            triad_sleep_ns(POLL_NS);
        }
        io.t_readings = uchan_now_ns();
        io_shadow_wait_begins(&io.sh, io.t_readings);
        /* The plant's readings of k+1 carry its check of commands 1..k:
         * the report of period --report is printed once they arrived. */
        if (io.report && k == io.report + 1)
            io_report(&io.st, io.report, &io.rs, &sm);
        /* The role's figures, once: a shadow's one period later, so they
         * follow the voter's report (the plant's readings of that period
         * need the voter's command of the one before).  ">=": a shadow may
         * skip periods to catch up with the plant. */
        static int role_said;
        if (io.report && !role_said && k >= io.report + 1 + (io.sh.on ? 1u : 0u)) {
            role_said = 1;
            io_shadow_report(&io.sh, io.report);
        }
        /* --hang-at: the voter hangs without faulting (spins, no system
         * call) before its sensor frame: only its shadow can tell (issue 9). */
        if (io.hang_at && k == io.hang_at && !io.sh.on) {
            printf("io_voter: hang injected at period %u: the voter spins from now on\n", (unsigned)k);
            /* The kernel's console sends lines when its core is otherwise
               idle (the low VCPU): a spin from now on would keep this one
               in its ring until the restart scrubs it.  5 ms of the
               shadow's 1 s wait lets it out. */
            triad_sleep_ns(5000000ull);
            for (volatile uint32_t spin = 0;; spin++) {
            }
        }
        struct sensor_frame f;
        uav_frame(&io.ms, k, &sm.meas, &f);
        if (!io.sh.on)
            shmcomm_write(io.sens, &f, sizeof f);
        uint64_t t_pub = uchan_now_ns();
        if (k == k0)
            t_start = t_pub;
        uint32_t answered = collect(&io, k, k == 1 ? FIRST_WAIT_NS : io.deadline_ms * 1000000ull, &f);
        /* A restarted replica that answered this period from the state it
         * loaded starts its probation now (tmr_rs_rejoin: K agreeing periods).
         * From its first output after the restart on, collect waits for it
         * like a replica in service, so it is not always a little late. */
        for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++)
            if (io.went_down[id] && io.rs.rep[id].role == TMR_ROLE_FAILED && (answered >> id & 1u) &&
                tmr_rs_rejoin(&io.rs, id, k) == 0) {
                io.restart_asked[id] = 0;
                io.went_down[id] = 0;
                io.back[id] = 0;
                io.down_seq[id] = 0;
                io.voter_restarted[id] = 0;
            }
        const struct replica_output *outs[TMR_MAX_REPLICAS];
        for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++)
            outs[id] = io.have[id] ? &io.out[id] : NULL;
        struct actuator_cmd cmd;
        struct tmr_vote_result vote;
        memset(&cmd, 0, sizeof cmd);
        io.st.nvoted = io.rs.nslots;
        for (uint32_t s = 0; s < TMR_VOTE_SLOTS; s++)
            io.st.voted[s] = io.rs.slot[s];
        uint64_t t_vote = uchan_now_ns();
        tmr_rs_period(&io.rs, outs, k, &cmd, &vote);
        io.on_ground = sm.on_ground != 0;
        if (system_safe(&io.safe, k)) {
            memcpy(cmd.motor, io.rs.cfg.safe_motor, sizeof cmd.motor);
            cmd.vote_status = UAV_CMD_SYSTEM_SAFE;   /* the plant tells it from a landing */
        } else if (io.safe.left_at && !io.safe.first_voted &&
                   (vote.status == TMR_VOTE_UNANIMOUS || vote.status == TMR_VOTE_MAJORITY)) {
            /* Full TMR again: the figure of docs/recovery.md. */
            io.safe.first_voted = k;
            printf("io_voter: safe mode left in period %u: first voted command in period %u, %u periods and %llu us "
                   "after the exit (%u vote slots)\n", (unsigned)io.safe.left_at, (unsigned)k,
                   (unsigned)(k - io.safe.left_at), (unsigned long long)((uchan_now_ns() - io.safe.left_ns) / 1000u),
                   (unsigned)io.rs.nslots);
        }
        io.safe.last_cmd_safe = cmd.vote_status == UAV_CMD_SYSTEM_SAFE;
        t_vote = uchan_now_ns() - t_vote;
        io.st.vote_sum_ns += t_vote;
        io.st.vote_n++;
        if (t_vote > io.st.vote_max_ns)
            io.st.vote_max_ns = t_vote;
        publish_command(&io, k, &cmd, &f);
        log_events(&io);
        console_poll(&io, k);
        publish_transfer(&io, k);
        restart_unobeyed(&io, k);
        shadow_asks(&io, k);
        io_stats_period(&io.st, k, &sm, &f, &io.rs, &vote, answered, uchan_now_ns() - t_pub, uchan_now_ns());
        io_ground_state(k, io.rate, f.phase, &sm, &io.rs, &vote);
        if (io.trace)
            io_trace_line(k, &sm, &cmd, &io.rs, &vote);
        if (k % io.rate == 0)
            io_status_line(&io.st, k, &sm, &f, &io.rs, &vote);
        if (k == hint_at)
            printf("tmr: hovering: type corrupt a|b|c|d to corrupt one replica and watch it masked (help, status)\n");
        /* In safe mode, once a second: the operator's way out (and what the
           monitor will check: the vehicle word of this period). */
        if (io.safe.on && (k - io.safe.since) % io.rate == 0)
            printf("tmr: system safe mode since period %u: safe command applied, vehicle %s; type safe-exit to "
                   "return to full TMR\n", (unsigned)io.safe.since, io.on_ground ? "on the ground" : "NOT on the ground");
    }
}
