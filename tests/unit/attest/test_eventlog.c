/* Event log layout: the Spec ID header, event records, and a full log that
   drops (and counts) what does not fit instead of writing past the end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "eventlog.h"

static void header_names_sha256_only(void **state)
{
    (void)state;
    uint8_t buf[128];
    struct evlog log;
    assert_int_equal(evlog_init(&log, buf, sizeof buf), 0);
    assert_int_equal(log.len, EVLOG_HEADER_LEN);
    assert_int_equal(buf[4], EV_NO_ACTION);
    assert_memory_equal(buf + 32, "Spec ID Event03", 16);
    assert_int_equal(buf[56], 1);                  /* one algorithm */
    assert_int_equal(buf[60], 0x0B);               /* SHA-256 */
    assert_int_equal(buf[62], 32);
    assert_int_equal(evlog_init(&log, buf, 64), -1);
}

static void event_record_layout(void **state)
{
    (void)state;
    uint8_t buf[256], d[32];
    memset(d, 0x5A, sizeof d);
    struct evlog log;
    evlog_init(&log, buf, sizeof buf);
    assert_int_equal(evlog_append(&log, 9, EV_IPL, d, "system.bin"), 0);
    const uint8_t *e = buf + EVLOG_HEADER_LEN;
    assert_int_equal(e[0], 9);
    assert_int_equal(e[4], EV_IPL);
    assert_int_equal(e[8], 1);
    assert_int_equal(e[12], 0x0B);
    assert_memory_equal(e + 14, d, 32);
    assert_int_equal(e[46], 10);
    assert_memory_equal(e + 50, "system.bin", 10);
    assert_int_equal(log.len, EVLOG_HEADER_LEN + 60);
    assert_int_equal(log.events, 1);
}

static void full_log_drops_and_counts(void **state)
{
    (void)state;
    uint8_t buf[EVLOG_HEADER_LEN + 60 + 8], d[32] = { 0 };
    memset(buf, 0xEE, sizeof buf);
    struct evlog log;
    evlog_init(&log, buf, EVLOG_HEADER_LEN + 60);
    assert_int_equal(evlog_append(&log, 9, EV_IPL, d, "system.bin"), 0);
    assert_int_equal(evlog_append(&log, 9, EV_IPL, d, "x"), -1);
    assert_int_equal(log.dropped, 1);
    assert_int_equal(buf[EVLOG_HEADER_LEN + 60], 0xEE);   /* nothing written past cap */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(header_names_sha256_only),
        cmocka_unit_test(event_record_layout),
        cmocka_unit_test(full_log_drops_and_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
