/* The flight's outcome as the plant sees it (issue 9): a normal landing, the
 * system's safe command, or a crash.  Motors off is both what a landed
 * vehicle is commanded and the safe command of system safe mode, so the
 * plant cannot tell them apart by the motor values: the voter marks each
 * command it sends in safe mode (actuator_cmd.vote_status =
 * UAV_CMD_SYSTEM_SAFE, sandbox-kernel/programs/uav/uav_msg.h), and the plant
 * checks that such a command really is the safe action (every motor off)
 * and notes whether the vehicle was still flying when it came (a flight
 * termination) or already on the ground (after a landing).
 * Pure: no I/O, host-tested (tests/unit/sim/test_outcome.c). */
#ifndef SIM_OUTCOME_H
#define SIM_OUTCOME_H

#include <stdint.h>

enum sim_outcome_kind {
    SIM_OUTCOME_NONE = 0,          /* on the ground before take-off, or flying */
    SIM_OUTCOME_LANDED = 1,        /* back on the ground after flying, normal commands, motors off */
    SIM_OUTCOME_SAFE_COMMAND = 2,  /* the first command marked safe: system safe mode */
    SIM_OUTCOME_CRASHED = 3,       /* the model's crash flag */
};

struct sim_outcome {
    uint32_t kind;             /* the latest outcome (enum sim_outcome_kind) */
    int      airborne_seen;    /* the vehicle has left the ground at some period */
    uint32_t landed_period;    /* first period of a normal landing, 0: none */
    uint32_t safe_period;      /* first period of the safe command, 0: none */
    int      safe_in_flight;   /* the safe command began with the vehicle in the air */
    uint32_t safe_commands;    /* commands marked safe, all motors off */
    uint32_t safe_not_off;     /* commands marked safe with a motor on: not the safe action */
    uint32_t crashed_period;   /* 0: none */
};

void sim_outcome_init(struct sim_outcome *o);

/* One applied command of period k (k >= 1), with the plant's state after the
 * previous step.  Returns the outcome that began in this period
 * (SIM_OUTCOME_LANDED, _SAFE_COMMAND or _CRASHED, each at most once), else
 * SIM_OUTCOME_NONE.  A safe-marked command with a motor on is counted in
 * safe_not_off (the caller counts it as a wrong command) and starts nothing. */
uint32_t sim_outcome_step(struct sim_outcome *o, uint32_t k, int on_ground, int crashed, int safe_cmd,
                          const uint16_t motor[4]);

const char *sim_outcome_name(uint32_t kind);

#endif
