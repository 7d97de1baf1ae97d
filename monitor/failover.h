/*
 * I/O sandbox failover in the monitor (issue 9, docs/recovery.md): a TMR
 * voter whose health action is `failover` hands the channels it writes to
 * its voter-standby before it is restarted.  The plan comes from
 * recovery/io_failover.c (pure, host-tested); this module applies it: each
 * channel's writer area is made read-only in the failed voter's
 * second-level tables and read-write in the standby's (both mapped at boot:
 * nothing is allocated), every core of both sandboxes flushes its cached
 * translations, and the roles are recorded, which TRIAD_HC_SANDBOX_INFO
 * reports (shadow_channels): the standby's voter sees it is the voter now
 * and publishes from its next vote on; the restarted voter comes back in
 * shadow.
 */
#ifndef TRIAD_MONITOR_FAILOVER_H
#define TRIAD_MONITOR_FAILOVER_H

#include <stdint.h>
#include "percore.h"

/* Bit i: sandbox sb is channel i's writer or shadow writer and does not
   write it now. */
/*@ assigns \nothing; */
uint32_t failover_shadow_channels(uint32_t sb);

/* From core c's fault exit (applied action failover): moves the channels
   c's sandbox writes to its voter-standby; one RECOVERY line with the
   phases and a decision record, or a RECOVERY line saying why not (the
   caller restarts the sandbox cold either way).  1 when moved, 0 when
   refused. */
/*@ requires \valid(c);
    assigns \nothing; */
int failover_apply(struct core *c);

#endif
