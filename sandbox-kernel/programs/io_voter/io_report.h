/* io_voter's console: flight figures gathered each period, the 1 Hz status
 * line and the summary at the report period.  Numbers are printed as fixed
 * point from integers (no %f): the lines read the same on any libc. */
#ifndef IO_REPORT_H
#define IO_REPORT_H

#include <stdint.h>
#include "mission.h"
#include "replica_set.h"
#include "uav_msg.h"

struct io_stats {
    const struct mission *ms;
    uint32_t rate;
    uint32_t periods, unanimous, majority, no_majority, standby_ok;
    uint32_t sec_unanimous, sec_periods;      /* this second of flight */
    uint32_t hover_n;
    double hover_sq, hover_max, max_tilt_deg;
    uint64_t lat_sum_ns, lat_max_ns;
    uint32_t lat_max_period;                  /* the period of lat_max_ns (where a stall was) */
    uint64_t vote_sum_ns, vote_max_ns;        /* tmr_rs_period, virtual time */
    uint32_t vote_n;
    uint32_t restarts_asked;                  /* replicas asked to restart */
    uint32_t voter_restarts;                  /* of those, restarted on io's request (hung) */
    uint32_t voted[TMR_VOTE_SLOTS], nvoted;   /* replica of each vote slot, as voted this period */
    uint64_t t_first_ns, t_last_ns;
    uint32_t crashed, airborne_periods;
    /* The square mission (mission_square), as tools/sim's flight metrics:
     * the horizontal distance to each corner at the last period of its leg,
     * the altitude error while flying the square, the landing. */
    uint32_t corners;
    double corner_err_max, square_alt_max;
    uint32_t on_ground, armed, motors_off, phase;
    uint32_t touchdown_mm_s;
};

void io_stats_init(struct io_stats *s, const struct mission *ms, uint32_t rate);
void io_stats_period(struct io_stats *s, uint32_t k, const struct sim_msg *sm, const struct sensor_frame *f,
                     const struct tmr_replica_set *rs, const struct tmr_vote_result *v, uint32_t answered,
                     uint64_t latency_ns, uint64_t now_ns);
void io_status_line(struct io_stats *s, uint32_t k, const struct sim_msg *sm, const struct sensor_frame *f,
                    const struct tmr_replica_set *rs, const struct tmr_vote_result *v);
/* --trace 1: one line per control period (plant state, voted command, vote). */
void io_trace_line(uint32_t k, const struct sim_msg *sm, const struct actuator_cmd *cmd,
                   const struct tmr_replica_set *rs, const struct tmr_vote_result *v);
/* The summary at period k; plant: the plant's message of period k + 1,
 * whose command check covers periods 1..k. */
void io_report(const struct io_stats *s, uint32_t k, const struct tmr_replica_set *rs, const struct sim_msg *plant);
#endif
