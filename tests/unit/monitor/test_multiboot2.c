/* Host tests of the monitor's multiboot2 parser: good boot information and
   every kind of malformed input the parser must refuse without reading past
   the buffer (run under -fsanitize=address in make check-unit). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "boot/multiboot2.h"

struct builder {
    uint8_t buf[4096];
    uint32_t len;
};

static void put32(struct builder *b, uint32_t off, uint32_t v) { memcpy(b->buf + off, &v, 4); }
static void put64(struct builder *b, uint32_t off, uint64_t v) { memcpy(b->buf + off, &v, 8); }

static void begin(struct builder *b)
{
    memset(b, 0, sizeof *b);
    b->len = 8;
}

/* Appends a tag of `size` bytes (header included) and returns its offset. */
static uint32_t tag(struct builder *b, uint32_t type, uint32_t size)
{
    uint32_t off = b->len;
    put32(b, off, type);
    put32(b, off + 4, size);
    b->len += (size + 7u) & ~7u;
    return off;
}

static void string_tag(struct builder *b, uint32_t type, const char *s)
{
    uint32_t off = tag(b, type, 8 + (uint32_t)strlen(s) + 1);
    memcpy(b->buf + off + 8, s, strlen(s) + 1);
}

static void module_tag(struct builder *b, uint32_t start, uint32_t end, const char *name)
{
    uint32_t off = tag(b, MB2_TAG_MODULE, 16 + (uint32_t)strlen(name) + 1);
    put32(b, off + 8, start);
    put32(b, off + 12, end);
    memcpy(b->buf + off + 16, name, strlen(name) + 1);
}

static void mmap_tag(struct builder *b, unsigned n)
{
    uint32_t off = tag(b, MB2_TAG_MMAP, 16 + 24 * n);
    put32(b, off + 8, 24);
    put32(b, off + 12, 0);
    for (unsigned i = 0; i < n; i++) {
        put64(b, off + 16 + 24 * i, 0x100000ull * (i + 1));
        put64(b, off + 24 + 24 * i, 0x1000ull * (i + 1));
        put32(b, off + 32 + 24 * i, i == 1 ? MB2_NVS : MB2_RAM);
    }
}

static void end(struct builder *b)
{
    tag(b, MB2_TAG_END, 8);
    put32(b, 0, b->len);
}

/* The parser sees exactly `len` readable bytes: a copy on the heap, so the
   address sanitizer catches any read past it.  The copy lives until the next
   parse because the parsed strings point into it. */
static uint8_t *copy;

static int parse(const struct builder *b, uint32_t len, struct boot_info *out)
{
    free(copy);
    copy = malloc(len);
    memcpy(copy, b->buf, len);
    return mb2_parse(MB2_BOOTLOADER_MAGIC, copy, len, out);
}

static struct boot_info info;

/* REQ: MON-BOOT-001 */
static void parses_loader_cmdline_mmap_and_modules(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    string_tag(&b, MB2_TAG_CMDLINE, "console=com1 sandbox=2");
    string_tag(&b, MB2_TAG_LOADER_NAME, "GRUB 2.06");
    mmap_tag(&b, 3);
    tag(&b, 8, 40);                         /* a framebuffer tag: skipped */
    module_tag(&b, 0x200000, 0x280000, "sandbox-kernel");
    module_tag(&b, 0x280000, 0x281000, "system.bin");
    end(&b);
    assert_int_equal(parse(&b, b.len, &info), MB2_OK);
    assert_string_equal(info.cmdline, "console=com1 sandbox=2");
    assert_string_equal(info.loader, "GRUB 2.06");
    assert_int_equal(info.region_count, 3);
    assert_int_equal(info.regions[2].base, 0x300000);
    assert_int_equal(info.regions[2].length, 0x3000);
    assert_int_equal(info.regions[1].type, MB2_NVS);
    assert_int_equal(info.module_count, 2);
    assert_int_equal(info.modules[0].start, 0x200000);
    assert_int_equal(info.modules[0].end, 0x280000);
    assert_string_equal(info.modules[1].name, "system.bin");
    assert_int_equal(info.dropped, 0);
}

