/* The portable flight-control law of the triplicated quadrotor controller.
 *
 * One call of fc_step() per control period: it consumes one sensor frame,
 * updates the estimators (complementary filters for attitude, altitude and
 * horizontal position) and runs the cascaded loops
 *     position -> velocity -> tilt angle -> body rate -> motor mixer,
 *     altitude -> climb rate -> collective thrust,
 * and returns four motor commands.  Everything the law remembers between
 * periods is in struct fc_state, which the caller owns: the law has no static
 * mutable data, reads no clock and branches only on its inputs, so the same
 * (params, state, frame) always gives bit-identical (state, commands).  That
 * is what lets three replicas be voted on bit for bit, and a restarted
 * replica rejoin by loading the majority's state.
 *
 * Floating point is IEEE binary32; build with -ffp-contract=off
 * -fno-math-errno and without -ffast-math (see docs/tmr.md).
 */
#ifndef FLIGHTCTL_H
#define FLIGHTCTL_H

#include <stdint.h>
#include "frames.h"

#define FC_DEFAULT_RATE_HZ 250u
#define FC_STATE_MAGIC     0x46435331u   /* "FCS1": a state that was initialised */

/* Constant per build/configuration: identical in every replica. */
struct fc_params {
    float dt;                 /* control period, s */
    /* nominal airframe the law is tuned for */
    float mass;               /* kg */
    float inertia[3];         /* kg m^2, body x y z */
    float arm_xy;             /* |x| = |y| of each motor from the centre, m */
    float yaw_coeff;          /* reaction torque per newton of thrust, m */
    float thrust_max;         /* per motor, N */
    /* estimator */
    float att_tau;            /* s, accelerometer correction time constant */
    float alt_gain[2];        /* baro correction of (z, vz) per period */
    float pos_gain[2];        /* position-fix correction of (xy, vxy) per period */
    /* loops */
    float rate_p[3], rate_i[3], rate_d[3];
    float angle_p[3];
    float rate_limit[3];      /* rad/s */
    float tilt_limit;         /* rad */
    float pos_p, vel_p, vel_i, vel_limit, accel_limit;
    float alt_p, climb_p, climb_i, climb_limit[2];   /* [0] down (negative), [1] up */
    float land_rate[2];       /* descent rate high and near the ground, m/s (negative) */
    float land_slow_alt;      /* m: below this use land_rate[1] */
    float landed_alt;         /* m: below this for landed_periods => disarm */
    uint32_t landed_periods;
};

/* Everything the law remembers.  Only 4-byte fields: no padding, so it can be
 * copied word for word into replica_output.state. */
struct fc_state {
    uint32_t magic;           /* FC_STATE_MAGIC */
    uint32_t last_seq;        /* seq of the last frame consumed, 0 before the first */
    uint32_t periods;         /* frames consumed */
    uint32_t flags;           /* REPLICA_FLAG_* */
    uint32_t landed_count;    /* consecutive periods near the ground while landing */
    float att[3];             /* estimated roll, pitch, yaw, rad */
    float rate_int[3];        /* rate-loop integrators */
    float prev_gyro[3];       /* for the derivative on measurement */
    float pos[3];             /* estimated x, y, z, m */
    float vel[3];             /* estimated vx, vy, vz, m/s */
    float vel_int[2];         /* horizontal velocity-loop integrators */
    float climb_int;          /* climb-rate integrator */
};
_Static_assert(sizeof(struct fc_state) % 4 == 0, "fc_state copies as words");
_Static_assert(sizeof(struct fc_state) <= 4 * TMR_STATE_WORDS, "fc_state fits replica_output");

/* Optional view of intermediate values, for logs and metrics; not state. */
struct fc_trace {
    float att_sp[3];          /* roll, pitch, yaw setpoints of the angle loop */
    float thrust;             /* collective thrust, N */
};

enum fc_status {
    FC_OK          = 0,   /* frame consumed, state and commands updated */
    FC_STALE_FRAME = 1,   /* seq not newer than the last one: nothing changed */
    FC_BAD_FRAME   = 2,   /* wrong version, phase or non-finite reading: nothing changed */
    FC_BAD_STATE   = 3,   /* input state not initialised (wrong magic): nothing changed */
    FC_BAD_ARGS    = 4,   /* a null pointer */
};

/* Default gains and airframe for a control rate in Hz (0 means 250). */
void fc_params_default(struct fc_params *p, uint32_t rate_hz);
/* Power-on state: disarmed, level, at the origin. */
void fc_state_init(struct fc_state *s);

/* One control period.  `out` may be the same object as `in`; `trace` may be
 * NULL.  On any status other than FC_OK, *out and *cmd are left untouched. */
int fc_step(const struct fc_params *p, const struct fc_state *in,
            const struct sensor_frame *frame, struct fc_state *out,
            struct actuator_cmd *cmd, struct fc_trace *trace);

/* The two halves of fc_step, exposed for tests. */
void fc_estimate(const struct fc_params *p, struct fc_state *s, const struct sensor_frame *f);
void fc_control(const struct fc_params *p, struct fc_state *s, const struct sensor_frame *f,
                uint16_t motor[TMR_MOTORS], struct fc_trace *trace);
#endif
