/* Host tests of the monitor's system.bin validator (monitor/partition/
   validate.c), under ASan/UBSan: every buffer is allocated at exactly the
   length handed to the validator, so any read past it fails the test.
   Good tables come from sysgen (the .bin files in build/config); bad ones are those
   tables truncated, bit-flipped, or edited and re-sealed with a correct
   checksum so each semantic rule is reached. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "partition/validate.h"
#include "attest/sha256.h"

#ifndef TABLE_DIR
#error "TABLE_DIR must name the directory of the compiled descriptions"
#endif

static struct triad_system_table *load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TABLE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct triad_system_table *t = malloc(sizeof *t);
    assert_non_null(t);
    assert_int_equal(fread(t, 1, sizeof *t, f), sizeof *t);
    assert_int_equal(fgetc(f), EOF);
    fclose(f);
    return t;
}

static void reseal(struct triad_system_table *t)
{
    sha256(&t->body, sizeof t->body, t->header.body_sha256);
}

/* Both entries: the byte-buffer one the monitor calls and the typed one the
   proof covers (monitor-validate) must agree on every table. */
static enum triad_table_error validate(const struct triad_system_table *t)
{
    const struct triad_system_table *out = (const void *)1;
    enum triad_table_error e = triad_table_validate(t, sizeof *t, &out);
    if (e == TRIAD_TABLE_OK)
        assert_ptr_equal(out, t);
    else
        assert_null(out);
    const struct triad_system_table *typed_out = (const void *)1;
    assert_int_equal(triad_table_check(t, sizeof *t, &typed_out), e);
    assert_ptr_equal(typed_out, out);
    return e;
}

/* REQ: MON-TBL-001 */
static void good_tables_validate(void **state)
{
    (void)state;
    /* uav-failover: channels with a shadow writer (I/O failover's voter-standby) */
    static const char *const names[] = { "uav-tmr.bin", "minimal.bin", "examples/three-sandboxes.bin", "uav-failover.bin" };
    for (unsigned i = 0; i < 4; i++) {
        struct triad_system_table *t = load(names[i]);
        assert_int_equal(validate(t), TRIAD_TABLE_OK);
        free(t);
    }
}

/* REQ: MON-TBL-002 */
static void null_and_misaligned_buffers(void **state)
{
    (void)state;
    struct triad_system_table *t = load("uav-tmr.bin");
    assert_int_equal(triad_table_validate(NULL, 100, NULL), TRIAD_TABLE_ERR_NULL);
    uint8_t *shifted = malloc(sizeof *t + 1);
    memcpy(shifted + 1, t, sizeof *t);
    assert_int_equal(triad_table_validate(shifted + 1, sizeof *t, NULL), TRIAD_TABLE_ERR_ALIGNMENT);
    free(shifted);
    free(t);
}

/* Every prefix is refused, and never read past (the copy is exactly len). */
/* REQ: MON-TBL-002 */
static void truncated_tables(void **state)
{
    (void)state;
    struct triad_system_table *t = load("uav-tmr.bin");
    for (size_t len = 0; len < sizeof *t; len += (len < 128 ? 1 : 97)) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, t, len);
        enum triad_table_error e = triad_table_validate(copy, len, NULL);
        assert_int_equal(e, TRIAD_TABLE_ERR_TRUNCATED);
        free(copy);
    }
    uint8_t *copy = malloc(sizeof *t - 1);
    memcpy(copy, t, sizeof *t - 1);
    assert_int_equal(triad_table_validate(copy, sizeof *t - 1, NULL), TRIAD_TABLE_ERR_TRUNCATED);
    free(copy);
    /* A longer buffer is fine: the table is a prefix of a page-rounded module. */
    uint8_t *longer = calloc(1, sizeof *t + 4096);
    memcpy(longer, t, sizeof *t);
    assert_int_equal(triad_table_validate(longer, sizeof *t + 4096, NULL), TRIAD_TABLE_OK);
    free(longer);
    free(t);
}

