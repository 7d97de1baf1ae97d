/* The voter: exact and tolerance modes, identification of the outvoted,
 * late and invalid replica, no majority, and refused inputs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "voter.h"

static const uint16_t safe[TMR_MOTORS] = { 11, 22, 33, 44 };

static struct tmr_ballot ballot(uint32_t seq, uint16_t m0, uint64_t digest)
{
    return (struct tmr_ballot){ .published = 1, .seq = seq, .flags = REPLICA_FLAG_ARMED,
                                .motor = { m0, 5000, 5001, 5002 }, .digest = digest };
}

/* REQ: TMR-VOTE-001 */
static void unanimous(void **state)
{
    (void)state;
    struct tmr_ballot b[3] = { ballot(7, 4000, 99), ballot(7, 4000, 99), ballot(7, 4000, 99) };
    struct tmr_vote_result r;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_UNANIMOUS);
    assert_int_equal(r.status, TMR_VOTE_UNANIMOUS);
    assert_int_equal(r.winner, 0);
    assert_int_equal(r.motor[0], 4000);
    assert_int_equal(r.motor[3], 5002);
    assert_int_equal(r.flags, REPLICA_FLAG_ARMED);
    for (int i = 0; i < 3; i++)
        assert_int_equal(r.verdict[i], TMR_SLOT_AGREES);
}

/* REQ: TMR-VOTE-001, TMR-VOTE-002 */
static void one_wrong_replica_is_identified(void **state)
{
    (void)state;
    for (int bad = 0; bad < 3; bad++) {
        struct tmr_ballot b[3] = { ballot(7, 4000, 99), ballot(7, 4000, 99), ballot(7, 4000, 99) };
        b[bad].motor[0] = 4001;                       /* one unit off: exact mode catches it */
        struct tmr_vote_result r;
        assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_MAJORITY);
        assert_int_equal(r.motor[0], 4000);
        assert_int_not_equal(r.winner, bad);
        for (int i = 0; i < 3; i++)
            assert_int_equal(r.verdict[i], i == bad ? TMR_SLOT_DISAGREES : TMR_SLOT_AGREES);
    }
}

/* REQ: TMR-VOTE-002 */
static void wrong_digest_alone_is_a_disagreement(void **state)
{
    (void)state;
    /* Same commands, corrupted state: the digest shows it in exact mode... */
    struct tmr_ballot b[3] = { ballot(7, 4000, 99), ballot(7, 4000, 98), ballot(7, 4000, 99) };
    struct tmr_vote_result r;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_MAJORITY);
    assert_int_equal(r.verdict[1], TMR_SLOT_DISAGREES);
    /* ...and is ignored in tolerance mode, which votes commands only. */
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_TOLERANCE, 0, safe, &r), TMR_VOTE_UNANIMOUS);
}

/* REQ: TMR-VOTE-002 */
static void late_and_missing_replicas(void **state)
{
    (void)state;
    struct tmr_ballot b[3] = { ballot(7, 4000, 99), ballot(6, 4000, 99), ballot(7, 4000, 99) };
    struct tmr_vote_result r;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_MAJORITY);
    assert_int_equal(r.verdict[1], TMR_SLOT_LATE);     /* stale sequence number */
    assert_int_equal(r.motor[0], 4000);
    b[1] = ballot(7, 4000, 99);
    b[2].published = 0;                                /* did not publish at all */
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_MAJORITY);
    assert_int_equal(r.verdict[2], TMR_SLOT_LATE);
    assert_int_equal(r.verdict[0], TMR_SLOT_AGREES);
    /* A replica from the future is as wrong as one from the past. */
    b[2] = ballot(8, 4000, 99);
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_MAJORITY);
    assert_int_equal(r.verdict[2], TMR_SLOT_LATE);
}

/* REQ: TMR-VOTE-002, TMR-VOTE-004 */
static void garbage_commands_are_invalid(void **state)
{
    (void)state;
    struct tmr_ballot b[3] = { ballot(7, 4000, 99), ballot(7, 4000, 99), ballot(7, 4000, 99) };
    b[0].motor[2] = TMR_MOTOR_MAX + 1;
    struct tmr_vote_result r;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_MAJORITY);
    assert_int_equal(r.verdict[0], TMR_SLOT_INVALID);
    assert_int_equal(r.winner, 1);
    /* Two identical garbage outputs still never win. */
    b[1].motor[2] = TMR_MOTOR_MAX + 1;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_NO_MAJORITY);
    assert_memory_equal(r.motor, safe, sizeof safe);
}

/* REQ: TMR-VOTE-003 */
static void two_disagreeing_means_no_majority(void **state)
{
    (void)state;
    struct tmr_ballot b[3] = { ballot(7, 4000, 1), ballot(7, 4100, 2), ballot(7, 4200, 3) };
    struct tmr_vote_result r;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_NO_MAJORITY);
    assert_int_equal(r.winner, TMR_NO_SLOT);
    assert_int_equal(r.flags, 0);
    assert_memory_equal(r.motor, safe, sizeof safe);
    for (int i = 0; i < 3; i++)
        assert_int_equal(r.verdict[i], TMR_SLOT_DISAGREES);
    /* One late and the other two disagreeing: also no majority. */
    b[0].seq = 3;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_NO_MAJORITY);
    assert_int_equal(r.verdict[0], TMR_SLOT_LATE);
}

