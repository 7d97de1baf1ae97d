/* The plant's flight outcome (outcome.h). */
#include <stddef.h>
#include "outcome.h"

void sim_outcome_init(struct sim_outcome *o)
{
    *o = (struct sim_outcome){ .kind = SIM_OUTCOME_NONE };
}

static int motors_off(const uint16_t motor[4])
{
    return motor[0] == 0 && motor[1] == 0 && motor[2] == 0 && motor[3] == 0;
}

uint32_t sim_outcome_step(struct sim_outcome *o, uint32_t k, int on_ground, int crashed, int safe_cmd,
                          const uint16_t motor[4])
{
    if (o == NULL || motor == NULL || k == 0)
        return SIM_OUTCOME_NONE;
    if (!on_ground)
        o->airborne_seen = 1;
    /* A crash ends the flight whatever comes after: reported once. */
    if (crashed && o->crashed_period == 0) {
        o->crashed_period = k;
        o->kind = SIM_OUTCOME_CRASHED;
        return SIM_OUTCOME_CRASHED;
    }
    if (safe_cmd) {
        if (!motors_off(motor)) {
            o->safe_not_off++;
            return SIM_OUTCOME_NONE;
        }
        o->safe_commands++;
        if (o->safe_period != 0 || o->crashed_period != 0)
            return SIM_OUTCOME_NONE;
        o->safe_period = k;
        o->safe_in_flight = !on_ground;
        o->kind = SIM_OUTCOME_SAFE_COMMAND;
        return SIM_OUTCOME_SAFE_COMMAND;
    }
    /* A landing: on the ground again after flying, commanded motors off by
       the flight controller (not by safe mode, which would have marked it). */
    if (on_ground && o->airborne_seen && motors_off(motor) && o->landed_period == 0 && o->safe_period == 0 &&
        o->crashed_period == 0) {
        o->landed_period = k;
        o->kind = SIM_OUTCOME_LANDED;
        return SIM_OUTCOME_LANDED;
    }
    return SIM_OUTCOME_NONE;
}

const char *sim_outcome_name(uint32_t kind)
{
    switch (kind) {
    case SIM_OUTCOME_NONE: return "none";
    case SIM_OUTCOME_LANDED: return "landed";
    case SIM_OUTCOME_SAFE_COMMAND: return "safe-command";
    case SIM_OUTCOME_CRASHED: return "crashed";
    default: return "unknown";
    }
}
