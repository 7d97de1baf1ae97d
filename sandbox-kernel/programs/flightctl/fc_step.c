/* One control period: check the frame, then estimate and control.  A frame
 * that is stale (not newer than the last one consumed), malformed or carries
 * a non-finite reading is refused without touching the state, so replicas
 * that all see the same bad frame stay identical, and the voter sees them
 * all answer an old period (late) rather than act on garbage. */
#include "flightctl.h"
#include "fc_math.h"

static int frame_ok(const struct sensor_frame *f)
{
    if (f->version != TMR_FRAME_VERSION || f->phase >= PHASE_COUNT)
        return 0;
    const float *v[] = { f->gyro, f->accel, &f->baro_alt, f->pos, f->setpoint };
    const int len[] = { 3, 3, 1, 2, 4 };
    for (int i = 0; i < 5; i++)
        for (int k = 0; k < len[i]; k++)
            if (!fc_finite(v[i][k]))
                return 0;
    return 1;
}

int fc_step(const struct fc_params *p, const struct fc_state *in,
            const struct sensor_frame *frame, struct fc_state *out,
            struct actuator_cmd *cmd, struct fc_trace *trace)
{
    if (!p || !in || !frame || !out || !cmd)
        return FC_BAD_ARGS;
    if (in->magic != FC_STATE_MAGIC)
        return FC_BAD_STATE;
    if (!frame_ok(frame))
        return FC_BAD_FRAME;
    if (frame->seq <= in->last_seq)
        return FC_STALE_FRAME;

    struct fc_state s = *in;           /* work on a copy: `out` may alias `in` */
    if (s.last_seq != 0 && frame->seq != s.last_seq + 1)
        s.flags |= REPLICA_FLAG_FRAME_GAP;
    s.last_seq = frame->seq;
    s.periods++;

    uint16_t motor[TMR_MOTORS];
    fc_estimate(p, &s, frame);
    fc_control(p, &s, frame, motor, trace);

    *out = s;
    cmd->seq = frame->seq;
    cmd->vote_status = 0;
    for (unsigned i = 0; i < TMR_MOTORS; i++)
        cmd->motor[i] = motor[i];
    return FC_OK;
}
