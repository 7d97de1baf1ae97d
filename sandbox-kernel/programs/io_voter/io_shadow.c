/* io_voter in shadow (io_shadow.h). */
#include <stdio.h>
#include <string.h>
#include "../lib/triad.h"
#include "io_shadow.h"

int io_shadow_start(struct io_shadow *sh, uint32_t peer)
{
    memset(sh, 0, sizeof *sh);
    sh->peer = peer;
    long m = triad_shadow_channels();
    sh->polls = 1;
    if (m > 0) {
        sh->on = 1;
        sh->mask = (uint32_t)m;
        printf("io_voter: shadow of the voter (channels 0x%x are read-only here): votes every period, "
               "publishes nothing until the monitor's failover\n", (unsigned)sh->mask);
    }
    return sh->on;
}

void io_shadow_wait_begins(struct io_shadow *sh, uint64_t now_ns)
{
    sh->wait_from_ns = now_ns;
}

int io_shadow_promoted_now(struct io_shadow *sh)
{
    if (!sh->on)
        return 0;
    sh->polls++;
    long m = triad_shadow_channels();
    if (m != 0)
        return 0;       /* still in shadow (or the monitor did not answer: stay so) */
    sh->on = 0;
    return 1;
}

int io_shadow_promoted(struct io_shadow *sh, uint64_t now_ns)
{
    if (!sh->on || now_ns - sh->wait_from_ns < IO_SHADOW_POLL_NS || now_ns - sh->last_poll_ns < IO_SHADOW_POLL_NS)
        return 0;
    sh->last_poll_ns = now_ns;
    return io_shadow_promoted_now(sh);
}

void io_shadow_lag(struct io_shadow *sh, int command, uint64_t lag_ns)
{
    uint64_t *max = command ? &sh->lag_command_max_ns : &sh->lag_frame_max_ns;
    if (lag_ns > *max)
        *max = lag_ns;
}

int io_shadow_stalled(struct io_shadow *sh, uint32_t k, uint64_t since_ns, uint64_t now_ns, uint64_t allowed_ns,
                      uint64_t period_ns, const char *what)
{
    if (!sh->on || sh->peer == IO_SHADOW_NO_PEER || sh->stall_asked_at == k)
        return 0;
    const uint64_t waited = now_ns - since_ns;
    if (waited < allowed_ns + IO_SHADOW_STALL_PERIODS * period_ns)
        return 0;
    sh->stall_asked_at = k;
    sh->stall_requests++;
    long r = triad_sandbox_restart(sh->peer);
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));   /* the monitor's clock: its lines' t= */
    printf("[tmr] period %u: voter-hung %s %s (detail %ld) waited %llu us tsc=%llu\n", (unsigned)k,
           r == 0 ? "failover-accepted" : "failover-refused", what, r == 0 ? (long)sh->peer : -r,
           (unsigned long long)(waited / 1000u), ((unsigned long long)hi << 32) | lo);
    return r == 0;
}

void io_shadow_compare(struct io_shadow *sh, uint32_t k, const uint16_t *mine, uint32_t mine_status,
                       const uint16_t *published, uint32_t published_status, uint32_t motors)
{
    sh->compared++;
    if (memcmp(mine, published, motors * sizeof *mine) == 0 && mine_status == published_status)
        return;
    if (sh->disagreed++ == 0) {
        sh->first_disagreed = k;
        printf("[tmr] period %u: shadow-disagrees voter (detail %u)\n", (unsigned)k, (unsigned)published_status);
    }
}

void io_shadow_report(const struct io_shadow *sh, uint32_t report)
{
    if (!sh->on && !sh->promoted_at && !sh->compared)
        return;         /* never in shadow (no voter-standby in the description): nothing to say */
    printf("io_voter: role %s after period %u: compared %u disagreed %u first-disagreed %u promoted-at %u role-polls %u "
           "stall-requests %u lag-frame-max %llu us lag-command-max %llu us\n",
           sh->on ? "shadow" : "voter", (unsigned)report, (unsigned)sh->compared, (unsigned)sh->disagreed,
           (unsigned)sh->first_disagreed, (unsigned)sh->promoted_at, (unsigned)sh->polls,
           (unsigned)sh->stall_requests, (unsigned long long)(sh->lag_frame_max_ns / 1000u),
           (unsigned long long)(sh->lag_command_max_ns / 1000u));
}
