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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standby_takes_every_channel_the_voter_writes),
        cmocka_unit_test(roles_swap_and_swap_back),
        cmocka_unit_test(refusals),
        cmocka_unit_test(malformed_tables_plan_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
