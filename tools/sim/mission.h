/* The scripted mission, as the ground station would send it through the I/O
 * sandbox: disarmed for 1 s, climb to 2 m at 0.5 m/s, hover, a 2 m step
 * forward in x, hover there, land.  Times are in control periods so the
 * script is exact at any control rate. */
#ifndef SIM_MISSION_H
#define SIM_MISSION_H

#include <stdint.h>
#include "frames.h"

struct mission {
    uint32_t rate_hz;
    double   alt;            /* hover altitude, m */
    double   climb_rate;     /* m/s */
    double   step_x;         /* m */
    double   t_arm, t_hover, t_step, t_land, t_end;   /* s from power-on */
};

void mission_default(struct mission *m, uint32_t rate_hz);
/* Fills phase and setpoint of *f for control period `period` (1-based). */
void mission_setpoint(const struct mission *m, uint32_t period, struct sensor_frame *f);
uint32_t mission_periods(const struct mission *m);
#endif
