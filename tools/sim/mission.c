#include "mission.h"

void mission_default(struct mission *m, uint32_t rate_hz)
{
    *m = (struct mission){
        .rate_hz = rate_hz, .alt = 2.0, .climb_rate = 0.5, .step_x = 2.0,
        .t_arm = 1.0, .t_hover = 5.0, .t_step = 15.0, .t_land = 25.0, .t_end = 34.0,
    };
}

void mission_square(struct mission *m, uint32_t rate_hz, double alt, double side, double leg)
{
    mission_default(m, rate_hz);
    m->alt = alt;
    m->step_x = 0.0;
    m->square_side = side;
    m->leg = leg;
    m->climb_rate = 1.0;
    m->t_hover = m->t_arm + alt / m->climb_rate;
    m->t_step = m->t_hover + 3.0;
    m->t_down = m->t_step + 4.0 * leg + 2.0;
    m->t_land = m->t_down + (alt > 1.0 ? (alt - 1.0) / m->climb_rate : 0.0) + 1.0;
    m->t_end = m->t_land + 5.0;
}

uint32_t mission_periods(const struct mission *m)
{
    return (uint32_t)(m->t_end * m->rate_hz + 0.5);
}

void mission_setpoint(const struct mission *m, uint32_t period, struct sensor_frame *f)
{
    double t = (double)period / m->rate_hz;
    double z = 0.0, x = 0.0, y = 0.0;
    uint32_t phase = PHASE_FLY;
    if (t < m->t_arm) {
        phase = PHASE_DISARMED;
    } else if (t < m->t_hover) {
        z = (t - m->t_arm) * m->climb_rate;
        if (z > m->alt)
            z = m->alt;
    } else {
        z = m->alt;
        if (m->t_down > 0.0 && t >= m->t_down) {
            z = m->alt - (t - m->t_down) * m->climb_rate;
            if (z < 1.0)
                z = m->alt < 1.0 ? m->alt : 1.0;
        }
        if (t >= m->t_step && m->square_side > 0.0 && m->leg > 0.0) {
            /* corners 1..4: (s,0) (s,s) (0,s) (0,0) */
            int corner = (int)((t - m->t_step) / m->leg);
            double sd = m->square_side;
            x = (corner == 0 || corner == 1) ? sd : 0.0;
            y = (corner == 1 || corner == 2) ? sd : 0.0;
        } else if (t >= m->t_step) {
            x = m->step_x;
        }
        if (t >= m->t_land)
            phase = PHASE_LAND;
    }
    f->phase = phase;
    f->setpoint[0] = (float)x;
    f->setpoint[1] = (float)y;
    f->setpoint[2] = (float)z;
    f->setpoint[3] = 0.0f;
}
