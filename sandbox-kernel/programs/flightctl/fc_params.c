/* Default airframe and gains.  Gains are continuous-time (per second) and
 * scaled by dt where they are used, so changing the control rate keeps the
 * loop dynamics; they were tuned on the host closed loop (tools/sim) for a
 * 1.2 kg quadrotor with 6.5 N motors. */
#include "flightctl.h"

void fc_params_default(struct fc_params *p, uint32_t rate_hz)
{
    if (rate_hz == 0)
        rate_hz = FC_DEFAULT_RATE_HZ;
    *p = (struct fc_params){
        .dt = 1.0f / (float)rate_hz,
        .mass = 1.2f,
        .inertia = { 0.012f, 0.012f, 0.022f },
        .arm_xy = 0.12f,
        .yaw_coeff = 0.016f,
        .thrust_max = 6.5f,
        .att_tau = 5.0f,
        .alt_gain = { 2.4f, 1.44f },
        .pos_gain = { 4.0f, 4.0f },
        .rate_p = { 20.0f, 20.0f, 8.0f },
        .rate_i = { 10.0f, 10.0f, 2.0f },
        .rate_d = { 0.01f, 0.01f, 0.0f },
        .angle_p = { 6.0f, 6.0f, 3.0f },
        .rate_limit = { 3.0f, 3.0f, 1.5f },
        .tilt_limit = 0.35f,
        .pos_p = 0.7f, .vel_p = 3.0f, .vel_i = 0.2f, .vel_limit = 0.8f, .accel_limit = 3.0f,
        .alt_p = 1.5f, .climb_p = 5.0f, .climb_i = 2.0f, .climb_limit = { -1.0f, 1.0f },
        .land_rate = { -0.5f, -0.25f },
        .land_slow_alt = 0.6f,
        .landed_alt = 0.08f,
        .landed_periods = rate_hz / 2u,
    };
}

void fc_state_init(struct fc_state *s)
{
    /* Every field named so nothing is left uninitialised. */
    *s = (struct fc_state){ .magic = FC_STATE_MAGIC };
}
