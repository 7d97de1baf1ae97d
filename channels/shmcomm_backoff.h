/*
 * channels/shmcomm_backoff.h: how long a blocked end sleeps between two
 * attempts, shared by the sandbox kernel's and the user programs' backends.
 *
 * Polling alone (yield between attempts) makes a receiver under a small VCPU
 * budget spend that budget spinning and then wait a whole replenishment
 * period.  So a blocking call polls a few times (the other side is often a
 * few microseconds from publishing), then sleeps, doubling the sleep up to a
 * cap: a message that arrives while it sleeps is seen at most one cap later,
 * and an idle end costs a timer interrupt per cap instead of its budget.
 */
#ifndef TRIAD_CHANNELS_SHMCOMM_BACKOFF_H
#define TRIAD_CHANNELS_SHMCOMM_BACKOFF_H
#include <stdint.h>

#define SHMCOMM_POLL_ATTEMPTS   4u          /* waits that only yield */
#define SHMCOMM_BACKOFF_MIN_NS  20000ull    /* first sleep: 20 us */
#define SHMCOMM_BACKOFF_MAX_NS  320000ull   /* cap: 320 us */

/* 0 = yield and try again; otherwise the nanoseconds to sleep before the
 * next attempt of the same blocking call (`attempt` counts from 0). */
static inline uint64_t shmcomm_backoff_ns(uint32_t attempt)
{
    if (attempt < SHMCOMM_POLL_ATTEMPTS)
        return 0;
    uint32_t k = attempt - SHMCOMM_POLL_ATTEMPTS;
    if (k > 8)
        k = 8;              /* keeps the shift small; the cap applies anyway */
    uint64_t ns = SHMCOMM_BACKOFF_MIN_NS << k;
    return ns > SHMCOMM_BACKOFF_MAX_NS ? SHMCOMM_BACKOFF_MAX_NS : ns;
}
#endif
