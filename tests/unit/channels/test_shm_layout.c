/* The channel layout contract (channels/shm_layout.h) that sysgen relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "shm_layout.h"

static void slot_stride_is_header_plus_payload_in_lines(void **state)
{
    (void)state;
    assert_int_equal(shm_slot_stride(1), 64);
    assert_int_equal(shm_slot_stride(40), 64);     /* 24 + 40 = 64 exactly */
    assert_int_equal(shm_slot_stride(41), 128);
    assert_int_equal(shm_slot_stride(4096), 4160);
}

static void async_area_holds_four_slots_per_reader(void **state)
{
    (void)state;
    /* 64 header + 3 * (64 control + 4 * 64 slots) = 1024 -> one page */
    assert_int_equal(shm_writer_area_used(SHM_KIND_ASYNC, 16, 0, 3), 64 + 3 * (64 + 4 * 64));
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_ASYNC, 16, 0, 3), 4096);
    /* depth is ignored for async */
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_ASYNC, 16, 99, 3), 4096);
    /* 4096-byte messages, 1 reader: 64 + 64 + 4 * 4160 = 16768 -> 5 pages */
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_ASYNC, 4096, 0, 1), 5 * 4096);
    assert_int_equal(shm_channel_bytes(SHM_KIND_ASYNC, 4096, 0, 1), 6 * 4096);
}

static void sync_area_holds_depth_slots(void **state)
{
    (void)state;
    assert_int_equal(shm_writer_area_used(SHM_KIND_SYNC, 100, 10, 1), 64 + 10 * 128);
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_SYNC, 100, 10, 1), 4096);
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_SYNC, 100, 64, 2), 3 * 4096);
    assert_int_equal(shm_channel_bytes(SHM_KIND_SYNC, 100, 64, 2), 5 * 4096);
    assert_int_equal(shm_reader_ctl_bytes(), 4096);
}

static void invalid_parameters_give_zero(void **state)
{
    (void)state;
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_SYNC, 16, 0, 1), 0);          /* depth 0 */
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_SYNC, 16, SHM_MAX_DEPTH + 1, 1), 0);
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_ASYNC, 0, 0, 1), 0);         /* empty msg */
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_ASYNC, SHM_MAX_MSG_BYTES + 1, 0, 1), 0);
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_ASYNC, 16, 0, 0), 0);        /* no reader */
    assert_int_equal(shm_writer_area_bytes(SHM_KIND_ASYNC, 16, 0, SHM_MAX_READERS + 1), 0);
    assert_int_equal(shm_writer_area_bytes(7, 16, 4, 1), 0);                     /* no such kind */
    assert_int_equal(shm_channel_bytes(SHM_KIND_SYNC, 16, 0, 1), 0);
}

static void largest_channel_fits_in_32_bits(void **state)
{
    (void)state;
    uint64_t a = shm_channel_bytes(SHM_KIND_ASYNC, SHM_MAX_MSG_BYTES, 0, SHM_MAX_READERS);
    uint64_t s = shm_channel_bytes(SHM_KIND_SYNC, SHM_MAX_MSG_BYTES, SHM_MAX_DEPTH, SHM_MAX_READERS);
    assert_true(a > 0 && a < (1ull << 32));
    assert_true(s > 0 && s < (1ull << 32));   /* system_table.h keeps 32-bit sizes */
    assert_int_equal(a % 4096, 0);
    assert_int_equal(s % 4096, 0);
}

static void offsets_stay_inside_the_area(void **state)
{
    (void)state;
    uint32_t m = 200, n = 5;
    uint64_t bytes = shm_writer_area_bytes(SHM_KIND_ASYNC, m, 0, n);
    uint64_t last = shm_fourslot_slot_offset(m, n - 1, 1, 1) + shm_slot_stride(m);
    assert_true(last <= bytes);
    assert_int_equal(shm_fourslot_slot_offset(m, 0, 0, 0), 128);
    assert_int_equal(shm_fourslot_slot_offset(m, 1, 0, 0) - shm_fourslot_slot_offset(m, 0, 0, 0),
                     shm_fourslot_instance_stride(m));
    uint64_t fbytes = shm_writer_area_bytes(SHM_KIND_SYNC, m, 33, 1);
    assert_true(shm_fifo_slot_offset(m, 32) + shm_slot_stride(m) <= fbytes);
}

/* REQ: CHN-LAY-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slot_stride_is_header_plus_payload_in_lines),
        cmocka_unit_test(async_area_holds_four_slots_per_reader),
        cmocka_unit_test(sync_area_holds_depth_slots),
        cmocka_unit_test(invalid_parameters_give_zero),
        cmocka_unit_test(largest_channel_fits_in_32_bits),
        cmocka_unit_test(offsets_stay_inside_the_area),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