/* REQ: TMR-VOTE-001 */
static void degraded_pair(void **state)
{
    (void)state;
    struct tmr_ballot b[3] = { ballot(7, 4000, 99), ballot(7, 4000, 99), ballot(1, 1, 1) };
    struct tmr_vote_result r;
    assert_int_equal(tmr_vote(b, 2, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_UNANIMOUS);
    assert_int_equal(r.verdict[2], TMR_SLOT_UNUSED);
    b[1].motor[1] = 1;
    assert_int_equal(tmr_vote(b, 2, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_NO_MAJORITY);
}

/* REQ: TMR-VOTE-001 */
static void tolerance_mid_value(void **state)
{
    (void)state;
    struct tmr_ballot b[3] = { ballot(7, 4000, 1), ballot(7, 4003, 2), ballot(7, 4005, 3) };
    struct tmr_vote_result r;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_TOLERANCE, 5, safe, &r), TMR_VOTE_UNANIMOUS);
    assert_int_equal(r.winner, 0);
    assert_int_equal(r.motor[0], 4003);               /* per-motor mid value */
    /* Not transitive: 0~1 and 1~2 but 0!~2 with tol 3: the middle one wins,
     * and as everybody agrees with the winner the vote is unanimous. */
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_TOLERANCE, 3, safe, &r), TMR_VOTE_UNANIMOUS);
    assert_int_equal(r.winner, 1);
    assert_int_equal(r.motor[0], 4003);
    /* An outlier is outvoted and the mid value stays between the good two. */
    b[2].motor[0] = 9000;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_TOLERANCE, 5, safe, &r), TMR_VOTE_MAJORITY);
    assert_int_equal(r.verdict[2], TMR_SLOT_DISAGREES);
    assert_true(r.motor[0] >= 4000 && r.motor[0] <= 4003);
    /* Differing armed flags never agree, whatever the tolerance. */
    b[2] = b[1];
    b[2].flags = 0;
    b[1].flags = 0;
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_TOLERANCE, 5, safe, &r), TMR_VOTE_MAJORITY);
    assert_int_equal(r.verdict[0], TMR_SLOT_DISAGREES);
    assert_int_equal(r.flags, 0);
}

/* REQ: TMR-VOTE-003 */
static void bad_inputs_are_refused(void **state)
{
    (void)state;
    struct tmr_ballot b[3] = { ballot(7, 4000, 99), ballot(7, 4000, 99), ballot(7, 4000, 99) };
    struct tmr_vote_result r;
    uint32_t counts[] = { 0, 1, 4, 0xFFFFFFFFu };
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(tmr_vote(b, counts[i], 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_BAD_INPUT);
        assert_int_equal(r.winner, TMR_NO_SLOT);
        assert_memory_equal(r.motor, safe, sizeof safe);
    }
    assert_int_equal(tmr_vote(b, 3, 7, 2, 0, safe, &r), TMR_VOTE_BAD_INPUT);       /* mode */
    assert_int_equal(tmr_vote(NULL, 3, 7, TMR_VOTE_EXACT, 0, safe, &r), TMR_VOTE_BAD_INPUT);
    assert_int_equal(tmr_vote(b, 3, 7, TMR_VOTE_EXACT, 0, NULL, &r), TMR_VOTE_BAD_INPUT);
    const uint16_t zero[TMR_MOTORS] = { 0, 0, 0, 0 };
    assert_memory_equal(r.motor, zero, sizeof zero);   /* no safe command given: zero thrust */
    /* A null result pointer is refused by the contract (\valid(r)), not at
     * run time: there would be nowhere to report to. */
}

/* REQ: TMR-VOTE-001 */
static void ballot_from_output(void **state)
{
    (void)state;
    struct replica_output o = { .seq = 9, .replica_id = 2, .motor = { 1, 2, 3, 4 },
                                .digest = 0x1234, .flags = 1 };
    struct tmr_ballot b;
    tmr_ballot_from_output(&o, &b);
    assert_int_equal(b.published, 1);
    assert_int_equal(b.seq, 9);
    assert_int_equal(b.motor[3], 4);
    assert_int_equal(b.digest, 0x1234);
    tmr_ballot_from_output(NULL, &b);
    assert_int_equal(b.published, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unanimous),
        cmocka_unit_test(one_wrong_replica_is_identified),
        cmocka_unit_test(wrong_digest_alone_is_a_disagreement),
        cmocka_unit_test(late_and_missing_replicas),
        cmocka_unit_test(garbage_commands_are_invalid),
        cmocka_unit_test(two_disagreeing_means_no_majority),
        cmocka_unit_test(degraded_pair),
        cmocka_unit_test(tolerance_mid_value),
        cmocka_unit_test(bad_inputs_are_refused),
        cmocka_unit_test(ballot_from_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