/* Any flipped bit of the body breaks the checksum; a flipped header bit is
   refused by the header rules, except the minor version (compatible by
   definition). */
/* REQ: MON-TBL-002 */
static void bit_flips(void **state)
{
    (void)state;
    struct triad_system_table *t = load("uav-tmr.bin");
    uint8_t *bytes = (uint8_t *)t;
    for (size_t byte = 0; byte < sizeof(struct triad_table_header); byte++) {
        for (unsigned bit = 0; bit < 8; bit++) {
            bytes[byte] ^= (uint8_t)(1u << bit);
            enum triad_table_error e = validate(t);
            if (byte == 6 || byte == 7)
                assert_int_equal(e, TRIAD_TABLE_OK);
            else
                assert_int_not_equal(e, TRIAD_TABLE_OK);
            if (byte >= 16 && byte < 48)
                assert_int_equal(e, TRIAD_TABLE_ERR_CHECKSUM);
            bytes[byte] ^= (uint8_t)(1u << bit);
        }
    }
    srand(42);
    for (int i = 0; i < 400; i++) {
        size_t byte = sizeof(struct triad_table_header) + (size_t)rand() % sizeof t->body;
        uint8_t mask = (uint8_t)(1u << (rand() % 8));
        bytes[byte] ^= mask;
        assert_int_equal(validate(t), TRIAD_TABLE_ERR_CHECKSUM);
        bytes[byte] ^= mask;
    }
    assert_int_equal(validate(t), TRIAD_TABLE_OK);
    free(t);
}

/* One edit per rule, re-sealed so the checksum passes and the rule itself
   has to catch it. */
typedef void (*edit_fn)(struct triad_system_table *t);

