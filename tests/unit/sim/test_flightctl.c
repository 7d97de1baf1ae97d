/* The flight controller on its own: determinism (two runs and a mid-flight
 * save/restore give bit-identical results), refused frames and states, the
 * state transfer checks, arming and landing, and the accuracy of its own
 * elementary functions against the C library's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>
#include "flightctl.h"
#include "fc_math.h"
#include "fc_replica.h"

static struct fc_params P;

/* A deterministic, noisy frame sequence that exercises every loop: a
 * climbing, slightly swaying vehicle with a moving setpoint. */
static void synth_frame(uint32_t seq, struct sensor_frame *f)
{
    uint32_t h = seq * 2654435761u;
    memset(f, 0, sizeof *f);
    f->version = TMR_FRAME_VERSION;
    f->seq = seq;
    f->time_us = seq * 4000ull;
    for (int i = 0; i < 3; i++) {
        h = h * 1664525u + 1013904223u;
        f->gyro[i] = 0.05f * fc_sin(0.01f * (float)seq + (float)i) + (float)(h >> 24) * 1e-5f;
    }
    f->accel[0] = 0.3f * fc_sin(0.02f * (float)seq);
    f->accel[1] = -0.2f;
    f->accel[2] = 9.8f + (float)((h >> 16) & 0xFF) * 1e-3f;
    f->baro_alt = 0.001f * (float)seq;
    f->sensor_flags = seq % 5 == 0 ? SENSOR_POS_VALID : 0;
    f->pos[0] = 0.0005f * (float)seq;
    f->setpoint[0] = seq > 500 ? 2.0f : 0.0f;
    f->setpoint[2] = 2.0f;
    f->setpoint[3] = 0.1f;
    f->phase = seq < 50 ? PHASE_DISARMED : PHASE_FLY;
}

static int setup(void **state)
{
    (void)state;
    fc_params_default(&P, 0);
    return 0;
}

static void run(struct fc_state *s, uint32_t from, uint32_t to, struct actuator_cmd *cmds)
{
    for (uint32_t seq = from; seq <= to; seq++) {
        struct sensor_frame f;
        synth_frame(seq, &f);
        assert_int_equal(fc_step(&P, s, &f, s, &cmds[seq], NULL), FC_OK);
    }
}

static struct actuator_cmd cmd_a[2001], cmd_b[2001];

static void two_runs_are_bit_identical(void **state)
{
    (void)state;
    struct fc_state a, b;
    fc_state_init(&a);
    fc_state_init(&b);
    run(&a, 1, 2000, cmd_a);
    run(&b, 1, 2000, cmd_b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_memory_equal(cmd_a, cmd_b, sizeof cmd_a);
    /* The sequence did make the law work: armed, motors spinning and varying. */
    assert_true(a.flags & REPLICA_FLAG_ARMED);
    assert_int_equal(a.periods, 2000);
    assert_true(cmd_a[2000].motor[0] > 0);
    assert_true(cmd_a[1000].motor[0] != cmd_a[1500].motor[0]);
    assert_int_equal(cmd_a[10].motor[0], 0);     /* disarmed at first */
}

static void save_and_restore_mid_flight_continues_identically(void **state)
{
    (void)state;
    struct fc_state a, restored;
    fc_state_init(&a);
    run(&a, 1, 900, cmd_a);
    struct replica_output out;
    memset(&out, 0xA5, sizeof out);
    fc_replica_pack(&a, &out);
    /* A restarted replica: pristine state, then the transferred one. */
    fc_state_init(&restored);
    assert_int_equal(fc_replica_load(&restored, &out), 0);
    assert_memory_equal(&restored, &a, sizeof a);
    run(&a, 901, 2000, cmd_a);
    run(&restored, 901, 2000, cmd_b);
    assert_memory_equal(&a, &restored, sizeof a);
    assert_memory_equal(&cmd_a[901], &cmd_b[901], 1100 * sizeof cmd_a[0]);
}

static void replicas_publish_identical_outputs(void **state)
{
    (void)state;
    struct fc_state s[2];
    struct replica_output o[2];
    memset(o, 0, sizeof o);
    fc_state_init(&s[0]);
    fc_state_init(&s[1]);
    for (uint32_t seq = 1; seq <= 300; seq++) {
        struct sensor_frame f;
        synth_frame(seq, &f);
        for (int r = 0; r < 2; r++)
            assert_int_equal(fc_replica_step(&P, &s[r], &f, 0, &o[r], NULL), FC_OK);
        assert_memory_equal(&o[0], &o[1], sizeof o[0]);
        assert_int_equal(o[0].seq, seq);
    }
    assert_int_equal(o[0].state_words, sizeof(struct fc_state) / 4);
}

static void refused_frames_change_nothing(void **state)
{
    (void)state;
    struct fc_state s, before;
    fc_state_init(&s);
    run(&s, 1, 100, cmd_a);
    before = s;
    struct actuator_cmd cmd = { .seq = 12345 };
    struct sensor_frame f;
    synth_frame(100, &f);                                 /* repeated */
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_STALE_FRAME);
    synth_frame(50, &f);                                  /* from the past */
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_STALE_FRAME);
    synth_frame(101, &f);
    f.gyro[1] = NAN;
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_BAD_FRAME);
    synth_frame(101, &f);
    f.baro_alt = INFINITY;
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_BAD_FRAME);
    synth_frame(101, &f);
    f.version = 2;
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_BAD_FRAME);
    synth_frame(101, &f);
    f.phase = PHASE_COUNT;
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_BAD_FRAME);
    assert_memory_equal(&s, &before, sizeof s);
    assert_int_equal(cmd.seq, 12345);
    /* Uninitialised state and null pointers. */
    struct fc_state junk;
    memset(&junk, 0, sizeof junk);
    synth_frame(101, &f);
    assert_int_equal(fc_step(&P, &junk, &f, &junk, &cmd, NULL), FC_BAD_STATE);
    assert_int_equal(fc_step(NULL, &s, &f, &s, &cmd, NULL), FC_BAD_ARGS);
    assert_int_equal(fc_step(&P, &s, NULL, &s, &cmd, NULL), FC_BAD_ARGS);
    assert_int_equal(fc_step(&P, &s, &f, &s, NULL, NULL), FC_BAD_ARGS);
    /* A skipped frame is consumed but remembered in the flags. */
    synth_frame(103, &f);
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_OK);
    assert_true(s.flags & REPLICA_FLAG_FRAME_GAP);
    assert_int_equal(s.last_seq, 103);
}

