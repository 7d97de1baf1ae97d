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

/* Every field of a refused plan is zero (fields, not bytes: the padding
   of a cleared structure is unspecified). */
static void plan_is_clear(const struct handover_plan *p)
{
    assert_int_equal(p->dev + p->from + p->to + p->bar_count + p->port_count + p->irq + p->irq_core, 0);
    for (unsigned i = 0; i < TRIAD_MAX_BARS; i++)
        assert_true(p->bars[i].base == 0 && p->bars[i].size == 0);
    for (unsigned i = 0; i < TRIAD_MAX_IO_RANGES; i++)
        assert_true(p->ports[i].base == 0 && p->ports[i].count == 0);
}

/* Both plans check their arguments alike (device_handover.c:
   plan_args_check): a bad sandbox before a bad device, and a refusal
   leaves a cleared plan, never the caller's old bytes.  REQ: REC-DRV-002 */
static void argument_refusals_plan_nothing(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    b.platform.pci[0].standby_ref = 2;
    struct handover_plan p;
    memset(&p, 0xAA, sizeof p);
    assert_int_equal(handover_plan(&b, 9, 0, 0, 0, &p), HO_E_SANDBOX);       /* both bad: the sandbox */
    plan_is_clear(&p);
    memset(&p, 0xAA, sizeof p);
    assert_int_equal(handover_follow_plan(&b, 9, 0, 0, 0, &p), HO_E_SANDBOX);
    plan_is_clear(&p);
    memset(&p, 0xAA, sizeof p);
    assert_int_equal(handover_plan(&b, 2, 0, 1, 1, &p), HO_E_DEVICE);
    plan_is_clear(&p);
    memset(&p, 0xAA, sizeof p);
    assert_int_equal(handover_follow_plan(&b, 2, 0, 0, 1, &p), HO_E_DEVICE);
    plan_is_clear(&p);
    memset(&p, 0xAA, sizeof p);
    assert_int_equal(handover_follow_plan(&b, 0, 0, 1, 1, &p), HO_E_NOT_HOLDER);   /* after the shared checks */
    plan_is_clear(&p);
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 1, &p), HO_OK);       /* the same arguments pass */
    assert_int_equal(p.to, 1);
}

/* The device following the voter role (I/O failover with nic0): between
   its owner io and its declared standby io2, either way, from the holder
   only, never to a third sandbox.  REQ: REC-FO-004 */
static void follows_the_role_between_the_pair(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    b.platform.pci[0].standby_ref = 2;                  /* io2 */
    struct handover_plan p;
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 1, &p), HO_OK);       /* io -> io2 */
    assert_int_equal(p.to, 1);
    assert_int_equal(p.port_count, 1);                  /* io's ports but its console */
    assert_int_equal(p.ports[0].base, 0xCF8);
    assert_int_equal(p.irq_core, 2);
    assert_int_equal(handover_follow_plan(&b, 0, 1, 1, 0, &p), HO_OK);       /* back: io2 -> io */
    assert_int_equal(p.from, 1);
    assert_int_equal(p.to, 0);
    assert_int_equal(p.port_count, 1);                  /* still the owner's ranges */
    assert_int_equal(p.ports[0].base, 0xCF8);
    assert_int_equal(p.irq_core, 0);                    /* io's core */
    assert_int_equal(p.bars[0].base, 0xC0000000ull);
    assert_int_equal(handover_table_owner(&b, 0), 0);
    assert_int_equal(handover_table_owner(&b, 5), TRIAD_NONE);
}

/* REQ: REC-FO-004 */
static void follow_refusals(void **state)
{
    (void)state;
    struct triad_table_body b = table();
    struct handover_plan p;
    memset(&p, 0xAA, sizeof p);
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 1, &p), HO_E_NOT_STANDBY);  /* no standby declared */
    assert_int_equal(p.bar_count, 0);
    b.platform.pci[0].standby_ref = 2;
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 2, &p), HO_E_NOT_STANDBY);  /* fc: not the pair */
    assert_int_equal(handover_follow_plan(&b, 0, 2, 2, 0, &p), HO_E_NOT_STANDBY);  /* from fc */
    assert_int_equal(handover_follow_plan(&b, 0, 1, 0, 0, &p), HO_E_NOT_HOLDER);   /* io2 does not hold it */
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 0, &p), HO_E_SANDBOX);
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 3, &p), HO_E_SANDBOX);
    assert_int_equal(handover_follow_plan(&b, 0, 3, 3, 0, &p), HO_E_SANDBOX);
    assert_int_equal(handover_follow_plan(&b, 2, 0, 0, 1, &p), HO_E_DEVICE);
    b.platform.pci[1].standby_ref = 2;
    assert_int_equal(handover_follow_plan(&b, 1, 0, 0, 1, &p), HO_E_OVERLAP);      /* its BAR is io2's RAM */
    b.platform.pci[0].standby_ref = 9;                  /* past the table */
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 1, &p), HO_E_NOT_STANDBY);
    b.sandboxes[0].device_count = 0;                    /* no owner in the table */
    b.platform.pci[0].standby_ref = 2;
    assert_int_equal(handover_follow_plan(&b, 0, 0, 0, 1, &p), HO_E_NOT_OWNER);
    assert_string_equal(handover_result_name(HO_E_NOT_HOLDER), "not-the-holder");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standby_takes_the_device),
        cmocka_unit_test(only_the_declared_standby),
        cmocka_unit_test(bad_input_is_refused),
        cmocka_unit_test(argument_refusals_plan_nothing),
        cmocka_unit_test(follows_the_role_between_the_pair),
        cmocka_unit_test(follow_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
