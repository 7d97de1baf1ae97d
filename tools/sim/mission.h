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
    /* Square instead of the step (0: the step): from t_step the setpoint
     * visits (side,0), (side,side), (0,side) and (0,0), each corner held
     * for `leg` seconds; the landing follows at t_land. */
    double   square_side;    /* m */
    double   leg;            /* s per corner */
    double   t_down;         /* square only: from here z ramps down at climb_rate to 1 m, then t_land */
};

void mission_default(struct mission *m, uint32_t rate_hz);
/* The square flight of `make run`: climb to alt at 1 m/s (the controller's
 * climb limit), hover 3 s, fly the square of `side` metres with `leg`
 * seconds per corner, hover 2 s over the start, come down at 1 m/s to 1 m,
 * land (the controller's landing rate); t_end leaves 5 s for the landing. */
void mission_square(struct mission *m, uint32_t rate_hz, double alt, double side, double leg);
/* Fills phase and setpoint of *f for control period `period` (1-based). */
void mission_setpoint(const struct mission *m, uint32_t period, struct sensor_frame *f);
uint32_t mission_periods(const struct mission *m);
#endif
