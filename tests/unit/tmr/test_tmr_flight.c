/* The TMR closed loop on the host: replicas 0-2 voted, replica 3 hot standby,
 * the voter and replica set between them and the simulated quadrotor.
 * Faults are injected into replicas mid-flight; the commands that reach the
 * plant are compared with the fault-free flight period by period. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "flight.h"
#include "flightctl.h"

#define PERIODS 8500
#define HOVER_PERIOD 3000           /* 12 s: hovering at 2 m */
/* Word 5 of struct fc_state is att[0] (after magic, last_seq, periods,
 * flags, landed_count); word 22 is climb_int. */
#define WORD_ROLL 5
#define WORD_CLIMB_INT 22

struct record {
    uint16_t motor[PERIODS + 1][TMR_MOTORS];
    uint32_t status[PERIODS + 1];
};
static struct record golden, run;

static void rec(void *ctx, const struct flight_sample *s, const struct tmr_replica_set *rs)
{
    (void)rs;
    struct record *r = ctx;
    memcpy(r->motor[s->period], s->motor, sizeof s->motor);
    r->status[s->period] = s->vote_status;
}

static void config(struct flight_config *c)
{
    flight_default_config(c);
    c->tmr = 1;
}

static void check_flight(const struct flight_metrics *m)
{
    /* The same thresholds as the single-controller flight. */
    assert_true(m->hover_rms < 0.05 && m->hover_max < 0.2);
    assert_true(m->step_overshoot < 0.5 && m->step_final_err < 0.15 && m->step_alt_max < 0.2);
    assert_true(m->max_tilt_deg < 25.0 && m->max_att_err_deg < 20.0);
    assert_true(m->touchdown_speed < 0.5);
    assert_false(m->crashed);
    assert_true(m->landed && m->disarmed);
}

static uint32_t wrong_commands(void)
{
    uint32_t n = 0;
    for (uint32_t p = 1; p <= PERIODS; p++)
        n += memcmp(golden.motor[p], run.motor[p], sizeof golden.motor[p]) != 0;
    return n;
}

static int setup_golden(void **state)
{
    (void)state;
    struct flight_config c;
    config(&c);
    struct flight_metrics m;
    assert_int_equal(flight_run(&c, &m, rec, &golden), 0);
    return 0;
}

static void fault_free_tmr_flight_is_unanimous(void **state)
{
    (void)state;
    for (uint32_t p = 1; p <= PERIODS; p++)
        assert_int_equal(golden.status[p], TMR_VOTE_UNANIMOUS);
    /* ...and flies exactly like the single controller (same commands). */
    struct flight_config c;
    flight_default_config(&c);
    struct flight_metrics m;
    assert_int_equal(flight_run(&c, &m, rec, &run), 0);
    assert_int_equal(wrong_commands(), 0);
    check_flight(&m);
}

static void bit_flip_is_masked_and_replica_rejoins(void **state)
{
    (void)state;
    const uint32_t words[] = { WORD_ROLL, WORD_CLIMB_INT };
    const uint32_t bits[] = { 22, 3 };   /* a large error, and one in the last bits */
    for (int i = 0; i < 2; i++) {
        struct flight_config c;
        config(&c);
        c.nfaults = 1;
        c.fault[0] = (struct flight_fault){ .kind = FAULT_FLIP, .replica = 1,
                                            .period = HOVER_PERIOD, .word = words[i],
                                            .bit = bits[i] };
        struct flight_metrics m;
        assert_int_equal(flight_run(&c, &m, rec, &run), 0);
        assert_int_equal(wrong_commands(), 0);           /* nothing wrong reached the plant */
        assert_int_equal(m.first_fault_period, HOVER_PERIOD);
        assert_true(m.first_failed_period - HOVER_PERIOD <= 1);            /* named within 2 */
        assert_true(m.first_promoted_period - m.first_failed_period <= 1); /* standby in within 1 */
        assert_int_equal(m.failures, 1);
        assert_int_equal(m.promotions, 1);
        assert_int_equal(m.rejoins, 1);
        /* failed, restart_delay periods to restart, then K agreeing periods */
        assert_int_equal(m.first_rejoined_period,
                         m.first_failed_period + c.restart_delay + c.rs.rejoin_periods);
        assert_int_equal(m.no_majority_periods, 0);
        check_flight(&m);
    }
}

