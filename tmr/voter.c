/* The TMR voter (see voter.h for the rules).  Written for Frama-C/WP: no
 * floating point, straight-line decisions over at most three slots, and an
 * ACSL contract whose named clauses are the voter's requirements. */
#include "voter.h"

/*@
  predicate OnTime(struct tmr_ballot b, integer seq) =
    b.published != 0 && b.seq == seq;

  // Four motors, spelled out: quantifier-free predicates keep the provers
  // away from quantifier instantiation, which is where they got lost.
  predicate InRange(struct tmr_ballot b) =
    b.motor[0] <= 10000 && b.motor[1] <= 10000 && b.motor[2] <= 10000 && b.motor[3] <= 10000;

  predicate Usable(struct tmr_ballot b, integer seq) = OnTime(b, seq) && InRange(b);

  predicate Near(integer x, integer y, integer tol) = -tol <= x - y <= tol;

  logic integer EffTol(integer mode, integer tol) = mode == 0 ? 0 : tol;

  predicate Agree(struct tmr_ballot a, struct tmr_ballot b, integer mode, integer tol) =
    a.flags == b.flags &&
    (mode == 0 ==> a.digest == b.digest) &&
    Near(a.motor[0], b.motor[0], EffTol(mode, tol)) && Near(a.motor[1], b.motor[1], EffTol(mode, tol)) &&
    Near(a.motor[2], b.motor[2], EffTol(mode, tol)) && Near(a.motor[3], b.motor[3], EffTol(mode, tol));

  // What the vote says about one slot, with or without a winner.
  predicate NoMajFacts(integer verd, struct tmr_ballot b, integer seq) =
    (verd == TMR_SLOT_LATE <==> !OnTime(b, seq)) &&
    (verd == TMR_SLOT_INVALID <==> (OnTime(b, seq) && !InRange(b))) &&
    (verd == TMR_SLOT_DISAGREES <==> Usable(b, seq)) &&
    verd != TMR_SLOT_AGREES;

  predicate MajFacts(integer verd, struct tmr_ballot b, struct tmr_ballot w,
                     integer seq, integer mode, integer tol) =
    (verd == TMR_SLOT_LATE <==> !OnTime(b, seq)) &&
    (verd == TMR_SLOT_INVALID <==> (OnTime(b, seq) && !InRange(b))) &&
    (verd == TMR_SLOT_AGREES <==> (Usable(b, seq) && Agree(w, b, mode, tol))) &&
    (verd == TMR_SLOT_DISAGREES <==> (Usable(b, seq) && !Agree(w, b, mode, tol)));

  predicate CmdOK(integer m, integer wm, integer mode, integer tol) =
    Near(m, wm, EffTol(mode, tol)) && (mode == 0 ==> m == wm) && m <= 10000;

  predicate Pair(struct tmr_ballot *v, integer n, integer i, integer j,
                 integer seq, integer mode, integer tol) =
    0 <= i < n && 0 <= j < n && i != j &&
    Usable(v[i], seq) && Usable(v[j], seq) && Agree(v[i], v[j], mode, tol);

  predicate AnyPair(struct tmr_ballot *v, integer n, integer seq, integer mode, integer tol) =
    Pair(v, n, 0, 1, seq, mode, tol) || Pair(v, n, 0, 2, seq, mode, tol) ||
    Pair(v, n, 1, 2, seq, mode, tol);
*/

/*@ requires 0 <= tol <= 65535;
    assigns \nothing;
    ensures NEAR_DEF: \result != 0 <==> Near(x, y, tol);
*/
static int near(uint16_t x, uint16_t y, int32_t tol)
{
    int32_t d = (int32_t)x - (int32_t)y;
    return d <= tol && -d <= tol;
}

