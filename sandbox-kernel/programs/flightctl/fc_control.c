/* The cascaded control loops and the motor mixer.
 *
 * Horizontal: position error -> velocity setpoint -> acceleration (PI) ->
 * tilt setpoints in the heading frame.  Vertical: altitude error -> climb
 * rate (or the landing rate) -> acceleration (PI) -> collective thrust,
 * divided by the tilt cosine.  Attitude: angle error -> body-rate setpoint
 * -> angular acceleration (PID, derivative on the gyro) -> torques.  The
 * mixer inverts the X-frame geometry (motor 0 front-right and 1 rear-left
 * spin one way, 2 front-left and 3 rear-right the other). */
#include "flightctl.h"
#include "fc_math.h"

#define GRAVITY 9.80665f

/* Motor positions (x forward, y left) in units of arm_xy and the sign of
 * each motor's reaction torque about z. */
static const float motor_x[TMR_MOTORS] = { 1.0f, -1.0f, 1.0f, -1.0f };
static const float motor_y[TMR_MOTORS] = { -1.0f, 1.0f, 1.0f, -1.0f };
static const float motor_s[TMR_MOTORS] = { 1.0f, 1.0f, -1.0f, -1.0f };

static void disarm(struct fc_state *s, uint16_t motor[TMR_MOTORS])
{
    s->flags &= ~REPLICA_FLAG_ARMED;
    s->landed_count = 0;
    for (int i = 0; i < 3; i++)
        s->rate_int[i] = 0.0f;
    s->vel_int[0] = s->vel_int[1] = 0.0f;
    s->climb_int = 0.0f;
    for (unsigned i = 0; i < TMR_MOTORS; i++)
        motor[i] = 0;
}

static uint16_t motor_command(float thrust, float thrust_max)
{
    float u = fc_clamp(thrust / thrust_max, 0.0f, 1.0f);
    return (uint16_t)(u * (float)TMR_MOTOR_MAX + 0.5f);
}

void fc_control(const struct fc_params *p, struct fc_state *s, const struct sensor_frame *f,
                uint16_t motor[TMR_MOTORS], struct fc_trace *trace)
{
    const float dt = p->dt;
    const float *gyro = f->gyro;
    float dgyro[3];
    for (int i = 0; i < 3; i++) {
        dgyro[i] = (gyro[i] - s->prev_gyro[i]) / dt;
        s->prev_gyro[i] = gyro[i];
    }

    if (f->phase == PHASE_DISARMED ||
        (f->phase == PHASE_LAND && !(s->flags & REPLICA_FLAG_ARMED))) {
        disarm(s, motor);
        if (trace)
            *trace = (struct fc_trace){ { 0.0f, 0.0f, s->att[2] }, 0.0f };
        return;
    }
    s->flags |= REPLICA_FLAG_ARMED;

    /* Horizontal position -> tilt. */
    float acc[2];
    for (int i = 0; i < 2; i++) {
        float v_sp = fc_clamp(p->pos_p * (f->setpoint[i] - s->pos[i]), -p->vel_limit, p->vel_limit);
        float ev = v_sp - s->vel[i];
        s->vel_int[i] = fc_clamp(s->vel_int[i] + dt * p->vel_i * ev, -1.0f, 1.0f);
        acc[i] = fc_clamp(p->vel_p * ev + s->vel_int[i], -p->accel_limit, p->accel_limit);
    }
    float sy = fc_sin(s->att[2]), cy = fc_cos(s->att[2]);
    float a_fwd = cy * acc[0] + sy * acc[1];
    float a_left = -sy * acc[0] + cy * acc[1];
    float att_sp[3];
    att_sp[1] = fc_clamp(fc_atan2(a_fwd, GRAVITY), -p->tilt_limit, p->tilt_limit);
    att_sp[0] = fc_clamp(fc_atan2(-a_left, GRAVITY), -p->tilt_limit, p->tilt_limit);
    att_sp[2] = fc_wrap_pi(f->setpoint[3]);

    /* Altitude -> collective thrust. */
    float vz_sp;
    if (f->phase == PHASE_LAND)
        vz_sp = s->pos[2] > p->land_slow_alt ? p->land_rate[0] : p->land_rate[1];
    else
        vz_sp = fc_clamp(p->alt_p * (f->setpoint[2] - s->pos[2]),
                         p->climb_limit[0], p->climb_limit[1]);
    float evz = vz_sp - s->vel[2];
    s->climb_int = fc_clamp(s->climb_int + dt * p->climb_i * evz, -3.0f, 3.0f);
    float az = p->climb_p * evz + s->climb_int;
    float tilt = fc_cos(s->att[0]) * fc_cos(s->att[1]);
    if (tilt < 0.5f)
        tilt = 0.5f;
    float thrust = fc_clamp(p->mass * (GRAVITY + az) / tilt, 0.0f,
                            0.95f * (float)TMR_MOTORS * p->thrust_max);

    /* Attitude -> body rates -> torques. */
    float torque[3];
    for (int i = 0; i < 3; i++) {
        float e = att_sp[i] - s->att[i];
        if (i == 2)
            e = fc_wrap_pi(e);
        float r_sp = fc_clamp(p->angle_p[i] * e, -p->rate_limit[i], p->rate_limit[i]);
        float er = r_sp - gyro[i];
        s->rate_int[i] = fc_clamp(s->rate_int[i] + dt * p->rate_i[i] * er, -2.0f, 2.0f);
        float alpha = p->rate_p[i] * er + s->rate_int[i] - p->rate_d[i] * dgyro[i];
        torque[i] = p->inertia[i] * alpha;
    }

    /* Mixer: invert thrust and torque = sum over motors of
     * (T_i, y_i T_i, -x_i T_i, s_i k T_i). */
    const float d = p->arm_xy;
    for (unsigned m = 0; m < TMR_MOTORS; m++) {
        float t = 0.25f * thrust
                + motor_y[m] * torque[0] / (4.0f * d)
                - motor_x[m] * torque[1] / (4.0f * d)
                + motor_s[m] * torque[2] / (4.0f * p->yaw_coeff);
        motor[m] = motor_command(t, p->thrust_max);
    }

    /* Landing: cut the motors once the estimate has stayed on the ground. */
    if (f->phase == PHASE_LAND && s->pos[2] < p->landed_alt) {
        if (++s->landed_count >= p->landed_periods)
            disarm(s, motor);
    } else {
        s->landed_count = 0;
    }
    if (trace) {
        for (int i = 0; i < 3; i++)
            trace->att_sp[i] = att_sp[i];
        trace->thrust = thrust;
    }
}
