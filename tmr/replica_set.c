/* Replica-set state machine (see replica_set.h).  Each period: vote over the
 * active slots, then judge every replica against the winner, fail the ones
 * that stayed bad for `persistence` periods, refill empty slots from the
 * standby in the same period, and advance rejoining replicas. */
#include "replica_set.h"

static void log_event(struct tmr_replica_set *rs, uint32_t seq, uint32_t kind,
                      uint32_t replica, uint32_t detail)
{
    struct tmr_event *e = &rs->ev[rs->ev_total % TMR_EVENT_LOG];
    e->seq = seq;
    e->kind = (uint16_t)kind;
    e->replica = (uint16_t)replica;
    e->detail = detail;
    rs->ev_total++;
}

void tmr_rs_default_config(struct tmr_rs_config *cfg)
{
    /* Exact voting of identical replicas: a single bad period is a fault.
     * 10 agreeing periods (40 ms at 250 Hz) before a restarted replica is
     * trusted; 25 periods (100 ms) of holding the last command before the
     * safe command (all motors off: flight termination) takes over. */
    *cfg = (struct tmr_rs_config){
        .replicas = 4, .mode = TMR_VOTE_EXACT, .tolerance = 0,
        .persistence = 1, .rejoin_periods = 10, .hold_periods = 25,
        .safe_motor = { 0, 0, 0, 0 },
    };
}

int tmr_rs_init(struct tmr_replica_set *rs, const struct tmr_rs_config *cfg)
{
    if (!rs || !cfg || cfg->replicas < 3 || cfg->replicas > TMR_MAX_REPLICAS ||
        (cfg->mode != TMR_VOTE_EXACT && cfg->mode != TMR_VOTE_TOLERANCE) ||
        cfg->persistence < 1 || cfg->rejoin_periods < 1)
        return -1;
    for (unsigned k = 0; k < TMR_MOTORS; k++)
        if (cfg->safe_motor[k] > TMR_MOTOR_MAX)
            return -1;
    *rs = (struct tmr_replica_set){ .cfg = *cfg, .last_winner = TMR_NO_REPLICA };
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++)
        rs->rep[id].role = id < TMR_VOTE_SLOTS ? TMR_ROLE_ACTIVE
                         : id < cfg->replicas ? TMR_ROLE_STANDBY : TMR_ROLE_ABSENT;
    for (uint32_t s = 0; s < TMR_VOTE_SLOTS; s++)
        rs->slot[s] = s;
    rs->nslots = TMR_VOTE_SLOTS;
    for (unsigned k = 0; k < TMR_MOTORS; k++)
        rs->last_good[k] = cfg->safe_motor[k];
    return 0;
}

/* Does a replica outside the vote agree with the winner this period?  A vote
 * over the pair {winner, candidate} has a majority exactly then. */
static int agrees_with(const struct tmr_replica_set *rs, const struct tmr_ballot *winner,
                       const struct replica_output *cand, uint32_t seq)
{
    struct tmr_ballot pair[TMR_VOTE_SLOTS];
    pair[0] = *winner;
    tmr_ballot_from_output(cand, &pair[1]);
    pair[2] = pair[1];
    struct tmr_vote_result r;
    uint32_t st = tmr_vote(pair, 2, seq, rs->cfg.mode, rs->cfg.tolerance,
                           rs->cfg.safe_motor, &r);
    return st == TMR_VOTE_UNANIMOUS;
}

static void remove_slot(struct tmr_replica_set *rs, uint32_t s)
{
    for (uint32_t i = s; i + 1 < rs->nslots; i++)
        rs->slot[i] = rs->slot[i + 1];
    rs->nslots--;
    rs->slot[rs->nslots] = TMR_NO_REPLICA;
}

