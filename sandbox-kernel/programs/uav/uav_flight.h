/* The mission and the sensor frame of the in-sandbox flight, shared by the
 * I/O sandbox (io_voter builds the frame it sends to the replicas) and the
 * plant (sim_plant rebuilds the same frame for its reference controller, the
 * plant-side check that every applied command is the fault-free one).  Both
 * must compute bit-identical frames, so the code lives in one place. */
#ifndef UAV_FLIGHT_H
#define UAV_FLIGHT_H

#include <stdint.h>
#include "mission.h"
#include "frames.h"

/* The flight's mission, from the options io_voter and sim_plant share:
 *   square > 0: tools/sim's square (mission_square): climb to alt, the
 *               square of `square` metres, 6 s per corner, land;
 *   otherwise   tools/sim's default mission flown at altitude alt; land > 0
 *               replaces the step by a hover until the landing at `land` s.
 * The hover error window of the report ends where the mission leaves the
 * hover (t_step). */
static inline void uav_mission(struct mission *ms, uint32_t rate, double alt, double square, double land)
{
    if (square > 0.0) {
        mission_square(ms, rate, alt, square, 6.0);
        return;
    }
    mission_default(ms, rate);
    ms->t_hover = ms->t_arm + alt / ms->climb_rate;
    ms->t_step += ms->t_hover - 5.0;
    ms->t_land += ms->t_hover - 5.0;
    ms->alt = alt;
    if (land > ms->t_hover) {
        ms->step_x = 0.0;
        ms->t_step = land;
        ms->t_land = land;
        ms->t_end = land + alt / 0.5 + 8.0;
    }
}

/* The frame of period k: the plant's readings `meas` stamped with the
 * version, sequence number, virtual time and the mission's setpoint. */
static inline void uav_frame(const struct mission *ms, uint32_t k, const struct sensor_frame *meas,
                             struct sensor_frame *f)
{
    *f = *meas;
    f->version = TMR_FRAME_VERSION;
    f->seq = k;
    f->time_us = (uint64_t)k * 1000000u / ms->rate_hz;
    f->reserved = 0;
    mission_setpoint(ms, k, f);
}
#endif
