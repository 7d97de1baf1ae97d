#include "mission.h"

void mission_default(struct mission *m, uint32_t rate_hz)
{
    *m = (struct mission){
        .rate_hz = rate_hz, .alt = 2.0, .climb_rate = 0.5, .step_x = 2.0,
        .t_arm = 1.0, .t_hover = 5.0, .t_step = 15.0, .t_land = 25.0, .t_end = 34.0,
    };
}

uint32_t mission_periods(const struct mission *m)
{
    return (uint32_t)(m->t_end * m->rate_hz + 0.5);
}

void mission_setpoint(const struct mission *m, uint32_t period, struct sensor_frame *f)
{
    double t = (double)period / m->rate_hz;
    double z = 0.0, x = 0.0;
    uint32_t phase = PHASE_FLY;
    if (t < m->t_arm) {
        phase = PHASE_DISARMED;
    } else if (t < m->t_hover) {
        z = (t - m->t_arm) * m->climb_rate;
        if (z > m->alt)
            z = m->alt;
    } else {
        z = m->alt;
        if (t >= m->t_step)
            x = m->step_x;
        if (t >= m->t_land)
            phase = PHASE_LAND;
    }
    f->phase = phase;
    f->setpoint[0] = (float)x;
    f->setpoint[1] = 0.0f;
    f->setpoint[2] = (float)z;
    f->setpoint[3] = 0.0f;
}
