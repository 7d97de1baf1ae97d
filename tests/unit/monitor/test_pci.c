/* monitor/pci.c on the host: BAR placement and the configuration filter
 * against a simulated configuration space (the port wrappers of cpu.h are
 * declared only, under __FRAMAC__, and defined here).
 * REQ: NET-PCI-001 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "pci.h"
#include "percore.h"
#include "vmexit.h"

/* The machine: functions 00:00.0 (host bridge) and 00:03.0 (a NIC with a
   memory BAR0 at 0xC0000000), 64 dwords of configuration space each. */
static uint32_t space[2][64];
static uint32_t address;
static int slot_of(uint32_t a)
{
    if ((a & 0x80FFFF00u) == 0x80000000u)
        return 0;
    if ((a & 0x80FFFF00u) == (0x80000000u | (3u << 11)))
        return 1;
    return -1;
}
void cpu_outl(uint16_t port, uint32_t v)
{
    if (port == 0xCF8) {
        address = v;
        return;
    }
    int s = slot_of(address);
    if (s >= 0)
        space[s][(address & 0xFC) / 4] = v;
}
uint32_t cpu_inl(uint16_t port)
{
    (void)port;
    int s = slot_of(address);
    return s >= 0 ? space[s][(address & 0xFC) / 4] : 0xFFFFFFFFu;
}
void cpu_pause(void) {}
/* The configuration lock's wrappers (cpu.h, declared only under __FRAMAC__):
   one thread here, so plain loads and stores. */
uint32_t cpu_xchg32_acquire(volatile uint32_t *word, uint32_t value)
{
    uint32_t old = *word;
    *word = value;
    return old;
}
void cpu_store32_release(volatile uint32_t *word, uint32_t value) { *word = value; }
/* Run-time ownership (handover.c, not linked): sandbox 0 holds device 0. */
uint32_t handover_devices_held(uint32_t sb) { return sb == 0 ? 1u : 0u; }
void con_lock(void) {}
void con_unlock(void) {}

/* The strings printed since the last line began: what pci_place_bars said
   of a device (the name and numbers go through con_putc/con_dec). */
static char said[128];
void con_line(const char *s) { (void)s; said[0] = '\0'; }
void con_puts(const char *s) { strncat(said, s, sizeof said - strlen(said) - 1); }
void con_putc(char c) { (void)c; }
void con_dec(uint64_t v) { (void)v; }

static struct triad_platform plat;
static struct triad_sandbox io, other;

static void machine(void)
{
    memset(space, 0, sizeof space);
    space[0][0] = 0x12378086u;                  /* i440FX */
    space[1][0] = 0x100E8086u;                  /* 82540EM */
    space[1][1] = 0x02800007u;                  /* status with write-1-to-clear bits set, command */
    space[1][4] = 0xC0000000u;                  /* BAR0: 32-bit memory */
    memset(&plat, 0, sizeof plat);
    plat.pci_count = 1;
    strcpy(plat.pci[0].name, "nic0");
    plat.pci[0] = (struct triad_pci_device){ .vendor_id = 0x8086, .device_id = 0x100E, .bus = 0, .dev = 3, .fn = 0,
                                             .bar_count = 1, .bars = { { 0xFEBC0000u, 0x20000u } } };
    memset(&io, 0, sizeof io);
    io.device_count = 1;
    io.devices[0] = 0;
    memset(&other, 0, sizeof other);
    other.index = 1;
}

static uint64_t q(uint16_t port, int in, unsigned size) { return ((uint64_t)port << 16) | (in ? VIO_IN : 0) | (size - 1); }

static uint64_t cfg_in(const struct triad_sandbox *s, uint32_t a, uint16_t port, unsigned size)
{
    struct guest_regs r = { .rax = a };
    assert_int_equal(pci_filter_io(0, s, &plat, &r, q(0xCF8, 0, 4)), 1);
    r.rax = 0xDEADBEEF00000000ull;
    assert_int_equal(pci_filter_io(0, s, &plat, &r, q(port, 1, size)), 1);
    return r.rax;
}

static void cfg_out(const struct triad_sandbox *s, uint32_t a, uint16_t port, unsigned size, uint32_t v)
{
    struct guest_regs r = { .rax = a };
    assert_int_equal(pci_filter_io(0, s, &plat, &r, q(0xCF8, 0, 4)), 1);
    r.rax = v;
    assert_int_equal(pci_filter_io(0, s, &plat, &r, q(port, 0, size)), 1);
}

