/* The in-sandbox closed loop of config/uav-tmr.xml (issue 8): what the plant
 * sandbox and the I/O sandbox exchange each control period, and the few
 * helpers the three programs share.
 *
 *   sim_plant --sim-sensors (sim_msg)--> io_voter --sensors (sensor_frame)--> fc_replica x4
 *   sim_plant <--sim-actuators (actuator_cmd)-- io_voter <--act-a..d (replica_output)--
 *
 * The loop is paced by sequence numbers: the plant publishes period k, waits
 * for the voted command of period k, steps, publishes k+1.  Flight time is
 * k / rate, whatever the emulator's speed, so every run is the same flight. */
#ifndef UAV_MSG_H
#define UAV_MSG_H

#include <stdint.h>
#include "frames.h"

#define UAV_DEFAULT_RATE_HZ 100u

/* Channel keys of config/uav-tmr.xml (its build/config/uav-tmr.h cannot be
 * used: sysgen measures the kernel image these programs are built into).
 * tests/system/80-bochs-uav-flight.sh fails if they drift apart. */
#define UAV_KEY_SENSORS       1u
#define UAV_KEY_ACT(id)       (2u + (uint32_t)(id))   /* act-a..act-d: 2..5 */
#define UAV_KEY_SIM_SENSORS   7u
#define UAV_KEY_SIM_ACTUATORS 8u
#define UAV_KEY_TRANSFER      9u

/* actuator_cmd.vote_status on sim-actuators when io_voter sends the replica
 * set's safe command in system safe mode (docs/recovery.md): not a vote
 * status of tmr/voter.h (those are 0..3), so the plant tells the safe command
 * apart from a landed vehicle's command, both motors off (tools/sim/outcome.h). */
#define UAV_CMD_SYSTEM_SAFE   0x5AFEu

/* Plant sandbox -> I/O sandbox, once per period: the sensor readings (the
 * measurement fields of a sensor_frame; seq, time, setpoint and phase are the
 * I/O sandbox's) and the plant's truth, for the console and the metrics. */
struct sim_msg {
    uint32_t seq;            /* period these readings belong to, from 1 */
    uint32_t on_ground;
    uint32_t crashed;
    uint32_t touchdown_mm_s; /* fastest touchdown so far (vertical speed at ground contact), mm/s */
    struct sensor_frame meas;
    float    pos[3];         /* truth, m (world, z up) */
    float    vel[3];         /* m/s */
    float    euler[3];       /* roll, pitch, yaw, rad */
    uint32_t pad;
    /* The plant's check of the commands it applied so far (periods 1..seq-1):
     * each one compared with what its own reference controller (the
     * fault-free flight controller on the same frames) computed. */
    uint32_t cmd_checked;    /* commands applied */
    uint32_t cmd_wrong;      /* of those, different from the reference */
    uint32_t cmd_first_wrong;/* period of the first wrong one, 0 if none */
    uint32_t cmd_not_voted;  /* commands without a majority (hold or safe command) */
    /* Sensor-to-actuator latency of periods 2..seq-1, virtual time: from
     * publishing the readings of a period to receiving its voted command
     * (period 1 waits for the replicas to start and is left out). */
    uint64_t s2a_sum_ns;
    uint32_t s2a_max_us;
    uint32_t s2a_n;
};
_Static_assert(sizeof(struct sim_msg) <= 256, "fits the sim-sensors slot");

/* I/O sandbox -> every replica, once per period after the vote (channel
 * `transfer`): the winning output of period seq, which carries the complete
 * controller state, and the replicas the voter asks to restart.
 *   - A replica in service that finds its bit in restart_mask publishes one
 *     output with seq 0 (its last before going down: the voter knows that
 *     any later output comes from the restarted program) and asks the
 *     monitor to restart its sandbox from the pristine image.
 *   - A replica program that starts mid-flight (its first frame is not
 *     period 1) loads `winner` of period k-1 into its state before it steps
 *     frame k (fc_replica_load checks digest, size and magic), and the voter
 *     lets it rejoin: K agreeing periods, then it is the new standby. */
struct uav_transfer {
    uint32_t seq;            /* period whose vote produced `winner`, 0 if none yet */
    uint32_t restart_mask;   /* bit id: replica id must restart */
    uint32_t source;         /* replica id of the winner, TMR_NO_REPLICA without a majority */
    uint32_t corrupt_mask;   /* demo fault (io_voter --corrupt): bit id flips a bit of its state, once */
    struct replica_output winner;
};
_Static_assert(sizeof(struct uav_transfer) == 304, "transfer channel msg-size in config/uav-tmr.xml");

/* Replica letter a..d -> id 0..3, or -1. */
static inline int uav_replica_id(const char *s)
{
    return (s && s[0] >= 'a' && s[0] <= 'd' && s[1] == '\0') ? s[0] - 'a' : -1;
}
#endif
