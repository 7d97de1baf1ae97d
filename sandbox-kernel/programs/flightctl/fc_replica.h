/* The flight controller as a TMR replica: wraps fc_step so that each period
 * the replica publishes a replica_output carrying its commands, its complete
 * state and the state's digest, and loads a state published by the majority
 * when it rejoins after a restart. */
#ifndef FC_REPLICA_H
#define FC_REPLICA_H

#include "flightctl.h"

/* Runs one period on the replica's private state and, on FC_OK, writes the
 * output for frame->seq into *out.  Otherwise *out keeps the previous period's
 * output, which the voter will see as late. */
int fc_replica_step(const struct fc_params *p, struct fc_state *state,
                    const struct sensor_frame *frame, uint32_t replica_id,
                    struct replica_output *out, struct fc_trace *trace);

/* State transfer: loads the state carried by a majority output into *state.
 * Refuses (returns nonzero, *state untouched) an output whose state does not
 * match its digest, has the wrong size or was not initialised. */
int fc_replica_load(struct fc_state *state, const struct replica_output *from);

/* Packs a state into an output's state words and digest. */
void fc_replica_pack(const struct fc_state *state, struct replica_output *out);
#endif
