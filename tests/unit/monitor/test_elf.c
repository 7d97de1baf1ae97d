/* elf_load: sandbox kernel images are untrusted.  A good image lands at its
   physical addresses with .bss zeroed; truncated, overlapping, out-of-region
   and malformed images are refused with their own error and copy nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "elf.h"

#define RAM_SIZE  0x40000u
#define RES_LO    0x8000u          /* the boot information block */
#define RES_HI    0xC000u
#define PHOFF     64u
#define MAX_SEGS  4u
#define IMG_SIZE  (PHOFF + MAX_SEGS * 56u + 0x400u)
#define DATA_AT   (PHOFF + MAX_SEGS * 56u)
#define FILL      0x5A

static uint8_t img[IMG_SIZE];
static uint8_t ram[RAM_SIZE];

static void w16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *p, uint32_t v) { w16(p, (uint16_t)v); w16(p + 2, (uint16_t)(v >> 16)); }
static void w64(uint8_t *p, uint64_t v) { w32(p, (uint32_t)v); w32(p + 4, (uint32_t)(v >> 32)); }

/* An ELF64 x86-64 executable header with phnum program headers at PHOFF. */
static void header(uint16_t phnum, uint64_t entry)
{
    memset(img, 0, sizeof img);
    memcpy(img, "\x7F" "ELF", 4);
    img[4] = 2;      /* 64-bit */
    img[5] = 1;      /* little-endian */
    img[6] = 1;
    w16(img + 16, 2);        /* ET_EXEC */
    w16(img + 18, 62);       /* EM_X86_64 */
    w32(img + 20, 1);
    w64(img + 24, entry);
    w64(img + 32, PHOFF);
    w16(img + 52, 64);
    w16(img + 54, 56);
    w16(img + 56, phnum);
    for (unsigned i = 0; i < 0x400u; i++)
        img[DATA_AT + i] = (uint8_t)(i * 7 + 1);   /* never zero: .bss is visible */
}

static void segment(unsigned i, uint32_t type, uint64_t offset, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    uint8_t *ph = img + PHOFF + i * 56u;
    w32(ph, type);
    w32(ph + 4, 7);
    w64(ph + 8, offset);
    w64(ph + 16, paddr);     /* vaddr: the loader uses paddr */
    w64(ph + 24, paddr);
    w64(ph + 32, filesz);
    w64(ph + 40, memsz);
    w64(ph + 48, 0x1000);
}

static int load(uint64_t size, uint32_t *entry)
{
    memset(ram, FILL, sizeof ram);
    return elf_load(img, size, ram, RAM_SIZE, RES_LO, RES_HI, entry, 0);
}

static void ram_untouched(void)
{
    for (uint32_t i = 0; i < RAM_SIZE; i++)
        if (ram[i] != FILL)
            fail_msg("RAM byte 0x%x written by a refused image", i);
}

/* A kernel like ours: text at 1 MiB scaled down to 0x10000, data + bss. */
static void good_image(void)
{
    header(2, 0x10010);
    segment(0, 1, DATA_AT, 0x10000, 0x200, 0x200);
    segment(1, 1, DATA_AT + 0x200, 0x20000, 0x100, 0x1000);
}

static void good_image_loads(void **state)
{
    (void)state;
    good_image();
    uint32_t entry = 0;
    assert_int_equal(load(IMG_SIZE, &entry), ELF_OK);
    assert_int_equal(entry, 0x10010);
    assert_memory_equal(ram + 0x10000, img + DATA_AT, 0x200);
    assert_memory_equal(ram + 0x20000, img + DATA_AT + 0x200, 0x100);
    for (uint32_t b = 0x20100; b < 0x21000; b++)
        assert_int_equal(ram[b], 0);                   /* .bss zeroed */
    assert_int_equal(ram[0x0FFFF], FILL);              /* nothing around it */
    assert_int_equal(ram[0x10200], FILL);
    assert_int_equal(ram[0x21000], FILL);
    for (uint32_t b = RES_LO; b < RES_HI; b++)
        assert_int_equal(ram[b], FILL);                /* boot info kept */
}

/* A caller that zeroed the region itself (boot, restart scrub): the .bss
   bytes are not written again; the file bytes are copied as before. */