#define B (t->body)
static void e_magic(struct triad_system_table *t) { t->header.magic ^= 1; }
static void e_version(struct triad_system_table *t) { t->header.version_major = 2; }
static void e_header_size(struct triad_system_table *t) { t->header.header_size = 63; }
static void e_length(struct triad_system_table *t) { t->header.total_length += 8; }
static void e_reserved(struct triad_system_table *t) { t->header.reserved[3] = 1; }
static void e_count(struct triad_system_table *t) { B.sandbox_count = TRIAD_MAX_SANDBOXES + 1; }
static void e_count_readers(struct triad_system_table *t) { B.channels[0].reader_count = 9; }
static void e_string(struct triad_system_table *t) { memset(B.sandboxes[2].name, 'x', TRIAD_NAME_LEN); }
static void e_string_args(struct triad_system_table *t) { memset(B.sandboxes[0].programs[0].args, 'x', TRIAD_ARGS_LEN); }
static void e_platform(struct triad_system_table *t) { B.platform.core_count = 0; }
static void e_platform_cores(struct triad_system_table *t) { B.platform.core_count = 33; }
static void e_monitor(struct triad_system_table *t) { B.platform.monitor_size = 0x100000; }
static void e_monitor_ram(struct triad_system_table *t) { B.platform.monitor_base = B.platform.ram_size; }
static void e_serial(struct triad_system_table *t) { B.platform.serial[1].io_base = 0xFFFC; }
static void e_pci_bar_ram(struct triad_system_table *t) { B.platform.pci[0].bars[0].base = 0x4000000; }
static void e_pci_bar_window(struct triad_system_table *t) { B.platform.pci[0].bars[0].base = TRIAD_CHANNEL_WINDOW_GPA; }
static void e_pci_fn(struct triad_system_table *t) { B.platform.pci[0].fn = 8; }
static void e_index(struct triad_system_table *t) { B.sandboxes[3].index = 4; }
static void e_enum_crit(struct triad_system_table *t) { B.sandboxes[1].criticality = TRIAD_CRIT_COUNT; }
static void e_enum_action(struct triad_system_table *t) { B.sandboxes[1].health_action[7] = TRIAD_ACTION_COUNT; }
static void e_enum_console(struct triad_system_table *t) { B.sandboxes[1].console_kind = 7; }
static void e_enum_safe_mode(struct triad_system_table *t) { B.sandboxes[2].safe_mode_policy = TRIAD_SAFE_MODE_POLICY_COUNT; }
static void e_safe_exit_past(struct triad_system_table *t) { B.safe_exit_by = (uint8_t)B.sandbox_count; B.safe_exit_hold_ms = 2000; }
static void e_safe_exit_hold(struct triad_system_table *t) { B.safe_exit_by = 0; B.safe_exit_hold_ms = TRIAD_SAFE_EXIT_HOLD_MIN_MS - 1u; }
static void e_safe_exit_hold_high(struct triad_system_table *t) { B.safe_exit_by = 0; B.safe_exit_hold_ms = TRIAD_SAFE_EXIT_HOLD_MAX_MS + 1u; }
static void e_enum_ipi(struct triad_system_table *t) { B.sandboxes[0].ipi_policy = TRIAD_IPI_POLICY_COUNT; }
static void e_cores_shared(struct triad_system_table *t) { B.sandboxes[2].core_mask |= B.sandboxes[1].core_mask; }
static void e_cores_beyond(struct triad_system_table *t) { B.sandboxes[2].core_mask |= 1u << 6; }
static void e_cores_empty(struct triad_system_table *t) { B.sandboxes[2].core_mask = 0; }
static void e_region_align(struct triad_system_table *t) { B.sandboxes[2].mem_base += 0x1000; }
static void e_region_size(struct triad_system_table *t) { B.sandboxes[2].mem_size = 0; }
static void e_region_ram(struct triad_system_table *t) { B.sandboxes[2].mem_base = B.platform.ram_size - 0x200000; }
static void e_region_huge(struct triad_system_table *t) { B.sandboxes[2].mem_size = 0xFFFFFFFFFFE00000ull; }
static void e_region_monitor(struct triad_system_table *t) { B.sandboxes[2].mem_base = 0; }
static void e_region_overlap(struct triad_system_table *t) { B.sandboxes[2].mem_base = B.sandboxes[1].mem_base + 0x200000; }
static void e_device_range(struct triad_system_table *t) { B.sandboxes[0].devices[0] = 5; }
static void e_device_twice(struct triad_system_table *t) { B.sandboxes[1].device_count = 1; B.sandboxes[1].devices[0] = 0; }
static void e_device_standby(struct triad_system_table *t) { B.platform.pci[0].standby_ref = (uint8_t)(B.sandbox_count + 1); }
static void e_io_com1(struct triad_system_table *t) { B.sandboxes[0].io_ranges[0].base = 0x3F8; }
static void e_io_twice(struct triad_system_table *t)
{
    B.sandboxes[1].io_range_count = 1;
    B.sandboxes[1].io_ranges[0] = (struct triad_io_range){ 0xC010, 4 };
}
static void e_io_past_end(struct triad_system_table *t) { B.sandboxes[0].io_ranges[1] = (struct triad_io_range){ 0xFFF0, 0x20 }; }
static void e_io_empty(struct triad_system_table *t) { B.sandboxes[0].io_ranges[1].count = 0; }
static void e_console_port(struct triad_system_table *t) { B.sandboxes[0].console_port = 0x2E8; }
static void e_console_channel(struct triad_system_table *t) { B.sandboxes[1].console_channel = 0; }
static void e_console_channel_range(struct triad_system_table *t) { B.sandboxes[1].console_channel = 40; }
static void e_vcpu_budget(struct triad_system_table *t) { B.sandboxes[1].main_vcpus[0].budget_us = 20000; }
static void e_vcpu_core(struct triad_system_table *t) { B.sandboxes[1].main_vcpus[0].core = 0; }
static void e_vcpu_period(struct triad_system_table *t) { B.sandboxes[1].main_vcpus[0].period_us = 0; }
static void e_vcpu_util(struct triad_system_table *t) { B.sandboxes[0].io_vcpus[0].utilization_ppm = 1000001; }
static void e_area_overlap(struct triad_system_table *t) { B.channel_area.host_base = B.sandboxes[5].mem_base; }
static void e_area_window(struct triad_system_table *t) { B.channel_area.window_gpa = 0x40000000; }
static void e_area_ram(struct triad_system_table *t) { B.channel_area.host_base = B.platform.ram_size; }
static void e_endpoint_writer(struct triad_system_table *t) { B.channels[1].writer = 6; }
static void e_endpoint_self(struct triad_system_table *t) { B.channels[1].readers[0] = B.channels[1].writer; }
static void e_endpoint_reader(struct triad_system_table *t) { B.channels[0].readers[2] = 200; }
static void e_endpoint_dup(struct triad_system_table *t) { B.channels[0].readers[2] = B.channels[0].readers[1]; }
/* I/O failover's shadow writer (index + 1): a sandbox of the table, not the writer, no reader. */
static void e_shadow_past(struct triad_system_table *t) { B.channels[0].shadow_writer = (uint8_t)(B.sandbox_count + 1u); }
static void e_shadow_writer(struct triad_system_table *t) { B.channels[0].shadow_writer = (uint8_t)(B.channels[0].writer + 1u); }
static void e_shadow_reader(struct triad_system_table *t) { B.channels[0].shadow_writer = (uint8_t)(B.channels[0].readers[1] + 1u); }
static void e_params_key(struct triad_system_table *t) { B.channels[3].key = B.channels[2].key; }
static void e_params_depth(struct triad_system_table *t) { B.channels[0].depth = 5; }
static void e_params_kind(struct triad_system_table *t) { B.channels[0].kind = 2; }
static void e_pages_overlap(struct triad_system_table *t) { B.channels[2].writer_offset = B.channels[1].writer_offset; }
static void e_pages_ctl_overlap(struct triad_system_table *t) { B.channels[0].reader_ctl_offset[1] = B.channels[0].reader_ctl_offset[0]; }
static void e_pages_outside(struct triad_system_table *t) { B.channels[4].writer_offset = (uint32_t)B.channel_area.size; }
static void e_pages_align(struct triad_system_table *t) { B.channels[4].writer_offset += 8; }
static void e_tmr_two(struct triad_system_table *t) { B.tmr_groups[0].replica_count = 2; }
static void e_tmr_voter(struct triad_system_table *t) { B.tmr_groups[0].replicas[1] = B.tmr_groups[0].voter; }
static void e_tmr_dup(struct triad_system_table *t) { B.tmr_groups[0].replicas[2] = B.tmr_groups[0].replicas[0]; }
static void e_tmr_output(struct triad_system_table *t) { B.tmr_groups[0].output_channels[0] = B.tmr_groups[0].output_channels[1]; }
static void e_tmr_standby(struct triad_system_table *t) { B.tmr_groups[0].standby = B.tmr_groups[0].replicas[0]; }
static void e_tmr_input(struct triad_system_table *t) { B.tmr_groups[0].input_channel = 77; }
#undef B

