/* io_voter in shadow (I/O failover, issue 9, docs/recovery.md).
 *
 * A TMR group's voter-standby runs io_voter too: it reads the plant's
 * readings and every replica output as the voter does and votes each
 * period, but the monitor maps the channels the voter writes (sensors,
 * sim-actuators, transfer) read-only for it, so it writes nothing (a write
 * would fault).  It compares its vote with the command the voter published
 * and counts the disagreements.  The role is the monitor's, read through
 * TRIAD_HC_SANDBOX_INFO (triad_shadow_channels): shadow while it is not the
 * writer of those channels; the monitor's failover makes it the writer, and
 * from then on it publishes (continuing the channels' message numbers).
 * A restarted voter that lost the role comes back in shadow the same way.
 * The role is asked at start, then while a wait of the loop lasts longer
 * than IO_SHADOW_POLL_NS (one VM exit each): in steady state the voter's
 * messages come sooner, so a shadow costs no exit per period. */
#ifndef TRIAD_IO_SHADOW_H
#define TRIAD_IO_SHADOW_H

#include <stdint.h>

#define IO_SHADOW_POLL_NS 1000000ull   /* 1 ms: a tenth of the 100 Hz period */

/* A hung voter (issue 9): a healthy voter publishes its sensor frame once
 * it has the plant's readings, and its command at most its replica
 * deadline after them (both voters wait for the same replicas) - but its
 * core can be held up meanwhile: relaying a restarted sandbox's boot lines
 * to its serial console held io for over 346 ms in test 82 (a failover
 * request after 10 periods fired there on a healthy voter), 650 ms once in
 * Bochs.  So a voter that published nothing for IO_SHADOW_STALL_PERIODS
 * periods past that is taken as hung: 1 s at 100 Hz, 1.5 times the worst
 * holdup seen.  The role line reports the largest healthy lags seen
 * (lag-frame, lag-command) so the margin is measured in every run. */
#define IO_SHADOW_STALL_PERIODS 100u

struct io_shadow {
    int on;                   /* in shadow now */
    uint32_t mask;            /* the channels the monitor says it shadows */
    uint64_t wait_from_ns;    /* when the current wait began */
    uint64_t last_poll_ns;    /* last time the monitor was asked */
    uint32_t polls;           /* role reads (VM exits) */
    uint32_t compared;        /* periods whose published command it compared */
    uint32_t disagreed;       /* of those, its vote differed */
    uint32_t first_disagreed; /* period of the first difference, 0 if none */
    uint32_t promoted_at;     /* period it became the voter, 0 if never */
    uint32_t first_published; /* period of its first command as the voter, 0 if none */
    uint32_t peer;            /* --peer: the voter's sandbox id (the failover request names it); none: no watch */
    uint32_t stall_requests;  /* failover requests for a hung voter, accepted or not */
    uint32_t stall_asked_at;  /* period of the last request (one per period) */
    uint64_t lag_frame_max_ns;   /* healthy voter: readings to its sensor frame, largest seen */
    uint64_t lag_command_max_ns; /* healthy voter: readings to its command, largest seen */
};

#define IO_SHADOW_NO_PEER 0xFFFFFFFFu

/* Asks the monitor once: 1 in shadow (and says so on the console), 0 when
 * it writes (or no monitor: bare metal).  peer: the other member of the
 * voter pair (--peer), whom a stall request names (IO_SHADOW_NO_PEER: no
 * watch). */
int io_shadow_start(struct io_shadow *sh, uint32_t peer);

/* A wait of the loop begins. */
void io_shadow_wait_begins(struct io_shadow *sh, uint64_t now_ns);

/* During a wait: 1 when the monitor has made it the writer (asked at most
 * once per IO_SHADOW_POLL_NS, and only once the wait lasted that long). */
int io_shadow_promoted(struct io_shadow *sh, uint64_t now_ns);

/* During a wait (begun at since_ns, the plant's readings of period k or
 * the start of the replicas' wait) for the voter's message of k that a
 * healthy voter sends within `allowed_ns`: once the wait lasted
 * IO_SHADOW_STALL_PERIODS periods (period_ns each) past that, asks the
 * monitor once per period to fail the hung voter over to this sandbox
 * (restart request naming --peer); 1 when the monitor accepted (the next
 * io_shadow_promoted_now then sees the role), 0 otherwise. */
int io_shadow_stalled(struct io_shadow *sh, uint32_t k, uint64_t since_ns, uint64_t now_ns, uint64_t allowed_ns,
                      uint64_t period_ns, const char *what);

/* The voter's message came `lag_ns` after the wait's start: the healthy
 * lags' maxima (frame: 0, command: 1). */
void io_shadow_lag(struct io_shadow *sh, int command, uint64_t lag_ns);

/* The role, asked now (after an accepted failover request). */
int io_shadow_promoted_now(struct io_shadow *sh);

/* Its vote of period k against the voter's published command of k. */
void io_shadow_compare(struct io_shadow *sh, uint32_t k, const uint16_t *mine, uint32_t mine_status,
                       const uint16_t *published, uint32_t published_status, uint32_t motors);

/* One line of the role's figures (after the report of period `report`);
 * nothing from a voter that was never in shadow. */
void io_shadow_report(const struct io_shadow *sh, uint32_t report);

#endif
