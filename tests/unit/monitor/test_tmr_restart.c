/* tmr_restart_allowed: the voter of a TMR group may ask the monitor to
   restart that group's replicas and standby, and nothing else (issue 8:
   a hung replica cannot ask for its own restart). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "tmr_restart.h"

/* Two groups as sysgen lays them out: "flight" voted by sandbox 0 over
   replicas 1, 2, 3 with standby 4 (config/uav-tmr.xml), "nav" voted by 5
   over 6, 7, 8 and no standby. */
static struct triad_tmr_group groups[TRIAD_MAX_TMR_GROUPS];
/* Who holds each group's voter role now (the monitor's record: the table's
   voter until a failover moves it to the voter-standby). */
static uint8_t voters[TRIAD_MAX_TMR_GROUPS];

static int setup(void **state)
{
    (void)state;
    memset(groups, 0, sizeof groups);
    const uint8_t flight[3] = { 1, 2, 3 }, nav[3] = { 6, 7, 8 };
    groups[0].replica_count = 3;
    memcpy(groups[0].replicas, flight, 3);
    groups[0].standby = 4;
    groups[0].voter = 0;
    groups[1].replica_count = 3;
    memcpy(groups[1].replicas, nav, 3);
    groups[1].standby = TRIAD_NONE;
    groups[1].voter = 5;
    /* unused replica slots hold 0 (the voter's index of group 0) and
       TRIAD_NONE: neither may count as a member */
    groups[1].replicas[3] = 0;
    groups[1].replicas[4] = TRIAD_NONE;
    memset(voters, TRIAD_NONE, sizeof voters);
    voters[0] = 0;
    voters[1] = 5;
    return 0;
}

/* REQ: TMR-RST-001 */
static void voter_restarts_its_members(void **state)
{
    (void)state;
    for (uint32_t t = 1; t <= 4; t++)
        assert_int_equal(tmr_restart_allowed(0, t, groups, voters, 2), 1);   /* replicas and standby */
    for (uint32_t t = 6; t <= 8; t++)
        assert_int_equal(tmr_restart_allowed(5, t, groups, voters, 2), 1);
}

/* REQ: TMR-RST-001 */
static void everything_else_refused(void **state)
{
    (void)state;
    /* the voter of one group for a member of the other (cross-group) */
    assert_int_equal(tmr_restart_allowed(0, 6, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(5, 2, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(5, 4, groups, voters, 2), 0);
    /* a non-voter: a replica for a fellow replica, the standby for a
       replica, a sandbox outside every group */
    assert_int_equal(tmr_restart_allowed(1, 2, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(4, 3, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(9, 1, groups, voters, 2), 0);
    /* the voter for itself or for a sandbox outside its group */
    assert_int_equal(tmr_restart_allowed(0, 0, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(0, 5, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(0, 9, groups, voters, 2), 0);
    /* caller == target, a member but not a voter */
    assert_int_equal(tmr_restart_allowed(2, 2, groups, voters, 2), 0);
    /* targets out of range: past the table, TRIAD_NONE, 32-bit values
       whose low byte names a member */
    assert_int_equal(tmr_restart_allowed(0, TRIAD_MAX_SANDBOXES, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(0, TRIAD_NONE, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(0, 0x102u, groups, voters, 2), 0);
    assert_int_equal(tmr_restart_allowed(0x100u, 2, groups, voters, 2), 0);
    /* group 1 has no standby: TRIAD_NONE is no member of it */
    assert_int_equal(tmr_restart_allowed(5, TRIAD_NONE, groups, voters, 2), 0);
    /* unused replica slots (beyond replica_count) are no members */
    assert_int_equal(tmr_restart_allowed(5, 0, groups, voters, 2), 0);
}

/* REQ: TMR-RST-001 */
static void only_described_groups_count(void **state)
{
    (void)state;
    /* group 1 not in the table's count: its voter supervises nothing */
    assert_int_equal(tmr_restart_allowed(5, 6, groups, voters, 1), 0);
    assert_int_equal(tmr_restart_allowed(0, 2, groups, voters, 1), 1);
    /* no groups at all */
    assert_int_equal(tmr_restart_allowed(0, 2, groups, voters, 0), 0);
    /* replica_count larger than the array: bounded by TRIAD_MAX_REPLICAS */
    groups[0].replica_count = 200;
    memset(groups[0].replicas, 1, TRIAD_MAX_REPLICAS);
    groups[0].replicas[TRIAD_MAX_REPLICAS - 1] = 11;
    assert_int_equal(tmr_restart_allowed(0, 11, groups, voters, 1), 1);
    assert_int_equal(tmr_restart_allowed(0, 12, groups, voters, 1), 0);
}

/* Issue 9: after a failover the role's authority is the new voter's
   (voter-standby 9 of group 0 here); the old voter, in shadow now, is
   refused like any non-voter.  REQ: TMR-RST-001, REC-FO-003 */
static void authority_moves_with_the_role(void **state)
{
    (void)state;
    voters[0] = 9;
    for (uint32_t t = 1; t <= 4; t++) {
        assert_int_equal(tmr_restart_allowed(9, t, groups, voters, 2), 1);
        assert_int_equal(tmr_restart_allowed(0, t, groups, voters, 2), 0);   /* the old voter */
    }
    assert_int_equal(tmr_restart_allowed(9, 0, groups, voters, 2), 0);       /* the old voter is no member */
    assert_int_equal(tmr_restart_allowed(9, 6, groups, voters, 2), 0);       /* nor is another group's replica */
    assert_int_equal(tmr_restart_allowed(5, 6, groups, voters, 2), 1);       /* group 1 unchanged */
    /* and back after the second failover */
    voters[0] = 0;
    assert_int_equal(tmr_restart_allowed(0, 2, groups, voters, 2), 1);
    assert_int_equal(tmr_restart_allowed(9, 2, groups, voters, 2), 0);
    /* a group whose role is recorded as nobody's (TRIAD_NONE) */
    voters[0] = TRIAD_NONE;
    assert_int_equal(tmr_restart_allowed(0, 2, groups, voters, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(voter_restarts_its_members, setup),
        cmocka_unit_test_setup(everything_else_refused, setup),
        cmocka_unit_test_setup(only_described_groups_count, setup),
        cmocka_unit_test_setup(authority_moves_with_the_role, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
