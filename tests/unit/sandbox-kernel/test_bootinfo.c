/* Host tests of the multiboot2 parser and the command-line lookup, including hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"

static uint8_t blk[1024] __attribute__((aligned(8)));
static size_t len;

static void put32(size_t off, uint32_t v) { memcpy(blk + off, &v, 4); }

static void start(void) { memset(blk, 0, sizeof blk); len = 8; }
static void tag(uint32_t type, const void *payload, uint32_t n)
{
    put32(len, type);
    put32(len + 4, 8 + n);
    memcpy(blk + len + 8, payload, n);
    len += (8 + n + 7) & ~7u;
}
static void finish(void) { put32(len, 0); put32(len + 4, 8); len += 8; put32(0, (uint32_t)len); }

static void mmap_tag(void)
{
    uint8_t m[8 + 3 * 24] = { 0 };
    uint32_t es = 24;
    memcpy(m, &es, 4);
    uint64_t e[3][3] = { { 0, 0x9F000, 1 }, { 0x100000, 0x7F00000, 1 }, { 0xFFFC0000, 0x40000, 2 } };
    for (int i = 0; i < 3; i++) {
        memcpy(m + 8 + i * 24, &e[i][0], 8);
        memcpy(m + 8 + i * 24 + 8, &e[i][1], 8);
        uint32_t t = (uint32_t)e[i][2];
        memcpy(m + 8 + i * 24 + 16, &t, 4);
    }
    tag(6, m, sizeof m);
}

static void parses_cmdline_mmap_and_modules(void **state)
{
    (void)state;
    start();
    tag(1, "triad.sandbox=1 triad.console=0x2f8", 36);
    mmap_tag();
    uint8_t mod[8 + 9];
    put32(0, 0);
    uint32_t s = 0x200000, e = 0x201000;
    memcpy(mod, &s, 4);
    memcpy(mod + 4, &e, 4);
    memcpy(mod + 8, "programs", 9);
    tag(3, mod, sizeof mod);
    tag(0x7472, "xx", 2);           /* an unknown tag (like the monitor's Triad tag) is skipped */
    finish();
    struct boot_info bi;
    assert_int_equal(bootinfo_parse(blk, 0x9000, sizeof blk, &bi), BOOTINFO_OK);
    assert_string_equal(bi.cmdline, "triad.sandbox=1 triad.console=0x2f8");
    assert_int_equal(bi.ram_count, 2);
    assert_int_equal(bi.ram[1].start, 0x100000);
    assert_int_equal(bi.ram[1].end, 0x8000000);
    assert_int_equal(bootinfo_ram_top(&bi), 0x8000000);
    assert_int_equal(bi.module_count, 1);
    assert_int_equal(bi.modules[0].start, 0x200000);
    assert_string_equal(bi.modules[0].name, "programs");
    assert_int_equal(bi.info_start, 0x9000);
    assert_int_equal(bi.info_end, 0x9000 + len);
}

static void rejects_bad_sizes(void **state)
{
    (void)state;
    struct boot_info bi;
    start();
    finish();
    assert_int_equal(bootinfo_parse(blk, 0, 8, &bi), BOOTINFO_BAD_SIZE);       /* limit too small */
    put32(0, 4096);
    assert_int_equal(bootinfo_parse(blk, 0, sizeof blk, &bi), BOOTINFO_BAD_SIZE); /* beyond limit */
    put32(0, 4);
    assert_int_equal(bootinfo_parse(blk, 0, sizeof blk, &bi), BOOTINFO_BAD_SIZE);
}

static void rejects_tag_running_past_the_block(void **state)
{
    (void)state;
    struct boot_info bi;
    start();
    tag(1, "abc", 4);
    finish();
    put32(12, 900);                 /* the cmdline tag claims 900 bytes */
    assert_int_equal(bootinfo_parse(blk, 0, sizeof blk, &bi), BOOTINFO_BAD_TAG);
    put32(12, 4);                   /* shorter than a tag header */
    assert_int_equal(bootinfo_parse(blk, 0, sizeof blk, &bi), BOOTINFO_BAD_TAG);
}

static void missing_end_tag_is_reported(void **state)
{
    (void)state;
    struct boot_info bi;
    start();
    tag(1, "abc", 4);
    put32(0, (uint32_t)len);
    assert_int_equal(bootinfo_parse(blk, 0, sizeof blk, &bi), BOOTINFO_NO_END);
    assert_string_equal(bi.cmdline, "abc");
}

static void unterminated_cmdline_is_bounded(void **state)
{
    (void)state;
    struct boot_info bi;
    start();
    char longline[600];
    memset(longline, 'a', sizeof longline);
    tag(1, longline, sizeof longline);     /* no NUL */
    finish();
    assert_int_equal(bootinfo_parse(blk, 0, sizeof blk, &bi), BOOTINFO_OK);
    assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

static void cmdline_lookup(void **state)
{
    (void)state;
    const char *c = "triad.sandbox=2  triad.console=0x2f8 triad.consolex=9 triad.name=nav triad.empty= x";
    char v[16];
    uint64_t n;
    assert_int_equal(cmdline_get(c, "triad.name", v, sizeof v), 1);
    assert_string_equal(v, "nav");
    assert_int_equal(cmdline_get(c, "triad.nam", v, sizeof v), 0);     /* prefixes do not match */
    assert_int_equal(cmdline_get(c, "x", v, sizeof v), 0);              /* a bare word has no value */
    assert_int_equal(cmdline_get_u64(c, "triad.console", 0, &n), 1);
    assert_int_equal(n, 0x2f8);
    assert_int_equal(cmdline_get_u64(c, "triad.sandbox", 0, &n), 1);
    assert_int_equal(n, 2);
    assert_int_equal(cmdline_get_u64(c, "triad.empty", 0, &n), -1);
    assert_int_equal(cmdline_get_u64(c, "triad.name", 0, &n), -1);
    assert_int_equal(cmdline_get_u64(c, "missing", 0, &n), 0);
    assert_int_equal(cmdline_get_u64("a=2f8", "a", 1, &n), 1);
    assert_int_equal(n, 0x2f8);
    assert_int_equal(cmdline_get_u64("a=99999999999999999999", "a", 0, &n), -1);  /* overflow */
    assert_int_equal(cmdline_get("k=abcdefghijklmnop", "k", v, 4), 1);
    assert_string_equal(v, "abc");
}

/* REQ: KRN-BOOT-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_cmdline_mmap_and_modules),
        cmocka_unit_test(rejects_bad_sizes),
        cmocka_unit_test(rejects_tag_running_past_the_block),
        cmocka_unit_test(missing_end_tag_is_reported),
        cmocka_unit_test(unterminated_cmdline_is_bounded),
        cmocka_unit_test(cmdline_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
