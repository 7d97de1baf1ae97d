/*
 * tests/unit/channels/host_platform.h: the shmcomm platform backend for
 * host tests.  The test declares its channels in a table (its "system
 * description"); a key not in the table is refused.  Each channel lives in
 * one memfd, mapped with the permissions of the role asking for it: the
 * sender gets its area read-write and the reader pages read-only, a
 * receiver gets the writer area read-only and its own page read-write, so
 * a write from the wrong side faults exactly as under EPT.
 *
 * The clock is either the host's monotonic clock or a manual one the test
 * sets; in manual mode each blocking wait advances it by `tick_ns`, so
 * timeouts expire after a known number of waits.
 */
#ifndef TRIAD_TESTS_CHANNELS_HOST_PLATFORM_H
#define TRIAD_TESTS_CHANNELS_HOST_PLATFORM_H

#include <stdint.h>
#include "shmcomm_platform.h"

struct host_channel_decl {
    uint32_t key;
    uint32_t kind;            /* enum shm_kind */
    uint32_t msg_size;
    uint32_t depth;
    uint32_t n_readers;
    int create_allowed;       /* SHMCOMM_CREATE_CH permitted at run time */
};

/* Install the backend with this table (replaces any earlier one). */
void host_platform_start(const struct host_channel_decl *table, unsigned count);
void host_platform_stop(void);

/* The platform structure (also installed by start). */
const struct shmcomm_platform *host_platform(void);

/* Raw mappings for tests that inject corruption or check protection:
 * a read-write view of the whole channel (as the monitor would see it). */
void *host_writer_area_rw(uint32_t key);
struct shm_reader_ctl *host_reader_ctl_rw(uint32_t key, uint32_t reader);

/* The pages the backend granted the last endpoint opened in `role`
 * (receiver: reader `reader`), with that endpoint's permissions. */
void *host_granted_writer_area(uint32_t key, enum shmcomm_role role, uint32_t reader);
struct shm_reader_ctl *host_granted_reader_ctl(uint32_t key, enum shmcomm_role role, uint32_t reader);

/* Clock control. */
void host_clock_manual(uint64_t start_ns, uint64_t tick_ns);
void host_clock_real(void);
void host_clock_set(uint64_t ns);
void host_clock_advance(uint64_t ns);
uint64_t host_clock_now(void);
unsigned long host_wait_count(void);
/* Since the last call: how many blocking calls began waiting (attempt 0
 * seen) and the highest attempt number passed to wait. */
void host_wait_attempts(uint32_t *first, uint32_t *max);

#endif
