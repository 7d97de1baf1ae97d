/*
 * Host tests of the deferred monitor console lines (monitor/console_defer.c)
 * and of the formatter they share with the UART (monitor/console_fmt.c):
 * the UART and the console lock are simulated here (console.h's functions),
 * so every byte the monitor would put on COM1 lands in `uart`.
 * REQ: REC-DRV-004 (the decision and the fault record logged, off the recovery's path)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "console_text.h"

/* ---- the simulated UART and lock ---- */
static char uart[16384];
static size_t uart_len;
static int tx_empty;              /* what con_tx_empty answers */
static int lock_busy;             /* con_trylock fails while set */
static int locked;                /* taken by con_trylock, released by con_unlock */
static size_t raw_writes;         /* bytes written without waiting (con_raw) */
volatile uint32_t con_lock_word;

void con_putc(char c)
{
    if (uart_len < sizeof uart)
        uart[uart_len++] = c;
}
void con_raw(char c)
{
    raw_writes++;
    con_putc(c);
}
int con_tx_empty(void) { return tx_empty; }
int con_trylock(void)
{
    if (lock_busy)
        return 0;
    locked = 1;
    return 1;
}
void con_unlock(void) { locked = 0; }

static int setup(void **state)
{
    (void)state;
    memset(con_rings, 0, sizeof con_rings);
    memset(&con_out, 0, sizeof con_out);
    memset(uart, 0, sizeof uart);
    uart_len = raw_writes = 0;
    tx_empty = 1;
    lock_busy = locked = 0;
    return 0;
}

static void text(struct con_text *t, const char *s, uint64_t n)
{
    ct_init(t);
    ct_puts(t, s);
    ct_dec(t, n);
}

/* Drains core's ring to the end, as exits with an empty transmitter would. */
static int drain_all(uint32_t core)
{
    int exits = 0;
    while (con_defer_drain(core) != 0 && exits < 10000)
        exits++;
    return exits;
}

/* The line builder: decimal, hex with its digit count, a string. */
static void builds_a_line(void **state)
{
    (void)state;
    struct con_text t;
    ct_init(&t);
    ct_puts(&t, "t=");
    ct_dec(&t, 0);
    ct_puts(&t, " ");
    ct_dec(&t, UINT64_MAX);
    ct_puts(&t, " ");
    ct_hex(&t, 0x3ff00000u, 16);
    ct_puts(&t, " ");
    ct_hex(&t, 0xABu, 0);        /* 0 digits: all 16 */
    ct_puts(&t, " ");
    ct_hex(&t, 0xABu, 2);
    const char want[] = "t=0 18446744073709551615 0x000000003ff00000 0x00000000000000ab 0xab";
    assert_int_equal(t.len, sizeof want - 1);
    assert_memory_equal(t.bytes, want, sizeof want - 1);
    assert_int_equal(t.cut, 0);
}

/* Bad input: text past the line's room is cut (and said so), never written
   past the buffer. */
static void long_text_is_cut(void **state)
{
    (void)state;
    struct con_text t;
    ct_init(&t);
    for (int i = 0; i < 40; i++)
        ct_puts(&t, "0123456789");
    assert_int_equal(t.len, CON_TEXT_MAX);
    assert_int_equal(t.cut, 1);
}

/* The UART face is the same formatter: the same numbers spelled the same
   way as in a line in memory, digit counts of 0 and above 16 both giving
   16 digits. */
static void uart_spells_as_the_line(void **state)
{
    (void)state;
    struct con_text t;
    ct_init(&t);
    const uint64_t values[] = { 0, 7, 10, 4096, 0x3ff00000u, UINT64_MAX };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        con_dec(values[i]);
        ct_dec(&t, values[i]);
        con_puts(" ");
        ct_puts(&t, " ");
        con_hex(values[i], (unsigned)i * 4u);       /* 0 (all 16), 4, 8, ... 20 (all 16) */
        ct_hex(&t, values[i], (unsigned)i * 4u);
        con_puts(";");
        ct_puts(&t, ";");
    }
    assert_int_equal(t.cut, 0);
    assert_int_equal(uart_len, t.len);
    assert_memory_equal(uart, t.bytes, t.len);
    const char want[] = "0 0x0000000000000000;7 0x0007;10 0x0000000a;4096 0x000000001000;"
                        "1072693248 0x000000003ff00000;18446744073709551615 0xffffffffffffffff;";
    assert_int_equal(uart_len, sizeof want - 1);
    assert_memory_equal(uart, want, sizeof want - 1);
}

