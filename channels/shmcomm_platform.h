/*
 * channels/shmcomm_platform.h: what the channel library needs from the
 * system it runs on.  Three backends implement it:
 *   - host tests (tests/unit/channels/host_platform.c): a key table given by
 *     the test, memfd pages mapped twice with one-way permissions, a
 *     controllable clock;
 *   - the sandbox kernel (later): keys and page addresses from system.bin
 *     (the channel window at TRIAD_CHANNEL_WINDOW_GPA), run-time creation
 *     through the monitor's hypercall, time from the TSC, wait = yield,
 *     then sleep with a backoff;
 *   - user programs: the same, through system calls.
 *
 * The backend is the policy: a key it refuses is SHMCOMM_ERR_KEY, and the
 * grant it returns (kind, sizes, page addresses) is the system description's
 * word, against which the library checks what the program asked for.
 */
#ifndef TRIAD_CHANNELS_SHMCOMM_PLATFORM_H
#define TRIAD_CHANNELS_SHMCOMM_PLATFORM_H

#include <stdint.h>
#include "shm_layout.h"

enum shmcomm_role { SHMCOMM_ROLE_SEND = 0, SHMCOMM_ROLE_RECEIVE = 1 };

/* What the policy gives one endpoint. */
struct shmcomm_grant {
    /* Writer area: read-write for the sender, read-only for a receiver. */
    void *writer_area;
    uint64_t writer_area_bytes;          /* must equal shm_writer_area_bytes(...) */
    /* Sender: every reader's page (read-only).  Receiver: only
     * reader_ctl[reader_index] is set (read-write). */
    struct shm_reader_ctl *reader_ctl[SHM_MAX_READERS];
    uint32_t kind;                        /* enum shm_kind, as declared */
    uint32_t msg_size;                    /* declared message size */
    uint32_t depth;                       /* declared FIFO depth (sync) */
    uint32_t n_readers;
    uint32_t reader_index;                /* receiver: which reader we are */
};

struct shmcomm_platform {
    /* May this program open `key` in `role`?  `flags` carries
     * SHMCOMM_CREATE_CH or SHMCOMM_CONNECT_CH: a backend refuses run-time
     * creation the description does not allow.  Returns SHMCOMM_OK and
     * fills *grant, or SHMCOMM_ERR_KEY. */
    int (*lookup)(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t flags,
                  struct shmcomm_grant *grant);
    /* The endpoint is closed (may be null). */
    void (*release)(void *ctx, uint32_t key, enum shmcomm_role role, uint32_t reader_index);
    /* Monotonic time in nanoseconds, the same clock in every sandbox
     * (timestamps written by one side are compared by the other). */
    uint64_t (*now_ns)(void *ctx);
    /* Called in a blocking loop between two attempts: yield the CPU, wait
     * for the next tick.  `attempt` counts the waits of this one blocking
     * call from 0, so a backend can poll a few times (the other side is
     * often about to publish) and then sleep with a growing backoff instead
     * of spending its budget polling.  Must return (the library re-checks
     * its deadline). */
    void (*wait)(void *ctx, uint32_t attempt);
    void *ctx;
};

/* Install the backend (once at start-up; null removes it). */
void shmcomm_set_platform(const struct shmcomm_platform *platform);
const struct shmcomm_platform *shmcomm_get_platform(void);

#endif