/* REQ: MON-BOOT-002 */
static void rejects_bad_magic(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    end(&b);
    assert_int_equal(mb2_parse(0x2BADB002u, b.buf, b.len, &info), MB2_ERR_MAGIC);
    assert_null(info.loader);
}

/* REQ: MON-BOOT-002 */
static void rejects_total_size_beyond_readable(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    string_tag(&b, MB2_TAG_CMDLINE, "x");
    end(&b);
    assert_int_equal(parse(&b, b.len - 8, &info), MB2_ERR_SIZE);
    put32(&b, 0, 4);
    assert_int_equal(parse(&b, b.len, &info), MB2_ERR_SIZE);
}

/* REQ: MON-BOOT-002 */
static void rejects_tag_running_past_the_end(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    uint32_t off = tag(&b, MB2_TAG_CMDLINE, 16);
    end(&b);
    put32(&b, off + 4, 4000);               /* claims more than is there */
    assert_int_equal(parse(&b, b.len, &info), MB2_ERR_TAG);
    put32(&b, off + 4, 4);                  /* shorter than a tag header */
    assert_int_equal(parse(&b, b.len, &info), MB2_ERR_TAG);
}

/* REQ: MON-BOOT-002 */
static void rejects_missing_end_tag(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    string_tag(&b, MB2_TAG_CMDLINE, "no end");
    put32(&b, 0, b.len);
    assert_int_equal(parse(&b, b.len, &info), MB2_ERR_NO_END);
}

/* REQ: MON-BOOT-002 */
static void rejects_truncated_module_and_mmap_tags(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    tag(&b, MB2_TAG_MODULE, 12);
    end(&b);
    assert_int_equal(parse(&b, b.len, &info), MB2_ERR_TAG);
    begin(&b);
    uint32_t off = tag(&b, MB2_TAG_MMAP, 40);
    put32(&b, off + 8, 0);                  /* entry size 0: no entries, no loop */
    end(&b);
    assert_int_equal(parse(&b, b.len, &info), MB2_OK);
    assert_int_equal(info.region_count, 0);
}

/* REQ: MON-BOOT-002 */
static void unterminated_string_is_ignored(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    uint32_t off = tag(&b, MB2_TAG_CMDLINE, 12);
    memcpy(b.buf + off + 8, "abcd", 4);     /* no NUL inside the tag */
    end(&b);
    assert_int_equal(parse(&b, b.len, &info), MB2_OK);
    assert_null(info.cmdline);
}

/* REQ: MON-BOOT-002 */
static void counts_modules_beyond_capacity(void **state)
{
    (void)state;
    struct builder b;
    begin(&b);
    for (unsigned i = 0; i < MB2_MAX_MODULES + 3; i++)
        module_tag(&b, 0x100000 * i, 0x100000 * i + 10, "m");
    module_tag(&b, 0x500, 0x400, "backwards");
    end(&b);
    assert_int_equal(parse(&b, b.len, &info), MB2_OK);
    assert_int_equal(info.module_count, MB2_MAX_MODULES);
    assert_int_equal(info.dropped, 4);
}

/* REQ: MON-BOOT-002 */
static void error_messages_are_distinct(void **state)
{
    (void)state;
    const int errs[] = { MB2_ERR_MAGIC, MB2_ERR_SIZE, MB2_ERR_TAG, MB2_ERR_NO_END };
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = i + 1; j < 4; j++)
            assert_string_not_equal(mb2_strerror(errs[i]), mb2_strerror(errs[j]));
    assert_string_equal(mb2_strerror(12345), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_loader_cmdline_mmap_and_modules),
        cmocka_unit_test(rejects_bad_magic),
        cmocka_unit_test(rejects_total_size_beyond_readable),
        cmocka_unit_test(rejects_tag_running_past_the_end),
        cmocka_unit_test(rejects_missing_end_tag),
        cmocka_unit_test(rejects_truncated_module_and_mmap_tags),
        cmocka_unit_test(unterminated_string_is_ignored),
        cmocka_unit_test(counts_modules_beyond_capacity),
        cmocka_unit_test(error_messages_are_distinct),
    };
    return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
