/* Replica-set management: failure declaration, standby promotion in the same
 * period, reintegration after K agreeing periods, holding and the safe
 * command without majority, and refused configurations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "replica_set.h"

static struct replica_output out[TMR_MAX_REPLICAS];
static const struct replica_output *ptr[TMR_MAX_REPLICAS];

/* Every replica publishes the same healthy output for period seq. */
static void healthy(uint32_t seq)
{
    for (uint32_t id = 0; id < TMR_MAX_REPLICAS; id++) {
        memset(&out[id], 0, sizeof out[id]);
        out[id].seq = seq;
        out[id].replica_id = id;
        out[id].motor[0] = (uint16_t)(4000 + seq % 100);
        out[id].motor[1] = out[id].motor[2] = out[id].motor[3] = 4500;
        out[id].digest = 0xABCD0000u + seq;
        out[id].flags = REPLICA_FLAG_ARMED;
        ptr[id] = &out[id];
    }
}

static struct tmr_replica_set rs;

static void setup_default(uint32_t persistence)
{
    struct tmr_rs_config c;
    tmr_rs_default_config(&c);
    c.persistence = persistence;
    c.rejoin_periods = 3;
    c.hold_periods = 2;
    c.safe_motor[0] = c.safe_motor[1] = c.safe_motor[2] = c.safe_motor[3] = 1000;
    assert_int_equal(tmr_rs_init(&rs, &c), 0);
}

static int has_event(uint32_t kind, uint32_t replica)
{
    for (uint32_t i = 0; tmr_rs_event(&rs, i); i++) {
        const struct tmr_event *e = tmr_rs_event(&rs, i);
        if (e->kind == kind && e->replica == replica)
            return 1;
    }
    return 0;
}

/* REQ: TMR-RS-001 */
static void initial_roles_and_unanimous_period(void **state)
{
    (void)state;
    setup_default(1);
    assert_int_equal(rs.nslots, 3);
    assert_int_equal(rs.rep[3].role, TMR_ROLE_STANDBY);
    healthy(1);
    struct actuator_cmd cmd;
    assert_int_equal(tmr_rs_period(&rs, ptr, 1, &cmd, NULL), TMR_VOTE_UNANIMOUS);
    assert_int_equal(cmd.seq, 1);
    assert_int_equal(cmd.motor[0], 4001);
    assert_int_equal(rs.ev_total, 0);
    assert_int_equal(tmr_rs_transfer_source(&rs), 0);
}

/* REQ: TMR-RS-001 */
static void wrong_replica_fails_and_standby_is_promoted(void **state)
{
    (void)state;
    setup_default(1);
    healthy(1);
    out[1].digest ^= 1;                         /* corrupted state shows in the digest */
    struct actuator_cmd cmd;
    struct tmr_vote_result v;
    assert_int_equal(tmr_rs_period(&rs, ptr, 1, &cmd, &v), TMR_VOTE_MAJORITY);
    assert_int_equal(v.verdict[1], TMR_SLOT_DISAGREES);
    assert_int_equal(cmd.motor[0], 4001);       /* the wrong replica changed nothing */
    assert_int_equal(rs.rep[1].role, TMR_ROLE_FAILED);
    assert_int_equal(rs.rep[3].role, TMR_ROLE_ACTIVE);
    assert_int_equal(rs.nslots, 3);
    assert_true(has_event(TMR_EV_DISAGREE, 1));
    assert_true(has_event(TMR_EV_FAILED, 1));
    assert_true(has_event(TMR_EV_PROMOTED, 3));
    /* The failed replica's outputs are ignored from now on. */
    healthy(2);
    out[1].motor[0] = 1;
    assert_int_equal(tmr_rs_period(&rs, ptr, 2, &cmd, NULL), TMR_VOTE_UNANIMOUS);
    assert_int_equal(rs.promotions, 1);
    assert_int_equal(rs.failures, 1);
}