/*@ requires \valid_read(a) && \valid_read(b);
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    assigns \nothing;
    ensures AGREE_DEF: \result != 0 <==> Agree(*a, *b, mode, tolerance);
*/
static int agree(const struct tmr_ballot *a, const struct tmr_ballot *b,
                 uint32_t mode, uint16_t tolerance)
{
    if (a->flags != b->flags)
        return 0;
    if (mode == TMR_VOTE_EXACT && a->digest != b->digest)
        return 0;
    int32_t tol = mode == TMR_VOTE_EXACT ? 0 : (int32_t)tolerance;
    return near(a->motor[0], b->motor[0], tol) && near(a->motor[1], b->motor[1], tol) &&
           near(a->motor[2], b->motor[2], tol) && near(a->motor[3], b->motor[3], tol);
}

/*@ requires \valid_read(b);
    assigns \nothing;
    ensures USABLE_DEF: \result != 0 <==> Usable(*b, seq);
*/
static int usable(const struct tmr_ballot *b, uint32_t seq)
{
    if (b->published == 0 || b->seq != seq)
        return 0;
    return b->motor[0] <= TMR_MOTOR_MAX && b->motor[1] <= TMR_MOTOR_MAX &&
           b->motor[2] <= TMR_MOTOR_MAX && b->motor[3] <= TMR_MOTOR_MAX;
}

/*@ requires \valid_read(v + (0 .. n-1));
    requires 2 <= n <= 3;
    requires 0 <= i < n && 0 <= j < n;
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    assigns \nothing;
    ensures PAIR_DEF: \result != 0 <==> Pair(v, n, i, j, seq, mode, tolerance);
*/
static int pair(const struct tmr_ballot *v, uint32_t n, uint32_t i, uint32_t j,
                uint32_t seq, uint32_t mode, uint16_t tolerance)
{
    (void)n;   /* used by the contract only: the caller keeps i, j below n */
    return i != j && usable(&v[i], seq) && usable(&v[j], seq) &&
           agree(&v[i], &v[j], mode, tolerance);
}

/*@ assigns \nothing;
    ensures MID_IS_INPUT: \result == a || \result == b || \result == c;
    ensures MID_AB: (a <= \result || b <= \result) && (\result <= a || \result <= b);
    ensures MID_AC: (a <= \result || c <= \result) && (\result <= a || \result <= c);
    ensures MID_BC: (b <= \result || c <= \result) && (\result <= b || \result <= c);
*/
static uint16_t mid_value(uint16_t a, uint16_t b, uint16_t c)
{
    uint16_t lo = a < b ? a : b;
    uint16_t hi = a < b ? b : a;
    if (c <= lo)
        return lo;
    if (c >= hi)
        return hi;
    return c;
}

/*@ requires \valid(b);
    requires out == \null || (\valid_read(out) && \separated(b, out));
    assigns *b;
    ensures BALLOT_ABSENT: out == \null ==> b->published == 0;
    ensures BALLOT_COPY: out != \null ==>
      b->published == 1 && b->seq == out->seq && b->flags == out->flags &&
      b->digest == out->digest &&
      (\forall integer k; 0 <= k < 4 ==> b->motor[k] == out->motor[k]);
*/
void tmr_ballot_from_output(const struct replica_output *out, struct tmr_ballot *b)
{
    if (out == 0) {
        b->published = 0;
        b->seq = 0;
        b->flags = 0;
        b->digest = 0;
        b->motor[0] = b->motor[1] = b->motor[2] = b->motor[3] = 0;
        return;
    }
    b->published = 1;
    b->seq = out->seq;
    b->flags = out->flags;
    b->digest = out->digest;
    b->motor[0] = out->motor[0];
    b->motor[1] = out->motor[1];
    b->motor[2] = out->motor[2];
    b->motor[3] = out->motor[3];
}

/*@ predicate PairWith(struct tmr_ballot *v, integer n, integer w,
                       integer seq, integer mode, integer tol) =
      Pair(v, n, w, 0, seq, mode, tol) || Pair(v, n, w, 1, seq, mode, tol) ||
      Pair(v, n, w, 2, seq, mode, tol);
*/

