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
#include "partition/system_table.h"

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

/* The same move for sandbox `from`, decided on core c (failover_apply:
   from's own faulting core) or on its voter-standby's core: the standby's
   request for a voter that hangs without faulting (restart_request, once
   from's core took its restart request: from_stopped = 1, its cores are
   not flushed, their relaunch does).  1 when moved, 0 when refused (its
   line). */
/*@ requires \valid(c);
    assigns \nothing; */
int failover_move(struct core *c, uint32_t from, int from_stopped);

/* A restart request from caller naming target, judged against the roles
   of now (failover_request_check in recovery/io_failover.h). */
/*@ assigns \nothing; */
int failover_request(uint32_t caller, uint32_t target);

/* voters[g]: the sandbox holding TMR group g's voter role now
   (TRIAD_NONE for a group past the table); what tmr_restart_allowed
   checks the caller against. */
/*@ requires \valid(voters + (0 .. TRIAD_MAX_TMR_GROUPS - 1));
    assigns voters[0 .. TRIAD_MAX_TMR_GROUPS - 1]; */
void failover_voters_now(uint8_t *voters);

#endif