/* A line feed: CR LF on the UART (a terminal's line end), kept as it is in
   a line in memory (con_text_emit adds the line's end). */
static void line_feed_on_each_face(void **state)
{
    (void)state;
    con_puts("a\nb\n");
    assert_string_equal(uart, "a\r\nb\r\n");
    struct con_text t;
    ct_init(&t);
    ct_puts(&t, "a\nb");
    assert_int_equal(t.len, 3);
    assert_memory_equal(t.bytes, "a\nb", 3);
}

/* Bad input: a string with no NUL in its first 4096 bytes (con_string's
   first case) is printed up to there, never read past. */
static void unterminated_string_stops_at_bound(void **state)
{
    (void)state;
    static char s[4096];
    memset(s, 'x', sizeof s);                       /* no NUL: ASan catches a read past */
    con_puts(s);
    assert_int_equal(uart_len, 4096);
    assert_int_equal(uart[4095], 'x');
    struct con_text t;
    ct_init(&t);
    ct_puts(&t, s);
    assert_int_equal(t.len, CON_TEXT_MAX);
    assert_int_equal(t.cut, 1);
}

/* A core without a clock (no exit would come to drain it) prints at once,
   with the prefix and the line end. */
static void no_clock_prints_now(void **state)
{
    (void)state;
    struct con_text t;
    text(&t, "HEALTH t=", 7);
    con_text_emit(0, &t, 1);
    assert_string_equal(uart, "[monitor] HEALTH t=7\r\n");
    assert_int_equal(con_out.used[0], 0);
}

/* A deferred line is queued whole, not printed; the exits drain it a FIFO
   at a time while the transmitter is empty, nothing while it is busy or
   the lock is held; the text is the decision's, unchanged. */
static void deferred_line_drains_at_exits(void **state)
{
    (void)state;
    con_defer_clock(0);
    struct con_text t;
    text(&t, "FAULT seq=0 t=", 123456789);
    con_text_emit(0, &t, 1);
    assert_int_equal(uart_len, 0);
    const char want[] = "[monitor] FAULT seq=0 t=123456789\r\n";
    assert_int_equal(con_out.used[0], sizeof want - 1);

    tx_empty = 0;                                   /* the UART is busy */
    assert_int_equal(con_defer_drain(0), 1);
    assert_int_equal(uart_len, 0);
    tx_empty = 1;
    lock_busy = 1;                                  /* another core prints */
    assert_int_equal(con_defer_drain(0), 1);
    assert_int_equal(uart_len, 0);
    lock_busy = 0;

    assert_int_equal(con_defer_drain(0), 1);        /* one FIFO's worth */
    assert_int_equal(uart_len, CON_FIFO_BYTES);
    assert_int_equal(con_out.midline, 1);         /* core 0's line is partly out */
    assert_int_equal(locked, 0);                    /* never kept across the entry */
    drain_all(0);
    assert_int_equal(uart_len, sizeof want - 1);
    assert_memory_equal(uart, want, sizeof want - 1);
    assert_int_equal(con_out.midline, 0);
    assert_int_equal(con_defer_drain(0), 0);        /* nothing left: no clock exit asked */
    assert_int_equal(raw_writes, sizeof want - 1);
}

/* A synchronous print (con_lock's flush, or a line not deferred) first
   finishes the line partly out, then the queued lines in order: lines are
   never torn and keep the decisions' order. */
