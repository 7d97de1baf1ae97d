/* The plant's flight outcome (tools/sim/outcome.c): a normal landing and the
 * safe command of system safe mode told apart although both are motors off;
 * the safe command in flight (a termination) and on the ground; a crash;
 * bad input (a safe-marked command with a motor on, null pointers, period 0).
 * REQ: REC-SAFE-001 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "outcome.h"

static const uint16_t OFF[4] = { 0, 0, 0, 0 };
static const uint16_t HOVER[4] = { 520, 520, 520, 520 };

/* Take-off at period 1, flight to period 99, touchdown at 100 with the
   controller still spinning the motors, disarmed (off) from 105. */
static void fly_and_land(struct sim_outcome *o)
{
    assert_int_equal(sim_outcome_step(o, 1, 1, 0, 0, OFF), SIM_OUTCOME_NONE);   /* before take-off */
    for (uint32_t k = 2; k < 100; k++)
        assert_int_equal(sim_outcome_step(o, k, 0, 0, 0, HOVER), SIM_OUTCOME_NONE);
    for (uint32_t k = 100; k < 105; k++)
        assert_int_equal(sim_outcome_step(o, k, 1, 0, 0, HOVER), SIM_OUTCOME_NONE);
    assert_int_equal(sim_outcome_step(o, 105, 1, 0, 0, OFF), SIM_OUTCOME_LANDED);
    assert_int_equal(sim_outcome_step(o, 106, 1, 0, 0, OFF), SIM_OUTCOME_NONE);  /* once */
}

static void motors_off_before_takeoff_is_no_landing(void **state)
{
    (void)state;
    struct sim_outcome o;
    sim_outcome_init(&o);
    for (uint32_t k = 1; k < 50; k++)
        assert_int_equal(sim_outcome_step(&o, k, 1, 0, 0, OFF), SIM_OUTCOME_NONE);
    assert_int_equal(o.kind, SIM_OUTCOME_NONE);
    assert_int_equal(o.landed_period, 0);
}

static void landing_then_safe_command_on_the_ground(void **state)
{
    (void)state;
    struct sim_outcome o;
    sim_outcome_init(&o);
    fly_and_land(&o);
    assert_int_equal(o.landed_period, 105);
    /* The same motor values, now marked safe by the voter: a new outcome. */
    assert_int_equal(sim_outcome_step(&o, 400, 1, 0, 1, OFF), SIM_OUTCOME_SAFE_COMMAND);
    assert_int_equal(sim_outcome_step(&o, 401, 1, 0, 1, OFF), SIM_OUTCOME_NONE);
    assert_int_equal(o.kind, SIM_OUTCOME_SAFE_COMMAND);
    assert_int_equal(o.safe_period, 400);
    assert_false(o.safe_in_flight);
    assert_int_equal(o.safe_commands, 2);
    assert_int_equal(o.landed_period, 105);          /* the landing is kept */
    assert_string_equal(sim_outcome_name(o.kind), "safe-command");
}

static void safe_command_in_flight_is_a_termination_not_a_landing(void **state)
{
    (void)state;
    struct sim_outcome o;
    sim_outcome_init(&o);
    for (uint32_t k = 1; k < 60; k++)
        sim_outcome_step(&o, k, 0, 0, 0, HOVER);
    assert_int_equal(sim_outcome_step(&o, 60, 0, 0, 1, OFF), SIM_OUTCOME_SAFE_COMMAND);
    assert_true(o.safe_in_flight);
    /* It falls and comes to rest with motors off: not a landing. */
    for (uint32_t k = 61; k < 200; k++)
        assert_int_equal(sim_outcome_step(&o, k, k > 150, 0, 1, OFF), SIM_OUTCOME_NONE);
    assert_int_equal(o.landed_period, 0);
    assert_int_equal(o.kind, SIM_OUTCOME_SAFE_COMMAND);
    /* ... or hits the ground too hard: the crash is reported after it. */
    assert_int_equal(sim_outcome_step(&o, 200, 1, 1, 1, OFF), SIM_OUTCOME_CRASHED);
    assert_int_equal(o.crashed_period, 200);
    assert_int_equal(sim_outcome_step(&o, 201, 1, 1, 1, OFF), SIM_OUTCOME_NONE);
    assert_string_equal(sim_outcome_name(o.kind), "crashed");
}

static void safe_marked_command_with_a_motor_on_is_not_the_safe_action(void **state)
{
    (void)state;
    struct sim_outcome o;
    sim_outcome_init(&o);
    fly_and_land(&o);
    const uint16_t one_on[4] = { 0, 0, 1, 0 };
    assert_int_equal(sim_outcome_step(&o, 300, 1, 0, 1, one_on), SIM_OUTCOME_NONE);
    assert_int_equal(o.safe_not_off, 1);
    assert_int_equal(o.safe_period, 0);
    assert_int_equal(o.kind, SIM_OUTCOME_LANDED);    /* nothing changed */
}

static void bad_input_changes_nothing(void **state)
{
    (void)state;
    struct sim_outcome o;
    sim_outcome_init(&o);
    assert_int_equal(sim_outcome_step(NULL, 1, 0, 0, 0, OFF), SIM_OUTCOME_NONE);
    assert_int_equal(sim_outcome_step(&o, 1, 0, 0, 1, NULL), SIM_OUTCOME_NONE);
    assert_int_equal(sim_outcome_step(&o, 0, 0, 0, 1, OFF), SIM_OUTCOME_NONE);
    assert_false(o.airborne_seen);
    assert_int_equal(o.safe_commands, 0);
    assert_string_equal(sim_outcome_name(7), "unknown");
    assert_string_equal(sim_outcome_name(SIM_OUTCOME_LANDED), "landed");
    assert_string_equal(sim_outcome_name(SIM_OUTCOME_NONE), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(motors_off_before_takeoff_is_no_landing),
        cmocka_unit_test(landing_then_safe_command_on_the_ground),
        cmocka_unit_test(safe_command_in_flight_is_a_termination_not_a_landing),
        cmocka_unit_test(safe_marked_command_with_a_motor_on_is_not_the_safe_action),
        cmocka_unit_test(bad_input_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