/* The winner: a slot in an agreeing pair, preferring one that agrees with
 * both others (agreement is not transitive in tolerance mode).  Pure, like
 * partner_of below: returning values instead of writing through pointers
 * keeps the caller's proof free of memory reasoning. */
/*@ requires \valid_read(v + (0 .. 2));
    requires 2 <= n <= 3;
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    assigns \nothing;
    ensures WINNER_EXISTS: \result != TMR_NO_SLOT <==> AnyPair(v, n, seq, mode, tolerance);
    ensures WINNER_PAIRED: \result != TMR_NO_SLOT ==> PairWith(v, n, \result, seq, mode, tolerance);
*/
static uint32_t find_winner(const struct tmr_ballot *v, uint32_t n, uint32_t seq,
                            uint32_t mode, uint16_t tolerance)
{
    int p01 = pair(v, n, 0, 1, seq, mode, tolerance);
    int p02 = 0, p12 = 0;
    if (n == 3) {
        p02 = pair(v, n, 0, 2, seq, mode, tolerance);
        p12 = pair(v, n, 1, 2, seq, mode, tolerance);
    }
    /*@ assert P02: p02 != 0 <==> Pair(v, n, 0, 2, seq, mode, tolerance); */
    /*@ assert P12: p12 != 0 <==> Pair(v, n, 1, 2, seq, mode, tolerance); */
    if (p01 && p02)
        return 0;
    if (p01 && p12)
        return 1;
    if (p02 && p12)
        return 2;
    if (p01 || p02)
        return 0;
    if (p12)
        return 1;
    return TMR_NO_SLOT;
}

/* A slot that agrees with the winner (the lowest one). */
/*@ requires \valid_read(v + (0 .. 2));
    requires 2 <= n <= 3;
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    requires PairWith(v, n, w, seq, mode, tolerance);
    assigns \nothing;
    ensures PARTNER_PAIR: Pair(v, n, w, \result, seq, mode, tolerance);
*/
static uint32_t partner_of(const struct tmr_ballot *v, uint32_t n, uint32_t w, uint32_t seq,
                           uint32_t mode, uint16_t tolerance)
{
    if (pair(v, n, w, 0, seq, mode, tolerance))
        return 0;
    if (pair(v, n, w, 1, seq, mode, tolerance))
        return 1;
    return 2;
}

/* What the vote says about one slot, given the winner (NULL if none). */
/*@ requires \valid_read(b);
    requires win == \null || \valid_read(win);
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    assigns \nothing;
    ensures V_LATE: \result == TMR_SLOT_LATE <==> !OnTime(*b, seq);
    ensures V_INVALID: \result == TMR_SLOT_INVALID <==> (OnTime(*b, seq) && !InRange(*b));
    ensures V_AGREES: \result == TMR_SLOT_AGREES <==>
      (win != \null && Usable(*b, seq) && Agree(*win, *b, mode, tolerance));
    ensures V_DISAGREES: \result == TMR_SLOT_DISAGREES <==>
      (Usable(*b, seq) && !(win != \null && Agree(*win, *b, mode, tolerance)));
*/
static uint8_t slot_verdict(const struct tmr_ballot *b, const struct tmr_ballot *win,
                            uint32_t seq, uint32_t mode, uint16_t tolerance)
{
    if (b->published == 0 || b->seq != seq)
        return TMR_SLOT_LATE;
    if (!usable(b, seq))
        return TMR_SLOT_INVALID;
    if (win != 0 && agree(win, b, mode, tolerance))
        return TMR_SLOT_AGREES;
    return TMR_SLOT_DISAGREES;
}

/* The command for one motor: the winner's, or in tolerance mode with three
 * usable slots the mid value (which lies between the winner and its partner,
 * hence within the tolerance of the winner). */
