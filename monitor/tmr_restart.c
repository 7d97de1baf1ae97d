/* The TMR restart policy (see tmr_restart.h). */
#include "tmr_restart.h"

/* 1 when sandbox s is a replica or the standby of group g. */
/*@ requires \valid_read(g);
    assigns \nothing;
    ensures MEMBER: \result == 1 <==> tmr_member(g, s);
    ensures \result == 0 || \result == 1; */
static int member_of(const struct triad_tmr_group *g, uint32_t s)
{
    int found = 0;
    if ((g->standby != TRIAD_NONE) && ((uint32_t)g->standby == s)) {
        found = 1;
    }
    /*@ loop invariant 0 <= i <= TRIAD_MAX_REPLICAS;
        loop invariant found == 0 || found == 1;
        loop invariant found == 1 <==> ((g->standby != TRIAD_NONE && g->standby == s) ||
            \exists integer j; 0 <= j < i && j < g->replica_count && g->replicas[j] == s);
        loop assigns i, found;
        loop variant TRIAD_MAX_REPLICAS - i; */
    for (uint32_t i = 0u; i < TRIAD_MAX_REPLICAS; i++) {
        if ((i < (uint32_t)g->replica_count) && ((uint32_t)g->replicas[i] == s)) {
            found = 1;
        }
    }
    return found;
}

int tmr_restart_allowed(uint32_t caller, uint32_t target, const struct triad_tmr_group *groups,
                        const uint8_t *voters, uint32_t group_count)
{
    int allowed = 0;
    /*@ loop invariant 0 <= g <= group_count;
        loop invariant allowed == 0 || allowed == 1;
        loop invariant allowed == 1 <==> (caller != target &&
            \exists integer h; 0 <= h < g && voters[h] == caller && tmr_member(groups + h, target));
        loop assigns g, allowed;
        loop variant group_count - g; */
    for (uint32_t g = 0u; g < group_count; g++) {
        if ((caller != target) && ((uint32_t)voters[g] == caller) && (member_of(&groups[g], target) != 0)) {
            allowed = 1;
        }
    }
    return allowed;
}
