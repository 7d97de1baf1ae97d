/* ARINC 653 APEX ports over shmcomm (channels/arinc653.h), with the host
 * platform's manual clock: validity from the refresh period, queuing
 * time-outs, and the APEX return code of every bad request. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "arinc653.h"
#include "shmcomm.h"
#include "host_platform.h"

enum { K_ATT = 10, K_CMD = 11, K_NOCREATE = 12 };

static const struct host_channel_decl table[] = {
    { K_ATT, SHM_KIND_ASYNC, 16, 4, 1, 1 },      /* attitude: sampling */
    { K_CMD, SHM_KIND_SYNC, 32, 3, 1, 1 },       /* commands: queuing, depth 3 */
    { K_NOCREATE, SHM_KIND_ASYNC, 16, 4, 1, 0 },
};

static const struct apex_port_config ports[] = {
    { "ATTITUDE", K_ATT }, { "COMMANDS", K_CMD }, { "LOCKED", K_NOCREATE }, { "GHOST", 999 },
};

#define MS 1000000LL

static int start(void **state)
{
    (void)state;
    host_platform_start(table, sizeof table / sizeof table[0]);
    host_clock_manual(1000 * MS, 1 * MS);   /* each blocking wait = 1 ms */
    apex_configure_ports(ports, sizeof ports / sizeof ports[0]);
    return 0;
}

static int stop(void **state)
{
    (void)state;
    apex_configure_ports(0, 0);
    host_platform_stop();
    return 0;
}