static void fail(struct tmr_replica_set *rs, uint32_t id, uint32_t seq)
{
    log_event(rs, seq, TMR_EV_FAILED, id, rs->rep[id].role);
    rs->rep[id].role = TMR_ROLE_FAILED;
    rs->rep[id].bad_periods = 0;
    rs->rep[id].agree_periods = 0;
    rs->rep[id].failures++;
    rs->failures++;
}

static uint32_t verdict_event(uint32_t verdict)
{
    return verdict == TMR_SLOT_LATE ? TMR_EV_LATE
         : verdict == TMR_SLOT_INVALID ? TMR_EV_INVALID : TMR_EV_DISAGREE;
}

uint32_t tmr_rs_period(struct tmr_replica_set *rs,
                       const struct replica_output *const out[TMR_MAX_REPLICAS],
                       uint32_t seq, struct actuator_cmd *cmd, struct tmr_vote_result *vote)
{
    if (!rs || !out || !cmd)
        return TMR_VOTE_BAD_INPUT;
    rs->periods++;

    /* While holding, the voter's fallback is the last good command; after
     * the hold it is the configured safe command. */
    const uint16_t *fallback = rs->hold < rs->cfg.hold_periods ? rs->last_good
                                                               : rs->cfg.safe_motor;
    struct tmr_ballot ballots[TMR_VOTE_SLOTS];
    for (uint32_t s = 0; s < TMR_VOTE_SLOTS; s++)
        tmr_ballot_from_output(s < rs->nslots ? out[rs->slot[s]] : 0, &ballots[s]);
    struct tmr_vote_result r;
    uint32_t st;
    if (rs->nslots >= 2) {
        st = tmr_vote(ballots, rs->nslots, seq, rs->cfg.mode, rs->cfg.tolerance, fallback, &r);
    } else {
        /* One replica left cannot be checked by anybody: no majority. */
        r = (struct tmr_vote_result){ .status = TMR_VOTE_NO_MAJORITY, .winner = TMR_NO_SLOT,
                                      .partner = TMR_NO_SLOT,
                                      .verdict = { TMR_SLOT_UNUSED, TMR_SLOT_UNUSED,
                                                   TMR_SLOT_UNUSED } };
        for (unsigned k = 0; k < TMR_MOTORS; k++)
            r.motor[k] = fallback[k];
        st = r.status;
    }
    int majority = st == TMR_VOTE_UNANIMOUS || st == TMR_VOTE_MAJORITY;
    uint32_t winner_id = majority ? rs->slot[r.winner] : TMR_NO_REPLICA;

    /* Judge the active slots; remember who to fail (only with a majority:
     * without one nobody can be blamed). */
    uint32_t to_fail[TMR_VOTE_SLOTS];
    uint32_t nfail = 0;
    for (uint32_t s = 0; s < rs->nslots; s++) {
        uint32_t id = rs->slot[s];
        struct tmr_replica_info *ri = &rs->rep[id];
        if (r.verdict[s] == TMR_SLOT_AGREES) {
            ri->bad_periods = 0;
            continue;
        }
        if (ri->bad_periods++ == 0)
            log_event(rs, seq, verdict_event(r.verdict[s]), id, s);
        if (majority && ri->bad_periods >= rs->cfg.persistence)
            to_fail[nfail++] = id;
    }
    for (uint32_t i = 0; i < nfail; i++) {
        for (uint32_t s = 0; s < rs->nslots; s++)
            if (rs->slot[s] == to_fail[i]) {
                remove_slot(rs, s);
                break;
            }
        fail(rs, to_fail[i], seq);
    }

    /* Replicas outside the vote are checked against the winner. */
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS && majority; id++) {
        struct tmr_replica_info *ri = &rs->rep[id];
        if (ri->role != TMR_ROLE_STANDBY && ri->role != TMR_ROLE_REJOINING)
            continue;
        int ok = agrees_with(rs, &ballots[r.winner], out[id], seq);
        if (ri->role == TMR_ROLE_STANDBY) {
            if (ok) {
                ri->bad_periods = 0;
            } else if (++ri->bad_periods >= rs->cfg.persistence) {
                fail(rs, id, seq);
            }
        } else if (!ok) {
            fail(rs, id, seq);                     /* rejoin attempt failed */
        } else if (++ri->agree_periods >= rs->cfg.rejoin_periods) {
            ri->role = TMR_ROLE_STANDBY;
            ri->agree_periods = 0;
            ri->bad_periods = 0;
            rs->rejoins++;
            log_event(rs, seq, TMR_EV_REJOINED, id, TMR_ROLE_STANDBY);
        }
    }

    /* Refill empty slots from replicas in standby that agreed this period. */
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS && majority && rs->nslots < TMR_VOTE_SLOTS; id++) {
        struct tmr_replica_info *ri = &rs->rep[id];
        if (ri->role != TMR_ROLE_STANDBY || ri->bad_periods != 0)
            continue;
        ri->role = TMR_ROLE_ACTIVE;
        rs->slot[rs->nslots] = id;
        log_event(rs, seq, TMR_EV_PROMOTED, id, rs->nslots);
        rs->nslots++;
        rs->promotions++;
    }
    if (nfail && rs->nslots < TMR_VOTE_SLOTS)
        log_event(rs, seq, TMR_EV_DEGRADED, TMR_NO_REPLICA, rs->nslots);

    /* The command. */
    if (majority) {
        if (rs->hold)
            log_event(rs, seq, TMR_EV_RECOVERED, winner_id, rs->hold);
        rs->hold = 0;
        for (unsigned k = 0; k < TMR_MOTORS; k++)
            rs->last_good[k] = r.motor[k];
    } else {
        if (rs->hold == 0)
            log_event(rs, seq, TMR_EV_NO_MAJORITY, TMR_NO_REPLICA, rs->nslots);
        if (rs->hold == rs->cfg.hold_periods)
            log_event(rs, seq, TMR_EV_SAFE_COMMAND, TMR_NO_REPLICA, 0);
        if (rs->hold <= rs->cfg.hold_periods)
            rs->hold++;
        rs->no_majority_periods++;
    }
    rs->last_winner = winner_id;
    cmd->seq = seq;
    cmd->vote_status = st;
    for (unsigned k = 0; k < TMR_MOTORS; k++)
        cmd->motor[k] = r.motor[k];
    if (vote)
        *vote = r;
    return st;
}

