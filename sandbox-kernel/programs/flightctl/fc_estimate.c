/* State estimation: attitude by a complementary filter (gyro integration
 * through the Euler kinematics, pulled slowly toward the tilt the
 * accelerometer sees when it reads about one g), then altitude and
 * horizontal position by second-order complementary filters (the
 * accelerometer rotated into the world frame drives the prediction, the
 * barometer and the position fix correct it). */
#include "flightctl.h"
#include "fc_math.h"

#define GRAVITY 9.80665f

void fc_estimate(const struct fc_params *p, struct fc_state *s, const struct sensor_frame *f)
{
    const float dt = p->dt;
    float roll = s->att[0], pitch = s->att[1], yaw = s->att[2];
    const float gx = f->gyro[0], gy = f->gyro[1], gz = f->gyro[2];

    /* Euler-angle rates from body rates (Z-Y-X angles). */
    float sr = fc_sin(roll), cr = fc_cos(roll);
    float sp = fc_sin(pitch), cp = fc_cos(pitch);
    if (cp < 0.1f)
        cp = 0.1f;               /* the law never flies near 90 degrees of pitch */
    float tp = sp / cp;
    float yz = gy * sr + gz * cr;
    roll += dt * (gx + yz * tp);
    pitch += dt * (gy * cr - gz * sr);
    yaw += dt * (yz / cp);

    /* The accelerometer shows the tilt only when it is not accelerating much. */
    const float ax = f->accel[0], ay = f->accel[1], az = f->accel[2];
    float n2 = ax * ax + ay * ay + az * az;
    if (n2 > 0.64f * GRAVITY * GRAVITY && n2 < 1.44f * GRAVITY * GRAVITY) {
        float k = dt / p->att_tau;
        float roll_acc = fc_atan2(ay, az);
        float pitch_acc = fc_atan2(-ax, fc_sqrt(ay * ay + az * az));
        roll += k * fc_wrap_pi(roll_acc - roll);
        pitch += k * (pitch_acc - pitch);
    }
    s->att[0] = fc_wrap_pi(roll);
    s->att[1] = fc_clamp(pitch, -1.5f, 1.5f);
    s->att[2] = fc_wrap_pi(yaw);

    /* Specific force into the world frame; remove gravity. */
    sr = fc_sin(s->att[0]); cr = fc_cos(s->att[0]);
    sp = fc_sin(s->att[1]); cp = fc_cos(s->att[1]);
    float sy = fc_sin(s->att[2]), cy = fc_cos(s->att[2]);
    float aw[3];
    aw[0] = cy * cp * ax + (cy * sp * sr - sy * cr) * ay + (cy * sp * cr + sy * sr) * az;
    aw[1] = sy * cp * ax + (sy * sp * sr + cy * cr) * ay + (sy * sp * cr - cy * sr) * az;
    aw[2] = -sp * ax + cp * sr * ay + cp * cr * az - GRAVITY;

    for (int i = 0; i < 3; i++) {
        s->pos[i] += dt * s->vel[i] + 0.5f * dt * dt * aw[i];
        s->vel[i] += dt * aw[i];
    }
    float e = f->baro_alt - s->pos[2];
    s->pos[2] += dt * p->alt_gain[0] * e;
    s->vel[2] += dt * p->alt_gain[1] * e;
    if (f->sensor_flags & SENSOR_POS_VALID) {
        for (int i = 0; i < 2; i++) {
            e = f->pos[i] - s->pos[i];
            s->pos[i] += dt * p->pos_gain[0] * e;
            s->vel[i] += dt * p->pos_gain[1] * e;
        }
    }
}