static void zeroed_region_keeps_its_bss(void **state)
{
    (void)state;
    good_image();
    uint32_t entry = 0;
    memset(ram, FILL, sizeof ram);
    assert_int_equal(elf_load(img, IMG_SIZE, ram, RAM_SIZE, RES_LO, RES_HI, &entry, 1), ELF_OK);
    assert_int_equal(entry, 0x10010);
    assert_memory_equal(ram + 0x10000, img + DATA_AT, 0x200);
    assert_memory_equal(ram + 0x20000, img + DATA_AT + 0x200, 0x100);
    for (uint32_t b = 0x20100; b < 0x21000; b++)
        assert_int_equal(ram[b], FILL);                /* .bss left as the caller made it */
    assert_int_equal(ram[0x21000], FILL);
}

/* Segment sizes that are not a multiple of 8 (a copy by words or rounds of
   eight bytes must end with a byte tail: shorter than a round, a round and
   a tail, exactly one round, at odd image offsets and addresses) land
   exactly, and the bytes before and after each are not written. */
static void odd_sized_segments_copy_exactly(void **state)
{
    (void)state;
    header(3, 0x10010);
    segment(0, 1, DATA_AT, 0x10000, 0x1F5, 0x1F5);
    segment(1, 1, DATA_AT + 0x201, 0x20003, 5, 5);
    segment(2, 1, DATA_AT + 0x301, 0x30007, 8, 8);
    uint32_t entry = 0;
    assert_int_equal(load(IMG_SIZE, &entry), ELF_OK);
    assert_memory_equal(ram + 0x10000, img + DATA_AT, 0x1F5);
    assert_memory_equal(ram + 0x20003, img + DATA_AT + 0x201, 5);
    assert_memory_equal(ram + 0x30007, img + DATA_AT + 0x301, 8);
    assert_int_equal(ram[0x101F5], FILL);
    assert_int_equal(ram[0x20002], FILL);
    assert_int_equal(ram[0x20008], FILL);
    assert_int_equal(ram[0x30006], FILL);
    assert_int_equal(ram[0x3000F], FILL);
}

static void non_load_segments_are_skipped(void **state)
{
    (void)state;
    good_image();
    header(3, 0x10010);
    segment(0, 1, DATA_AT, 0x10000, 0x200, 0x200);
    segment(1, 4 /* PT_NOTE */, 0xFFFFFF, 0xFFFFFFFF, 0x999999, 0x999999);
    segment(2, 0x6474E551 /* GNU_STACK */, 0, 0, 0, 0);
    uint32_t entry = 0;
    assert_int_equal(load(IMG_SIZE, &entry), ELF_OK);
}

static void truncated_images_are_refused(void **state)
{
    (void)state;
    uint32_t entry = 0xDEAD;
    good_image();
    assert_int_equal(load(0, &entry), ELF_ERR_HEADER);
    assert_int_equal(load(63, &entry), ELF_ERR_HEADER);            /* half a header */
    assert_int_equal(load(PHOFF + 56 + 10, &entry), ELF_ERR_HEADER); /* program headers cut */
    assert_int_equal(load(DATA_AT + 0x100, &entry), ELF_ERR_SEGMENT); /* segment bytes cut */
    assert_int_equal(entry, 0xDEAD);
    ram_untouched();
}

static void malformed_headers_are_refused(void **state)
{
    (void)state;
    uint32_t entry = 0;
    good_image(); img[0] = 0x7E;
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    good_image(); img[4] = 1;                       /* 32-bit */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    good_image(); img[5] = 2;                       /* big-endian */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    good_image(); w16(img + 16, 3);                 /* ET_DYN */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    good_image(); w16(img + 18, 3);                 /* EM_386 */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    good_image(); w16(img + 54, 32);                /* wrong phentsize */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    good_image(); w16(img + 56, ELF_MAX_PHDRS + 1);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    good_image(); w64(img + 32, UINT64_MAX - 8);    /* phoff wraps */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_HEADER);
    ram_untouched();
}

static void segment_bytes_outside_the_image_are_refused(void **state)
{
    (void)state;
    uint32_t entry = 0;
    good_image(); segment(1, 1, IMG_SIZE - 0x10, 0x20000, 0x20, 0x20);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_SEGMENT);
    good_image(); segment(1, 1, UINT64_MAX - 0x10, 0x20000, 0x20, 0x20);   /* offset + size wraps */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_SEGMENT);
    good_image(); segment(1, 1, DATA_AT, 0x20000, 0x200, 0x100);           /* filesz > memsz */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_SEGMENT);
    ram_untouched();
}

