/* Sensor models: gyro, accelerometer, barometer and a horizontal position
 * fix, each the plant's truth plus a constant bias and Gaussian noise from
 * the fixed-seed PRNG.  Produces the sensor_frame the I/O sandbox publishes. */
#ifndef SIM_SENSORS_H
#define SIM_SENSORS_H

#include "frames.h"
#include "prng.h"
#include "quad_model.h"

struct sensor_params {
    double gyro_noise, gyro_bias[3];   /* rad/s */
    double accel_noise;                /* m/s^2 */
    double baro_noise, baro_bias;      /* m */
    double pos_noise;                  /* m */
    uint32_t pos_every;                /* a position fix every N periods */
};

void sensor_params_default(struct sensor_params *p);
/* Fills the measurement fields of *f (not seq, time, setpoint or phase). */
void sensors_sample(const struct sensor_params *p, struct sim_rng *rng,
                    const struct quad_state *s, uint32_t period, struct sensor_frame *f);
#endif
