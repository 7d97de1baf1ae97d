/* I/O sandbox failover: the plan and its refusals (recovery/io_failover.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "io_failover.h"

/* io (0) votes and writes sensors (ch 0), actuators (ch 1) and transfer
   (ch 3) with io2 (4) as their shadow writer; replica fc-a (1) writes its
   output (ch 2, read by io and io2); console channel 4 (fc-a -> io) has no
   shadow.  Sandboxes 0..4. */
static struct triad_table_body table(void)
{
    struct triad_table_body b;
    memset(&b, 0, sizeof b);
    b.sandbox_count = 5;
    b.channel_count = 5;
    const uint8_t writer[5] = { 0, 0, 1, 0, 1 };
    const uint8_t shadow[5] = { 5, 5, 0, 5, 0 };
    for (uint32_t i = 0; i < 5; i++) {
        b.channels[i].writer = writer[i];
        b.channels[i].shadow_writer = shadow[i];
    }
    return b;
}

/* REQ: REC-FO-001 */
static void standby_takes_every_channel_the_voter_writes(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct failover_plan p;
    assert_int_equal(failover_plan(&b, 0, 0, 0, 0, &p), FO_OK);
    assert_int_equal(p.from, 0);
    assert_int_equal(p.to, 4);
    assert_int_equal(p.channel_count, 3);
    assert_int_equal(p.channels[0], 0);
    assert_int_equal(p.channels[1], 1);
    assert_int_equal(p.channels[2], 3);
    /* before: io2 shadows the three; io shadows nothing */
    assert_int_equal(failover_shadowed(&b, 0, 4), 0x0B);
    assert_int_equal(failover_shadowed(&b, 0, 0), 0);
    assert_int_equal(failover_writer_now(&b, 0, 1), 0);
}

/* REQ: REC-FO-001 */
static void roles_swap_and_swap_back(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct failover_plan p;
    const uint32_t swapped = 0x0B;             /* after io's failover */
    assert_int_equal(failover_writer_now(&b, swapped, 1), 4);
    assert_int_equal(failover_writer_now(&b, swapped, 2), 1);   /* no shadow: never moves */
    assert_int_equal(failover_shadowed(&b, swapped, 0), 0x0B);  /* the restarted io runs in shadow */
    assert_int_equal(failover_shadowed(&b, swapped, 4), 0);
    /* io2 fails in turn: the role goes back to io */
    assert_int_equal(failover_plan(&b, swapped, 4, 0, 0, &p), FO_OK);
    assert_int_equal(p.to, 0);
    assert_int_equal(p.channel_count, 3);
    /* io, in shadow now, has nothing to fail over */
    assert_int_equal(failover_plan(&b, swapped, 0, 0, 0, &p), FO_E_NOT_DECLARED);
}

/* REQ: REC-FO-001 */
static void refusals(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct failover_plan p;
    assert_int_equal(failover_plan(&b, 0, 1, 0, 0, &p), FO_E_NOT_DECLARED);    /* a replica: no voter-standby */
    assert_int_equal(failover_plan(&b, 0, 4, 0, 0, &p), FO_E_NOT_DECLARED);    /* the shadow itself */
    assert_int_equal(failover_plan(&b, 0, 0, 1u << 4, 0, &p), FO_E_STANDBY_HALTED);
    assert_int_equal(p.to, 4);
    assert_int_equal(p.channel_count, 0);
    assert_int_equal(failover_plan(&b, 0, 0, 0, 1u << 4, &p), FO_E_STANDBY_RECOVERING);
    assert_int_equal(failover_plan(&b, 0, 0, 1u << 1, 1u << 2, &p), FO_OK);    /* others' states do not matter */
    assert_int_equal(failover_plan(&b, 0, 5, 0, 0, &p), FO_E_SANDBOX);
    assert_int_equal(failover_plan(&b, 0, 200, 0, 0, &p), FO_E_SANDBOX);
    b.channels[3].shadow_writer = 3;                                            /* transfer shadowed by another */
    assert_int_equal(failover_plan(&b, 0, 0, 0, 0, &p), FO_E_INCONSISTENT);
    assert_int_equal(failover_writer_now(&b, 0, 32), TRIAD_NONE);
    assert_int_equal(failover_writer_now(&b, 0, 5), TRIAD_NONE);
    assert_string_equal(failover_result_name(FO_E_STANDBY_HALTED), "standby-not-running");
    assert_string_equal(failover_result_name(FO_E_NOT_DECLARED), "no-voter-standby");
    assert_string_equal(failover_result_name(-99), "unknown");
    assert_string_equal(failover_result_name(FO_OK), "ok");
    assert_string_equal(failover_result_name(FO_E_SANDBOX), "no-such-sandbox");
    assert_string_equal(failover_result_name(FO_E_INCONSISTENT), "shadows-differ");
    assert_string_equal(failover_result_name(FO_E_STANDBY_RECOVERING), "standby-in-recovery");
}

/* Tables the monitor's validator refuses, planned anyway: nothing moves.
   REQ: REC-FO-001 */
