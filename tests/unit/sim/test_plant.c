/* The simulator's pieces: PRNG repeatability and statistics, the plant's
 * physics (free fall, hover thrust, ground contact, torque directions) and
 * the sensor models. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>
#include "prng.h"
#include "quad_model.h"
#include "sensors.h"
#include "mission.h"

static void prng_repeats_and_is_roughly_gaussian(void **state)
{
    (void)state;
    struct sim_rng a, b, c;
    sim_rng_seed(&a, 42);
    sim_rng_seed(&b, 42);
    sim_rng_seed(&c, 43);
    int differs = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = sim_rng_next(&a);
        assert_true(x == sim_rng_next(&b));
        differs |= x != sim_rng_next(&c);
    }
    assert_true(differs);
    struct sim_rng z;
    sim_rng_seed(&z, 0);                     /* the forbidden all-zero state is avoided */
    assert_true(sim_rng_next(&z) != 0);
    double sum = 0, sq = 0;
    const int n = 20000;
    for (int i = 0; i < n; i++) {
        double g = sim_rng_gauss(&a);
        assert_true(g >= -6.0 && g <= 6.0);
        sum += g;
        sq += g * g;
    }
    assert_true(fabs(sum / n) < 0.05);
    assert_true(fabs(sq / n - 1.0) < 0.05);
}

static void motors_off_on_the_ground_stay_put(void **state)
{
    (void)state;
    struct quad_params p;
    struct quad_state s;
    quad_params_default(&p);
    quad_init(&s);
    const uint16_t off[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < 250; i++)
        quad_step(&p, &s, off, 0.004, 4);
    assert_true(s.on_ground);
    assert_true(s.pos[2] == 0.0);
    assert_true(fabs(s.spec_force[2] - QUAD_GRAVITY) < 1e-9);   /* the ground holds it up */
    assert_false(s.crashed);
}

static void hover_thrust_balances_gravity(void **state)
{
    (void)state;
    struct quad_params p;
    struct quad_state s;
    quad_params_default(&p);
    quad_init(&s);
    s.pos[2] = 5.0;
    s.on_ground = 0;
    double per_motor = p.mass * QUAD_GRAVITY / 4.0;
    uint16_t u = (uint16_t)(per_motor / p.thrust_max * 10000.0 + 0.5);
    uint16_t cmd[4] = { u, u, u, u };
    for (int i = 0; i < 4; i++)
        s.thrust[i] = u / 10000.0 * p.thrust_max;
    for (int i = 0; i < 250; i++)
        quad_step(&p, &s, cmd, 0.004, 4);
    assert_true(fabs(s.pos[2] - 5.0) < 0.05);        /* quantisation of the command only */
    assert_true(fabs(s.rate[0]) < 1e-9 && fabs(s.rate[1]) < 1e-9);
    /* Accelerometer truth in hover reads one g up. */
    assert_true(fabs(s.spec_force[2] - QUAD_GRAVITY) < 0.1);
}

static void free_fall_then_crash(void **state)
{
    (void)state;
    struct quad_params p;
    struct quad_state s;
    quad_params_default(&p);
    quad_init(&s);
    s.pos[2] = 3.0;
    s.on_ground = 0;
    const uint16_t off[4] = { 0, 0, 0, 0 };
    quad_step(&p, &s, off, 0.1, 100);
    /* About g t^2 / 2 (drag is small at these speeds), weightless meanwhile. */
    assert_true(fabs(s.pos[2] - (3.0 - 0.5 * QUAD_GRAVITY * 0.01)) < 0.005);
    assert_true(fabs(s.spec_force[2]) < 0.1);
    for (int i = 0; i < 200; i++)
        quad_step(&p, &s, off, 0.004, 4);
    assert_true(s.on_ground);
    assert_true(s.crashed);
    assert_true(s.max_touchdown_speed > 7.0);
}

static void differential_thrust_turns_the_right_way(void **state)
{
    (void)state;
    struct quad_params p;
    quad_params_default(&p);
    struct {
        uint16_t cmd[4];
        int axis;
        double sign;
    } cases[] = {
        { { 4000, 5000, 5000, 4000 }, 0, +1 },  /* left motors (1, 2) stronger: roll right-up = +x */
        { { 4000, 5000, 4000, 5000 }, 1, +1 },  /* rear motors (1, 3) stronger: nose down = +pitch */
        { { 5000, 5000, 4000, 4000 }, 2, +1 },  /* motors 0,1 react positively about z */
    };
    for (unsigned c = 0; c < 3; c++) {
        struct quad_state s;
        quad_init(&s);
        s.pos[2] = 10.0;
        s.on_ground = 0;
        quad_step(&p, &s, cases[c].cmd, 0.1, 50);
        assert_true(cases[c].sign * s.rate[cases[c].axis] > 0.01);
        for (int other = 0; other < 3; other++)   /* and only about that axis */
            if (other != cases[c].axis)
                assert_true(fabs(s.rate[other]) < 1e-6);
    }
}

