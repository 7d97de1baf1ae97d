#include "sensors.h"

void sensor_params_default(struct sensor_params *p)
{
    /* Orders of magnitude of a hobby-grade IMU, a barometer with a few
     * centimetres of noise, and a motion-capture-like position fix at 50 Hz. */
    *p = (struct sensor_params){
        .gyro_noise = 0.005, .gyro_bias = { 0.002, -0.001, 0.0015 },
        .accel_noise = 0.05,
        .baro_noise = 0.03, .baro_bias = 0.0,
        .pos_noise = 0.01, .pos_every = 5,
    };
}

void sensors_sample(const struct sensor_params *p, struct sim_rng *rng,
                    const struct quad_state *s, uint32_t period, struct sensor_frame *f)
{
    /* Draw noise in a fixed order so a run is repeatable draw for draw. */
    for (int i = 0; i < 3; i++)
        f->gyro[i] = (float)(s->rate[i] + p->gyro_bias[i] + p->gyro_noise * sim_rng_gauss(rng));
    for (int i = 0; i < 3; i++)
        f->accel[i] = (float)(s->spec_force[i] + p->accel_noise * sim_rng_gauss(rng));
    f->baro_alt = (float)(s->pos[2] + p->baro_bias + p->baro_noise * sim_rng_gauss(rng));
    f->sensor_flags = 0;
    if (p->pos_every && period % p->pos_every == 0) {
        for (int i = 0; i < 2; i++)
            f->pos[i] = (float)(s->pos[i] + p->pos_noise * sim_rng_gauss(rng));
        f->sensor_flags |= SENSOR_POS_VALID;
    } else {
        f->pos[0] = f->pos[1] = 0.0f;
    }
}
