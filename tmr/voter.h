/* The TMR voter: one decision per control period over the ballots of the
 * replicas currently in the vote (2 or 3 slots).
 *
 * A slot takes part only if its replica published this period, answered the
 * expected sequence number, and its motor commands are in range ("usable").
 * Two usable slots agree when
 *   exact mode:     flags, motor commands and state digests are identical;
 *   tolerance mode: flags are identical and every motor command differs by at
 *                   most `tolerance` (digests are ignored: diverse replicas).
 * A majority is any pair of distinct usable slots that agree (2 of 3, or 2 of
 * 2 when degraded).  The winner is a slot that agrees with every other usable
 * slot if there is one, else the lowest agreeing slot.  The command applied is
 * the winner's in exact mode, and the per-motor mid value of three usable
 * slots (or the winner's with two) in tolerance mode.  With no majority the
 * caller's safe command is applied and the status says so.
 *
 * Freestanding, integer only, stateless (persistence counts live in the
 * replica set); proved with Frama-C/WP, see proofs/tmr/run.sh.
 */
#ifndef TMR_VOTER_H
#define TMR_VOTER_H

#include <stdint.h>
#include "frames.h"

#define TMR_VOTE_SLOTS 3u
#define TMR_NO_SLOT    0xFFu

enum tmr_vote_mode {
    TMR_VOTE_EXACT     = 0,
    TMR_VOTE_TOLERANCE = 1,
};

enum tmr_vote_status {
    TMR_VOTE_UNANIMOUS   = 0,  /* every slot usable and agreeing with the winner */
    TMR_VOTE_MAJORITY    = 1,  /* a majority, but some slot late, invalid or outvoted */
    TMR_VOTE_NO_MAJORITY = 2,  /* no two usable slots agree: safe command applied */
    TMR_VOTE_BAD_INPUT   = 3,  /* slot count or mode out of range, or a null pointer */
};

/* What the vote found about one slot. */
enum tmr_slot_verdict {
    TMR_SLOT_AGREES    = 0,  /* usable and agrees with the winner */
    TMR_SLOT_DISAGREES = 1,  /* usable but outvoted (or nobody agreed with anybody) */
    TMR_SLOT_LATE      = 2,  /* did not publish, or answered another period */
    TMR_SLOT_INVALID   = 3,  /* on time but a motor command out of range */
    TMR_SLOT_UNUSED    = 4,  /* slot index >= n */
};

/* The part of a replica_output the voter looks at. */
struct tmr_ballot {
    uint32_t published;            /* nonzero if the replica wrote this period */
    uint32_t seq;
    uint32_t flags;
    uint16_t motor[TMR_MOTORS];
    uint64_t digest;
};

struct tmr_vote_result {
    uint32_t status;                      /* enum tmr_vote_status */
    uint32_t winner;                      /* slot index, or TMR_NO_SLOT */
    uint32_t partner;                     /* another slot agreeing with the winner */
    uint32_t flags;                       /* winner's flags (0 without majority) */
    uint8_t  verdict[TMR_VOTE_SLOTS];     /* enum tmr_slot_verdict per slot */
    uint8_t  reserved;
    uint16_t motor[TMR_MOTORS];           /* the command to apply */
};

/* Fills a ballot from a published output (or marks it absent if out is NULL). */
void tmr_ballot_from_output(const struct replica_output *out, struct tmr_ballot *b);

/* Votes over ballots[0..n).  Returns the status, also stored in r->status.
 * r must be valid (contract); null ballots or safe give TMR_VOTE_BAD_INPUT. */
uint32_t tmr_vote(const struct tmr_ballot *ballots, uint32_t n, uint32_t expected_seq,
                  uint32_t mode, uint16_t tolerance, const uint16_t *safe,
                  struct tmr_vote_result *r);

#endif
