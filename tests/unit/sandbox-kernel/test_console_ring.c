/* Host tests of the console's output ring: order, wrap, a full ring, lines
 * that never tear (all or nothing), and bad sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "kernel/console_ring.h"

static struct console_ring r;

static void empty_ring_gives_nothing(void **state)
{
    (void)state;
    char out[8];
    console_ring_init(&r);
    assert_int_equal(console_ring_used(&r), 0);
    assert_int_equal(console_ring_free(&r), CONSOLE_RING_SIZE);
    assert_int_equal(console_ring_take(&r, out, sizeof out), 0);
    out[0] = 'z';
    assert_int_equal(console_ring_peek(&r, out), 0);
    assert_int_equal(out[0], 'z');                              /* untouched */
}

static void bytes_come_out_in_order(void **state)
{
    (void)state;
    char out[32];
    console_ring_init(&r);
    assert_int_equal(console_ring_put(&r, "first\n", 6), 0);
    assert_int_equal(console_ring_put(&r, "second\n", 7), 0);
    assert_int_equal(console_ring_used(&r), 13);
    assert_int_equal(console_ring_peek(&r, out), 1);            /* peeking takes nothing */
    assert_int_equal(out[0], 'f');
    assert_int_equal(console_ring_used(&r), 13);
    assert_int_equal(console_ring_take(&r, out, 4), 4);
    assert_memory_equal(out, "firs", 4);
    assert_int_equal(console_ring_take(&r, out, sizeof out), 9);
    assert_memory_equal(out, "t\nsecond\n", 9);
    assert_int_equal(console_ring_used(&r), 0);
}

/* A line that crosses the end of the buffer comes out whole. */
static void a_line_wraps_around_the_end(void **state)
{
    (void)state;
    static char fill[CONSOLE_RING_SIZE - 5];
    char out[16];
    memset(fill, 'x', sizeof fill);
    console_ring_init(&r);
    assert_int_equal(console_ring_put(&r, fill, sizeof fill), 0);
    static char sink[CONSOLE_RING_SIZE];
    assert_int_equal(console_ring_take(&r, sink, sizeof sink), sizeof fill);
    assert_int_equal(console_ring_put(&r, "wrapped line\n", 13), 0);
    assert_int_equal(console_ring_peek(&r, out), 1);            /* the byte at the end of the buffer */
    assert_int_equal(out[0], 'w');
    assert_int_equal(console_ring_take(&r, out, sizeof out), 13);
    assert_memory_equal(out, "wrapped line\n", 13);
}

/* Full: a line that does not fit is refused whole and changes nothing;
   once the reader made room the same line goes in whole. */
static void a_full_ring_refuses_the_whole_line(void **state)
{
    (void)state;
    static char fill[CONSOLE_RING_SIZE - 3];
    char out[8];
    memset(fill, 'a', sizeof fill);
    console_ring_init(&r);
    assert_int_equal(console_ring_put(&r, fill, sizeof fill), 0);
    assert_int_equal(console_ring_put(&r, "line\n", 5), -1);
    assert_int_equal(console_ring_used(&r), sizeof fill);
    assert_int_equal(console_ring_put(&r, "ok\n", 3), 0);       /* exactly fits */
    assert_int_equal(console_ring_free(&r), 0);
    assert_int_equal(console_ring_put(&r, "x", 1), -1);
    assert_int_equal(console_ring_take(&r, out, 5), 5);
    assert_int_equal(console_ring_put(&r, "line\n", 5), 0);
    static char sink[CONSOLE_RING_SIZE];
    size_t n = console_ring_take(&r, sink, sizeof sink);
    assert_int_equal(n, CONSOLE_RING_SIZE);
    assert_memory_equal(sink + n - 8, "ok\nline\n", 8);
}

/* A write larger than the ring can never fit: refused, nothing put. */
static void an_oversized_write_is_refused(void **state)
{
    (void)state;
    static char big[CONSOLE_RING_SIZE + 1];
    console_ring_init(&r);
    assert_int_equal(console_ring_put(&r, big, sizeof big), -1);
    assert_int_equal(console_ring_used(&r), 0);
    assert_int_equal(console_ring_put(&r, big, 0), 0);          /* nothing is a valid put */
    assert_int_equal(console_ring_used(&r), 0);
}

/* Many wraps with lines of varying length: every line comes out whole, in
   order (the counters are free-running, the index is modulo the size). */
static void many_wraps_keep_every_line(void **state)
{
    (void)state;
    char line[300], out[300];
    console_ring_init(&r);
    for (unsigned i = 0; i < 2000; i++) {
        size_t n = 1 + (i * 37u) % sizeof line;
        for (size_t j = 0; j < n; j++)
            line[j] = (char)('a' + (i + j) % 26);
        assert_int_equal(console_ring_put(&r, line, n), 0);
        assert_int_equal(console_ring_take(&r, out, n), n);
        assert_memory_equal(out, line, n);
    }
    assert_true(r.head > 2 * CONSOLE_RING_SIZE);
}

/* REQ: KRN-CONSOLE-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_ring_gives_nothing),
        cmocka_unit_test(bytes_come_out_in_order),
        cmocka_unit_test(a_line_wraps_around_the_end),
        cmocka_unit_test(a_full_ring_refuses_the_whole_line),
        cmocka_unit_test(an_oversized_write_is_refused),
        cmocka_unit_test(many_wraps_keep_every_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
