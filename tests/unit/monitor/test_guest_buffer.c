/* hc_buffer_ok: a hypercall's (pointer, length) must lie in the caller's
   RAM [0, mem_size); anything else, including arithmetic that would wrap,
   the channel window above the RAM and the monitor's own view, is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "hypercall.h"
#include "abi/hypercall.h"
#include "partition/system_table.h"

#define MiB 0x100000ull
static const uint64_t ram = 32 * MiB;

static void inside_is_accepted(void **state)
{
    (void)state;
    assert_int_equal(hc_buffer_ok(0x1000, 64, ram), 1);
    assert_int_equal(hc_buffer_ok(0, ram, ram), 1);             /* the whole RAM */
    assert_int_equal(hc_buffer_ok(ram - 64, 64, ram), 1);       /* ends exactly at the end */
    assert_int_equal(hc_buffer_ok(ram - 1, 1, ram), 1);
}

static void straddling_the_end_is_refused(void **state)
{
    (void)state;
    assert_int_equal(hc_buffer_ok(ram - 63, 64, ram), 0);
    assert_int_equal(hc_buffer_ok(ram, 1, ram), 0);
    assert_int_equal(hc_buffer_ok(0, ram + 1, ram), 0);
    assert_int_equal(hc_buffer_ok(ram + 0x1000, 16, ram), 0);
}

static void wrapping_arithmetic_is_refused(void **state)
{
    (void)state;
    /* gpa + size wraps to a small number: a naive end check would pass */
    assert_int_equal(hc_buffer_ok(UINT64_MAX - 15, 32, ram), 0);
    assert_int_equal(hc_buffer_ok(0x1000, UINT64_MAX, ram), 0);
    assert_int_equal(hc_buffer_ok(UINT64_MAX, 1, ram), 0);
    assert_int_equal(hc_buffer_ok(UINT64_MAX, UINT64_MAX, ram), 0);
    assert_int_equal(hc_buffer_ok(1, UINT64_MAX, UINT64_MAX), 0);
}

static void channel_window_is_refused(void **state)
{
    (void)state;
    /* Shared channel pages are not the caller's RAM: the monitor would
       reach them at mem_base + gpa, i.e. in some other memory. */
    assert_int_equal(hc_buffer_ok(TRIAD_CHANNEL_WINDOW_GPA, 64, ram), 0);
    assert_int_equal(hc_buffer_ok(TRIAD_CHANNEL_WINDOW_GPA + 0x2000, 4096, ram), 0);
    /* even a sandbox with the largest RAM ends below the window */
    assert_int_equal(hc_buffer_ok(TRIAD_CHANNEL_WINDOW_GPA - 8, 16, TRIAD_MAX_SANDBOX_RAM), 0);
    assert_int_equal(hc_buffer_ok(TRIAD_CHANNEL_WINDOW_GPA, 1, TRIAD_MAX_SANDBOX_RAM), 0);
}

static void zero_length(void **state)
{
    (void)state;
    /* nothing is copied: an empty range is fine inside or at the end ... */
    assert_int_equal(hc_buffer_ok(0x1000, 0, ram), 1);
    assert_int_equal(hc_buffer_ok(ram, 0, ram), 1);
    /* ... but a pointer past the RAM is still refused */
    assert_int_equal(hc_buffer_ok(ram + 1, 0, ram), 0);
    assert_int_equal(hc_buffer_ok(UINT64_MAX, 0, ram), 0);
    /* a sandbox without RAM has no buffer but the empty one at 0 */
    assert_int_equal(hc_buffer_ok(0, 1, 0), 0);
    assert_int_equal(hc_buffer_ok(0, 0, 0), 1);
}

/* The event-log hypercall: only a sandbox with a device reads it. */
static void event_log_policy(void **state)
{
    (void)state;
    struct triad_sandbox s = { .device_count = 0 };
    assert_int_equal(hc_event_log_allowed(&s), 0);
    s.device_count = 1;
    assert_int_equal(hc_event_log_allowed(&s), 1);
    s.device_count = TRIAD_MAX_SANDBOX_DEVICES;
    assert_int_equal(hc_event_log_allowed(&s), 1);
}

