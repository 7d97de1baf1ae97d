/* monitor/irq_route.c on the host against a simulated I/O APIC (select and
 * data registers over a table of 24 entries; the MMIO and lock wrappers of
 * cpu.h are declared only, under __FRAMAC__, and defined here): the
 * redirection entries it writes, the order that drops a stale remote IRR,
 * the boot routing to each owner's lowest core, the hand-over's move, and
 * the refusals (no line, a line the I/O APIC lacks, no core) with nothing
 * written.
 * REQ: NET-IRQ-001 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "irq_route.h"
#include "percore.h"

/* The simulated I/O APIC: entries 0..pins-1, each low/high; every data write logged. */
static uint32_t select_reg, pins = 24;
static uint32_t low[24], high[24];
static uint32_t log_reg[64], log_val[64], writes;
static int remote_irr[24];

void mmio_write32(uint64_t addr, uint32_t value)
{
    if (addr == IOAPIC_MMIO_BASE) {
        select_reg = value;
        return;
    }
    assert_int_equal(addr, IOAPIC_MMIO_BASE + 0x10u);
    assert_true(select_reg >= IOAPIC_REG_TABLE && select_reg < IOAPIC_REG_TABLE + 2u * pins);
    const uint32_t n = (select_reg - IOAPIC_REG_TABLE) / 2u;
    if (writes < 64) {
        log_reg[writes] = select_reg;
        log_val[writes] = value;
    }
    writes++;
    if ((select_reg & 1u) != 0u) {
        high[n] = value;
    } else {
        low[n] = value;
        if ((value & IOAPIC_LOW_LEVEL) == 0u)
            remote_irr[n] = 0;          /* as QEMU's I/O APIC: edge mode drops it */
    }
}
uint32_t mmio_read32(uint64_t addr)
{
    assert_int_equal(addr, IOAPIC_MMIO_BASE + 0x10u);
    if (select_reg == IOAPIC_REG_VERSION)
        return ((pins - 1u) << 16) | 0x11u;
    const uint32_t n = (select_reg - IOAPIC_REG_TABLE) / 2u;
    return (select_reg & 1u) ? high[n] : low[n];
}
void cpu_pause(void) {}
uint32_t cpu_xchg32_acquire(volatile uint32_t *word, uint32_t value)
{
    uint32_t old = *word;
    *word = value;
    return old;
}
void cpu_store32_release(volatile uint32_t *word, uint32_t value) { *word = value; }
void con_lock(void) {}
void con_unlock(void) {}
static char said[512];
void con_line(const char *s) { strncat(said, s, sizeof said - strlen(said) - 1); }
void con_puts(const char *s) { strncat(said, s, sizeof said - strlen(said) - 1); }
void con_hex(uint64_t v, unsigned digits)
{
    char b[24];
    snprintf(b, sizeof b, "0x%0*llx", (int)digits, (unsigned long long)v);
    con_puts(b);
}
void con_dec(uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    con_puts(b);
}

static void machine(uint32_t npins)
{
    pins = npins;
    select_reg = 0;
    writes = 0;
    said[0] = '\0';
    for (unsigned i = 0; i < 24; i++) {
        low[i] = IOAPIC_LOW_MASKED;     /* as firmware leaves them */
        high[i] = 0;
        remote_irr[i] = 0;
    }
}

static void entries_are_fixed_physical_level_active_high(void **state)
{
    (void)state;
    assert_int_equal(irq_route_entry_low(0x3B, 0), 0x3Bu | (1u << 15));
    assert_int_equal(irq_route_entry_low(0x3B, 1), 0x3Bu | (1u << 15) | (1u << 16));
    assert_int_equal(irq_route_entry_high(5), 5u << 24);
    assert_int_equal(TRIAD_DEVICE_VECTOR(11), 0x3Bu);
}

/* Masked first, destination, edge (drops a remote IRR a dead owner left),
   then level and unmasked: the line is never live towards a half-written
   entry. */
static void set_writes_in_a_safe_order(void **state)
{
    (void)state;
    machine(24);
    remote_irr[11] = 1;
    assert_int_equal(irq_route_set(11, 0x3B, 2), IRQ_ROUTE_OK);
    assert_int_equal(writes, 4);
    assert_int_equal(log_reg[0], 0x10u + 22u);
    assert_true(log_val[0] & IOAPIC_LOW_MASKED);
    assert_int_equal(log_reg[1], 0x10u + 23u);
    assert_int_equal(log_val[1], 2u << 24);
    assert_true(log_val[2] & IOAPIC_LOW_MASKED);
    assert_false(log_val[2] & IOAPIC_LOW_LEVEL);
    assert_int_equal(low[11], 0x3Bu | IOAPIC_LOW_LEVEL);
    assert_int_equal(high[11], 2u << 24);
    assert_int_equal(remote_irr[11], 0);
    for (unsigned i = 0; i < 24; i++)           /* no other line touched */
        if (i != 11)
            assert_int_equal(low[i], IOAPIC_LOW_MASKED);
}