/* REQ: TMR-RS-001 */
static void late_and_silent_replicas_fail(void **state)
{
    (void)state;
    setup_default(1);
    healthy(5);
    out[0].seq = 4;                             /* stale */
    struct actuator_cmd cmd;
    assert_int_equal(tmr_rs_period(&rs, ptr, 5, &cmd, NULL), TMR_VOTE_MAJORITY);
    assert_int_equal(rs.rep[0].role, TMR_ROLE_FAILED);
    assert_true(has_event(TMR_EV_LATE, 0));
    assert_int_equal(rs.rep[3].role, TMR_ROLE_ACTIVE);
    healthy(6);
    ptr[2] = NULL;                              /* never published */
    assert_int_equal(tmr_rs_period(&rs, ptr, 6, &cmd, NULL), TMR_VOTE_MAJORITY);
    assert_int_equal(rs.rep[2].role, TMR_ROLE_FAILED);
    assert_int_equal(rs.nslots, 2);             /* no standby left: degraded pair */
    assert_true(has_event(TMR_EV_DEGRADED, TMR_NO_REPLICA));
    healthy(7);
    assert_int_equal(tmr_rs_period(&rs, ptr, 7, &cmd, NULL), TMR_VOTE_UNANIMOUS);
}

/* REQ: TMR-RS-001 */
static void persistence_filters_transients(void **state)
{
    (void)state;
    setup_default(3);
    struct actuator_cmd cmd;
    for (uint32_t seq = 1; seq <= 2; seq++) {
        healthy(seq);
        out[2].motor[1] = 4400;
        tmr_rs_period(&rs, ptr, seq, &cmd, NULL);
        assert_int_equal(rs.rep[2].role, TMR_ROLE_ACTIVE);
    }
    healthy(3);                                 /* recovers: the count restarts */
    tmr_rs_period(&rs, ptr, 3, &cmd, NULL);
    assert_int_equal(rs.rep[2].bad_periods, 0);
    for (uint32_t seq = 4; seq <= 6; seq++) {
        healthy(seq);
        out[2].motor[1] = 4400;
        tmr_rs_period(&rs, ptr, seq, &cmd, NULL);
    }
    assert_int_equal(rs.rep[2].role, TMR_ROLE_FAILED);
}

/* REQ: TMR-RS-002 */
static void reintegration_after_k_agreeing_periods(void **state)
{
    (void)state;
    setup_default(1);
    struct actuator_cmd cmd;
    healthy(1);
    out[0].motor[2] = 1;
    tmr_rs_period(&rs, ptr, 1, &cmd, NULL);
    assert_int_equal(rs.rep[0].role, TMR_ROLE_FAILED);
    /* A healthy replica cannot be reset, a failed one can. */
    assert_int_equal(tmr_rs_rejoin(&rs, 1, 1), -1);
    assert_int_equal(tmr_rs_rejoin(&rs, 7, 1), -1);
    assert_int_equal(tmr_rs_transfer_source(&rs), 1);
    assert_int_equal(tmr_rs_rejoin(&rs, 0, 1), 0);
    assert_int_equal(rs.rep[0].role, TMR_ROLE_REJOINING);
    for (uint32_t seq = 2; seq <= 4; seq++) {
        assert_int_equal(rs.rep[0].role, TMR_ROLE_REJOINING);
        healthy(seq);
        assert_int_equal(tmr_rs_period(&rs, ptr, seq, &cmd, NULL), TMR_VOTE_UNANIMOUS);
    }
    assert_int_equal(rs.rep[0].role, TMR_ROLE_STANDBY);   /* the new hot standby */
    assert_int_equal(rs.rejoins, 1);
    assert_true(has_event(TMR_EV_REJOINED, 0));
}

/* REQ: TMR-RS-002 */
static void rejoin_attempt_that_disagrees_fails_again(void **state)
{
    (void)state;
    setup_default(1);
    struct actuator_cmd cmd;
    healthy(1);
    ptr[1] = NULL;
    tmr_rs_period(&rs, ptr, 1, &cmd, NULL);
    assert_int_equal(tmr_rs_rejoin(&rs, 1, 1), 0);
    healthy(2);
    out[1].digest = 0;                          /* loaded a bad state */
    tmr_rs_period(&rs, ptr, 2, &cmd, NULL);
    assert_int_equal(rs.rep[1].role, TMR_ROLE_FAILED);
    assert_int_equal(rs.rep[1].failures, 2);
}

/* REQ: TMR-RS-002 */
static void rejoining_fills_an_empty_slot(void **state)
{
    (void)state;
    struct tmr_rs_config c;
    tmr_rs_default_config(&c);
    c.replicas = 3;                             /* no standby */
    c.rejoin_periods = 2;
    assert_int_equal(tmr_rs_init(&rs, &c), 0);
    struct actuator_cmd cmd;
    healthy(1);
    out[2].motor[3] = 9;
    tmr_rs_period(&rs, ptr, 1, &cmd, NULL);
    assert_int_equal(rs.nslots, 2);
    assert_int_equal(tmr_rs_rejoin(&rs, 2, 1), 0);
    for (uint32_t seq = 2; seq <= 3; seq++) {
        healthy(seq);
        tmr_rs_period(&rs, ptr, seq, &cmd, NULL);
    }
    assert_int_equal(rs.rep[2].role, TMR_ROLE_ACTIVE);
    assert_int_equal(rs.nslots, 3);
}

