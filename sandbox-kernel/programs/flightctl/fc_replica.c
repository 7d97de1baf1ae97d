#include <string.h>
#include "fc_replica.h"
#include "digest.h"

#define FC_STATE_WORDS (sizeof(struct fc_state) / 4u)

void fc_replica_pack(const struct fc_state *state, struct replica_output *out)
{
    /* Unused words are zeroed so outputs are comparable byte for byte. */
    memset(out->state, 0, sizeof out->state);
    memcpy(out->state, state, sizeof *state);
    out->state_words = FC_STATE_WORDS;
    out->digest = tmr_digest(out->state, FC_STATE_WORDS);
}

int fc_replica_step(const struct fc_params *p, struct fc_state *state,
                    const struct sensor_frame *frame, uint32_t replica_id,
                    struct replica_output *out, struct fc_trace *trace)
{
    if (!out)
        return FC_BAD_ARGS;
    struct actuator_cmd cmd;
    int st = fc_step(p, state, frame, state, &cmd, trace);
    if (st != FC_OK)
        return st;
    out->seq = frame->seq;
    out->replica_id = replica_id;
    for (unsigned i = 0; i < TMR_MOTORS; i++)
        out->motor[i] = cmd.motor[i];
    out->flags = state->flags;
    fc_replica_pack(state, out);
    return FC_OK;
}

int fc_replica_load(struct fc_state *state, const struct replica_output *from)
{
    if (!state || !from || from->state_words != FC_STATE_WORDS)
        return -1;
    if (tmr_digest(from->state, FC_STATE_WORDS) != from->digest)
        return -1;
    struct fc_state s;
    memcpy(&s, from->state, sizeof s);
    if (s.magic != FC_STATE_MAGIC)
        return -1;
    *state = s;
    return 0;
}