/*@ requires \valid_read(v + (0 .. 2));
    requires 0 <= k < 4;
    requires 0 <= w < 3 && 0 <= partner < 3 && w != partner;
    requires Agree(v[w], v[partner], mode, tolerance);
    requires InRange(v[w]) && InRange(v[partner]);
    requires three != 0 ==> InRange(v[0]) && InRange(v[1]) && InRange(v[2]);
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    assigns \nothing;
    ensures CMD_OK: CmdOK(\result, v[w].motor[k], mode, tolerance);
*/
static uint16_t motor_command(const struct tmr_ballot *v, uint32_t k, uint32_t w,
                              uint32_t partner, int three, uint32_t mode, uint16_t tolerance)
{
    (void)partner;     /* partner and tolerance appear in the proof only */
    (void)tolerance;
    if (mode == TMR_VOTE_TOLERANCE && three) {
        /*@ assert Near(v[w].motor[k], v[partner].motor[k], tolerance); */
        return mid_value(v[0].motor[k], v[1].motor[k], v[2].motor[k]);
    }
    return v[w].motor[k];
}

/* A refused call: the safe command, or zero thrust without one. */
/*@ requires \valid(r);
    requires safe == \null || \valid_read(safe + (0 .. TMR_MOTORS - 1));
    requires safe == \null || \separated(r, safe + (0 .. TMR_MOTORS - 1));
    assigns *r;
    ensures R_STATUS: \result == TMR_VOTE_BAD_INPUT && r->status == TMR_VOTE_BAD_INPUT;
    ensures R_WINNER: r->winner == TMR_NO_SLOT;
    ensures R_SAFE: safe != \null ==> \forall integer k; 0 <= k < 4 ==> r->motor[k] == safe[k];
    ensures R_ZERO: safe == \null ==> \forall integer k; 0 <= k < 4 ==> r->motor[k] == 0;
*/
static uint32_t refuse(struct tmr_vote_result *r, const uint16_t *safe)
{
    /* Field by field: WP reasons about these writes far more easily than
     * about a whole-struct copy. */
    r->status = TMR_VOTE_BAD_INPUT;
    r->winner = TMR_NO_SLOT;
    r->partner = TMR_NO_SLOT;
    r->flags = 0;
    r->reserved = 0;
    r->verdict[0] = TMR_SLOT_UNUSED;
    r->verdict[1] = TMR_SLOT_UNUSED;
    r->verdict[2] = TMR_SLOT_UNUSED;
    if (safe == 0) {
        r->motor[0] = 0;
        r->motor[1] = 0;
        r->motor[2] = 0;
        r->motor[3] = 0;
    } else {
        r->motor[0] = safe[0];
        r->motor[1] = safe[1];
        r->motor[2] = safe[2];
        r->motor[3] = safe[3];
    }
    return TMR_VOTE_BAD_INPUT;
}

/* No two usable slots agree: the safe command, every usable slot outvoted. */
/*@ requires \valid(r);
    requires \valid_read(v + (0 .. 2));
    requires \valid_read(safe + (0 .. 3));
    requires \separated(r, v + (0 .. 2));
    requires \separated(r, safe + (0 .. 3));
    requires 2 <= n <= 3;
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    assigns *r;
    ensures N_STATUS: \result == TMR_VOTE_NO_MAJORITY && r->status == TMR_VOTE_NO_MAJORITY;
    ensures N_SAFE: r->winner == TMR_NO_SLOT && r->flags == 0 &&
                    r->motor[0] == \at(safe[0], Pre) && r->motor[1] == \at(safe[1], Pre) &&
                    r->motor[2] == \at(safe[2], Pre) && r->motor[3] == \at(safe[3], Pre);
    ensures N_SLOT0: NoMajFacts(r->verdict[0], \at(v[0], Pre), seq);
    ensures N_SLOT1: NoMajFacts(r->verdict[1], \at(v[1], Pre), seq);
    ensures N_SLOT2: n == 3 ==> NoMajFacts(r->verdict[2], \at(v[2], Pre), seq);
    ensures N_UNUSED: n == 2 ==> r->verdict[2] == TMR_SLOT_UNUSED;
*/
static uint32_t no_majority(const struct tmr_ballot *v, uint32_t n, uint32_t seq, uint32_t mode,
                            uint16_t tolerance, const uint16_t *safe, struct tmr_vote_result *r)
{
    /* Verdicts first (reads only), then the writes. */
    uint8_t v0 = slot_verdict(&v[0], 0, seq, mode, tolerance);
    uint8_t v1 = slot_verdict(&v[1], 0, seq, mode, tolerance);
    uint8_t v2 = TMR_SLOT_UNUSED;
    if (n == 3)
        v2 = slot_verdict(&v[2], 0, seq, mode, tolerance);
    uint16_t m0 = safe[0], m1 = safe[1], m2 = safe[2], m3 = safe[3];
    r->status = TMR_VOTE_NO_MAJORITY;
    r->winner = TMR_NO_SLOT;
    r->partner = TMR_NO_SLOT;
    r->flags = 0;
    r->reserved = 0;
    r->verdict[0] = v0;
    r->verdict[1] = v1;
    r->verdict[2] = v2;
    r->motor[0] = m0;
    r->motor[1] = m1;
    r->motor[2] = m2;
    r->motor[3] = m3;
    return TMR_VOTE_NO_MAJORITY;
}

