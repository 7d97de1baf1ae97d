#include "prng.h"

void sim_rng_seed(struct sim_rng *r, uint64_t seed)
{
    /* xorshift has one forbidden state, zero; scramble the seed so nearby
     * seeds do not start with nearby streams. */
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    r->s = z ? z : 1;
}

uint64_t sim_rng_next(struct sim_rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545f4914f6cdd1dull;
}

double sim_rng_uniform(struct sim_rng *r)
{
    /* The top 53 bits fill a double's mantissa exactly. */
    return (double)(sim_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double sim_rng_gauss(struct sim_rng *r)
{
    /* Irwin-Hall: the sum of 12 uniforms has variance 1; good enough for
     * sensor noise and free of log/cos. */
    double sum = 0.0;
    for (int i = 0; i < 12; i++)
        sum += sim_rng_uniform(r);
    return sum - 6.0;
}
