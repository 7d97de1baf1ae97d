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

/* tools/sim's default mission, with the hover altitude `alt`: climb at the
 * default rate, hover from arrival; the step and the landing move with it. */
static inline void uav_mission(struct mission *ms, uint32_t rate, double alt)
{
    mission_default(ms, rate);
    ms->t_hover = ms->t_arm + alt / ms->climb_rate;
    ms->t_step += ms->t_hover - 5.0;
    ms->t_land += ms->t_hover - 5.0;
    ms->alt = alt;
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
