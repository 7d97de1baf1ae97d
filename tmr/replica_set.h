/* Replica-set management: which replicas are in the vote, the hot standby,
 * failure declaration, promotion, and reintegration after a restart.
 *
 * Up to TMR_MAX_REPLICAS replicas (ids 0..3) run the same program on the same
 * frames.  Each is in one role:
 *
 *   ACTIVE     holds one of the (up to 3) vote slots
 *   STANDBY    runs in lockstep, checked against the winner, output not voted
 *   FAILED     declared faulty; waits for its sandbox to be restarted
 *   REJOINING  restarted and loaded with the majority's state; must agree with
 *              the winner for `rejoin_periods` consecutive periods
 *
 *   ACTIVE --(persistence periods late/outvoted/invalid, with a majority)--> FAILED
 *   STANDBY --(same test against the winner)--> FAILED
 *   FAILED --(tmr_rs_rejoin after restart + state load)--> REJOINING
 *   REJOINING --(a disagreement)--> FAILED
 *   REJOINING --(rejoin_periods agreeing periods)--> STANDBY, or ACTIVE if a slot is empty
 *   STANDBY --(a slot became empty and it agreed this period)--> ACTIVE  (same period)
 *
 * Without a majority nobody can be blamed: no replica is failed, the last
 * voted command is held for `hold_periods`, then the configured safe command
 * is applied until a majority returns (and an alarm event is logged).
 * Freestanding and integer only, like the voter.
 */
#ifndef TMR_REPLICA_SET_H
#define TMR_REPLICA_SET_H

#include <stdint.h>
#include "frames.h"
#include "voter.h"

#define TMR_MAX_REPLICAS 4u
#define TMR_NO_REPLICA   0xFFu
#define TMR_EVENT_LOG    64u

enum tmr_role {
    TMR_ROLE_ACTIVE    = 0,
    TMR_ROLE_STANDBY   = 1,
    TMR_ROLE_FAILED    = 2,
    TMR_ROLE_REJOINING = 3,
    TMR_ROLE_ABSENT    = 4,   /* not configured */
};

enum tmr_event_kind {
    TMR_EV_DISAGREE     = 1,  /* an active replica was outvoted */
    TMR_EV_LATE         = 2,  /* an active replica missed the period or was stale */
    TMR_EV_INVALID      = 3,  /* an active replica published out-of-range commands */
    TMR_EV_FAILED       = 4,  /* a replica was declared failed (detail: old role) */
    TMR_EV_PROMOTED     = 5,  /* the standby took a vote slot (detail: slot) */
    TMR_EV_REJOINING    = 6,  /* a restarted replica loaded state (detail: source) */
    TMR_EV_REJOINED     = 7,  /* a rejoining replica passed K periods (detail: new role) */
    TMR_EV_NO_MAJORITY  = 8,  /* no two replicas agree: holding the last command */
    TMR_EV_SAFE_COMMAND = 9,  /* hold time over: the safe command is applied */
    TMR_EV_RECOVERED    = 10, /* a majority is back after a no-majority period */
    TMR_EV_DEGRADED     = 11, /* fewer than 3 replicas in the vote (detail: slots) */
};

struct tmr_event {
    uint32_t seq;       /* period */
    uint16_t kind;      /* enum tmr_event_kind */
    uint16_t replica;   /* replica id, or TMR_NO_REPLICA */
    uint32_t detail;
};

struct tmr_rs_config {
    uint32_t replicas;          /* 3 (no standby) or 4 (replica 3 starts as standby) */
    uint32_t mode;              /* enum tmr_vote_mode */
    uint16_t tolerance;         /* motor units, tolerance mode only */
    uint16_t reserved;
    uint32_t persistence;       /* consecutive bad periods before failing, >= 1 */
    uint32_t rejoin_periods;    /* K, >= 1 */
    uint32_t hold_periods;      /* periods the last command is held without majority */
    uint16_t safe_motor[TMR_MOTORS];   /* applied after the hold, each <= TMR_MOTOR_MAX */
};

struct tmr_replica_info {
    uint32_t role;              /* enum tmr_role */
    uint32_t bad_periods;       /* consecutive periods late/outvoted/invalid */
    uint32_t agree_periods;     /* consecutive agreeing periods while rejoining */
    uint32_t failures;          /* times declared failed */
};

struct tmr_replica_set {
    struct tmr_rs_config cfg;
    struct tmr_replica_info rep[TMR_MAX_REPLICAS];
    uint32_t slot[TMR_VOTE_SLOTS];     /* replica id per vote slot, packed from 0 */
    uint32_t nslots;
    uint32_t last_winner;              /* replica id of the last winner, or TMR_NO_REPLICA */
    uint16_t last_good[TMR_MOTORS];    /* last voted command */
    uint32_t hold;                     /* periods without majority so far */
    /* counters */
    uint32_t periods, no_majority_periods, failures, promotions, rejoins;
    /* event ring: the newest TMR_EVENT_LOG events; ev_total counts all */
    struct tmr_event ev[TMR_EVENT_LOG];
    uint32_t ev_total;
};

/* Returns 0, or -1 for a bad configuration (nothing initialised then). */
int tmr_rs_init(struct tmr_replica_set *rs, const struct tmr_rs_config *cfg);
void tmr_rs_default_config(struct tmr_rs_config *cfg);

/* One control period.  out[id] is replica id's latest published output, or
 * NULL if it never published; stale outputs are passed as they are (the
 * voter sees their old seq).  Writes the command to apply and, if vote is
 * not NULL, the vote of the active slots.  Returns the vote status
 * (TMR_VOTE_NO_MAJORITY also when fewer than two slots are left), or
 * TMR_VOTE_BAD_INPUT for null arguments. */
uint32_t tmr_rs_period(struct tmr_replica_set *rs,
                       const struct replica_output *const out[TMR_MAX_REPLICAS],
                       uint32_t seq, struct actuator_cmd *cmd, struct tmr_vote_result *vote);

/* The replica whose output won the last vote: the source for a state
 * transfer.  TMR_NO_REPLICA if the last period had no majority. */
uint32_t tmr_rs_transfer_source(const struct tmr_replica_set *rs);

/* Replica id has been restarted from its pristine image and loaded with the
 * state of tmr_rs_transfer_source()'s last output.  Returns 0, or -1 if id is
 * not FAILED (a healthy replica is never reset) or out of range. */
int tmr_rs_rejoin(struct tmr_replica_set *rs, uint32_t id, uint32_t seq);

/* The i-th newest event (0 = newest), or NULL if fewer were logged. */
const struct tmr_event *tmr_rs_event(const struct tmr_replica_set *rs, uint32_t i);
/* Short names for logs. */
const char *tmr_event_name(uint32_t kind);
const char *tmr_role_name(uint32_t role);

#endif
