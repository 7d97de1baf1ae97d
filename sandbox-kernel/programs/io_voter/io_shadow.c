/* io_voter in shadow (io_shadow.h). */
#include <stdio.h>
#include <string.h>
#include "../lib/triad.h"
#include "io_shadow.h"

int io_shadow_start(struct io_shadow *sh)
{
    memset(sh, 0, sizeof *sh);
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

int io_shadow_promoted(struct io_shadow *sh, uint64_t now_ns)
{
    if (!sh->on || now_ns - sh->wait_from_ns < IO_SHADOW_POLL_NS || now_ns - sh->last_poll_ns < IO_SHADOW_POLL_NS)
        return 0;
    sh->last_poll_ns = now_ns;
    sh->polls++;
    long m = triad_shadow_channels();
    if (m != 0)
        return 0;       /* still in shadow (or the monitor did not answer: stay so) */
    sh->on = 0;
    return 1;
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
    printf("io_voter: role %s after period %u: compared %u disagreed %u first-disagreed %u promoted-at %u role-polls %u\n",
           sh->on ? "shadow" : "voter", (unsigned)report, (unsigned)sh->compared, (unsigned)sh->disagreed,
           (unsigned)sh->first_disagreed, (unsigned)sh->promoted_at, (unsigned)sh->polls);
}
