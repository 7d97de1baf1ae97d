/* bootinfo_build: the multiboot2 block a sandbox kernel receives, parsed
   back with the monitor's own multiboot2 parser, plus the Triad sandbox tag
   read field by field.  Too small a buffer and bad indices are refused
   without a byte written past the buffer (ASan watches the heap copies). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bootinfo.h"
#include "boot/multiboot2.h"

#define MiB 0x100000ull
#define LOADER "Triad monitor test"

static struct triad_table_body t;

/* io (serial COM2, 2 cores) writes "sensors" to fc (channel console) and
   one more reader; fc writes its console channel to io. */
static void table(void)
{
    memset(&t, 0, sizeof t);
    strcpy(t.system_name, "unit");
    t.platform.core_count = 4;
    t.sandbox_count = 3;
    t.channel_area = (struct triad_channel_area){ 0xE000000, 2 * MiB, TRIAD_CHANNEL_WINDOW_GPA };
    struct triad_sandbox *io = &t.sandboxes[0], *fc = &t.sandboxes[1], *sim = &t.sandboxes[2];
    strcpy(io->name, "io");
    io->mem_size = 32 * MiB;
    io->core_mask = 0x3;
    io->console_kind = TRIAD_CONSOLE_SERIAL;
    io->console_port = 0x2F8;
    io->console_channel = TRIAD_NONE;
    io->program_count = 2;
    strcpy(io->programs[0].args, "triad.test=write-other-sandbox");
    strcpy(io->programs[1].args, "");
    strcpy(fc->name, "fc-a");
    fc->mem_size = 16 * MiB;
    fc->core_mask = 0x4;
    fc->console_kind = TRIAD_CONSOLE_CHANNEL;
    fc->console_channel = 1;
    strcpy(sim->name, "sim");
    sim->mem_size = 4 * MiB;
    sim->core_mask = 0x8;
    sim->console_kind = TRIAD_CONSOLE_NONE;
    sim->console_channel = TRIAD_NONE;
    t.channel_count = 2;
    struct triad_channel *s = &t.channels[0], *con = &t.channels[1];
    strcpy(s->name, "sensors");
    *s = (struct triad_channel){ .key = 1, .kind = TRIAD_CHANNEL_ASYNC_4SLOT, .writer = 0, .reader_count = 2,
        .msg_size = 256, .depth = 4, .readers = { 1, 2 }, .writer_offset = 0, .writer_size = 0x2000,
        .reader_ctl_offset = { 0x2000, 0x3000 }, .reader_ctl_size = 0x1000 };
    *con = (struct triad_channel){ .key = 16, .kind = TRIAD_CHANNEL_SYNC_FIFO, .writer = 1, .reader_count = 1,
        .msg_size = 128, .depth = 32, .readers = { 0 }, .writer_offset = 0x4000, .writer_size = 0x2000,
        .reader_ctl_offset = { 0x6000 }, .reader_ctl_size = 0x1000 };
}

static uint8_t buf[TRIAD_BOOT_INFO_MAX] __attribute__((aligned(8)));

/* The sandbox tag, found by walking the tags like a kernel would. */
static const struct triad_boot_sandbox_tag *sandbox_tag(const uint8_t *b, int len)
{
    uint32_t off = 8;
    while (off + 8 <= (uint32_t)len) {
        uint32_t type, size;
        memcpy(&type, b + off, 4);
        memcpy(&size, b + off + 4, 4);
        assert_true(size >= 8 && off + size <= (uint32_t)len);
        if (type == TRIAD_MB2_TAG_SANDBOX)
            return (const struct triad_boot_sandbox_tag *)(b + off);
        if (type == 0)
            break;
        off += (size + 7) & ~7u;
    }
    fail_msg("no sandbox tag");
    return NULL;
}

static void block_parses_back(void **state)
{
    (void)state;
    table();
    int len = bootinfo_build(buf, sizeof buf, &t, 0, LOADER);
    assert_true(len > 0 && len % 8 == 0);
    uint32_t total;
    memcpy(&total, buf, 4);
    assert_int_equal(total, (uint32_t)len);
    struct boot_info bi;
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_string_equal(bi.cmdline, "triad.sandbox=0 triad.name=io triad.console=0x2f8 triad.cores=2 "
                                    "triad.test=write-other-sandbox");
    assert_string_equal(bi.loader, LOADER);
    assert_int_equal(bi.module_count, 0);
    assert_int_equal(bi.dropped, 0);
    assert_int_equal(bi.region_count, 3);
    assert_true(bi.regions[0].base == 0 && bi.regions[0].length == 0x1000 && bi.regions[0].type != MB2_RAM);
    assert_true(bi.regions[1].base == 0x1000 && bi.regions[1].length == 32 * MiB - 0x1000);
    assert_int_equal(bi.regions[1].type, MB2_RAM);
    assert_true(bi.regions[2].base == TRIAD_CHANNEL_WINDOW_GPA && bi.regions[2].length == 2 * MiB);
    assert_int_not_equal(bi.regions[2].type, MB2_RAM);   /* allocators keep off the window */
}