static void state_transfer_refuses_corrupt_states(void **state)
{
    (void)state;
    struct fc_state a, b;
    fc_state_init(&a);
    run(&a, 1, 200, cmd_a);
    struct replica_output out;
    fc_replica_pack(&a, &out);
    fc_state_init(&b);
    struct fc_state pristine = b;
    struct replica_output bad = out;
    bad.state[7] ^= 0x10;                              /* state no longer matches its digest */
    assert_int_equal(fc_replica_load(&b, &bad), -1);
    bad = out;
    bad.state_words = 3;
    assert_int_equal(fc_replica_load(&b, &bad), -1);
    bad = out;
    bad.state[0] = 0;                                  /* not an initialised state */
    bad.digest = 0;
    assert_int_equal(fc_replica_load(&b, &bad), -1);
    assert_int_equal(fc_replica_load(NULL, &out), -1);
    assert_int_equal(fc_replica_load(&b, NULL), -1);
    assert_memory_equal(&b, &pristine, sizeof b);
}

static void disarmed_and_landing(void **state)
{
    (void)state;
    struct fc_state s;
    fc_state_init(&s);
    struct sensor_frame f;
    struct actuator_cmd cmd;
    synth_frame(1, &f);
    f.phase = PHASE_DISARMED;
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(cmd.motor[i], 0);
    /* Armed on the ground, then told to land while sitting on the ground:
     * after landed_periods the motors are cut. */
    synth_frame(2, &f);
    f.phase = PHASE_FLY;
    f.baro_alt = 0.0f;
    f.accel[0] = f.accel[1] = 0.0f;
    f.accel[2] = 9.80665f;
    memset(f.gyro, 0, sizeof f.gyro);
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_OK);
    assert_true(s.flags & REPLICA_FLAG_ARMED);
    assert_true(cmd.motor[0] > 0);
    uint32_t seq = 3;
    for (uint32_t i = 0; i < P.landed_periods; i++, seq++) {
        f.seq = seq;
        f.phase = PHASE_LAND;
        assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_OK);
    }
    assert_false(s.flags & REPLICA_FLAG_ARMED);
    for (int i = 0; i < 4; i++)
        assert_int_equal(cmd.motor[i], 0);
    /* Still LAND: stays disarmed. */
    f.seq = seq;
    assert_int_equal(fc_step(&P, &s, &f, &s, &cmd, NULL), FC_OK);
    assert_false(s.flags & REPLICA_FLAG_ARMED);
}

static void own_math_matches_libm(void **state)
{
    (void)state;
    double worst = 0;
    for (int i = -2000; i <= 2000; i++) {
        float x = (float)i * 0.005f;                  /* -10 .. 10 rad */
        worst = fmax(worst, fabs(fc_sin(x) - sin(x)));
        worst = fmax(worst, fabs(fc_cos(x) - cos(x)));
        for (int j = -4; j <= 4; j++) {
            float y = (float)j * 0.7f + 0.01f;
            worst = fmax(worst, fabs(fc_atan2(y, x) - atan2(y, x)));
        }
    }
    assert_true(worst < 2e-5);
    assert_true(fc_atan2(0.0f, 0.0f) == 0.0f);
    assert_true(fc_atan2(NAN, 1.0f) == 0.0f);
    assert_true(fc_sqrt(-1.0f) == 0.0f && fc_sqrt(4.0f) == 2.0f);
    assert_true(fc_clamp(NAN, -1.0f, 1.0f) == -1.0f);
    assert_true(fabs(fc_wrap_pi(7.0f) - (7.0 - 2 * M_PI)) < 1e-5);
    assert_true(fc_wrap_pi(1e30f) == 0.0f);
    assert_false(fc_finite(INFINITY));
    assert_true(fc_finite(-3.0f));
}

/* REQ: TMR-FC-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(two_runs_are_bit_identical, setup),
        cmocka_unit_test_setup(save_and_restore_mid_flight_continues_identically, setup),
        cmocka_unit_test_setup(replicas_publish_identical_outputs, setup),
        cmocka_unit_test_setup(refused_frames_change_nothing, setup),
        cmocka_unit_test_setup(state_transfer_refuses_corrupt_states, setup),
        cmocka_unit_test_setup(disarmed_and_landing, setup),
        cmocka_unit_test_setup(own_math_matches_libm, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
