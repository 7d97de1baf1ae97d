/* The NIC driver watchdog's verdicts (recovery/driver_watchdog.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "driver_watchdog.h"

static struct drv_wd_sample sample(uint32_t head, uint32_t tail, uint64_t now)
{
    return (struct drv_wd_sample){ .rx_enabled = 1, .tx_enabled = 1, .tx_head = head, .tx_tail = tail, .now = now };
}

/* REQ: REC-DRV-001 */
static void healthy_device_is_ok(void **state)
{
    (void)state;
    struct drv_wd w;
    drv_wd_init(&w, 50);
    /* idle ring for a long time: never a stall */
    for (uint64_t t = 0; t < 1000; t += 10) {
        struct drv_wd_sample s = sample(7, 7, t);
        assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);
    }
    /* frames posted, head moving every sample */
    for (uint32_t i = 0; i < 20; i++) {
        struct drv_wd_sample s = sample(i, i + 3, 1000 + 40u * i);
        assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);
    }
}

/* REQ: REC-DRV-001 */
static void stalled_transmitter_after_the_limit(void **state)
{
    (void)state;
    struct drv_wd w;
    drv_wd_init(&w, 50);
    struct drv_wd_sample s = sample(4, 9, 100);
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);      /* reference */
    s.now = 150;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);      /* exactly the limit: not yet */
    s.now = 151;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_TX_STALL);
    /* re-armed after recovery: a fresh reference */
    drv_wd_init(&w, 50);
    s.now = 1000;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);
    /* the ring drains: progress, the stall clock restarts */
    struct drv_wd_sample d = sample(9, 9, 1040);
    assert_int_equal(drv_wd_step(&w, &d), DRV_WD_OK);
    struct drv_wd_sample p = sample(9, 12, 1080);
    assert_int_equal(drv_wd_step(&w, &p), DRV_WD_OK);
    /* counted from the first sample that saw the new frames (1080) */
    p.now = 1130;
    assert_int_equal(drv_wd_step(&w, &p), DRV_WD_OK);
    p.now = 1131;
    assert_int_equal(drv_wd_step(&w, &p), DRV_WD_TX_STALL);
}

/* REQ: REC-DRV-001 */
static void lost_configuration_at_once(void **state)
{
    (void)state;
    struct drv_wd w;
    drv_wd_init(&w, 50);
    struct drv_wd_sample s = sample(1, 1, 10);
    s.tx_enabled = 0;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_CONFIG_LOST);   /* even as the first sample */
    s.tx_enabled = 1;
    s.rx_enabled = 0;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_CONFIG_LOST);
    assert_string_equal(drv_wd_name(DRV_WD_CONFIG_LOST), "config-lost");
    assert_string_equal(drv_wd_name(DRV_WD_TX_STALL), "tx-stall");
    assert_string_equal(drv_wd_name((enum drv_wd_verdict)99), "unknown");
}

/* A clock that goes backwards (a bad sample) is taken as a new reference,
   never as a huge stall. */
/* REQ: REC-DRV-001 */
static void clock_going_back_is_not_a_stall(void **state)
{
    (void)state;
    struct drv_wd w;
    drv_wd_init(&w, 50);
    struct drv_wd_sample s = sample(2, 5, 1000);
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);
    s.now = 10;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);
    s.now = 55;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_OK);
    s.now = 61;
    assert_int_equal(drv_wd_step(&w, &s), DRV_WD_TX_STALL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthy_device_is_ok),
        cmocka_unit_test(stalled_transmitter_after_the_limit),
        cmocka_unit_test(lost_configuration_at_once),
        cmocka_unit_test(clock_going_back_is_not_a_stall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
