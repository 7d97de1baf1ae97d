/* Host tests of the program-archive reader and the ELF64 checks of the program loader, with corrupt input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "user/progar.h"
#include "user/elf.h"

static uint8_t ar[256];

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

static size_t make_archive(void)
{
    memset(ar, 0, sizeof ar);
    memcpy(ar, "TRIADPAR", 8);
    put32(ar + 8, 1);
    put32(ar + 12, 2);
    memcpy(ar + 16, "one", 3);
    put32(ar + 48, 96);
    put32(ar + 52, 5);
    memcpy(ar + 56, "two", 3);
    put32(ar + 88, 112);
    put32(ar + 92, 3);
    memcpy(ar + 96, "first", 5);
    memcpy(ar + 112, "abc", 3);
    return 115;
}

static void archive_finds_entries(void **state)
{
    (void)state;
    size_t len = make_archive();
    const uint8_t *d;
    size_t n;
    assert_int_equal(progar_check(ar, len), PROGAR_OK);
    assert_int_equal(progar_find(ar, len, "two", &d, &n), PROGAR_OK);
    assert_int_equal(n, 3);
    assert_memory_equal(d, "abc", 3);
    assert_int_equal(progar_find(ar, len, "tw", &d, &n), PROGAR_NOT_FOUND);
    assert_int_equal(progar_find(ar, len, "three", &d, &n), PROGAR_NOT_FOUND);
    assert_string_equal(progar_name(ar, len, 0), "one");
    assert_null(progar_name(ar, len, 2));
}

static void archive_rejects_corruption(void **state)
{
    (void)state;
    size_t len = make_archive();
    assert_int_equal(progar_check(ar, 10), PROGAR_BAD);               /* truncated header */
    assert_int_equal(progar_check(ar, len - 1), PROGAR_BAD);          /* last file cut short */
    ar[0] = 'X';
    assert_int_equal(progar_check(ar, len), PROGAR_BAD);              /* magic */
    make_archive();
    put32(ar + 12, 1000);
    assert_int_equal(progar_check(ar, len), PROGAR_BAD);              /* count beyond the table */
    make_archive();
    put32(ar + 88, 0xFFFFFFF0u);
    assert_int_equal(progar_check(ar, len), PROGAR_BAD);              /* offset overflow */
    make_archive();
    memset(ar + 16, 'a', 32);
    assert_int_equal(progar_check(ar, len), PROGAR_BAD);              /* unterminated name */
    make_archive();
    put32(ar + 8, 2);
    assert_int_equal(progar_check(ar, len), PROGAR_BAD);              /* version */
}

static uint8_t elf[512];

static void make_elf(void)
{
    memset(elf, 0, sizeof elf);
    memcpy(elf, "\x7f" "ELF", 4);
    elf[4] = 2;
    elf[5] = 1;
    put16(elf + 16, 2);
    put16(elf + 18, 62);
    put64(elf + 24, 0x40000010);
    put64(elf + 32, 64);
    put16(elf + 54, 56);
    put16(elf + 56, 1);
    uint8_t *ph = elf + 64;
    put32(ph, 1);
    put32(ph + 4, 5);           /* R X */
    put64(ph + 8, 0);
    put64(ph + 16, 0x40000000);
    put64(ph + 32, 256);
    put64(ph + 40, 4096);
}

static void elf_accepts_a_good_executable(void **state)
{
    (void)state;
    struct elf_image img;
    make_elf();
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_OK);
    assert_int_equal(img.count, 1);
    assert_int_equal(img.entry, 0x40000010);
    assert_int_equal(img.seg[0].memsz, 4096);
    assert_false(img.seg[0].writable);
}

static void elf_rejects_bad_files(void **state)
{
    (void)state;
    struct elf_image img;
    make_elf();
    assert_int_equal(elf_parse(elf, 40, 0x40000000, 0x80000000, &img), ELF_NOT_ELF);
    elf[1] = 'X';
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_NOT_ELF);
    make_elf();
    put16(elf + 16, 3);                                   /* ET_DYN */
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_BAD_TYPE);
    make_elf();
    put64(elf + 32, 500);                                 /* program headers past the end */
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_BAD_HEADER);
    make_elf();
    put64(elf + 64 + 16, 0x100000);                       /* segment in kernel memory */
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_BAD_SEGMENT);
    make_elf();
    put64(elf + 64 + 40, 0xFFFFFFFFFFFFF000ull);          /* memsz wrapping around */
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_BAD_SEGMENT);
    make_elf();
    put64(elf + 64 + 32, 8192);                           /* filesz > memsz and past the file */
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_BAD_SEGMENT);
    make_elf();
    put64(elf + 24, 0x50000000);                          /* entry outside the code */
    assert_int_equal(elf_parse(elf, sizeof elf, 0x40000000, 0x80000000, &img), ELF_BAD_ENTRY);
    assert_string_equal(elf_error(ELF_BAD_ENTRY), "entry point outside the code");
}

/* REQ: KRN-USER-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(archive_finds_entries),
        cmocka_unit_test(archive_rejects_corruption),
        cmocka_unit_test(elf_accepts_a_good_executable),
        cmocka_unit_test(elf_rejects_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
