/* Word-at-a-time multiply-xorshift mixing: each step folds one 32-bit word
 * into a 64-bit accumulator and diffuses it with an odd multiplier and a
 * right shift, so a single flipped bit anywhere changes the result; the word
 * count is folded in as well so that trailing zero words are not ignored. */
#include "digest.h"

#define DIGEST_SEED 0x6a09e667f3bcc909ull   /* any fixed odd pattern */
#define DIGEST_MUL  0x9e3779b97f4a7c15ull   /* odd: multiplication is a bijection */

static uint64_t mix(uint64_t h)
{
    h ^= h >> 31;
    h *= DIGEST_MUL;
    h ^= h >> 29;
    return h;
}

uint64_t tmr_digest(const uint32_t *words, uint32_t count)
{
    uint64_t h = DIGEST_SEED ^ count;
    for (uint32_t i = 0; i < count; i++)
        h = mix(h ^ words[i]) + i;
    return mix(h);
}
