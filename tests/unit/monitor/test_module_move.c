/* module_move.c: new homes for the modules that lie in sandbox regions
   (the tboot entry), inside the monitor's reservation, clear of everything.
   REQ: ATT-BOOT-002 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "module_move.h"

#define MiB 0x100000ull

static int clear(uint64_t s, uint64_t e, const struct mm_range *r, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (s < r[i].end && r[i].start < e)
            return 0;
    return 1;
}

/* The layout tboot leaves on QEMU for uav-tmr: monitor image at 1 MiB, the
   monitor reserves 32 MiB, io's region at 32 MiB holds the modules and the
   multiboot2 information block. */
static void tboot_layout_moves_into_the_reservation(void **state)
{
    (void)state;
    const struct mm_range items[] = {
        { 0x02a8b000, 0x02cf4a58 },     /* sandbox-kernel */
        { 0x02cf5000, 0x02cfb6a8 },     /* system.bin */
        { 0x02d676b0, 0x02d686b0 },     /* the information block (4 KiB) */
    };
    const struct mm_range busy[] = { { 32 * MiB, 64 * MiB }, { 64 * MiB, 96 * MiB } };
    const struct mm_range fixed[] = { { 0x100000, 0x2c5000 }, { 0x60000, 0x68000 } };
    uint64_t dest[3];
    assert_int_equal(mm_plan(items, 3, busy, 2, fixed, 2, 0x2c5000, 32 * MiB, dest), 3);
    struct mm_range placed[3];
    for (int i = 0; i < 3; i++) {
        uint64_t size = items[i].end - items[i].start;
        assert_true(dest[i] >= 0x2c5000 && dest[i] + size <= 32 * MiB);
        assert_int_equal(dest[i] % MM_ALIGN, 0);
        assert_true(clear(dest[i], dest[i] + size, busy, 2));
        assert_true(clear(dest[i], dest[i] + size, fixed, 2));
        assert_true(clear(dest[i], dest[i] + size, items, 3));    /* a forward copy is safe */
        assert_true(clear(dest[i], dest[i] + size, placed, (uint32_t)i));
        placed[i] = (struct mm_range){ dest[i], dest[i] + size };
    }
    assert_int_equal(dest[0], 0x2c5000);                 /* first fit right after the image */
}

/* GRUB's own layout (the direct entry): everything is in the reservation. */
static void nothing_to_move_when_clear(void **state)
{
    (void)state;
    const struct mm_range items[] = { { 0x31c000, 0x585a58 }, { 0x586000, 0x58c6a8 } };
    const struct mm_range busy[] = { { 32 * MiB, 64 * MiB } };
    const struct mm_range fixed[] = { { 0x100000, 0x2c5000 } };
    uint64_t dest[2];
    assert_int_equal(mm_plan(items, 2, busy, 1, fixed, 1, 0x2c5000, 32 * MiB, dest), 0);
    assert_int_equal(dest[0], 0x31c000);
    assert_int_equal(dest[1], 0x586000);
}

/* Obstacles in the reservation are jumped over, one by one. */
static void obstacles_are_skipped(void **state)
{
    (void)state;
    const struct mm_range items[] = { { 40 * MiB, 40 * MiB + 3 * MiB } };
    const struct mm_range busy[] = { { 32 * MiB, 64 * MiB } };
    const struct mm_range fixed[] = { { 1 * MiB, 3 * MiB }, { 4 * MiB, 6 * MiB }, { 8 * MiB + 1, 9 * MiB } };
    uint64_t dest[1];
    assert_int_equal(mm_plan(items, 1, busy, 1, fixed, 3, 1 * MiB, 32 * MiB, dest), 1);
    assert_int_equal(dest[0], 9 * MiB);                  /* 3-4 and 6-8 MiB are too small */
    assert_int_equal(mm_find_room(2 * MiB, 1 * MiB, 32 * MiB, fixed, 3), 6 * MiB);
    assert_int_equal(mm_find_room(1 * MiB, 1 * MiB, 32 * MiB, fixed, 3), 3 * MiB);
}

/* No room: -1, and the caller moves nothing. */
static void no_room_is_refused(void **state)
{
    (void)state;
    const struct mm_range items[] = { { 40 * MiB, 50 * MiB } };
    const struct mm_range busy[] = { { 32 * MiB, 64 * MiB } };
    const struct mm_range fixed[] = { { 1 * MiB, 30 * MiB } };
    uint64_t dest[1];
    assert_int_equal(mm_plan(items, 1, busy, 1, fixed, 1, 1 * MiB, 32 * MiB, dest), -1);
    /* a module bigger than the whole reservation */
    assert_int_equal(mm_find_room(64 * MiB, 1 * MiB, 32 * MiB, fixed, 0), 0);
    /* bounds that would wrap */
    assert_int_equal(mm_find_room(16, UINT64_MAX - 8, UINT64_MAX, fixed, 0), 0);
    assert_int_equal(mm_find_room(UINT64_MAX, 1 * MiB, 32 * MiB, fixed, 0), 0);
}

/* Two modules competing for the same hole: the second goes after the first. */
static void destinations_do_not_collide(void **state)
{
    (void)state;
    const struct mm_range items[] = { { 40 * MiB, 41 * MiB }, { 42 * MiB, 43 * MiB } };
    const struct mm_range busy[] = { { 32 * MiB, 64 * MiB } };
    uint64_t dest[2];
    assert_int_equal(mm_plan(items, 2, busy, 1, busy, 0, 2 * MiB, 32 * MiB, dest), 2);
    assert_int_equal(dest[0], 2 * MiB);
    assert_int_equal(dest[1], 3 * MiB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tboot_layout_moves_into_the_reservation),
        cmocka_unit_test(nothing_to_move_when_clear),
        cmocka_unit_test(obstacles_are_skipped),
        cmocka_unit_test(no_room_is_refused),
        cmocka_unit_test(destinations_do_not_collide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