/* A majority: the winner's command (or the mid values), verdicts relative
 * to the winner. */
/*@ requires \valid(r);
    requires \valid_read(v + (0 .. 2));
    requires \separated(r, v + (0 .. 2));
    requires 2 <= n <= 3;
    requires mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE;
    requires Pair(v, n, w, partner, seq, mode, tolerance);
    assigns *r;
    ensures M_STATUS: (\result == TMR_VOTE_UNANIMOUS || \result == TMR_VOTE_MAJORITY) &&
                      r->status == \result;
    ensures M_PAIR: r->winner == w && r->partner == partner;
    ensures M_CMD0: CmdOK(r->motor[0], \at(v[w].motor[0], Pre), mode, tolerance);
    ensures M_CMD1: CmdOK(r->motor[1], \at(v[w].motor[1], Pre), mode, tolerance);
    ensures M_CMD2: CmdOK(r->motor[2], \at(v[w].motor[2], Pre), mode, tolerance);
    ensures M_CMD3: CmdOK(r->motor[3], \at(v[w].motor[3], Pre), mode, tolerance);
    ensures M_FLAGS: r->flags == \at(v[w].flags, Pre);
    ensures M_SLOT0: MajFacts(r->verdict[0], \at(v[0], Pre), \at(v[w], Pre), seq, mode, tolerance);
    ensures M_SLOT1: MajFacts(r->verdict[1], \at(v[1], Pre), \at(v[w], Pre), seq, mode, tolerance);
    ensures M_SLOT2: n == 3 ==> MajFacts(r->verdict[2], \at(v[2], Pre), \at(v[w], Pre), seq, mode, tolerance);
    ensures M_UNUSED: n == 2 ==> r->verdict[2] == TMR_SLOT_UNUSED;
    ensures M_UNANIMOUS:
      \result == TMR_VOTE_UNANIMOUS <==>
        (r->verdict[0] == TMR_SLOT_AGREES && r->verdict[1] == TMR_SLOT_AGREES &&
         (n == 2 || r->verdict[2] == TMR_SLOT_AGREES));
*/
static uint32_t majority(const struct tmr_ballot *v, uint32_t n, uint32_t seq, uint32_t mode,
                         uint16_t tolerance, uint32_t w, uint32_t partner,
                         struct tmr_vote_result *r)
{
    /* Everything is computed from the ballots first, then written. */
    const struct tmr_ballot *win = &v[w];
    uint8_t v0 = slot_verdict(&v[0], win, seq, mode, tolerance);
    uint8_t v1 = slot_verdict(&v[1], win, seq, mode, tolerance);
    uint8_t v2 = TMR_SLOT_UNUSED;
    if (n == 3)
        v2 = slot_verdict(&v[2], win, seq, mode, tolerance);
    /*@ assert W_RANGE: InRange(v[w]) && InRange(v[partner]); */
    /* Bitwise & and | below on purpose: no short-circuit branches, which
     * keeps the number of paths (and proof obligations) small. */
    int u0 = (v0 == TMR_SLOT_AGREES) | (v0 == TMR_SLOT_DISAGREES);
    int u1 = (v1 == TMR_SLOT_AGREES) | (v1 == TMR_SLOT_DISAGREES);
    int u2 = (v2 == TMR_SLOT_AGREES) | (v2 == TMR_SLOT_DISAGREES);
    /*@ assert U0: u0 != 0 ==> InRange(v[0]); */
    /*@ assert U1: u1 != 0 ==> InRange(v[1]); */
    /*@ assert U2: u2 != 0 ==> InRange(v[2]); */
    int three = (n == 3) & u0 & u1 & u2;
    uint16_t m0 = motor_command(v, 0, w, partner, three, mode, tolerance);
    uint16_t m1 = motor_command(v, 1, w, partner, three, mode, tolerance);
    uint16_t m2 = motor_command(v, 2, w, partner, three, mode, tolerance);
    uint16_t m3 = motor_command(v, 3, w, partner, three, mode, tolerance);
    int all_agree = (v0 == TMR_SLOT_AGREES) & (v1 == TMR_SLOT_AGREES) &
                    ((n == 2) | (v2 == TMR_SLOT_AGREES));
    uint32_t status = all_agree ? TMR_VOTE_UNANIMOUS : TMR_VOTE_MAJORITY;
    uint32_t flags = win->flags;
    r->status = status;
    r->winner = w;
    r->partner = partner;
    r->flags = flags;
    r->reserved = 0;
    r->verdict[0] = v0;
    r->verdict[1] = v1;
    r->verdict[2] = v2;
    r->motor[0] = m0;
    r->motor[1] = m1;
    r->motor[2] = m2;
    r->motor[3] = m3;
    return status;
}