uint32_t tmr_rs_transfer_source(const struct tmr_replica_set *rs)
{
    return rs ? rs->last_winner : TMR_NO_REPLICA;
}

int tmr_rs_rejoin(struct tmr_replica_set *rs, uint32_t id, uint32_t seq)
{
    if (!rs || id >= TMR_MAX_REPLICAS || rs->rep[id].role != TMR_ROLE_FAILED ||
        rs->last_winner == TMR_NO_REPLICA)
        return -1;
    rs->rep[id].role = TMR_ROLE_REJOINING;
    rs->rep[id].agree_periods = 0;
    rs->rep[id].bad_periods = 0;
    log_event(rs, seq, TMR_EV_REJOINING, id, rs->last_winner);
    return 0;
}

const struct tmr_event *tmr_rs_event(const struct tmr_replica_set *rs, uint32_t i)
{
    if (!rs || i >= rs->ev_total || i >= TMR_EVENT_LOG)
        return 0;
    return &rs->ev[(rs->ev_total - 1 - i) % TMR_EVENT_LOG];
}

const char *tmr_event_name(uint32_t kind)
{
    static const char *const names[] = {
        "?", "disagree", "late", "invalid", "failed", "promoted", "rejoining",
        "rejoined", "no-majority", "safe-command", "recovered", "degraded",
    };
    return kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

const char *tmr_role_name(uint32_t role)
{
    static const char *const names[] = { "active", "standby", "failed", "rejoining", "absent" };
    return role < sizeof names / sizeof names[0] ? names[role] : "?";
}