static void bars_are_placed_where_described(void **state)
{
    (void)state;
    machine();
    assert_int_equal(pci_place_bars(&plat), 1);
    assert_int_equal(space[1][4], 0xFEBC0000u);
    assert_int_equal(space[1][1] & 0xFFFF, 0x0007);      /* decoding back on */
    assert_string_equal(said, "BARs placed at the described bases\n");
    assert_int_equal(pci_place_bars(&plat), 1);          /* a second time: nothing to move */
    assert_int_equal(space[1][4], 0xFEBC0000u);
    assert_string_equal(said, "BARs already at the described bases\n");
    plat.pci[0].device_id = 0x10D3;                      /* the description names another device */
    space[1][4] = 0xC0000000u;
    assert_int_equal(pci_place_bars(&plat), 0);
    assert_int_equal(space[1][4], 0xC0000000u);          /* left alone */
    assert_string_equal(said, "holds another device: nothing placed\n");
    plat.pci[0].device_id = 0x100E;
    plat.pci[0].vendor_id = 0x10EC;                      /* another vendor */
    assert_int_equal(pci_place_bars(&plat), 0);
    assert_int_equal(space[1][4], 0xC0000000u);
    assert_string_equal(said, "holds another vendor's device: nothing placed\n");
    plat.pci[0].vendor_id = 0x8086;
    plat.pci[0].dev = 5;                                 /* absent */
    assert_int_equal(pci_place_bars(&plat), 0);
    assert_string_equal(said, "absent: nothing placed\n");
}

static void own_function_answers_others_are_absent(void **state)
{
    (void)state;
    machine();
    assert_int_equal(cfg_in(&io, 0x80001800u, 0xCFC, 4), 0x100E8086u);              /* 00:03.0 id */
    assert_int_equal(cfg_in(&io, 0x80000000u, 0xCFC, 4), 0xFFFFFFFFu);              /* host bridge hidden */
    assert_int_equal(cfg_in(&other, 0x80001800u, 0xCFC, 4), 0xFFFFFFFFu);           /* not other's NIC */
    assert_int_equal(cfg_in(&io, 0x80001800u, 0xCFE, 2), 0xDEADBEEF00000000ull | 0x100E);  /* word at offset 2 */
    assert_int_equal(cfg_in(&io, 0x80001800u, 0xCFD, 1), 0xDEADBEEF00000000ull | 0x80);
    assert_int_equal(cfg_in(&io, 0x00001800u, 0xCFC, 4), 0xFFFFFFFFu);              /* enable bit clear */
    struct guest_regs r = { .rax = 0 };
    assert_int_equal(pci_filter_io(0, &io, &plat, &r, q(0xCF8, 1, 4)), 1);
    assert_int_equal(r.rax, 0x00001800u);                                            /* the latched address */
}

static void writes_reach_only_the_own_function_and_not_its_bars(void **state)
{
    (void)state;
    machine();
    cfg_out(&io, 0x80001804u, 0xCFC, 2, 0x0406);         /* command word */
    assert_int_equal(space[1][1], 0x00000406u);          /* status half written as zeros (RW1C untouched) */
    cfg_out(&io, 0x80001810u, 0xCFC, 4, 0xFFFFFFFFu);    /* BAR0 sizing write: dropped */
    assert_int_equal(space[1][4], 0xC0000000u);
    cfg_out(&io, 0x80001830u, 0xCFC, 4, 0x12345678u);    /* expansion ROM: dropped */
    assert_int_equal(space[1][12], 0);
    cfg_out(&other, 0x80001804u, 0xCFC, 4, 0);           /* another sandbox: dropped */
    assert_int_equal(space[1][1], 0x00000406u);
    cfg_out(&io, 0x80000004u, 0xCFC, 4, 0);              /* the host bridge: dropped */
    assert_int_equal(space[0][1], 0);
}

static void odd_accesses_are_not_handled(void **state)
{
    (void)state;
    machine();
    struct guest_regs r = { .rax = 0 };
    assert_int_equal(pci_filter_io(0, &io, &plat, &r, q(0xCF8, 0, 1)), 0);           /* byte at CONFIG_ADDRESS */
    assert_int_equal(pci_filter_io(0, &io, &plat, &r, q(0xCF9, 1, 1)), 0);
    assert_int_equal(pci_filter_io(0, &io, &plat, &r, q(0xCFE, 1, 4)), 0);           /* past the data port */
    assert_int_equal(pci_filter_io(0, &io, &plat, &r, q(0xCFC, 1, 4) | VIO_STRING), 0);
    assert_int_equal(pci_filter_io(0, &io, &plat, &r, q(0x3F8, 0, 1)), 0);           /* another port */
    assert_int_equal(pci_filter_io(MAX_CORES, &io, &plat, &r, q(0xCFC, 1, 4)), 0);   /* no such core */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bars_are_placed_where_described),
        cmocka_unit_test(own_function_answers_others_are_absent),
        cmocka_unit_test(writes_reach_only_the_own_function_and_not_its_bars),
        cmocka_unit_test(odd_accesses_are_not_handled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