static void sensors_are_truth_plus_seeded_noise(void **state)
{
    (void)state;
    struct sensor_params sp;
    sensor_params_default(&sp);
    struct quad_state s;
    quad_init(&s);
    s.pos[0] = 1.0;
    s.pos[2] = 2.0;
    struct sim_rng r1, r2;
    sim_rng_seed(&r1, 7);
    sim_rng_seed(&r2, 7);
    struct sensor_frame a = { 0 }, b = { 0 };
    sensors_sample(&sp, &r1, &s, 5, &a);
    sensors_sample(&sp, &r2, &s, 5, &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(fabs(a.baro_alt - 2.0) < 6 * sp.baro_noise);
    assert_true(fabs(a.accel[2] - QUAD_GRAVITY) < 6 * sp.accel_noise);
    assert_true(a.sensor_flags & SENSOR_POS_VALID);
    assert_true(fabs(a.pos[0] - 1.0) < 6 * sp.pos_noise);
    sensors_sample(&sp, &r1, &s, 6, &a);         /* fixes only every pos_every periods */
    assert_false(a.sensor_flags & SENSOR_POS_VALID);
}

static void mission_script(void **state)
{
    (void)state;
    struct mission m;
    mission_default(&m, 250);
    struct sensor_frame f = { 0 };
    mission_setpoint(&m, 100, &f);
    assert_int_equal(f.phase, PHASE_DISARMED);
    mission_setpoint(&m, 750, &f);               /* 3 s: climbing, 1 m */
    assert_int_equal(f.phase, PHASE_FLY);
    assert_true(fabs(f.setpoint[2] - 1.0f) < 1e-6);
    mission_setpoint(&m, 4000, &f);              /* 16 s: the step */
    assert_true(f.setpoint[0] == 2.0f && f.setpoint[2] == 2.0f);
    mission_setpoint(&m, 7000, &f);              /* 28 s: landing */
    assert_int_equal(f.phase, PHASE_LAND);
    assert_int_equal(mission_periods(&m), 8500);
}

/* The square of make run: 10 m at 1 m/s, 3 s hover, four corners of 6 s,
 * down to 1 m at 1 m/s, landing. */
static void mission_square_script(void **state)
{
    (void)state;
    struct mission m;
    mission_square(&m, 100, 10.0, 3.0, 6.0);
    struct sensor_frame f = { 0 };
    mission_setpoint(&m, 800, &f);               /* 8 s: climbing (arrives at 11 s) */
    assert_true(f.phase == PHASE_FLY && fabs(f.setpoint[2] - 7.0f) < 1e-5);
    const float want[5][2] = { { 3, 0 }, { 3, 3 }, { 0, 3 }, { 0, 0 }, { 0, 0 } };
    for (int c = 0; c < 5; c++) {                /* each corner, 1 s into its leg (square from 14 s) */
        mission_setpoint(&m, (uint32_t)((14.0 + 6.0 * c + 1.0) * 100), &f);
        assert_true(f.setpoint[0] == want[c][0] && f.setpoint[1] == want[c][1] && f.setpoint[2] == 10.0f);
        assert_int_equal(f.phase, PHASE_FLY);
    }
    mission_setpoint(&m, 4300, &f);              /* 43 s: coming down since 40 s */
    assert_true(f.phase == PHASE_FLY && fabs(f.setpoint[2] - 7.0f) < 1e-4);
    mission_setpoint(&m, 4950, &f);              /* 49.5 s: held at 1 m */
    assert_true(f.phase == PHASE_FLY && fabs(f.setpoint[2] - 1.0f) < 1e-6);
    mission_setpoint(&m, 5050, &f);              /* t_land = 40 + 9 + 1 = 50 s */
    assert_int_equal(f.phase, PHASE_LAND);
    assert_int_equal(mission_periods(&m), 5500);
}

/* REQ: TOOL-SIM-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prng_repeats_and_is_roughly_gaussian),
        cmocka_unit_test(motors_off_on_the_ground_stay_put),
        cmocka_unit_test(hover_thrust_balances_gravity),
        cmocka_unit_test(free_fall_then_crash),
        cmocka_unit_test(differential_thrust_turns_the_right_way),
        cmocka_unit_test(sensors_are_truth_plus_seeded_noise),
        cmocka_unit_test(mission_script),
        cmocka_unit_test(mission_square_script),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