static void sandbox_tag_describes_the_sandbox(void **state)
{
    (void)state;
    table();
    int len = bootinfo_build(buf, sizeof buf, &t, 0, LOADER);
    const struct triad_boot_sandbox_tag *s = sandbox_tag(buf, len);
    assert_int_equal(s->version, TRIAD_SANDBOX_TAG_VERSION);
    assert_int_equal(s->sandbox_id, 0);
    assert_string_equal(s->name, "io");
    assert_int_equal(s->mem_size, 32 * MiB);
    assert_int_equal(s->channel_window_gpa, TRIAD_CHANNEL_WINDOW_GPA);
    assert_int_equal(s->channel_window_size, 2 * MiB);
    assert_int_equal(s->core_mask, 0x3);
    assert_int_equal(s->console_port, 0x2F8);
    assert_int_equal(s->console_kind, TRIAD_CONSOLE_SERIAL);
    assert_int_equal(s->console_channel, TRIAD_NONE);
    assert_int_equal(s->channel_count, 2);
    assert_int_equal(s->size, sizeof *s + 2 * sizeof(struct triad_boot_channel));
    const struct triad_boot_channel *w = &s->channels[0], *r = &s->channels[1];
    assert_int_equal(w->key, 1);
    assert_int_equal(w->role, TRIAD_ROLE_WRITER);
    assert_int_equal(w->reader_index, 0xFF);
    assert_int_equal(w->reader_count, 2);
    assert_int_equal(w->writer_gpa, TRIAD_CHANNEL_WINDOW_GPA);
    assert_int_equal(w->writer_size, 0x2000);
    assert_int_equal(w->reader_ctl_gpa[0], TRIAD_CHANNEL_WINDOW_GPA + 0x2000);
    assert_int_equal(w->reader_ctl_gpa[1], TRIAD_CHANNEL_WINDOW_GPA + 0x3000);
    assert_int_equal(w->reader_ctl_gpa[2], 0);
    assert_int_equal(r->key, 16);
    assert_int_equal(r->role, TRIAD_ROLE_READER);
    assert_int_equal(r->reader_index, 0);
    assert_int_equal(r->control_gpa, TRIAD_CHANNEL_WINDOW_GPA + 0x6000);
    assert_int_equal(r->msg_size, 128);
    assert_int_equal(r->depth, 32);
}

static void channel_console_and_reader_index(void **state)
{
    (void)state;
    table();
    int len = bootinfo_build(buf, sizeof buf, &t, 1, LOADER);
    struct boot_info bi;
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_string_equal(bi.cmdline, "triad.sandbox=1 triad.name=fc-a triad.console=channel triad.cores=1");
    const struct triad_boot_sandbox_tag *s = sandbox_tag(buf, len);
    assert_int_equal(s->console_kind, TRIAD_CONSOLE_CHANNEL);
    assert_int_equal(s->console_port, 0);
    assert_int_equal(s->channel_count, 2);
    /* channel 1 (its console) is the second it takes part in */
    assert_int_equal(s->console_channel, 1);
    assert_int_equal(s->channels[1].key, 16);
    assert_int_equal(s->channels[0].role, TRIAD_ROLE_READER);
    assert_int_equal(s->channels[0].reader_index, 0);
    /* sim is reader 1 of sensors: its own control page */
    len = bootinfo_build(buf, sizeof buf, &t, 2, LOADER);
    s = sandbox_tag(buf, len);
    assert_int_equal(s->channel_count, 1);
    assert_int_equal(s->channels[0].reader_index, 1);
    assert_int_equal(s->channels[0].control_gpa, TRIAD_CHANNEL_WINDOW_GPA + 0x3000);
    assert_int_equal(s->console_kind, TRIAD_CONSOLE_NONE);
}

