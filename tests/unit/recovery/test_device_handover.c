/* Remote driver recovery: the device hand-over plan and its refusals
   (recovery/device_handover.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "device_handover.h"

/* io (0) owns nic0 (BAR 0xC0000000, 128 KiB, IRQ 9) and ports 0xCF8-0xCFF,
   console COM2 0x2F8; io2 (1, cores 2-3) is its standby; fc (2) another. */
static struct triad_table_body table(void)
{
    struct triad_table_body b;
    memset(&b, 0, sizeof b);
    b.sandbox_count = 3;
    b.platform.pci_count = 2;
    b.platform.pci[0].irq = 9;
    b.platform.pci[0].bar_count = 1;
    b.platform.pci[0].bars[0] = (struct triad_bar){ 0xC0000000ull, 0x20000ull };
    b.platform.pci[1].bar_count = 1;
    b.platform.pci[1].bars[0] = (struct triad_bar){ 0x04000000ull, 0x1000ull };   /* inside io2's RAM */
    struct triad_sandbox *io = &b.sandboxes[0], *io2 = &b.sandboxes[1], *fc = &b.sandboxes[2];
    io->mem_base = 0x02000000ull;
    io->mem_size = 0x02000000ull;
    io->core_mask = 0x1;
    io->device_count = 2;
    io->devices[0] = 0;
    io->devices[1] = 1;
    io->console_port = 0x2F8;
    io->io_range_count = 2;
    io->io_ranges[0] = (struct triad_io_range){ 0x2F8, 8 };
    io->io_ranges[1] = (struct triad_io_range){ 0xCF8, 8 };
    io2->mem_base = 0x04000000ull;
    io2->mem_size = 0x02000000ull;
    io2->core_mask = 0xC;
    fc->mem_base = 0x06000000ull;
    fc->mem_size = 0x02000000ull;
    fc->core_mask = 0x2;
    return b;
}

/* REQ: REC-DRV-002 */
static void standby_takes_the_device(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct handover_plan p;
    assert_int_equal(handover_plan(&b, 0, 0, 1, 1, &p), HO_OK);
    assert_int_equal(p.dev, 0);
    assert_int_equal(p.from, 0);
    assert_int_equal(p.to, 1);
    assert_int_equal(p.bar_count, 1);
    assert_int_equal(p.bars[0].base, 0xC0000000ull);
    assert_int_equal(p.bars[0].size, 0x20000ull);
    assert_int_equal(p.port_count, 1);          /* the console stays with io */
    assert_int_equal(p.ports[0].base, 0xCF8);
    assert_int_equal(p.ports[0].count, 8);
    assert_int_equal(p.irq, 9);
    assert_int_equal(p.irq_core, 2);            /* io2's lowest core */
    assert_string_equal(handover_result_name(HO_OK), "ok");
}

/* REQ: REC-DRV-002 */
static void only_the_declared_standby(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct handover_plan p;
    memset(&p, 0xAA, sizeof p);
    assert_int_equal(handover_plan(&b, 0, 0, 2, 1, &p), HO_E_NOT_STANDBY);   /* fc is not the standby */
    assert_int_equal(p.bar_count, 0);                                        /* nothing planned */
    assert_int_equal(handover_plan(&b, 0, 0, 1, TRIAD_NONE, &p), HO_E_NOT_STANDBY);
    assert_string_equal(handover_result_name(HO_E_NOT_STANDBY), "not-the-declared-standby");
}

/* REQ: REC-DRV-002 */
static void bad_input_is_refused(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct handover_plan p;
    assert_int_equal(handover_plan(&b, 0, 0, 0, 0, &p), HO_E_SANDBOX);       /* to itself */
    assert_int_equal(handover_plan(&b, 0, 3, 1, 1, &p), HO_E_SANDBOX);       /* no such sandbox */
    assert_int_equal(handover_plan(&b, 0, 0, 7, 7, &p), HO_E_SANDBOX);
    assert_int_equal(handover_plan(&b, 2, 0, 1, 1, &p), HO_E_DEVICE);        /* no such device */
    assert_int_equal(handover_plan(&b, 0, 2, 1, 1, &p), HO_E_NOT_OWNER);     /* fc does not own nic0 */
    assert_int_equal(handover_plan(&b, 1, 0, 1, 1, &p), HO_E_OVERLAP);       /* its BAR is io2's RAM */
    assert_string_equal(handover_result_name(-99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standby_takes_the_device),
        cmocka_unit_test(only_the_declared_standby),
        cmocka_unit_test(bad_input_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