/* The result pointer must be valid (refused by contract: a proved caller
 * cannot pass NULL).  Null ballots or safe pointers are defined outcomes. */
/*@ requires \valid(r);
    requires ballots == \null || \valid_read(ballots + (0 .. TMR_VOTE_SLOTS - 1));
    requires safe == \null || \valid_read(safe + (0 .. TMR_MOTORS - 1));
    requires SAFE_IN_RANGE: safe != \null ==> \forall integer k; 0 <= k < 4 ==> safe[k] <= 10000;
    requires ballots == \null || \separated(r, ballots + (0 .. TMR_VOTE_SLOTS - 1));
    requires safe == \null || \separated(r, safe + (0 .. TMR_MOTORS - 1));
    assigns *r;
    ensures TMR_STATUS_STORED: \result == r->status;

    behavior null_input:
      assumes ballots == \null || safe == \null;
      ensures REQ_TMR_VOTE_003: TMR_NULL_REFUSED: \result == TMR_VOTE_BAD_INPUT && r->winner == TMR_NO_SLOT;
      ensures REQ_TMR_VOTE_003: TMR_NULL_SAFE: safe != \null ==>
          r->motor[0] == \at(safe[0], Pre) &&
          r->motor[1] == \at(safe[1], Pre) &&
          r->motor[2] == \at(safe[2], Pre) &&
          r->motor[3] == \at(safe[3], Pre);
      ensures REQ_TMR_VOTE_003: TMR_NULL_ZERO: safe == \null ==>
          r->motor[0] == 0 &&
          r->motor[1] == 0 &&
          r->motor[2] == 0 &&
          r->motor[3] == 0;

    behavior bad_input:
      assumes ballots != \null && safe != \null;
      assumes n < 2 || n > 3 || (mode != TMR_VOTE_EXACT && mode != TMR_VOTE_TOLERANCE);
      ensures REQ_TMR_VOTE_003: TMR_BAD_COUNT: \result == TMR_VOTE_BAD_INPUT && r->winner == TMR_NO_SLOT;
      ensures REQ_TMR_VOTE_003: TMR_BAD_SAFE:
          r->motor[0] == \at(safe[0], Pre) &&
          r->motor[1] == \at(safe[1], Pre) &&
          r->motor[2] == \at(safe[2], Pre) &&
          r->motor[3] == \at(safe[3], Pre);

    behavior vote:
      assumes ballots != \null && safe != \null;
      assumes 2 <= n <= 3 && (mode == TMR_VOTE_EXACT || mode == TMR_VOTE_TOLERANCE);
      ensures TMR_DECIDED: \result == TMR_VOTE_UNANIMOUS || \result == TMR_VOTE_MAJORITY ||
                           \result == TMR_VOTE_NO_MAJORITY;
      ensures REQ_TMR_VOTE_001: TMR_COMPLETE:
        \result != TMR_VOTE_NO_MAJORITY <==> \at(AnyPair(ballots, n, expected_seq, mode, tolerance), Pre);
      ensures REQ_TMR_VOTE_001: TMR_MAJORITY:
        \result != TMR_VOTE_NO_MAJORITY ==>
        \let w = r->winner; \let p = r->partner;
        \at(Pair(ballots, n, w, p, expected_seq, mode, tolerance), Pre);
      // Per motor rather than \forall k < 4, for the same reason as the slots.
      ensures REQ_TMR_VOTE_001: TMR_OUTPUT_NEAR_WINNER:
        \result != TMR_VOTE_NO_MAJORITY ==> \let w = r->winner;
          Near(r->motor[0], \at(ballots[w].motor[0], Pre), EffTol(mode, tolerance)) &&
          Near(r->motor[1], \at(ballots[w].motor[1], Pre), EffTol(mode, tolerance)) &&
          Near(r->motor[2], \at(ballots[w].motor[2], Pre), EffTol(mode, tolerance)) &&
          Near(r->motor[3], \at(ballots[w].motor[3], Pre), EffTol(mode, tolerance));
      ensures REQ_TMR_VOTE_001: TMR_EXACT_OUTPUT:
        \result != TMR_VOTE_NO_MAJORITY && mode == TMR_VOTE_EXACT ==> \let w = r->winner;
          r->motor[0] == \at(ballots[w].motor[0], Pre) &&
          r->motor[1] == \at(ballots[w].motor[1], Pre) &&
          r->motor[2] == \at(ballots[w].motor[2], Pre) &&
          r->motor[3] == \at(ballots[w].motor[3], Pre);
      ensures REQ_TMR_VOTE_001: TMR_FLAGS_OF_WINNER:
        \result != TMR_VOTE_NO_MAJORITY ==> \let w = r->winner; r->flags == \at(ballots[w].flags, Pre);
      ensures REQ_TMR_VOTE_003: TMR_NO_MAJORITY_SAFE:
        \result == TMR_VOTE_NO_MAJORITY ==>
          r->winner == TMR_NO_SLOT && r->flags == 0 &&
          r->motor[0] == \at(safe[0], Pre) &&
          r->motor[1] == \at(safe[1], Pre) &&
          r->motor[2] == \at(safe[2], Pre) &&
          r->motor[3] == \at(safe[3], Pre);
      ensures REQ_TMR_VOTE_004: TMR_OUTPUT_IN_RANGE:
          r->motor[0] <= 10000 &&
          r->motor[1] <= 10000 &&
          r->motor[2] <= 10000 &&
          r->motor[3] <= 10000;
      ensures REQ_TMR_VOTE_002: TMR_VERDICT_LATE:
        (r->verdict[0] == TMR_SLOT_LATE <==> !OnTime(\at(ballots[0], Pre), expected_seq)) &&
        (r->verdict[1] == TMR_SLOT_LATE <==> !OnTime(\at(ballots[1], Pre), expected_seq)) &&
        (n == 3 ==> (r->verdict[2] == TMR_SLOT_LATE <==> !OnTime(\at(ballots[2], Pre), expected_seq)));
      ensures REQ_TMR_VOTE_002: TMR_VERDICT_INVALID:
        (r->verdict[0] == TMR_SLOT_INVALID <==> (OnTime(\at(ballots[0], Pre), expected_seq) && !InRange(\at(ballots[0], Pre)))) &&
        (r->verdict[1] == TMR_SLOT_INVALID <==> (OnTime(\at(ballots[1], Pre), expected_seq) && !InRange(\at(ballots[1], Pre)))) &&
        (n == 3 ==> (r->verdict[2] == TMR_SLOT_INVALID <==> (OnTime(\at(ballots[2], Pre), expected_seq) && !InRange(\at(ballots[2], Pre)))));
      ensures REQ_TMR_VOTE_002: TMR_VERDICT_AGREES:
        \result != TMR_VOTE_NO_MAJORITY ==> \let w = r->winner;
          (r->verdict[0] == TMR_SLOT_AGREES <==> (Usable(\at(ballots[0], Pre), expected_seq) && Agree(\at(ballots[w], Pre), \at(ballots[0], Pre), mode, tolerance))) &&
          (r->verdict[1] == TMR_SLOT_AGREES <==> (Usable(\at(ballots[1], Pre), expected_seq) && Agree(\at(ballots[w], Pre), \at(ballots[1], Pre), mode, tolerance))) &&
          (n == 3 ==> (r->verdict[2] == TMR_SLOT_AGREES <==> (Usable(\at(ballots[2], Pre), expected_seq) && Agree(\at(ballots[w], Pre), \at(ballots[2], Pre), mode, tolerance))));
      ensures REQ_TMR_VOTE_002: TMR_VERDICT_NONE_AGREE:
        \result == TMR_VOTE_NO_MAJORITY ==>
          r->verdict[0] != TMR_SLOT_AGREES && r->verdict[1] != TMR_SLOT_AGREES &&
          r->verdict[2] != TMR_SLOT_AGREES;
      ensures REQ_TMR_VOTE_002: TMR_VERDICT_DISAGREES:
        (r->verdict[0] == TMR_SLOT_DISAGREES <==> (Usable(\at(ballots[0], Pre), expected_seq) && r->verdict[0] != TMR_SLOT_AGREES)) &&
        (r->verdict[1] == TMR_SLOT_DISAGREES <==> (Usable(\at(ballots[1], Pre), expected_seq) && r->verdict[1] != TMR_SLOT_AGREES)) &&
        (n == 3 ==> (r->verdict[2] == TMR_SLOT_DISAGREES <==> (Usable(\at(ballots[2], Pre), expected_seq) && r->verdict[2] != TMR_SLOT_AGREES)));
      ensures REQ_TMR_VOTE_002: TMR_VERDICT_UNUSED: n == 2 ==> r->verdict[2] == TMR_SLOT_UNUSED;
      ensures TMR_UNANIMOUS:
        \result == TMR_VOTE_UNANIMOUS <==>
          (\result != TMR_VOTE_NO_MAJORITY && r->verdict[0] == TMR_SLOT_AGREES &&
           r->verdict[1] == TMR_SLOT_AGREES && (n == 3 ==> r->verdict[2] == TMR_SLOT_AGREES));

    complete behaviors;
    disjoint behaviors;
*/
uint32_t tmr_vote(const struct tmr_ballot *ballots, uint32_t n, uint32_t expected_seq,
                  uint32_t mode, uint16_t tolerance, const uint16_t *safe,
                  struct tmr_vote_result *r)
{
    if (ballots == 0 || safe == 0 || n < 2 || n > TMR_VOTE_SLOTS ||
        (mode != TMR_VOTE_EXACT && mode != TMR_VOTE_TOLERANCE))
        return refuse(r, safe);
    uint32_t w = find_winner(ballots, n, expected_seq, mode, tolerance);
    if (w == TMR_NO_SLOT)
        return no_majority(ballots, n, expected_seq, mode, tolerance, safe, r);
    uint32_t partner = partner_of(ballots, n, w, expected_seq, mode, tolerance);
    return majority(ballots, n, expected_seq, mode, tolerance, w, partner, r);
}