static void no_channels_no_window(void **state)
{
    (void)state;
    table();
    t.channel_count = 0;
    t.channel_area = (struct triad_channel_area){ 0, 0, 0 };
    int len = bootinfo_build(buf, sizeof buf, &t, 2, LOADER);
    struct boot_info bi;
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_int_equal(bi.region_count, 2);
    const struct triad_boot_sandbox_tag *s = sandbox_tag(buf, len);
    assert_int_equal(s->channel_count, 0);
    assert_int_equal(s->channel_window_gpa, 0);
}

static void every_short_buffer_is_refused(void **state)
{
    (void)state;
    table();
    int len = bootinfo_build(buf, sizeof buf, &t, 0, LOADER);
    assert_true(len > 0);
    /* every capacity below the size: refused, and never a write past cap
       (each buffer is an exact-size heap block under ASan) */
    for (int cap = 0; cap < len; cap++) {
        uint8_t *b = malloc(cap ? (size_t)cap : 1);
        assert_non_null(b);
        assert_int_equal(bootinfo_build(b, (uint32_t)cap, &t, 0, LOADER), BOOTINFO_ERR_SPACE);
        free(b);
    }
    uint8_t *b = malloc((size_t)len);
    assert_int_equal(bootinfo_build(b, (uint32_t)len, &t, 0, LOADER), len);
    assert_memory_equal(b, buf, (size_t)len);
    free(b);
}

static void bad_sandbox_index_is_refused(void **state)
{
    (void)state;
    table();
    memset(buf, 0xEE, sizeof buf);
    assert_int_equal(bootinfo_build(buf, sizeof buf, &t, 3, LOADER), BOOTINFO_ERR_INDEX);
    assert_int_equal(bootinfo_build(buf, sizeof buf, &t, TRIAD_MAX_SANDBOXES, LOADER), BOOTINFO_ERR_INDEX);
    assert_int_equal(bootinfo_build(buf, sizeof buf, &t, UINT32_MAX, LOADER), BOOTINFO_ERR_INDEX);
    t.sandbox_count = 200;   /* a corrupt count is still bounded by the table */
    assert_int_equal(bootinfo_build(buf, sizeof buf, &t, TRIAD_MAX_SANDBOXES, LOADER), BOOTINFO_ERR_INDEX);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xEE);
}

static void non_endpoint_gets_no_channel(void **state)
{
    (void)state;
    table();
    struct triad_boot_channel d;
    memset(&d, 0x77, sizeof d);
    assert_int_equal(bootinfo_channel(&t, 1, 2, &d), -1);   /* sim: not on fc-a's console */
    const uint8_t *p = (const uint8_t *)&d;
    for (size_t i = 0; i < sizeof d; i++)
        assert_int_equal(p[i], 0x77);
    assert_int_equal(bootinfo_channel(&t, 1, TRIAD_NONE, &d), -1);
    assert_int_equal(bootinfo_channel(&t, 1, 0, &d), 0);
}

/* I/O failover: the voter-standby (shadow writer) of a channel is told the
   writer's role and every reader's control page (its tables map them
   read-only until the monitor's failover); a sandbox that is neither is
   told nothing.  REQ: REC-FO-002 */
static void shadow_writer_gets_the_writer_role(void **state)
{
    (void)state;
    table();
    t.channels[0].shadow_writer = 3;                         /* sim (2) stands by for io's sensors */
    t.channels[0].reader_count = 1;                          /* fc-a reads it, sim does not */
    struct triad_boot_channel d;
    assert_int_equal(bootinfo_channel(&t, 0, 2, &d), 0);
    assert_int_equal(d.role, TRIAD_ROLE_WRITER);
    assert_int_equal(d.reader_index, 0xFF);
    assert_int_equal(d.writer_gpa, TRIAD_CHANNEL_WINDOW_GPA + 0x0);
    assert_int_equal(d.reader_ctl_gpa[0], TRIAD_CHANNEL_WINDOW_GPA + 0x2000);
    assert_int_equal(bootinfo_channel(&t, 0, 0, &d), 0);    /* the writer is still the writer */
    assert_int_equal(d.role, TRIAD_ROLE_WRITER);
    assert_int_equal(bootinfo_channel(&t, 1, 2, &d), -1);   /* no shadow on fc-a's console */
    assert_int_equal(bootinfo_channel(&t, 0, 1, &d), 0);    /* fc-a, a reader, stays a reader */
    assert_int_equal(d.role, TRIAD_ROLE_READER);
}

/* A sandbox that owns a device is told its host-physical base (the NIC's
   DMA offset: no IOMMU) by the monitor; one without a device is not.
   REQ: NET-DMA-001 */
