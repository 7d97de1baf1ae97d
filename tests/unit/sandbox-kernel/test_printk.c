/* The kernel's formatter against the host C library's printf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "kernel/printk.h"

#define SAME(...) do {                                              \
        char ours[128], libc[128];                                  \
        int a = snprintk(ours, sizeof ours, __VA_ARGS__);           \
        int b = snprintf(libc, sizeof libc, __VA_ARGS__);           \
        assert_string_equal(ours, libc);                            \
        assert_int_equal(a, b);                                     \
    } while (0)

static void integers_match_libc(void **state)
{
    (void)state;
    SAME("%d %i %u", 0, -42, 42u);
    SAME("%d", -2147483647 - 1);
    SAME("%ld %lu", -9000000000l, 18000000000ul);
    SAME("%lld %llx", -1ll, 0xdeadbeefcafeull);
    SAME("%x %08x %8u|%-3d", 0xabcu, 0x1fu, 7u, 5);
    SAME("%zu", (size_t)123456);
}

static void strings_chars_and_percent(void **state)
{
    (void)state;
    SAME("[%s] [%c] 100%%", "sandbox", 'x');
    SAME("[%8s] [%-8s] [%-5d] [%-4x]", "ab", "cd", -12, 0xau);
}

static void null_string_and_pointer(void **state)
{
    (void)state;
    char buf[64];
    snprintk(buf, sizeof buf, "%s", (const char *)NULL);
    assert_string_equal(buf, "(null)");
    snprintk(buf, sizeof buf, "%p", (void *)0x1000);
    assert_string_equal(buf, "0x1000");
}

static void truncates_and_counts_like_snprintf(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    int n = snprintk(buf, 5, "%s", "abcdefgh");
    assert_int_equal(n, 8);
    assert_string_equal(buf, "abcd");
    assert_int_equal(buf[5], 'Z');           /* nothing written past the size */
    assert_int_equal(snprintk(NULL, 0, "%d", 12345), 5);
}

static void odd_formats_do_not_crash(void **state)
{
    (void)state;
    char buf[32];
    snprintk(buf, sizeof buf, "%q %");
    assert_string_equal(buf, "%q ");
}

/* REQ: KRN-PRINTK-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers_match_libc),
        cmocka_unit_test(strings_chars_and_percent),
        cmocka_unit_test(null_string_and_pointer),
        cmocka_unit_test(truncates_and_counts_like_snprintf),
        cmocka_unit_test(odd_formats_do_not_crash),
    };
    return cmocka_run_group_tests_name("printk", tests, NULL, NULL);
}
