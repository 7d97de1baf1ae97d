/* Boot-time placement of the declared devices' BARs (pci.h). */
#include <stdbool.h>
#include "pci.h"
#include "handover.h"
#include "cpu.h"
#include "console.h"
#include "percore.h"
#include "vmexit.h"

#define PCI_ADDR 0xCF8u
#define PCI_DATA 0xCFCu
#define PCI_COMMAND 0x04u
#define PCI_BAR0 0x10u
#define PCI_CMD_MEMORY 0x2u

uint32_t pci_config_address(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
    return 0x80000000u | ((uint32_t)bus << 16) | ((uint32_t)dev << 11) | ((uint32_t)fn << 8) |
           ((uint32_t)reg & 0xFCu);
}

/*@ requires d->dev < 32 && d->fn < 8; assigns \nothing; */
static uint32_t cfg_read(const struct triad_pci_device *d, uint8_t reg)
{
    cpu_outl(PCI_ADDR, pci_config_address(d->bus, d->dev, d->fn, reg));
    return cpu_inl(PCI_DATA);
}

/*@ requires d->dev < 32 && d->fn < 8; assigns \nothing; */
static void cfg_write(const struct triad_pci_device *d, uint8_t reg, uint32_t value)
{
    cpu_outl(PCI_ADDR, pci_config_address(d->bus, d->dev, d->fn, reg));
    cpu_outl(PCI_DATA, value);
}

/*@ assigns \nothing; */
static void hex2(uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    con_putc(digits[(v >> 4) & 0xFu]);
    con_putc(digits[v & 0xFu]);
}

/*@ requires \valid_read(d); assigns \nothing; */
static void say(const struct triad_pci_device *d, const char *what)
{
    con_lock();
    con_line("pci: ");
    con_puts(d->name);
    con_puts(" ");
    hex2(d->bus);
    con_puts(":");
    hex2(d->dev);
    con_puts(".");
    con_dec(d->fn);
    con_puts(" ");
    con_puts(what);
    con_puts("\n");
    con_unlock();
}

/* Declared bars[b] is BAR register b.  A memory BAR (bit 0 clear) that is
   not at its base is moved there with memory decoding off, so the device
   never answers at a half-written address; I/O BARs are left alone (their
   ports are granted by <ioports>).  64-bit BARs get their upper half. */
/*@ requires \valid_read(d) && d->dev < 32 && d->fn < 8;
    assigns \nothing; */
static uint32_t place_device(const struct triad_pci_device *d)
{
    uint32_t id = cfg_read(d, 0);
    if ((id & 0xFFFFu) == 0xFFFFu) {
        say(d, "absent: nothing placed");
        return 0;
    }
    if ((d->vendor_id != 0u) && ((id & 0xFFFFu) != d->vendor_id)) {
        say(d, "holds another vendor's device: nothing placed");
        return 0;
    }
    if ((d->device_id != 0u) && ((id >> 16) != d->device_id)) {
        say(d, "holds another device: nothing placed");
        return 0;
    }
    const uint32_t cmd = cfg_read(d, PCI_COMMAND) & 0xFFFFu;
    uint32_t moved = 0;
    /* a type-0 header has six BAR registers; the table holds no more */
    _Static_assert(TRIAD_MAX_BARS <= 6u, "BARs of a type-0 PCI header");
    /*@ loop assigns b, moved; loop variant TRIAD_MAX_BARS - b; */
    for (uint32_t b = 0; (b < d->bar_count) && (b < TRIAD_MAX_BARS); b++) {
        const uint8_t reg = (uint8_t)(PCI_BAR0 + (4u * b));
        const uint32_t cur = cfg_read(d, reg);
        if ((cur & 1u) != 0u) {
            continue;                       /* an I/O BAR */
        }
        const uint64_t base = d->bars[b].base;
        const bool wide = ((cur >> 1) & 3u) == 2u;
        if (((cur & ~0xFu) == (uint32_t)base) &&
            (!wide || (((b + 1u) < 6u) && (cfg_read(d, (uint8_t)(reg + 4u)) == (uint32_t)(base >> 32))))) {
            continue;
        }
        cfg_write(d, PCI_COMMAND, cmd & ~PCI_CMD_MEMORY);
        cfg_write(d, reg, (uint32_t)base | (cur & 0xFu));
        if (wide && ((b + 1u) < 6u)) {
            cfg_write(d, (uint8_t)(reg + 4u), (uint32_t)(base >> 32));
        }
        cfg_write(d, PCI_COMMAND, cmd);
        moved++;
    }
    say(d, moved ? "BARs placed at the described bases" : "BARs already at the described bases");
    return 1;
}

