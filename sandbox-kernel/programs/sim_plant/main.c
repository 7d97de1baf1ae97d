/* The quadrotor plant in its own sandbox (issue 8).
 * usage: sim_plant [--rate HZ] [--seed N] [--substeps N]
 *
 * Lockstep with the control period, paced by sequence numbers: publish the
 * sensor readings and truth of period k on sim-sensors, wait for the voted
 * actuator command of period k on sim-actuators, apply it for one plant step
 * (tools/sim/quad_model.c, sensors with fixed-seed noise), publish k+1.
 * A command that never comes is waited for: the plant does not fly on
 * without its controller, so the flight is the same at any emulator speed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../chan_lib/uchan.h"
#include "../lib/triad.h"
#include "quad_model.h"
#include "sensors.h"
#include "prng.h"
#include "uav_msg.h"

#define POLL_NS 200000ull

int main(int argc, char **argv)
{
    uint32_t rate = UAV_DEFAULT_RATE_HZ, substeps = 4;
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--rate") == 0)
            rate = (uint32_t)strtoul(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], 0, 10);
        else if (strcmp(argv[i], "--substeps") == 0)
            substeps = (uint32_t)strtoul(argv[i + 1], 0, 10);
    }
    if (rate < 50 || rate > 2000 || substeps < 1 || substeps > 64 || argc % 2 == 0) {
        printf("usage: sim_plant [--rate HZ] [--seed N] [--substeps N]\n");
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
    quad_params_default(&qp);
    quad_init(&q);
    sensor_params_default(&sp);
    sim_rng_seed(&rng, seed);
    printf("sim_plant: %u Hz, %u substeps, seed %llu, mass %d g\n", (unsigned)rate, (unsigned)substeps,
           (unsigned long long)seed, (int)(qp.mass * 1000.0 + 0.5));
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
        shmcomm_write(out, &m, sizeof m);
        struct actuator_cmd c;
        memset(&c, 0, sizeof c);
        while (shmcomm_read_latest(in, &c, sizeof c, NULL) != (int)sizeof c || c.seq != k)
            triad_sleep_ns(POLL_NS);
        quad_step(&qp, &q, c.motor, dt, (int)substeps);
    }
}
