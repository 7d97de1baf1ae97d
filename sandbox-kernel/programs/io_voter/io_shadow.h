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
};

/* Asks the monitor once: 1 in shadow (and says so on the console), 0 when
 * it writes (or no monitor: bare metal). */
int io_shadow_start(struct io_shadow *sh);

/* A wait of the loop begins. */
void io_shadow_wait_begins(struct io_shadow *sh, uint64_t now_ns);

/* During a wait: 1 when the monitor has made it the writer (asked at most
 * once per IO_SHADOW_POLL_NS, and only once the wait lasted that long). */
int io_shadow_promoted(struct io_shadow *sh, uint64_t now_ns);

/* Its vote of period k against the voter's published command of k. */
void io_shadow_compare(struct io_shadow *sh, uint32_t k, const uint16_t *mine, uint32_t mine_status,
                       const uint16_t *published, uint32_t published_status, uint32_t motors);

/* One line of the role's figures (after the report of period `report`);
 * nothing from a voter that was never in shadow. */
void io_shadow_report(const struct io_shadow *sh, uint32_t report);

#endif
