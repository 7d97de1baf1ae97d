/* The quadrotor plant in its own sandbox (issue 8).
 * usage: sim_plant [--rate HZ] [--seed N] [--substeps N] [--alt M] [--square M] [--land S]
 *
 * Lockstep with the control period, paced by sequence numbers: publish the
 * sensor readings and truth of period k on sim-sensors, wait for the voted
 * actuator command of period k on sim-actuators, apply it for one plant step
 * (tools/sim/quad_model.c, sensors with fixed-seed noise), publish k+1.
 * A command that never comes is waited for: the plant does not fly on
 * without its controller, so the flight is the same at any emulator speed.
 *
 * Plant-side check of the voter: the plant rebuilds each period's sensor
 * frame exactly as the I/O sandbox does (uav_flight.h: same readings, same
 * mission: --alt, --square and --land must match io_voter's) and runs its own reference copy of
 * the flight controller on it.  Every applied command is compared with the
 * reference: one that differs is a wrong command that reached the plant.
 * The counts travel back to the I/O sandbox in each sim_msg (its report
 * prints them).
 * Flight outcome (tools/sim/outcome.h): one line when the vehicle lands
 * normally, when the first command marked as system safe mode's safe command
 * arrives (on the ground or in flight: a termination) and when it crashes:
 *   sim_plant: outcome landed|safe-command|crashed period=K on_ground=0|1 alt_cm=H motors=A,B,C,D landed=L
 * (a safe command with on_ground=0 is a flight termination; L: the normal
 * landing's period, 0 if none).
 * A safe-marked command is the safe action only with every motor off; one is
 * not compared with the reference (in flight it differs by design), any
 * other safe-marked command counts as wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../chan_lib/uchan.h"
#include "../lib/triad.h"
#include "quad_model.h"
#include "sensors.h"
#include "prng.h"
#include "uav_msg.h"
#include "uav_flight.h"
#include "flightctl.h"
#include "voter.h"
#include "outcome.h"

#define POLL_NS 200000ull

int main(int argc, char **argv)
{
    uint32_t rate = UAV_DEFAULT_RATE_HZ, substeps = 4;
    uint64_t seed = 1;
    double alt = 2.0, square = 0.0, land = 0.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rate") == 0)
            rate = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--substeps") == 0)
            substeps = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--alt") == 0)
            alt = strtod(argv[i + 1], 0);
        else if (strcmp(argv[i], "--square") == 0)
            square = strtod(argv[i + 1], 0);
        else if (strcmp(argv[i], "--land") == 0)
            land = strtod(argv[i + 1], 0);
        else
            rate = 0;                          /* unknown option: usage */
    }
    if (rate < 50 || rate > 2000 || substeps < 1 || substeps > 64 || argc % 2 == 0 || !(alt > 0.0 && alt <= 10.0) ||
        !(square >= 0.0 && square <= 20.0) || !(land >= 0.0 && land <= 600.0)) {
        printf("usage: sim_plant [--rate HZ] [--seed N] [--substeps N] [--alt M] [--square M] [--land S]\n");
        return 2;
    }
    if (uchan_init() != 0) {
        printf("sim_plant: no channel clock\n");
        return 1;
    }
    shmcomm_channel_t out, in;
    int rc = shmcomm_open_send(UAV_KEY_SIM_SENSORS, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL,
                               sizeof(struct sim_msg), -1, &out);
    if (rc == SHMCOMM_OK)
        rc = shmcomm_open_receive(UAV_KEY_SIM_ACTUATORS, SHMCOMM_CONNECT_CH, NULL,
                                  sizeof(struct actuator_cmd), -1, &in);
    if (rc != SHMCOMM_OK) {
        printf("sim_plant: channel open: %d (%s), kernel said %ld\n", rc, shmcomm_strerror(rc),
               uchan_last_map_error());
        return 1;
    }
    static struct quad_params qp;
    static struct quad_state q;
    static struct sensor_params sp;
    static struct sim_rng rng;
    static struct sim_msg m;
    static struct mission ms;
    static struct fc_params ref_p;
    static struct fc_state ref;
    uint32_t checked = 0, wrong = 0, first_wrong = 0, not_voted = 0;
    uint64_t s2a_sum = 0, s2a_max = 0;
    uint32_t s2a_n = 0;
    static struct sim_outcome oc;
    sim_outcome_init(&oc);
    uav_mission(&ms, rate, alt, square, land);
    fc_params_default(&ref_p, rate);
    fc_state_init(&ref);
    quad_params_default(&qp);
    quad_init(&q);
    sensor_params_default(&sp);
    sim_rng_seed(&rng, seed);
    printf("sim_plant: %u Hz, %u substeps, seed %llu, mass %d g, every command checked against a reference controller\n",
           (unsigned)rate, (unsigned)substeps, (unsigned long long)seed, (int)(qp.mass * 1000.0 + 0.5));
    const double dt = 1.0 / rate;
    for (uint32_t k = 1;; k++) {
        memset(&m, 0, sizeof m);
        m.seq = k;
        sensors_sample(&sp, &rng, &q, k, &m.meas);
        double e[3];
        quad_euler(&q, e);
        for (int i = 0; i < 3; i++) {
            m.pos[i] = (float)q.pos[i];
            m.vel[i] = (float)q.vel[i];
            m.euler[i] = (float)e[i];
        }
        m.on_ground = (uint32_t)q.on_ground;
        m.crashed = (uint32_t)q.crashed;
        m.touchdown_mm_s = (uint32_t)(q.max_touchdown_speed * 1000.0 + 0.5);
        m.cmd_checked = checked;
        m.cmd_wrong = wrong;
        m.cmd_first_wrong = first_wrong;
        m.cmd_not_voted = not_voted;
        m.s2a_sum_ns = s2a_sum;
        m.s2a_max_us = (uint32_t)(s2a_max / 1000u);
        m.s2a_n = s2a_n;
        shmcomm_write(out, &m, sizeof m);
        uint64_t t_pub = uchan_now_ns();
        struct sensor_frame f;
        struct actuator_cmd want;
        uav_frame(&ms, k, &m.meas, &f);
        memset(&want, 0, sizeof want);
        int ref_ok = fc_step(&ref_p, &ref, &f, &ref, &want, NULL) == FC_OK;
        struct actuator_cmd c;
        memset(&c, 0, sizeof c);
        while (shmcomm_read_latest(in, &c, sizeof c, NULL) != (int)sizeof c || c.seq != k)
            triad_sleep_ns(POLL_NS);
        if (k > 1) {
            uint64_t lat = uchan_now_ns() - t_pub;
            s2a_sum += lat;
            s2a_n++;
            if (lat > s2a_max)
                s2a_max = lat;
        }
        checked++;
        if (c.vote_status != TMR_VOTE_UNANIMOUS && c.vote_status != TMR_VOTE_MAJORITY)
            not_voted++;
        const int safe_cmd = c.vote_status == UAV_CMD_SYSTEM_SAFE;
        const uint32_t not_off_before = oc.safe_not_off;
        const uint32_t began = sim_outcome_step(&oc, k, q.on_ground, q.crashed, safe_cmd, c.motor);
        if (began != SIM_OUTCOME_NONE)
            /* short: a sandbox's console channel cuts lines at about 120 characters */
            printf("sim_plant: outcome %s period=%u on_ground=%d alt_cm=%ld motors=%u,%u,%u,%u landed=%u\n",
                   sim_outcome_name(began), (unsigned)k, q.on_ground, (long)(q.pos[2] * 100.0), c.motor[0], c.motor[1],
                   c.motor[2], c.motor[3], (unsigned)oc.landed_period);
        const int safe_action = safe_cmd && oc.safe_not_off == not_off_before;
        if (!safe_action && (!ref_ok || memcmp(c.motor, want.motor, sizeof c.motor) != 0)) {
            if (wrong++ == 0) {
                first_wrong = k;
                printf("sim_plant: period %u: applied command %u %u %u %u differs from the reference %u %u %u %u\n",
                       (unsigned)k, c.motor[0], c.motor[1], c.motor[2], c.motor[3], want.motor[0],
                       want.motor[1], want.motor[2], want.motor[3]);
            }
        }
        quad_step(&qp, &q, c.motor, dt, (int)substeps);
    }
}