static void device_owner_gets_its_dma_offset(void **state)
{
    (void)state;
    table();
    t.sandboxes[0].mem_base = 0x12A000000ull;      /* above 4 GiB: all 64 bits printed */
    t.sandboxes[0].device_count = 1;
    t.platform.pci_count = 1;
    t.platform.pci[0].irq = 0xFF;                  /* no interrupt line declared */
    t.sandboxes[1].mem_base = 0x4000000;
    int len = bootinfo_build(buf, sizeof buf, &t, 0, LOADER);
    struct boot_info bi;
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_string_equal(bi.cmdline, "triad.sandbox=0 triad.name=io triad.console=0x2f8 triad.cores=2 "
                                    "triad.dma-offset=0x12a000000 triad.test=write-other-sandbox");
    len = bootinfo_build(buf, sizeof buf, &t, 1, LOADER);
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_null(strstr(bi.cmdline, "dma-offset"));
}

/* A device with a declared line: its owner and its declared standby are
   told the vector the monitor routes the line to (irq_route.c), a sandbox
   with neither is not; a line beyond the I/O APIC's 24 is not routed.
   REQ: NET-IRQ-001 */
static void device_line_owner_and_standby_get_the_vector(void **state)
{
    (void)state;
    table();
    t.platform.pci_count = 1;
    t.platform.pci[0].irq = 11;
    t.sandboxes[0].device_count = 1;               /* owner of device 0 */
    t.sandboxes[0].devices[0] = 0;
    struct boot_info bi;
    int len = bootinfo_build(buf, sizeof buf, &t, 0, LOADER);
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_non_null(strstr(bi.cmdline, " triad.irq-vector=0x3b"));
    len = bootinfo_build(buf, sizeof buf, &t, 1, LOADER);   /* neither owner nor standby */
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_null(strstr(bi.cmdline, "irq-vector"));
    t.platform.pci[0].standby_ref = 2;             /* sandbox 1 is its standby */
    len = bootinfo_build(buf, sizeof buf, &t, 1, LOADER);
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_non_null(strstr(bi.cmdline, " triad.irq-vector=0x3b"));
    /* it holds nothing yet, but the device may be handed to it (remote
       recovery, the I/O failover's ground link): its own base, for DMA */
    assert_non_null(strstr(bi.cmdline, " triad.dma-offset=0x"));
    t.platform.pci[0].irq = 24;
    len = bootinfo_build(buf, sizeof buf, &t, 0, LOADER);
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_null(strstr(bi.cmdline, "irq-vector"));
}

static void long_arguments_fit_or_are_refused(void **state)
{
    (void)state;
    table();
    t.sandboxes[0].program_count = TRIAD_MAX_PROGRAMS;
    for (unsigned p = 0; p < TRIAD_MAX_PROGRAMS; p++) {
        memset(t.sandboxes[0].programs[p].args, 'a' + (int)p, TRIAD_ARGS_LEN - 1);
        t.sandboxes[0].programs[p].args[TRIAD_ARGS_LEN - 1] = '\0';
    }
    int len = bootinfo_build(buf, sizeof buf, &t, 0, LOADER);
    assert_true(len > 0);
    struct boot_info bi;
    assert_int_equal(mb2_parse(MB2_BOOTLOADER_MAGIC, buf, (uint32_t)len, &bi), MB2_OK);
    assert_int_equal(strlen(bi.cmdline), strlen("triad.sandbox=0 triad.name=io triad.console=0x2f8 triad.cores=2")
                                         + TRIAD_MAX_PROGRAMS * TRIAD_ARGS_LEN);
    assert_int_equal(bootinfo_build(buf, 600, &t, 0, LOADER), BOOTINFO_ERR_SPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(block_parses_back),
        cmocka_unit_test(sandbox_tag_describes_the_sandbox),
        cmocka_unit_test(channel_console_and_reader_index),
        cmocka_unit_test(no_channels_no_window),
        cmocka_unit_test(every_short_buffer_is_refused),
        cmocka_unit_test(bad_sandbox_index_is_refused),
        cmocka_unit_test(non_endpoint_gets_no_channel),
        cmocka_unit_test(shadow_writer_gets_the_writer_role),
        cmocka_unit_test(long_arguments_fit_or_are_refused),
        cmocka_unit_test(device_owner_gets_its_dma_offset),
        cmocka_unit_test(device_line_owner_and_standby_get_the_vector),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
