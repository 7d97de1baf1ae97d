/* Six-degree-of-freedom quadrotor plant: rigid body with mass and diagonal
 * inertia, four motors with first-order thrust lag and reaction torque,
 * linear aerodynamic drag, gravity and a flat ground.  World frame x forward,
 * y left, z up; body frame x forward, y left, z up; X motor layout matching
 * the flight controller's mixer.  Portable C with doubles, only sqrt from
 * libm (correctly rounded), so it can run in a sandbox too. */
#ifndef SIM_QUAD_MODEL_H
#define SIM_QUAD_MODEL_H

#include <stdint.h>

#define QUAD_GRAVITY 9.80665

struct quad_params {
    double mass;               /* kg */
    double inertia[3];         /* kg m^2 */
    double arm_xy;             /* motor offset along body x and y, m */
    double thrust_max;         /* per motor, N */
    double yaw_coeff;          /* reaction torque per newton, m */
    double motor_tau;          /* thrust time constant, s */
    double drag_lin;           /* N per m/s */
    double drag_ang;           /* N m per rad/s */
    double crash_speed;        /* touchdown speed counted as a crash, m/s */
    double crash_tilt;         /* cos of the tilt counted as a crash at contact */
};

struct quad_state {
    double pos[3], vel[3];
    double q[4];               /* attitude quaternion w, x, y, z (body to world) */
    double rate[3];            /* body angular rate, rad/s */
    double thrust[4];          /* current motor thrusts, N */
    double spec_force[3];      /* body specific force over the last step (accelerometer truth) */
    int    on_ground;
    int    crashed;
    double max_touchdown_speed;
};

void quad_params_default(struct quad_params *p);
void quad_init(struct quad_state *s);   /* at rest on the ground at the origin */
/* Advances dt seconds in `substeps` equal steps with the motor commands
 * (0..10000) held. */
void quad_step(const struct quad_params *p, struct quad_state *s,
               const uint16_t cmd[4], double dt, int substeps);
/* Z-Y-X Euler angles (roll, pitch, yaw) of the attitude. */
void quad_euler(const struct quad_state *s, double euler[3]);
#endif