uint32_t pci_place_bars(const struct triad_platform *p)
{
    uint32_t placed = 0;
    /*@ loop assigns i, placed; loop variant TRIAD_MAX_PCI_DEVICES - i; */
    for (uint32_t i = 0; (i < p->pci_count) && (i < TRIAD_MAX_PCI_DEVICES); i++) {
        const struct triad_pci_device *d = &p->pci[i];
        if ((d->dev < 32u) && (d->fn < 8u)) {
            placed += place_device(d);
        }
    }
    return placed;
}

/* CONFIG_ADDRESS as each core's sandbox last wrote it. */
static uint32_t latched[MAX_CORES];
/* The physical CONFIG_ADDRESS/CONFIG_DATA pair is one for the machine: two
   monitors forwarding at once must not interleave. */
static volatile uint32_t cfg_lock;

/* Ownership at run time: the table's owner until remote driver recovery
   handed the device to its standby (handover.h), so the failed owner's
   configuration cycles stop reaching it and the standby's start to. */
/*@ requires \valid_read(s) && \valid_read(p); assigns \nothing; */
static int owns(const struct triad_sandbox *s, const struct triad_platform *p, uint32_t addr)
{
    const uint32_t bus = (addr >> 16) & 0xFFu;
    const uint32_t dev = (addr >> 11) & 0x1Fu;
    const uint32_t fn = (addr >> 8) & 7u;
    const uint32_t held = handover_devices_held(s->index);
    /*@ loop assigns d; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0; (d < p->pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        if (((held & (1u << d)) != 0u) && (p->pci[d].bus == bus) && (p->pci[d].dev == dev) && (p->pci[d].fn == fn)) {
            return 1;
        }
    }
    return 0;
}

/* The real dword at CONFIG_ADDRESS addr (register bits 7:2); a write of
   `value` under `mask` first when write != 0 (read-modify-write: the
   status half of register 4 is written as zeros, its bits are write-1-to-clear). */
/*@ assigns \nothing; */
static uint32_t forward(uint32_t addr, int write, uint32_t value, uint32_t mask)
{
    /*@ loop assigns tries; loop variant 1000000 - tries; */
    for (uint32_t tries = 0; (tries < 1000000u) && (cpu_xchg32_acquire(&cfg_lock, 1u) != 0u); tries++) {
        cpu_pause();
    }
    cpu_outl(PCI_ADDR, addr & ~3u);
    uint32_t now = cpu_inl(PCI_DATA);
    if (write != 0) {
        uint32_t keep = now & ~mask;
        if ((addr & 0xFCu) == PCI_COMMAND) {
            keep &= 0xFFFFu;
        }
        now = keep | (value & mask);
        cpu_outl(PCI_DATA, now);
    }
    cpu_store32_release(&cfg_lock, 0u);
    return now;
}

int pci_filter_io(uint32_t core, const struct triad_sandbox *s, const struct triad_platform *p,
                  struct guest_regs *regs, uint64_t q)
{
    const uint32_t port = (uint32_t)VIO_PORT(q);
    const uint32_t size = (uint32_t)(q & VIO_SIZE_MASK) + 1u;
    const bool in = (q & VIO_IN) != 0u;
    if (((q & (VIO_STRING | VIO_REP)) != 0u) || (core >= MAX_CORES) || (port < PCI_ADDR) || (port > (PCI_DATA + 3u))) {
        return 0;
    }
    if (port < PCI_DATA) {
        if ((port != PCI_ADDR) || (size != 4u)) {
            return 0;
        }
        if (in) {
            regs->rax = latched[core];          /* a 32-bit IN zero-extends into RAX */
        } else {
            latched[core] = (uint32_t)regs->rax;
        }
        return 1;
    }
    const uint32_t off = port - PCI_DATA;
    if (((size != 1u) && (size != 2u) && (size != 4u)) || ((off + size) > 4u)) {
        return 0;
    }
    const uint32_t addr = latched[core];
    const uint32_t shift = 8u * off;
    const uint32_t mask = ((size == 4u) ? 0xFFFFFFFFu : ((1u << (8u * size)) - 1u)) << shift;
    const uint32_t reg = addr & 0xFCu;
    const bool mine = ((addr & 0x80000000u) != 0u) && (owns(s, p, addr) != 0);
    if (!in) {
        /* BARs (0x10-0x24) and the expansion ROM (0x30) stay where the monitor put them. */
        if (mine && !(((reg >= PCI_BAR0) && (reg <= (PCI_BAR0 + 0x14u))) || (reg == 0x30u))) {
            (void)forward(addr, 1, (uint32_t)regs->rax << shift, mask);
        }
        return 1;
    }
    const uint32_t dword = mine ? forward(addr, 0, 0, 0) : 0xFFFFFFFFu;
    const uint32_t part = (dword & mask) >> shift;
    const uint64_t value = part;
    const uint64_t keep = (size == 4u) ? 0ULL : ((size == 2u) ? ~0xFFFFULL : ~0xFFULL);   /* IN EAX zero-extends */
    regs->rax = (regs->rax & keep) | value;
    return 1;
}
