/* What the I/O sandbox's voter tells the ground station (issue 7): its TMR
 * events as kernel events (SYS_NET_EVENT_POST, sent as MAVLink STATUSTEXT by
 * the telemetry program) and the flight state of each voted period
 * (SYS_NET_STATE_PUT, sent as ATTITUDE / LOCAL_POSITION_NED).  Both calls
 * work with or without a network: without one, events wait in the kernel's
 * queue (its oldest overwritten and counted) and nobody reads the state. */
#ifndef IO_GROUND_H
#define IO_GROUND_H
#include <stdint.h>
#include "replica_set.h"
#include "uav_msg.h"

/* "TMR p<k>: <what> <replica>" (e.g. "TMR p1601: failed b"), with a
   MAV_SEVERITY chosen by what it is. */
void io_ground_event(uint32_t k, const char *what, uint32_t replica);
/* The voted period k: attitude and position of the plant's truth (world
   frame z up -> NED), armed, vote and replica counts. */
void io_ground_state(uint32_t k, uint32_t rate, uint32_t phase, const struct sim_msg *sm,
                     const struct tmr_replica_set *rs, const struct tmr_vote_result *v);
#endif