/* REQ: TMR-RS-003 */
static void no_majority_holds_then_commands_safe(void **state)
{
    (void)state;
    setup_default(1);
    struct actuator_cmd cmd;
    healthy(1);
    tmr_rs_period(&rs, ptr, 1, &cmd, NULL);
    uint16_t good = cmd.motor[0];
    for (uint32_t seq = 2; seq <= 5; seq++) {
        healthy(seq);
        out[0].motor[1] = 1;                    /* all three active replicas differ */
        out[1].motor[1] = 2;
        out[2].motor[1] = 3;
        assert_int_equal(tmr_rs_period(&rs, ptr, seq, &cmd, NULL), TMR_VOTE_NO_MAJORITY);
        assert_int_equal(cmd.vote_status, TMR_VOTE_NO_MAJORITY);
        if (seq <= 3)
            assert_int_equal(cmd.motor[0], good);     /* hold_periods = 2 */
        else
            assert_int_equal(cmd.motor[0], 1000);     /* the configured safe command */
    }
    /* Nobody can be blamed without a majority. */
    for (uint32_t id = 0; id < 3; id++)
        assert_int_equal(rs.rep[id].role, TMR_ROLE_ACTIVE);
    assert_true(has_event(TMR_EV_NO_MAJORITY, TMR_NO_REPLICA));
    assert_true(has_event(TMR_EV_SAFE_COMMAND, TMR_NO_REPLICA));
    assert_int_equal(rs.no_majority_periods, 4);
    assert_int_equal(tmr_rs_transfer_source(&rs), TMR_NO_REPLICA);
    healthy(6);
    assert_int_equal(tmr_rs_period(&rs, ptr, 6, &cmd, NULL), TMR_VOTE_UNANIMOUS);
    assert_true(has_event(TMR_EV_RECOVERED, 0));
}

/* REQ: TMR-RS-003 */
static void bad_configurations_and_arguments(void **state)
{
    (void)state;
    struct tmr_rs_config c;
    tmr_rs_default_config(&c);
    struct tmr_rs_config bad[6];
    for (int i = 0; i < 6; i++)
        bad[i] = c;
    bad[0].replicas = 2;
    bad[1].replicas = 5;
    bad[2].persistence = 0;
    bad[3].rejoin_periods = 0;
    bad[4].mode = 7;
    bad[5].safe_motor[2] = TMR_MOTOR_MAX + 1;
    for (int i = 0; i < 6; i++)
        assert_int_equal(tmr_rs_init(&rs, &bad[i]), -1);
    assert_int_equal(tmr_rs_init(NULL, &c), -1);
    assert_int_equal(tmr_rs_init(&rs, NULL), -1);
    assert_int_equal(tmr_rs_init(&rs, &c), 0);
    struct actuator_cmd cmd;
    healthy(1);
    assert_int_equal(tmr_rs_period(NULL, ptr, 1, &cmd, NULL), TMR_VOTE_BAD_INPUT);
    assert_int_equal(tmr_rs_period(&rs, NULL, 1, &cmd, NULL), TMR_VOTE_BAD_INPUT);
    assert_int_equal(tmr_rs_period(&rs, ptr, 1, NULL, NULL), TMR_VOTE_BAD_INPUT);
    assert_null(tmr_rs_event(&rs, 0));
    assert_string_equal(tmr_event_name(TMR_EV_PROMOTED), "promoted");
    assert_string_equal(tmr_event_name(999), "?");
    assert_string_equal(tmr_role_name(TMR_ROLE_STANDBY), "standby");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(initial_roles_and_unanimous_period),
        cmocka_unit_test(wrong_replica_fails_and_standby_is_promoted),
        cmocka_unit_test(late_and_silent_replicas_fail),
        cmocka_unit_test(persistence_filters_transients),
        cmocka_unit_test(reintegration_after_k_agreeing_periods),
        cmocka_unit_test(rejoin_attempt_that_disagrees_fails_again),
        cmocka_unit_test(rejoining_fills_an_empty_slot),
        cmocka_unit_test(no_majority_holds_then_commands_safe),
        cmocka_unit_test(bad_configurations_and_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
