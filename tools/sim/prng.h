/* The simulator's noise source: a fixed-seed xorshift64* generator, so every
 * run with the same seed produces the same noise on every machine, and an
 * approximately Gaussian variate from the sum of twelve uniforms (no libm,
 * so the simulator can also run inside a sandbox). */
#ifndef SIM_PRNG_H
#define SIM_PRNG_H

#include <stdint.h>

struct sim_rng {
    uint64_t s;
};

void     sim_rng_seed(struct sim_rng *r, uint64_t seed);
uint64_t sim_rng_next(struct sim_rng *r);
double   sim_rng_uniform(struct sim_rng *r);   /* [0, 1) */
double   sim_rng_gauss(struct sim_rng *r);     /* mean 0, variance 1, |x| <= 6 */
#endif
