/* Message formats of the triplicated flight controller.
 *
 * Three messages travel between sandboxes each control period:
 *   sensor_frame     I/O sandbox -> every replica (one writer, many readers)
 *   replica_output   each replica -> the voter (one channel per replica)
 *   actuator_cmd     voter -> actuators (inside the I/O sandbox)
 *
 * They are copied whole through 4-slot channels, so every field has a fixed
 * width and a fixed offset, there is no implicit padding (checked below), and
 * each message stays well under 512 bytes.  Freestanding: no libc.
 *
 * Motor commands are integers (TMR_MOTOR_MAX = full thrust) so the voter can
 * compare them without floating point; the floats in the sensor frame are
 * IEEE-754 binary32, which both the host and the sandbox target use.
 */
#ifndef TMR_FRAMES_H
#define TMR_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define TMR_MOTORS        4u
#define TMR_MOTOR_MAX     10000u   /* a motor command in 1/10000 of full thrust */
#define TMR_STATE_WORDS   64u      /* room for a replicated task's state, 256 bytes */
#define TMR_FRAME_VERSION 1u

/* Mission phase carried in every sensor frame: the ground station (through
 * the I/O sandbox) decides the phase, so every replica sees the same one. */
enum mission_phase {
    PHASE_DISARMED = 0,  /* motors off */
    PHASE_FLY      = 1,  /* track the position and altitude setpoint */
    PHASE_LAND     = 2,  /* descend at the landing rate, cut motors on the ground */
    PHASE_COUNT
};

/* What the I/O sandbox samples and publishes once per control period.
 * Axes: world x forward (north), y left, z up; body x forward, y left, z up. */
struct sensor_frame {
    uint32_t version;      /* TMR_FRAME_VERSION */
    uint32_t seq;          /* control period number, starts at 1, +1 per period */
    uint64_t time_us;      /* virtual time of the sample, microseconds */
    float    gyro[3];      /* body angular rate, rad/s */
    float    accel[3];     /* body specific force, m/s^2 (reads +9.81 on z at rest) */
    float    baro_alt;     /* barometric altitude above the take-off point, m */
    uint32_t sensor_flags; /* SENSOR_* bits: which readings are fresh this period */
    float    pos[2];       /* horizontal position fix (x, y), m */
    float    setpoint[4];  /* x, y, z (m) and yaw (rad) to hold */
    uint32_t phase;        /* enum mission_phase */
    uint32_t reserved;     /* zero; keeps the size a multiple of 8 */
};

/* What each replica publishes once per control period.  The complete
 * controller state travels with the commands so that a restarted replica can
 * rejoin by loading the majority's state; `digest` is tmr_digest() of
 * state[0..state_words) and is what the voter compares in place of the state. */
struct replica_output {
    uint32_t seq;                     /* seq of the sensor frame this answers */
    uint32_t replica_id;              /* which replica wrote it (not voted) */
    uint16_t motor[TMR_MOTORS];       /* 0..TMR_MOTOR_MAX */
    uint64_t digest;                  /* digest of the state below */
    uint32_t state_words;             /* used words of state[] */
    uint32_t flags;                   /* REPLICA_FLAG_* (voted with the motors) */
    uint32_t state[TMR_STATE_WORDS];  /* the controller's state, opaque here */
};

#define SENSOR_POS_VALID  0x1u   /* pos[] holds a fix taken this period */

#define REPLICA_FLAG_ARMED      0x1u  /* motors may spin */
#define REPLICA_FLAG_FRAME_GAP  0x2u  /* a sensor frame was skipped at some point */

/* What the voter hands to the actuators. */
struct actuator_cmd {
    uint32_t seq;                 /* period the command belongs to */
    uint32_t vote_status;         /* enum tmr_vote_status of that period */
    uint16_t motor[TMR_MOTORS];   /* 0..TMR_MOTOR_MAX */
};

/* No padding surprises: the sizes and offsets are part of the contract.
 * Checked by every compiler build; hidden from Frama-C, whose front end
 * accepts _Static_assert only with -c11 (the shared proof driver omits it). */
#ifndef __FRAMAC__
_Static_assert(sizeof(float) == 4, "binary32 floats");
_Static_assert(sizeof(struct sensor_frame) == 80, "sensor_frame layout");
_Static_assert(offsetof(struct sensor_frame, time_us) == 8, "sensor_frame.time_us");
_Static_assert(offsetof(struct sensor_frame, gyro) == 16, "sensor_frame.gyro");
_Static_assert(offsetof(struct sensor_frame, pos) == 48, "sensor_frame.pos");
_Static_assert(offsetof(struct sensor_frame, setpoint) == 56, "sensor_frame.setpoint");
_Static_assert(offsetof(struct sensor_frame, phase) == 72, "sensor_frame.phase");
_Static_assert(offsetof(struct replica_output, motor) == 8, "replica_output.motor");
_Static_assert(offsetof(struct replica_output, digest) == 16, "replica_output.digest");
_Static_assert(offsetof(struct replica_output, state) == 32, "replica_output.state");
_Static_assert(sizeof(struct replica_output) == 32 + 4 * TMR_STATE_WORDS, "replica_output layout");
_Static_assert(sizeof(struct replica_output) <= 512, "fits a 4-slot channel slot");
_Static_assert(sizeof(struct actuator_cmd) == 16, "actuator_cmd layout");
#endif

#endif