/* REQ: MON-TBL-002, MON-PART-001 */
static void inconsistent_tables(void **state)
{
    (void)state;
    static const struct { edit_fn edit; enum triad_table_error expect; const char *what; } cases[] = {
        { e_magic, TRIAD_TABLE_ERR_MAGIC, "magic" },
        { e_version, TRIAD_TABLE_ERR_VERSION, "version" },
        { e_header_size, TRIAD_TABLE_ERR_HEADER_SIZE, "header size" },
        { e_length, TRIAD_TABLE_ERR_LENGTH, "length" },
        { e_reserved, TRIAD_TABLE_ERR_HEADER_RESERVED, "reserved" },
        { e_count, TRIAD_TABLE_ERR_COUNT, "sandbox count" },
        { e_count_readers, TRIAD_TABLE_ERR_COUNT, "reader count" },
        { e_string, TRIAD_TABLE_ERR_STRING, "sandbox name" },
        { e_string_args, TRIAD_TABLE_ERR_STRING, "program args" },
        { e_platform, TRIAD_TABLE_ERR_PLATFORM, "zero cores" },
        { e_platform_cores, TRIAD_TABLE_ERR_PLATFORM, "33 cores" },
        { e_monitor, TRIAD_TABLE_ERR_MONITOR_REGION, "monitor size" },
        { e_monitor_ram, TRIAD_TABLE_ERR_MONITOR_REGION, "monitor outside RAM" },
        { e_serial, TRIAD_TABLE_ERR_SERIAL, "serial past 0xFFFF" },
        { e_pci_bar_ram, TRIAD_TABLE_ERR_PCI, "BAR in RAM" },
        { e_pci_bar_window, TRIAD_TABLE_ERR_PCI, "BAR in window" },
        { e_pci_fn, TRIAD_TABLE_ERR_PCI, "PCI fn" },
        { e_index, TRIAD_TABLE_ERR_SANDBOX_INDEX, "sandbox index" },
        { e_enum_crit, TRIAD_TABLE_ERR_ENUM, "criticality" },
        { e_enum_action, TRIAD_TABLE_ERR_ENUM, "health action" },
        { e_enum_console, TRIAD_TABLE_ERR_ENUM, "console kind" },
        { e_enum_safe_mode, TRIAD_TABLE_ERR_ENUM, "system safe mode policy" },
        /* who may leave safe mode names a sandbox of the table (REC-SAFE-002) */
        { e_safe_exit_past, TRIAD_TABLE_ERR_ENUM, "safe-mode exit-by past the sandboxes" },
        { e_safe_exit_hold, TRIAD_TABLE_ERR_ENUM, "safe-mode hold below its range" },
        { e_safe_exit_hold_high, TRIAD_TABLE_ERR_ENUM, "safe-mode hold above its range" },
        { e_enum_ipi, TRIAD_TABLE_ERR_ENUM, "IPI policy" },
        { e_cores_shared, TRIAD_TABLE_ERR_CORES, "shared core" },
        { e_cores_beyond, TRIAD_TABLE_ERR_CORES, "core beyond platform" },
        { e_cores_empty, TRIAD_TABLE_ERR_CORES, "no core" },
        { e_region_align, TRIAD_TABLE_ERR_REGION_ALIGN, "region base" },
        { e_region_size, TRIAD_TABLE_ERR_REGION_ALIGN, "region size" },
        { e_region_ram, TRIAD_TABLE_ERR_REGION_RAM, "region past RAM" },
        { e_region_huge, TRIAD_TABLE_ERR_REGION_RAM, "region size wraps" },
        { e_region_monitor, TRIAD_TABLE_ERR_REGION_MONITOR, "region on monitor" },
        { e_region_overlap, TRIAD_TABLE_ERR_REGION_OVERLAP, "regions overlap" },
        { e_device_range, TRIAD_TABLE_ERR_DEVICE, "device index" },
        { e_device_twice, TRIAD_TABLE_ERR_DEVICE, "device twice" },
        { e_device_standby, TRIAD_TABLE_ERR_DEVICE, "device standby past the sandboxes" },
        { e_io_com1, TRIAD_TABLE_ERR_IO_RANGE, "COM1" },
        { e_io_twice, TRIAD_TABLE_ERR_IO_RANGE, "ports twice" },
        { e_io_past_end, TRIAD_TABLE_ERR_IO_RANGE, "ports past 0xFFFF" },
        { e_io_empty, TRIAD_TABLE_ERR_IO_RANGE, "empty port range" },
        { e_console_port, TRIAD_TABLE_ERR_CONSOLE, "console port" },
        { e_console_channel, TRIAD_TABLE_ERR_CONSOLE, "console channel writer" },
        { e_console_channel_range, TRIAD_TABLE_ERR_CONSOLE, "console channel index" },
        { e_vcpu_budget, TRIAD_TABLE_ERR_VCPU, "budget over period" },
        { e_vcpu_core, TRIAD_TABLE_ERR_VCPU, "VCPU on foreign core" },
        { e_vcpu_period, TRIAD_TABLE_ERR_VCPU, "zero period" },
        { e_vcpu_util, TRIAD_TABLE_ERR_VCPU, "utilization over 1" },
        { e_area_overlap, TRIAD_TABLE_ERR_CHANNEL_AREA, "area on a sandbox" },
        { e_area_window, TRIAD_TABLE_ERR_CHANNEL_AREA, "window address" },
        { e_area_ram, TRIAD_TABLE_ERR_CHANNEL_AREA, "area past RAM" },
        { e_endpoint_writer, TRIAD_TABLE_ERR_CHANNEL_ENDPOINT, "writer index" },
        { e_endpoint_self, TRIAD_TABLE_ERR_CHANNEL_ENDPOINT, "writer reads" },
        { e_endpoint_reader, TRIAD_TABLE_ERR_CHANNEL_ENDPOINT, "reader index" },
        { e_endpoint_dup, TRIAD_TABLE_ERR_CHANNEL_ENDPOINT, "reader twice" },
        /* I/O failover's shadow writer (REC-FO-001) */
        { e_shadow_past, TRIAD_TABLE_ERR_CHANNEL_ENDPOINT, "shadow writer past the sandboxes" },
        { e_shadow_writer, TRIAD_TABLE_ERR_CHANNEL_ENDPOINT, "shadow writer is the writer" },
        { e_shadow_reader, TRIAD_TABLE_ERR_CHANNEL_ENDPOINT, "shadow writer reads the channel" },
        { e_params_key, TRIAD_TABLE_ERR_CHANNEL_PARAMS, "key twice" },
        { e_params_depth, TRIAD_TABLE_ERR_CHANNEL_PARAMS, "4-slot depth" },
        { e_params_kind, TRIAD_TABLE_ERR_CHANNEL_PARAMS, "channel kind" },
        { e_pages_overlap, TRIAD_TABLE_ERR_CHANNEL_PAGES, "writer pages overlap" },
        { e_pages_ctl_overlap, TRIAD_TABLE_ERR_CHANNEL_PAGES, "control pages overlap" },
        { e_pages_outside, TRIAD_TABLE_ERR_CHANNEL_PAGES, "pages outside area" },
        { e_pages_align, TRIAD_TABLE_ERR_CHANNEL_PAGES, "pages misaligned" },
        { e_tmr_two, TRIAD_TABLE_ERR_TMR, "two replicas" },
        { e_tmr_voter, TRIAD_TABLE_ERR_TMR, "voter is a replica" },
        { e_tmr_dup, TRIAD_TABLE_ERR_TMR, "replica twice" },
        { e_tmr_output, TRIAD_TABLE_ERR_TMR, "output of another replica" },
        { e_tmr_standby, TRIAD_TABLE_ERR_TMR, "standby is a replica" },
        { e_tmr_input, TRIAD_TABLE_ERR_TMR, "input channel index" },
    };
    struct triad_system_table *good = load("uav-tmr.bin");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct triad_system_table *t = malloc(sizeof *t);
        memcpy(t, good, sizeof *t);
        cases[i].edit(t);
        reseal(t);
        enum triad_table_error e = validate(t);
        if (e != cases[i].expect)
            fail_msg("edit \"%s\": got %d (%s), expected %d (%s)", cases[i].what, e, triad_table_error_string(e),
                     cases[i].expect, triad_table_error_string(cases[i].expect));
        free(t);
    }
    free(good);
}

/* REQ: MON-TBL-002 */
static void error_strings_are_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < TRIAD_TABLE_ERROR_COUNT; i++) {
        const char *s = triad_table_error_string((enum triad_table_error)i);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        for (int k = 0; k < i; k++)
            assert_string_not_equal(s, triad_table_error_string((enum triad_table_error)k));
    }
    assert_string_equal(triad_table_error_string(TRIAD_TABLE_ERROR_COUNT), "unknown table error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_tables_validate),
        cmocka_unit_test(null_and_misaligned_buffers),
        cmocka_unit_test(truncated_tables),
        cmocka_unit_test(bit_flips),
        cmocka_unit_test(inconsistent_tables),
        cmocka_unit_test(error_strings_are_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