static void creating_a_port_twice_is_no_action(void **state)
{
    (void)state;
    apex_port_id_t first = 0, again = 0;
    apex_return_code_t rc;
    apex_create_sampling_port("ATTITUDE", 16, APEX_SOURCE, 20 * MS, &first, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    assert_true(first >= 1);
    apex_create_sampling_port("ATTITUDE", 16, APEX_SOURCE, 20 * MS, &again, &rc);
    assert_int_equal(rc, APEX_NO_ACTION);
    assert_int_equal(again, first);
}

static void sampling_validity_follows_refresh_period(void **state)
{
    (void)state;
    /* Source and destination partitions share this process: one table
     * names both ends of the same channel. */
    static const struct apex_port_config both[] = { { "ATT_OUT", K_ATT }, { "ATT_IN", K_ATT } };
    apex_port_id_t src, dst;
    apex_return_code_t rc;
    apex_configure_ports(both, 2);
    apex_create_sampling_port("ATT_OUT", 16, APEX_SOURCE, 20 * MS, &src, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    apex_create_sampling_port("ATT_IN", 16, APEX_DESTINATION, 20 * MS, &dst, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    apex_set_partition_mode(APEX_NORMAL);

    char buf[16];
    apex_message_size_t len = 99;
    apex_validity_t v = APEX_VALID;
    apex_read_sampling_message(dst, buf, &len, &v, &rc);
    assert_int_equal(rc, APEX_NOT_AVAILABLE);          /* nothing written yet */
    assert_int_equal(len, 0);
    assert_int_equal(v, APEX_INVALID);

    apex_write_sampling_message(src, "pitch=3", 8, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    host_clock_advance(5 * MS);
    apex_read_sampling_message(dst, buf, &len, &v, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    assert_int_equal(len, 8);
    assert_string_equal(buf, "pitch=3");
    assert_int_equal(v, APEX_VALID);

    /* Read again later: the same message, still there, now too old. */
    host_clock_advance(15 * MS);                        /* age 20 ms: still valid */
    apex_read_sampling_message(dst, buf, &len, &v, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    assert_int_equal(v, APEX_VALID);
    host_clock_advance(1);                              /* age 20 ms + 1 ns */
    apex_read_sampling_message(dst, buf, &len, &v, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    assert_int_equal(len, 8);
    assert_int_equal(v, APEX_INVALID);

    struct apex_sampling_port_status st;
    apex_get_sampling_port_status(dst, &st, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    assert_int_equal(st.last_msg_validity, APEX_INVALID);
    assert_int_equal(st.refresh_period, 20 * MS);
    assert_int_equal(st.max_message_size, 16);
    assert_int_equal(st.port_direction, APEX_DESTINATION);

    /* A fresh write makes it valid again. */
    apex_write_sampling_message(src, "pitch=4", 8, &rc);
    apex_read_sampling_message(dst, buf, &len, &v, &rc);
    assert_int_equal(v, APEX_VALID);
    assert_string_equal(buf, "pitch=4");
    apex_get_sampling_port_status(dst, &st, &rc);
    assert_int_equal(st.last_msg_validity, APEX_VALID);

    /* Bad requests. */
    apex_write_sampling_message(src, buf, 17, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* longer than the port's max */
    apex_write_sampling_message(src, buf, 0, &rc);
    assert_int_equal(rc, APEX_INVALID_PARAM);
    apex_write_sampling_message(dst, buf, 4, &rc);
    assert_int_equal(rc, APEX_INVALID_MODE);            /* writing a destination */
    apex_read_sampling_message(src, buf, &len, &v, &rc);
    assert_int_equal(rc, APEX_INVALID_MODE);
    apex_write_sampling_message(42, buf, 4, &rc);
    assert_int_equal(rc, APEX_INVALID_PARAM);           /* no such port */
    apex_get_sampling_port_status(0, &st, &rc);
    assert_int_equal(rc, APEX_INVALID_PARAM);
}

static void creation_errors(void **state)
{
    (void)state;
    apex_port_id_t id = 0;
    apex_return_code_t rc;
    apex_create_sampling_port("NOPE", 16, APEX_SOURCE, MS, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* not configured */
    apex_create_sampling_port("GHOST", 16, APEX_SOURCE, MS, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* configured, key not in policy */
    assert_int_equal(apex_port_last_error(id), SHMCOMM_ERR_BADCH);
    apex_create_sampling_port("LOCKED", 16, APEX_SOURCE, MS, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* run-time creation refused */
    apex_create_sampling_port("ATTITUDE", 17, APEX_SOURCE, MS, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* larger than the channel */
    apex_create_sampling_port("ATTITUDE", 16, APEX_SOURCE, 0, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* refresh period */
    apex_create_sampling_port("ATTITUDE", 0, APEX_SOURCE, MS, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);
    apex_create_sampling_port("COMMANDS", 16, APEX_SOURCE, MS, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* a queuing channel */
    apex_create_queuing_port("COMMANDS", 32, 4, APEX_SOURCE, APEX_FIFO, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);          /* depth differs from the description */
    apex_create_queuing_port("COMMANDS", 32, 0, APEX_SOURCE, APEX_FIFO, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);
    apex_create_queuing_port("COMMANDS", 32, 3, APEX_SOURCE, (apex_queuing_discipline_t)7, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);
    apex_create_queuing_port(NULL, 32, 3, APEX_SOURCE, APEX_FIFO, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_PARAM);
    apex_set_partition_mode(APEX_NORMAL);
    apex_create_queuing_port("COMMANDS", 32, 3, APEX_SOURCE, APEX_FIFO, &id, &rc);
    assert_int_equal(rc, APEX_INVALID_MODE);            /* only while starting */
    apex_set_partition_mode(APEX_WARM_START);
    apex_create_queuing_port("COMMANDS", 32, 3, APEX_SOURCE, APEX_FIFO, &id, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
}

static void queuing_order_full_empty_and_timeouts(void **state)
{
    (void)state;
    static const struct apex_port_config both[] = { { "CMD_OUT", K_CMD }, { "CMD_IN", K_CMD } };
    apex_configure_ports(both, 2);
    apex_port_id_t src, dst;
    apex_return_code_t rc;
    apex_create_queuing_port("CMD_OUT", 32, 3, APEX_SOURCE, APEX_FIFO, &src, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    apex_create_queuing_port("CMD_IN", 32, 3, APEX_DESTINATION, APEX_FIFO, &dst, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    apex_set_partition_mode(APEX_NORMAL);

    char buf[32];
    apex_message_size_t len;
    struct apex_queuing_port_status st;
    apex_receive_queuing_message(dst, 0, buf, &len, &rc);
    assert_int_equal(rc, APEX_NOT_AVAILABLE);
    uint64_t t0 = host_clock_now();
    apex_receive_queuing_message(dst, 10 * MS, buf, &len, &rc);
    assert_int_equal(rc, APEX_TIMED_OUT);
    assert_int_equal(len, 0);
    assert_true(host_clock_now() - t0 >= 10 * MS && host_clock_now() - t0 <= 11 * MS);

    const char *cmds[] = { "arm", "takeoff", "hold" };
    for (int i = 0; i < 3; i++) {
        apex_send_queuing_message(src, cmds[i], (apex_message_size_t)strlen(cmds[i]) + 1, 0, &rc);
        assert_int_equal(rc, APEX_NO_ERROR);
    }
    apex_get_queuing_port_status(src, &st, &rc);
    assert_int_equal(rc, APEX_NO_ERROR);
    assert_int_equal(st.nb_message, 3);
    assert_int_equal(st.max_nb_message, 3);
    assert_int_equal(st.port_direction, APEX_SOURCE);
    apex_send_queuing_message(src, "land", 5, 0, &rc);
    assert_int_equal(rc, APEX_NOT_AVAILABLE);           /* full, no waiting */
    apex_send_queuing_message(src, "land", 5, 5 * MS, &rc);
    assert_int_equal(rc, APEX_TIMED_OUT);               /* full for 5 ms */

    apex_get_queuing_port_status(dst, &st, &rc);
    assert_int_equal(st.nb_message, 3);
    assert_int_equal(st.max_message_size, 32);
    assert_int_equal(st.waiting_processes, 0);
    for (int i = 0; i < 3; i++) {
        apex_receive_queuing_message(dst, APEX_INFINITE_TIME_VALUE, buf, &len, &rc);
        assert_int_equal(rc, APEX_NO_ERROR);
        assert_int_equal(len, strlen(cmds[i]) + 1);
        assert_string_equal(buf, cmds[i]);
    }
    /* Nothing lost by the refused sends: the queue is empty now. */
    apex_receive_queuing_message(dst, 0, buf, &len, &rc);
    assert_int_equal(rc, APEX_NOT_AVAILABLE);

    /* Bad requests. */
    apex_send_queuing_message(src, buf, 33, 0, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);
    apex_send_queuing_message(src, buf, 0, 0, &rc);
    assert_int_equal(rc, APEX_INVALID_PARAM);
    apex_send_queuing_message(src, buf, 4, -5, &rc);
    assert_int_equal(rc, APEX_INVALID_PARAM);           /* negative, not INFINITE */
    apex_send_queuing_message(dst, buf, 4, 0, &rc);
    assert_int_equal(rc, APEX_INVALID_MODE);
    apex_receive_queuing_message(src, 0, buf, &len, &rc);
    assert_int_equal(rc, APEX_INVALID_MODE);
    apex_receive_queuing_message(src + 100, 0, buf, &len, &rc);
    assert_int_equal(rc, APEX_INVALID_PARAM);

    /* A corrupted channel is a configuration fault the health monitor sees. */
    struct shm_writer_header *h = host_writer_area_rw(K_CMD);
    h->published += 50;
    apex_receive_queuing_message(dst, 0, buf, &len, &rc);
    assert_int_equal(rc, APEX_INVALID_CONFIG);
    assert_int_equal(apex_port_last_error(dst), SHMCOMM_ERR_CORRUPT);
}

/* REQ: CHN-APX-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(creating_a_port_twice_is_no_action, start, stop),
        cmocka_unit_test_setup_teardown(sampling_validity_follows_refresh_period, start, stop),
        cmocka_unit_test_setup_teardown(creation_errors, start, stop),
        cmocka_unit_test_setup_teardown(queuing_order_full_empty_and_timeouts, start, stop),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