static void malformed_tables_plan_nothing(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct failover_plan p;
    for (uint32_t i = 0; i < 5; i++)
        if (b.channels[i].shadow_writer != 0)
            b.channels[i].shadow_writer = 8;            /* past the sandboxes */
    assert_int_equal(failover_plan(&b, 0, 0, 0, 0, &p), FO_E_NOT_DECLARED);
    b = table();
    for (uint32_t i = 0; i < 5; i++)
        if (b.channels[i].shadow_writer != 0)
            b.channels[i].shadow_writer = 1;            /* the writer itself */
    assert_int_equal(failover_plan(&b, 0, 0, 0, 0, &p), FO_E_NOT_DECLARED);
    b = table();
    b.channel_count = 40;                               /* past the table's capacity: bounded */
    b.sandbox_count = 20;
    assert_int_equal(failover_plan(&b, 0, 0, 0, 0, &p), FO_OK);
    assert_int_equal(failover_plan(&b, 0, 17, 0, 0, &p), FO_E_SANDBOX);
    assert_int_equal(failover_shadowed(&b, 0, 4), 0x0B);
    assert_int_equal(failover_writer_now(&b, 0, 33), TRIAD_NONE);
}

/* The hung voter: only its shadow may ask for its failover, and only for
   the voter of now.  REQ: REC-FO-003 */
static void request_for_a_hung_voter(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    assert_int_equal(failover_request_check(&b, 0, 4, 0), FO_OK);              /* io2 for io */
    assert_int_equal(failover_request_check(&b, 0, 1, 0), FO_E_NOT_STANDBY);   /* a replica for io */
    assert_int_equal(failover_request_check(&b, 0, 2, 0), FO_E_NOT_STANDBY);   /* a bystander for io */
    assert_int_equal(failover_request_check(&b, 0, 0, 4), FO_E_NOT_CURRENT);   /* io for its shadow */
    assert_int_equal(failover_request_check(&b, 0, 1, 4), FO_E_NOT_CURRENT);
    assert_int_equal(failover_request_check(&b, 0, 4, 1), FO_POLICY);          /* a replica: the TMR policy */
    assert_int_equal(failover_request_check(&b, 0, 0, 1), FO_POLICY);
    assert_int_equal(failover_request_check(&b, 0, 0, 0), FO_POLICY);          /* its own restart */
    assert_int_equal(failover_request_check(&b, 0, 4, 4), FO_POLICY);
    assert_int_equal(failover_request_check(&b, 0, 5, 0), FO_E_SANDBOX);
    assert_int_equal(failover_request_check(&b, 0, 4, 200), FO_E_SANDBOX);
    /* after io's failover the roles are the other way round */
    const uint32_t swapped = 0x0B;
    assert_int_equal(failover_request_check(&b, swapped, 0, 4), FO_OK);        /* io (shadow now) for io2 */
    assert_int_equal(failover_request_check(&b, swapped, 4, 0), FO_E_NOT_CURRENT); /* the old voter is no voter */
    assert_int_equal(failover_request_check(&b, swapped, 1, 4), FO_E_NOT_STANDBY);
    /* a half-moved pair (one channel swapped alone): io2 shadows ch 0 only,
       io writes 1 and 3 with io2 their shadow still */
    assert_int_equal(failover_request_check(&b, 0x01, 4, 0), FO_OK);
    assert_int_equal(failover_request_check(&b, 0x01, 0, 4), FO_OK);
    b.channels[3].shadow_writer = 3;                      /* transfer shadowed by sandbox 2 */
    assert_int_equal(failover_request_check(&b, 0, 4, 0), FO_E_NOT_STANDBY);
    assert_string_equal(failover_result_name(FO_E_NOT_STANDBY), "not-voter-standby");
    assert_string_equal(failover_result_name(FO_E_NOT_CURRENT), "not-current-voter");
    assert_string_equal(failover_result_name(FO_POLICY), "tmr-policy");
}

/* The voter role of a group as the monitor records it.  REQ: REC-FO-003 */
static void voter_of_a_group_now(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    b.tmr_group_count = 2;
    b.tmr_groups[0].voter = 0;
    b.tmr_groups[0].input_channel = 0;                    /* sensors: io writes, io2 shadows */
    b.tmr_groups[1].voter = 1;
    b.tmr_groups[1].input_channel = TRIAD_NONE;           /* no sensor channel */
    assert_int_equal(failover_voter_now(&b, 0, 0), 0);
    assert_int_equal(failover_voter_now(&b, 0x0B, 0), 4);
    assert_int_equal(failover_voter_now(&b, 0, 1), 1);
    assert_int_equal(failover_voter_now(&b, 0x0B, 1), 1);
    assert_int_equal(failover_voter_now(&b, 0, 2), TRIAD_NONE);
    assert_int_equal(failover_voter_now(&b, 0, 200), TRIAD_NONE);
    b.tmr_groups[1].input_channel = 2;                    /* a channel without a shadow */
    assert_int_equal(failover_voter_now(&b, 0x0F, 1), 1);
    b.tmr_groups[1].input_channel = 0;                    /* one the voter does not write */
    assert_int_equal(failover_voter_now(&b, 0x0B, 1), 1);
    b.tmr_groups[1].input_channel = 40;                   /* past the table */
    assert_int_equal(failover_voter_now(&b, 0, 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standby_takes_every_channel_the_voter_writes),
        cmocka_unit_test(roles_swap_and_swap_back),
        cmocka_unit_test(refusals),
        cmocka_unit_test(malformed_tables_plan_nothing),
        cmocka_unit_test(request_for_a_hung_voter),
        cmocka_unit_test(voter_of_a_group_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