static void refusals_write_nothing(void **state)
{
    (void)state;
    machine(16);                                /* an I/O APIC with 16 entries */
    assert_int_equal(irq_route_set(24, 0x48, 0), IRQ_ROUTE_NO_LINE);
    assert_int_equal(irq_route_set(0xFF, 0x30, 0), IRQ_ROUTE_NO_LINE);
    assert_int_equal(irq_route_set(20, 0x44, 0), IRQ_ROUTE_NO_PIN);
    assert_int_equal(irq_route_set(11, 0x3B, MAX_CORES), IRQ_ROUTE_BAD_CORE);
    assert_int_equal(irq_route_set(11, 0x3B, TRIAD_NONE), IRQ_ROUTE_BAD_CORE);
    assert_int_equal(writes, 0);
    assert_int_equal(irq_route_set(15, 0x3F, 1), IRQ_ROUTE_OK);   /* its last entry */
    assert_int_equal(low[15], 0x3Fu | IOAPIC_LOW_LEVEL);
}

static struct triad_table_body t;

static void table(void)
{
    memset(&t, 0, sizeof t);
    t.sandbox_count = 3;
    t.platform.pci_count = 3;
    strcpy(t.platform.pci[0].name, "nic0");
    t.platform.pci[0].irq = 11;
    strcpy(t.platform.pci[1].name, "nic1");
    t.platform.pci[1].irq = 0xFF;               /* no line declared: polled */
    strcpy(t.platform.pci[2].name, "nic2");
    t.platform.pci[2].irq = 10;                 /* nobody owns it */
    t.sandboxes[1].core_mask = 0xC;             /* cores 2 and 3: the line goes to 2 */
    t.sandboxes[1].device_count = 2;
    t.sandboxes[1].devices[0] = 0;
    t.sandboxes[1].devices[1] = 1;
    t.sandboxes[2].core_mask = 0x10;
}

static void boot_routes_each_owned_line_to_its_owner(void **state)
{
    (void)state;
    machine(24);
    table();
    assert_int_equal(irq_route_devices(&t), 1);
    assert_int_equal(low[11], 0x3Bu | IOAPIC_LOW_LEVEL);
    assert_int_equal(high[11], 2u << 24);
    assert_int_equal(low[10], IOAPIC_LOW_MASKED);   /* unowned: stays masked */
    assert_string_equal(said, "irq: nic0 gsi 11 -> core 2 vector 0x3b (ioapic, level, owner)\n");
    /* an owner with no core (an empty mask: sysgen refuses it) is refused, nothing written */
    t.sandboxes[1].core_mask = 0;
    said[0] = '\0';
    writes = 0;
    assert_int_equal(irq_route_devices(&t), -1);
    assert_int_equal(writes, 0);
    assert_non_null(strstr(said, "nic0 gsi 11 not routed: no core to deliver to"));
    t.sandboxes[1].core_mask = 0x80000000u;         /* the highest core index: beyond MAX_CORES */
    assert_int_equal(irq_route_devices(&t), -1);
    t.sandboxes[1].core_mask = 0xC;
    /* a line the I/O APIC lacks stops the boot, and says so */
    machine(8);
    assert_int_equal(irq_route_devices(&t), -1);
    assert_int_equal(writes, 0);
    assert_non_null(strstr(said, "nic0 gsi 11 not routed: the I/O APIC has no such entry"));
}

static void handover_moves_the_line(void **state)
{
    (void)state;
    machine(24);
    table();
    assert_int_equal(irq_route_devices(&t), 1);
    assert_int_equal(irq_route_move(&t, 0, 4), IRQ_ROUTE_OK);
    assert_int_equal(high[11], 4u << 24);
    assert_int_equal(low[11], 0x3Bu | IOAPIC_LOW_LEVEL);
    writes = 0;
    assert_int_equal(irq_route_move(&t, 1, 4), IRQ_ROUTE_OK);   /* no line: nothing to move */
    assert_int_equal(irq_route_move(&t, 3, 4), IRQ_ROUTE_NO_LINE);   /* no such device */
    assert_int_equal(irq_route_move(&t, 0, 9), IRQ_ROUTE_BAD_CORE);
    assert_int_equal(writes, 0);
    assert_int_equal(high[11], 4u << 24);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(entries_are_fixed_physical_level_active_high),
        cmocka_unit_test(set_writes_in_a_safe_order),
        cmocka_unit_test(refusals_write_nothing),
        cmocka_unit_test(boot_routes_each_owned_line_to_its_owner),
        cmocka_unit_test(handover_moves_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