static void hung_replica_detected_by_timeliness(void **state)
{
    (void)state;
    struct flight_config c;
    config(&c);
    c.nfaults = 1;
    c.fault[0] = (struct flight_fault){ .kind = FAULT_HANG, .replica = 2, .period = 4000 };
    struct flight_metrics m;
    assert_int_equal(flight_run(&c, &m, rec, &run), 0);
    assert_int_equal(wrong_commands(), 0);
    assert_true(m.first_failed_period - 4000 <= 1);
    assert_true(m.first_promoted_period - m.first_failed_period <= 1);
    assert_int_equal(m.rejoins, 1);
    check_flight(&m);
}

static void garbage_output_is_outvoted(void **state)
{
    (void)state;
    struct flight_config c;
    config(&c);
    c.nfaults = 1;
    c.fault[0] = (struct flight_fault){ .kind = FAULT_GARBAGE, .replica = 0, .period = 5000 };
    struct flight_metrics m;
    assert_int_equal(flight_run(&c, &m, rec, &run), 0);
    assert_int_equal(wrong_commands(), 0);
    assert_int_equal(m.first_failed_period, 5000);
    assert_int_equal(m.rejoins, 1);
    check_flight(&m);
}

static void voted_and_standby_replica_fail_together(void **state)
{
    (void)state;
    /* Replica 1 (voted) and the standby 3 are hit in the same period: both
     * are named, nobody can be promoted, the pair 0+2 flies on until the
     * restarted replicas rejoin. */
    struct flight_config c;
    config(&c);
    c.nfaults = 2;
    c.fault[0] = (struct flight_fault){ .kind = FAULT_FLIP, .replica = 1,
                                        .period = HOVER_PERIOD, .word = WORD_ROLL, .bit = 20 };
    c.fault[1] = (struct flight_fault){ .kind = FAULT_HANG, .replica = 3, .period = HOVER_PERIOD };
    struct flight_metrics m;
    assert_int_equal(flight_run(&c, &m, rec, &run), 0);
    assert_int_equal(wrong_commands(), 0);
    assert_int_equal(m.failures, 2);
    assert_int_equal(m.rejoins, 2);
    assert_int_equal(m.no_majority_periods, 0);
    check_flight(&m);
}

static void two_voted_replicas_wrong_means_safe_command(void **state)
{
    (void)state;
    /* Two of the three voted replicas corrupted differently in the same
     * period: no majority.  Defined outcome: nobody is blamed, the last voted
     * command is held for hold_periods, then the safe command (motors off,
     * flight termination) is applied every period. */
    struct flight_config c;
    config(&c);
    c.nfaults = 2;
    c.fault[0] = (struct flight_fault){ .kind = FAULT_FLIP, .replica = 0,
                                        .period = HOVER_PERIOD, .word = WORD_ROLL, .bit = 20 };
    c.fault[1] = (struct flight_fault){ .kind = FAULT_FLIP, .replica = 1,
                                        .period = HOVER_PERIOD, .word = WORD_ROLL, .bit = 21 };
    struct flight_metrics m;
    assert_int_equal(flight_run(&c, &m, rec, &run), 0);
    assert_int_equal(m.failures, 0);
    assert_int_equal(m.no_majority_periods, PERIODS - HOVER_PERIOD + 1);
    for (uint32_t p = 1; p < HOVER_PERIOD; p++)
        assert_memory_equal(run.motor[p], golden.motor[p], sizeof run.motor[p]);
    for (uint32_t p = HOVER_PERIOD; p < HOVER_PERIOD + c.rs.hold_periods; p++) {
        assert_int_equal(run.status[p], TMR_VOTE_NO_MAJORITY);
        assert_memory_equal(run.motor[p], golden.motor[HOVER_PERIOD - 1], sizeof run.motor[p]);
    }
    for (uint32_t p = HOVER_PERIOD + c.rs.hold_periods; p <= PERIODS; p++)
        assert_memory_equal(run.motor[p], c.rs.safe_motor, sizeof run.motor[p]);
}

/* REQ: TMR-SYS-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fault_free_tmr_flight_is_unanimous),
        cmocka_unit_test(bit_flip_is_masked_and_replica_rejoins),
        cmocka_unit_test(hung_replica_detected_by_timeliness),
        cmocka_unit_test(garbage_output_is_outvoted),
        cmocka_unit_test(voted_and_standby_replica_fail_together),
        cmocka_unit_test(two_voted_replicas_wrong_means_safe_command),
    };
    return cmocka_run_group_tests(tests, setup_golden, NULL);
}
