/* The sandbox kernel's reader of the monitor's Triad boot tag
 * (sandbox-kernel/chan/chan_boot.c): a good tag, then hostile ones, each
 * refused with its code and no channel left usable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "chan/chan_boot.h"

#define W 0x80000000ull

static uint8_t block[4096] __attribute__((aligned(8)));

/* A block: total size, reserved, the Triad tag with `n` channels, end tag. */
static size_t build(uint32_t n, struct triad_boot_channel *chs, uint8_t console_kind, uint8_t console_ch)
{
    memset(block, 0, sizeof block);
    struct triad_boot_sandbox_tag t = {0};
    t.type = TRIAD_MB2_TAG_SANDBOX;
    t.size = (uint32_t)(sizeof t + n * sizeof *chs);
    t.version = TRIAD_SANDBOX_TAG_VERSION;
    t.sandbox_id = 1;
    strcpy(t.name, "beta");
    t.channel_window_gpa = W;
    t.channel_window_size = 0x200000;
    t.console_kind = console_kind;
    t.console_channel = console_ch;
    t.channel_count = n;
    memcpy(block + 8, &t, sizeof t);
    memcpy(block + 8 + sizeof t, chs, n * sizeof *chs);
    size_t end = 8 + ((t.size + 7u) & ~7u);
    uint32_t endtag[2] = {0, 8};
    memcpy(block + end, endtag, 8);
    uint32_t total = (uint32_t)(end + 8);
    memcpy(block, &total, 4);
    return total;
}

static struct triad_boot_channel writer(uint32_t key)
{
    struct triad_boot_channel c = {0};
    c.key = key;
    c.kind = 1;
    c.role = TRIAD_ROLE_WRITER;
    c.reader_count = 1;
    c.msg_size = 128;
    c.depth = 32;
    c.writer_gpa = W + 0x1000;
    c.writer_size = 0x3000;
    c.control_gpa = W + 0x4000;
    c.control_size = 0x1000;
    c.reader_ctl_gpa[0] = W + 0x4000;
    return c;
}

static void good_tag(void **s)
{
    (void)s;
    struct triad_boot_channel c[2] = { writer(16), writer(2) };
    c[1].role = TRIAD_ROLE_READER;
    c[1].reader_index = 0;
    struct chan_boot b;
    size_t n = build(2, c, 2, 0);
    assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_OK);
    assert_int_equal(b.count, 2);
    assert_string_equal(b.name, "beta");
    assert_int_equal(b.console_kind, 2);
    assert_non_null(chan_boot_find(&b, 16));
    assert_null(chan_boot_find(&b, 99));
}

static void no_tag_is_not_an_error(void **s)
{
    (void)s;
    uint32_t blk[4] = {16, 0, 0, 8};
    struct chan_boot b;
    assert_int_equal(chan_boot_parse(blk, sizeof blk, &b), CHAN_BOOT_NO_TAG);
    assert_int_equal(b.count, 0);
}

/* Each mutation of a good channel must be refused and leave no channel. */
static void hostile_channels(void **s)
{
    (void)s;
    struct chan_boot b;
    for (int m = 0; m < 9; m++) {
        struct triad_boot_channel c = writer(16);
        switch (m) {
        case 0: c.writer_gpa = W - 0x1000; break;              /* below the window */
        case 1: c.writer_gpa = W + 0x1ff000; break;            /* runs past its end */
        case 2: c.writer_gpa = W + 0x1010; break;              /* unaligned */
        case 3: c.reader_count = 9; break;
        case 4: c.role = 7; break;
        case 5: c.kind = 2; break;
        case 6: c.reader_ctl_gpa[0] = 0x1000; break;           /* a control page in RAM */
        case 7: c.writer_size = UINT64_MAX & ~0xFFFull; break; /* overflow */
        case 8: c.key = 0; break;
        }
        size_t n = build(1, &c, 0, 0xFF);
        assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_BAD_CHAN);
        assert_int_equal(b.count, 0);
        assert_int_equal(b.present, 0);
    }
}

static void hostile_tags(void **s)
{
    (void)s;
    struct chan_boot b;
    struct triad_boot_channel c[2] = { writer(16), writer(16) };
    size_t n = build(2, c, 0, 0xFF);                              /* the same key twice */
    assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_BAD_CHAN);
    n = build(1, c, 2, 3);                                        /* console channel out of range */
    assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_BAD_CHAN);
    c[0].role = TRIAD_ROLE_READER;
    n = build(1, c, 2, 0);                                        /* console read, not written */
    assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_BAD_CHAN);
    n = build(1, c, 0, 0xFF);
    uint32_t count = 30;                                          /* count beyond the tag */
    memcpy(block + 8 + offsetof(struct triad_boot_sandbox_tag, channel_count), &count, 4);
    assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_BAD_TAG);
    n = build(1, c, 0, 0xFF);
    uint32_t v = 9;                                               /* unknown version */
    memcpy(block + 8 + offsetof(struct triad_boot_sandbox_tag, version), &v, 4);
    assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_BAD_TAG);
    n = build(1, c, 0, 0xFF);
    assert_int_equal(chan_boot_parse(block, n - 16, &b), CHAN_BOOT_BAD_BLOCK);  /* total beyond limit */
    uint32_t big = 0xFFFF;                                        /* a tag running past the block */
    n = build(1, c, 0, 0xFF);
    memcpy(block + 12, &big, 4);
    assert_int_equal(chan_boot_parse(block, n, &b), CHAN_BOOT_BAD_BLOCK);
    assert_int_equal(b.count, 0);
    assert_int_equal(chan_boot_parse(NULL, 100, &b), CHAN_BOOT_BAD_BLOCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_tag),
        cmocka_unit_test(no_tag_is_not_an_error),
        cmocka_unit_test(hostile_channels),
        cmocka_unit_test(hostile_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
