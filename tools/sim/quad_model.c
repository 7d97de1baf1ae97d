/* Rigid-body quadrotor, integrated semi-implicitly (velocity first, then
 * position; rates first, then attitude) in fixed substeps, which is stable
 * for these time constants and keeps every run bit-for-bit repeatable. */
#include <math.h>
#include "quad_model.h"

/* Motor layout in units of arm_xy, and reaction-torque signs: the same X
 * frame the controller's mixer assumes. */
static const double mx[4] = { 1, -1, 1, -1 };
static const double my[4] = { -1, 1, 1, -1 };
static const double ms[4] = { 1, 1, -1, -1 };

void quad_params_default(struct quad_params *p)
{
    /* Deliberately not the controller's nominal model: 4% heavier, a little
     * more inertia, so the integrators have something to do. */
    *p = (struct quad_params){
        .mass = 1.25, .inertia = { 0.013, 0.0125, 0.023 },
        .arm_xy = 0.12, .thrust_max = 6.5, .yaw_coeff = 0.016,
        .motor_tau = 0.02, .drag_lin = 0.25, .drag_ang = 0.002,
        .crash_speed = 1.5, .crash_tilt = 0.866,
    };
}

void quad_init(struct quad_state *s)
{
    *s = (struct quad_state){ .q = { 1, 0, 0, 0 }, .on_ground = 1,
                              .spec_force = { 0, 0, QUAD_GRAVITY } };
}

static void rotation(const double q[4], double R[3][3])
{
    double w = q[0], x = q[1], y = q[2], z = q[3];
    R[0][0] = 1 - 2 * (y * y + z * z); R[0][1] = 2 * (x * y - w * z); R[0][2] = 2 * (x * z + w * y);
    R[1][0] = 2 * (x * y + w * z); R[1][1] = 1 - 2 * (x * x + z * z); R[1][2] = 2 * (y * z - w * x);
    R[2][0] = 2 * (x * z - w * y); R[2][1] = 2 * (y * z + w * x); R[2][2] = 1 - 2 * (x * x + y * y);
}

static void normalize(double q[4])
{
    double n = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    for (int i = 0; i < 4; i++)
        q[i] /= n;
}

void quad_euler(const struct quad_state *s, double e[3])
{
    double R[3][3];
    rotation(s->q, R);
    double r20 = R[2][0] > 1 ? 1 : R[2][0] < -1 ? -1 : R[2][0];
    e[0] = atan2(R[2][1], R[2][2]);
    e[1] = -asin(r20);
    e[2] = atan2(R[1][0], R[0][0]);
}

static void substep(const struct quad_params *p, struct quad_state *s,
                    const double target[4], double h, double f_acc[3])
{
    double R[3][3];
    rotation(s->q, R);

    double total = 0, tq[3] = { 0, 0, 0 };
    double lag = h / (p->motor_tau + h);
    for (int i = 0; i < 4; i++) {
        s->thrust[i] += (target[i] - s->thrust[i]) * lag;
        total += s->thrust[i];
        tq[0] += my[i] * p->arm_xy * s->thrust[i];
        tq[1] -= mx[i] * p->arm_xy * s->thrust[i];
        tq[2] += ms[i] * p->yaw_coeff * s->thrust[i];
    }

    /* Translation. */
    double v0[3] = { s->vel[0], s->vel[1], s->vel[2] };
    for (int i = 0; i < 3; i++) {
        double f = R[i][2] * total - p->drag_lin * s->vel[i];
        if (i == 2)
            f -= p->mass * QUAD_GRAVITY;
        s->vel[i] += h * f / p->mass;
        s->pos[i] += h * s->vel[i];
    }

    /* Rotation: Euler's equations with rate damping. */
    double *w = s->rate;
    double Iw[3] = { p->inertia[0] * w[0], p->inertia[1] * w[1], p->inertia[2] * w[2] };
    double gyro[3] = { w[1] * Iw[2] - w[2] * Iw[1], w[2] * Iw[0] - w[0] * Iw[2],
                       w[0] * Iw[1] - w[1] * Iw[0] };
    for (int i = 0; i < 3; i++)
        w[i] += h * (tq[i] - p->drag_ang * w[i] - gyro[i]) / p->inertia[i];
    double *q = s->q;
    double dq[4] = { -q[1] * w[0] - q[2] * w[1] - q[3] * w[2],
                      q[0] * w[0] + q[2] * w[2] - q[3] * w[1],
                      q[0] * w[1] - q[1] * w[2] + q[3] * w[0],
                      q[0] * w[2] + q[1] * w[1] - q[2] * w[0] };
    for (int i = 0; i < 4; i++)
        q[i] += 0.5 * h * dq[i];
    normalize(q);

    /* Ground contact: the ground pushes back, never pulls. */
    if (s->pos[2] <= 0) {
        if (!s->on_ground) {
            double speed = -s->vel[2];
            if (speed > s->max_touchdown_speed)
                s->max_touchdown_speed = speed;
            if (speed > p->crash_speed || R[2][2] < p->crash_tilt)
                s->crashed = 1;
        }
        s->on_ground = 1;
        s->pos[2] = 0;
        if (s->vel[2] < 0)
            s->vel[2] = 0;
        if (R[2][2] * total < p->mass * QUAD_GRAVITY) {
            /* Resting: friction stops it, the feet level it (keep the yaw). */
            s->vel[0] = s->vel[1] = s->vel[2] = 0;
            w[0] = w[1] = w[2] = 0;
            q[1] = q[2] = 0;
            normalize(q);
        }
    } else {
        s->on_ground = 0;
    }

    /* Accelerometer truth: acceleration minus gravity, in the body frame. */
    double a[3];
    for (int i = 0; i < 3; i++)
        a[i] = (s->vel[i] - v0[i]) / h;
    a[2] += QUAD_GRAVITY;
    rotation(s->q, R);
    for (int i = 0; i < 3; i++)
        f_acc[i] += R[0][i] * a[0] + R[1][i] * a[1] + R[2][i] * a[2];
}

void quad_step(const struct quad_params *p, struct quad_state *s,
               const uint16_t cmd[4], double dt, int substeps)
{
    if (substeps < 1)
        substeps = 1;
    double target[4];
    for (int i = 0; i < 4; i++) {
        double u = cmd[i] > 10000 ? 1.0 : cmd[i] / 10000.0;
        target[i] = u * p->thrust_max;
    }
    double h = dt / substeps, f[3] = { 0, 0, 0 };
    for (int k = 0; k < substeps; k++)
        substep(p, s, target, h, f);
    for (int i = 0; i < 3; i++)
        s->spec_force[i] = f[i] / substeps;
}