static void segments_outside_the_region_are_refused(void **state)
{
    (void)state;
    uint32_t entry = 0;
    /* the second segment is bad: the first must not have been copied */
    good_image(); segment(1, 1, DATA_AT, RAM_SIZE - 0x80, 0x100, 0x100);   /* straddles the end */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_PLACE);
    good_image(); segment(1, 1, DATA_AT, RAM_SIZE - 0x80, 0x10, 0x1000);   /* its .bss does */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_PLACE);
    good_image(); segment(1, 1, DATA_AT, 0x100000000ull, 0x10, 0x10);      /* far above */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_PLACE);
    good_image(); segment(1, 1, DATA_AT, UINT64_MAX - 0xF, 0x10, 0x20);    /* paddr + memsz wraps */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_PLACE);
    good_image(); segment(1, 1, DATA_AT, RES_HI - 0x10, 0x10, 0x10);       /* over the boot info */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_PLACE);
    good_image(); segment(1, 1, DATA_AT, 0x1000, 0x10, RES_LO - 0x1000 + 1); /* .bss reaches it */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_PLACE);
    ram_untouched();
    /* touching the reserved range's edges is fine */
    good_image(); segment(1, 1, DATA_AT, RES_HI, 0x10, 0x10);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_OK);
    good_image(); segment(1, 1, DATA_AT, RES_LO - 0x10, 0x10, 0x10);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_OK);
}

static void overlapping_segments_are_refused(void **state)
{
    (void)state;
    uint32_t entry = 0;
    good_image(); segment(1, 1, DATA_AT + 0x200, 0x101F0, 0x100, 0x100);   /* tail of segment 0 */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_OVERLAP);
    good_image(); segment(1, 1, DATA_AT + 0x200, 0x0FF00, 0x10, 0x200);    /* its .bss over the head */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_OVERLAP);
    good_image(); segment(1, 1, DATA_AT, 0x10000, 0x200, 0x200);           /* the same twice */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_OVERLAP);
    ram_untouched();
    /* adjacent and empty segments do not overlap */
    good_image(); segment(1, 1, DATA_AT + 0x200, 0x10200, 0x100, 0x100);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_OK);
    good_image(); segment(1, 1, DATA_AT, 0x10100, 0, 0);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_OK);
}

static void bad_entry_points_are_refused(void **state)
{
    (void)state;
    uint32_t entry = 0;
    good_image(); w64(img + 24, 0x30000);                   /* in no segment */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_ENTRY);
    good_image(); w64(img + 24, 0x20150);                   /* in .bss: zeros, not code */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_ENTRY);
    good_image(); w64(img + 24, 0xFFFFFFFF00010010ull);     /* 64-bit alias of a good one */
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_ENTRY);
    ram_untouched();
}

static void no_loadable_segment_is_refused(void **state)
{
    (void)state;
    uint32_t entry = 0;
    header(0, 0x10010);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_EMPTY);
    header(1, 0x10010);
    segment(0, 4, DATA_AT, 0x10000, 0x10, 0x10);
    assert_int_equal(load(IMG_SIZE, &entry), ELF_ERR_EMPTY);
    ram_untouched();
}

static void every_error_has_a_message(void **state)
{
    (void)state;
    for (int e = ELF_OK; e >= ELF_ERR_OVERLAP; e--)
        assert_string_not_equal(elf_strerror(e), "unknown ELF error");
    assert_string_equal(elf_strerror(-99), "unknown ELF error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_image_loads),
        cmocka_unit_test(zeroed_region_keeps_its_bss),
        cmocka_unit_test(odd_sized_segments_copy_exactly),
        cmocka_unit_test(non_load_segments_are_skipped),
        cmocka_unit_test(truncated_images_are_refused),
        cmocka_unit_test(malformed_headers_are_refused),
        cmocka_unit_test(segment_bytes_outside_the_image_are_refused),
        cmocka_unit_test(segments_outside_the_region_are_refused),
        cmocka_unit_test(overlapping_segments_are_refused),
        cmocka_unit_test(bad_entry_points_are_refused),
        cmocka_unit_test(no_loadable_segment_is_refused),
        cmocka_unit_test(every_error_has_a_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