static void flush_keeps_lines_whole_and_ordered(void **state)
{
    (void)state;
    con_defer_clock(0);
    con_defer_clock(1);
    struct con_text t;
    text(&t, "HEALTH a=", 1);
    con_text_emit(1, &t, 1);
    text(&t, "FAULT a=", 2);
    con_text_emit(1, &t, 1);
    text(&t, "HEALTH b=", 3);
    con_text_emit(0, &t, 1);
    assert_int_equal(con_defer_drain(1), 1);        /* core 1's first line partly out */
    assert_int_equal(con_out.midline, 2);
    assert_int_equal(con_defer_drain(0), 1);        /* core 0 continues core 1's line, not its own */
    assert_int_equal(uart_len, 2 * CON_FIFO_BYTES);
    text(&t, "RECOVERY now=", 4);
    con_text_emit(0, &t, 0);                        /* not deferred: flushes first */
    assert_string_equal(uart, "[monitor] HEALTH a=1\r\n[monitor] FAULT a=2\r\n"
                              "[monitor] HEALTH b=3\r\n[monitor] RECOVERY now=4\r\n");
    assert_int_equal(con_out.midline, 0);
    assert_int_equal(con_out.used[0] + con_out.used[1], 0);
}

/* Overflow: a line that does not fit is dropped whole and counted, never
   torn; the count is reported on the console (by the drain once the ring
   is empty, or by a flush). */
static void overflow_counted_and_reported(void **state)
{
    (void)state;
    con_defer_clock(2);
    struct con_text t;
    ct_init(&t);
    for (int i = 0; i < 20; i++)
        ct_puts(&t, "0123456789");                  /* 200 bytes a line */
    int queued = 0;
    for (int i = 0; i < 12; i++) {
        con_text_emit(2, &t, 1);
        if (con_rings[2].lost == 0)
            queued++;
    }
    assert_int_equal(queued, CON_RING_BYTES / (10 + 200 + 2));
    assert_int_equal(con_rings[2].lost, 12 - queued);
    assert_int_equal(con_out.used[2] % (10 + 200 + 2), 0);   /* whole lines only */
    drain_all(2);
    assert_non_null(strstr(uart, "[monitor] console: core 2 deferred lines lost (ring full): 3\r\n"));
    assert_int_equal(con_out.lost_told[2], con_rings[2].lost);
    /* reported once */
    const size_t len = uart_len;
    assert_int_equal(con_defer_drain(2), 0);
    assert_int_equal(uart_len, len);
    /* and by a flush when the lines are lost meanwhile */
    for (int i = 0; i < 12; i++)
        con_text_emit(2, &t, 1);
    con_defer_flush();
    assert_non_null(strstr(uart + len, "[monitor] console: core 2 deferred lines lost (ring full): 6\r\n"));
}

/* Bad input: a core index out of range defers nothing (printed now) and
   drains nothing; corrupted ring indices are put back in range first. */
static void bad_indices(void **state)
{
    (void)state;
    struct con_text t;
    text(&t, "x=", 1);
    con_text_emit(MAX_CORES, &t, 1);
    assert_string_equal(uart, "[monitor] x=1\r\n");
    assert_int_equal(con_defer_drain(MAX_CORES), 0);
    con_defer_clock(MAX_CORES);                     /* ignored */
    con_out.start[3] = CON_RING_BYTES + 5;
    con_out.used[3] = CON_RING_BYTES * 2;
    con_out.midline = MAX_CORES + 3;
    con_defer_flush();
    assert_int_equal(con_out.start[3], 0);
    assert_int_equal(con_out.used[3], 0);
    assert_int_equal(con_out.midline, 0);
    assert_string_equal(uart, "[monitor] x=1\r\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(builds_a_line, setup),
        cmocka_unit_test_setup(long_text_is_cut, setup),
        cmocka_unit_test_setup(uart_spells_as_the_line, setup),
        cmocka_unit_test_setup(line_feed_on_each_face, setup),
        cmocka_unit_test_setup(unterminated_string_stops_at_bound, setup),
        cmocka_unit_test_setup(no_clock_prints_now, setup),
        cmocka_unit_test_setup(deferred_line_drains_at_exits, setup),
        cmocka_unit_test_setup(flush_keeps_lines_whole_and_ordered, setup),
        cmocka_unit_test_setup(overflow_counted_and_reported, setup),
        cmocka_unit_test_setup(bad_indices, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
