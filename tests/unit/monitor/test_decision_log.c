/* decision_log: the ring of the monitor's recovery decisions that the I/O
   sandbox reads with TRIAD_HC_DECISION_LOG (issue 7): order, wrap with the
   overwritten count, reads from any sequence, and every bad read refused
   without losing a record.
   REQ: NET-EVT-001 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "decision_log.h"

static struct decision_log log_;

static void add(uint8_t sandbox, uint8_t applied, const char *name)
{
    struct triad_decision d = {0};
    d.seq = 999;                        /* ignored: the log numbers records */
    d.sandbox = sandbox;
    d.applied = applied;
    d.tsc = 1000u + sandbox;
    strncpy(d.name, name, sizeof d.name);
    decision_log_add(&log_, &d);
}

static void in_order(void **state)
{
    (void)state;
    decision_log_clear(&log_);
    struct triad_decision out[4];
    assert_int_equal(decision_log_read(&log_, 0, out, 4), 0);    /* nothing yet */
    add(1, 2, "fc-b");
    add(1, 2, "fc-b");
    add(3, 7, "a-name-longer-than-twelve");
    assert_int_equal(decision_log_read(&log_, 0, out, 4), 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(out[i].seq, i);
    assert_int_equal(out[2].sandbox, 3);
    assert_int_equal(out[2].applied, 7);
    assert_memory_equal(out[2].name, "a-name-longe", TRIAD_DECISION_NAME);  /* cut, no NUL */
    assert_string_equal(out[0].name, "fc-b");
    /* from the middle, and only as many as fit */
    assert_int_equal(decision_log_read(&log_, 1, out, 1), 1);
    assert_int_equal(out[0].seq, 1);
    assert_int_equal(decision_log_read(&log_, 3, out, 4), 0);    /* up to date */
    assert_int_equal(decision_log_overwritten(&log_), 0);
}

static void wraps_and_counts(void **state)
{
    (void)state;
    decision_log_clear(&log_);
    for (uint32_t i = 0; i < DECISION_LOG_LEN + 5; i++)
        add((uint8_t)i, 0, "x");
    assert_int_equal(decision_log_overwritten(&log_), 5);
    struct triad_decision out[DECISION_LOG_LEN + 4];
    /* a reader still at 0 gets the oldest kept (5) onwards: the gap shows */
    assert_int_equal(decision_log_read(&log_, 0, out, DECISION_LOG_LEN + 4), DECISION_LOG_LEN);
    assert_int_equal(out[0].seq, 5);
    assert_int_equal(out[0].sandbox, 5);
    assert_int_equal(out[DECISION_LOG_LEN - 1].seq, DECISION_LOG_LEN + 4);
    /* a reader inside the ring */
    assert_int_equal(decision_log_read(&log_, 19, out, 8), 2);
    assert_int_equal(out[0].seq, 19);
    assert_int_equal(out[1].seq, 20);
}

static void bad_reads_refused(void **state)
{
    (void)state;
    decision_log_clear(&log_);
    add(0, 3, "io");
    struct triad_decision out[2];
    memset(out, 0xA5, sizeof out);
    assert_int_equal(decision_log_read(&log_, 0, out, 0), TRIAD_E_INVAL);   /* no room */
    assert_int_equal(decision_log_read(&log_, 2, out, 2), TRIAD_E_INVAL);   /* past the next */
    assert_int_equal(decision_log_read(&log_, UINT64_MAX, out, 2), TRIAD_E_INVAL);
    assert_int_equal(((const uint8_t *)out)[0], 0xA5);                      /* nothing written */
    /* the record is still there for a correct read */
    assert_int_equal(decision_log_read(&log_, 0, out, 2), 1);
    assert_int_equal(out[0].applied, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_order),
        cmocka_unit_test(wraps_and_counts),
        cmocka_unit_test(bad_reads_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