/* Offset and size: never a byte past the log, never more than asked. */
static void event_log_span(void **state)
{
    (void)state;
    const uint32_t len = 672;
    assert_int_equal(hc_event_log_span(0, 0, len), len);          /* size 0: the length */
    assert_int_equal(hc_event_log_span(100, 0, len), len);
    assert_int_equal(hc_event_log_span(0, 4096, len), len);       /* large buffer: all of it */
    assert_int_equal(hc_event_log_span(0, 64, len), 64);          /* small buffer: a chunk */
    assert_int_equal(hc_event_log_span(640, 64, len), 32);        /* the tail */
    assert_int_equal(hc_event_log_span(len, 64, len), 0);         /* at the end: nothing left */
    assert_int_equal(hc_event_log_span(len + 1, 64, len), TRIAD_E_INVAL);
    assert_int_equal(hc_event_log_span(UINT64_MAX, 64, len), TRIAD_E_INVAL);
    assert_int_equal(hc_event_log_span(UINT64_MAX, 0, len), TRIAD_E_INVAL);
    assert_int_equal(hc_event_log_span(1, UINT64_MAX, len), len - 1);   /* no wrap */
    assert_int_equal(hc_event_log_span(0, 64, 0), 0);             /* an empty log */
    assert_int_equal(hc_event_log_span(1, 64, 0), TRIAD_E_INVAL);
}

/* The buffer check the dispatcher applies first, on an event-log request. */
static void event_log_buffer(void **state)
{
    (void)state;
    const uint64_t size = 16384;   /* ATTEST_LOG_BYTES */
    assert_int_equal(hc_buffer_ok(ram - size, size, ram), 1);
    assert_int_equal(hc_buffer_ok(ram - size + 1, size, ram), 0);
    assert_int_equal(hc_buffer_ok(TRIAD_CHANNEL_WINDOW_GPA, size, ram), 0);
}

/* The quote hypercall's arguments (REQ: ATT-QUOTE-002): PCRs 0..23 only,
   at least one; the whole request buffer; a nonce of 1..32 bytes. */
static void quote_arguments(void **state)
{
    (void)state;
    const uint64_t size = sizeof(struct triad_hc_quote);
    assert_int_equal(hc_quote_check(0xF00, size, 16), 0);
    assert_int_equal(hc_quote_check(1, size, 1), 0);
    assert_int_equal(hc_quote_check(0xFFFFFF, size, TRIAD_QUOTE_NONCE_MAX), 0);
    assert_int_equal(hc_quote_check(0xF00, UINT64_MAX, 16), 0);         /* bigger is fine */
    assert_int_equal(hc_quote_check(0, size, 16), TRIAD_E_INVAL);        /* no PCR */
    assert_int_equal(hc_quote_check(1u << 24, size, 16), TRIAD_E_INVAL); /* PCR 24 */
    assert_int_equal(hc_quote_check(UINT64_MAX, size, 16), TRIAD_E_INVAL);
    assert_int_equal(hc_quote_check(0xF00, size - 1, 16), TRIAD_E_INVAL);
    assert_int_equal(hc_quote_check(0xF00, 0, 16), TRIAD_E_INVAL);
    assert_int_equal(hc_quote_check(0xF00, size, 0), TRIAD_E_INVAL);     /* empty nonce */
    assert_int_equal(hc_quote_check(0xF00, size, TRIAD_QUOTE_NONCE_MAX + 1), TRIAD_E_INVAL);
    assert_int_equal(hc_quote_check(0xF00, size, UINT32_MAX), TRIAD_E_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inside_is_accepted),
        cmocka_unit_test(straddling_the_end_is_refused),
        cmocka_unit_test(wrapping_arithmetic_is_refused),
        cmocka_unit_test(channel_window_is_refused),
        cmocka_unit_test(zero_length),
        cmocka_unit_test(event_log_policy),
        cmocka_unit_test(quote_arguments),
        cmocka_unit_test(event_log_span),
        cmocka_unit_test(event_log_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
