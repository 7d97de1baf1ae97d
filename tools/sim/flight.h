/* The closed loop: plant + sensors + mission + flight controller, stepped in
 * lockstep (one plant step per control period), either with one controller
 * or with the TMR arrangement of the architecture guide: replicas 0-2 voted,
 * replica 3 as hot standby, the voter and replica set of tmr/ between the
 * replicas and the motors, and faults injected into chosen replicas.
 *
 * The engine does no I/O: each period is handed to an optional callback
 * (the host runner writes CSV from it, tests record commands), and the
 * metrics the tests assert on are computed here from the plant's truth. */
#ifndef SIM_FLIGHT_H
#define SIM_FLIGHT_H

#include <stdint.h>
#include "frames.h"
#include "replica_set.h"

enum fault_kind {
    FAULT_NONE = 0,
    FAULT_FLIP,      /* flip bit `bit` of word `word` of the replica's private state */
    FAULT_HANG,      /* the replica stops running and publishing */
    FAULT_GARBAGE,   /* the replica publishes out-of-range motor commands */
};

struct flight_fault {
    uint32_t kind;       /* enum fault_kind */
    uint32_t replica;
    uint32_t period;     /* injected before this period's step */
    uint32_t word, bit;  /* FAULT_FLIP */
};

#define FLIGHT_MAX_FAULTS 4

struct flight_config {
    uint32_t rate_hz;          /* control rate (default 250) */
    uint32_t substeps;         /* plant substeps per period */
    uint64_t seed;             /* sensor noise */
    int      tmr;              /* 0: one controller; 1: 4 replicas + voter */
    struct tmr_rs_config rs;   /* replica-set configuration (tmr only) */
    uint32_t restart_delay;    /* periods from a failure to the restarted replica loading state */
    uint32_t nfaults;
    struct flight_fault fault[FLIGHT_MAX_FAULTS];
    /* square_side > 0: fly mission_square (alt, side, leg) instead of the
     * default mission (flight_default_config leaves it 0). */
    double   square_alt, square_side, square_leg;
};

/* What one period looked like; passed to the callback. */
struct flight_sample {
    uint32_t period;
    double   t;                       /* s */
    double   pos[3], vel[3], euler[3];/* plant truth */
    float    setpoint[4];
    uint32_t phase;
    float    att_sp[3];               /* controller's angle setpoints */
    float    est_pos[3];              /* controller's position estimate */
    uint16_t motor[TMR_MOTORS];       /* command applied to the plant */
    uint32_t vote_status;             /* TMR_VOTE_* (UNANIMOUS without tmr) */
    uint32_t roles;                   /* 4 bits per replica: enum tmr_role */
    uint32_t nslots;
};

struct flight_metrics {
    uint32_t periods;
    double hover_rms, hover_max;      /* |z - 2 m| over the settled hover window */
    double step_alt_max;              /* |z - 2 m| while flying the position step */
    double step_final_err;            /* |x - step| one second before landing */
    double step_overshoot;            /* max x beyond the step, m */
    double step_rise_s;               /* time to reach 90% of the step */
    double max_tilt_deg;              /* largest true tilt while airborne */
    double max_att_err_deg;           /* largest |true - setpoint| roll/pitch while airborne */
    double touchdown_speed;           /* fastest ground contact, m/s */
    double final_pos[3];
    int    crashed, landed, disarmed;
    /* TMR only */
    uint32_t failures, promotions, rejoins, no_majority_periods;
    uint32_t first_fault_period, first_failed_period, first_promoted_period, first_rejoined_period;
    uint32_t events;
    /* square only: largest horizontal distance to the corner at the end of each leg */
    double corner_err_max;
};

void flight_default_config(struct flight_config *c);
/* Runs the whole mission.  Returns 0, or -1 for a bad configuration. */
int flight_run(const struct flight_config *c, struct flight_metrics *m,
               void (*on_period)(void *ctx, const struct flight_sample *s,
                                 const struct tmr_replica_set *rs),
               void *ctx);
#endif
