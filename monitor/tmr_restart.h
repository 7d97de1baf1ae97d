/* TMR supervision (issue 8): which sandbox may ask the monitor to restart
   which other sandbox.  A replica that hangs cannot obey its voter's
   restart request, so the voter of a TMR group (system.bin's
   struct triad_tmr_group, checked by validate.c) may request the restart of
   that group's members - its replicas and its standby - and of nothing
   else.  Pure: reads the table, keeps no state (docs/tmr.md, host test
   tests/unit/monitor/test_tmr_restart.c). */
#ifndef TRIAD_MONITOR_TMR_RESTART_H
#define TRIAD_MONITOR_TMR_RESTART_H

#include <stdint.h>
#include "partition/system_table.h"

/*@ predicate tmr_member(struct triad_tmr_group *g, integer s) =
        (\exists integer i; 0 <= i < TRIAD_MAX_REPLICAS && i < g->replica_count && g->replicas[i] == s) ||
        (g->standby != TRIAD_NONE && g->standby == s);
    predicate tmr_supervises(struct triad_tmr_group *gs, uint8_t *voters, integer n, integer caller,
                             integer target) =
        caller != target &&
        \exists integer g; 0 <= g < n && voters[g] == caller && tmr_member(gs + g, target); */

/* 1 when sandbox caller holds the voter role of one of the first
   group_count groups now (voters[g]: the table's voter, or its
   voter-standby after a failover, issue 9: the role's authority moves with
   it, and the old voter in shadow loses it) and target is a replica or the
   standby of that same group (and not the caller itself); 0 otherwise,
   also for any index out of range. */
/*@ requires group_count <= TRIAD_MAX_TMR_GROUPS;
    requires \valid_read(groups + (0 .. TRIAD_MAX_TMR_GROUPS - 1));
    requires \valid_read(voters + (0 .. TRIAD_MAX_TMR_GROUPS - 1));
    assigns \nothing;
    ensures ALLOWED_BOOL: \result == 0 || \result == 1;
    ensures REQ_TMR_RST_001: \result == 1 <==> tmr_supervises(groups, voters, group_count, caller, target); */
int tmr_restart_allowed(uint32_t caller, uint32_t target, const struct triad_tmr_group *groups,
                        const uint8_t *voters, uint32_t group_count);

#endif
