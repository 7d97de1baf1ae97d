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
    /* The fields do not overlap (dev < 32, fn < 8), so their sum is their
       OR; products of bounded fields where the prover cannot bound a left
       shift (docs/proofs.md, session 7), and the register's dword as
       reg / 4 * 4 (reg & 0xFC: the provers do not bound an AND). */
    return 0x80000000u + ((uint32_t)bus * 65536u) + ((uint32_t)dev * 2048u) + ((uint32_t)fn * 256u) +
           (((uint32_t)reg / 4u) * 4u);
}

/*@ requires \valid_read(d) && d->dev < 32 && d->fn < 8; assigns \nothing; */
static uint32_t cfg_read(const struct triad_pci_device *d, uint8_t reg)
{
    cpu_outl(PCI_ADDR, pci_config_address(d->bus, d->dev, d->fn, reg));
    return cpu_inl(PCI_DATA);
}

/*@ requires \valid_read(d) && d->dev < 32 && d->fn < 8; assigns \nothing; */
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

/* What pci_place_bars says of a device. */
enum pci_said { SAID_ABSENT, SAID_VENDOR, SAID_DEVICE, SAID_PLACED, SAID_IN_PLACE };

/* The device's name: at most its array, up to a NUL (a name that fills
   the array is printed whole, never read past). */
/*@ requires \valid_read(name + (0 .. TRIAD_NAME_LEN - 1));
    assigns \nothing; */
static void put_name(const char *name)
{
    /*@ loop assigns i; loop variant TRIAD_NAME_LEN - i; */
    for (uint32_t i = 0u; (i < TRIAD_NAME_LEN) && (name[i] != '\0'); i++) {
        con_putc(name[i]);
    }
}

/* One line per device.  Each literal through `s`, its terminator asserted:
   the provers find con_string's witness for a literal only then
   (fault.c's names, session 6); printed in its own case (con_string of a
   pointer to one of several literals was not proved at the join:
   safe_exit.c's HEALTH line). */
/*@ requires \valid_read(d);
    assigns con_lock_word, con_out; */
static void say(const struct triad_pci_device *d, enum pci_said what)
{
    const char *s = "pci: ";
    con_lock();
    /*@ assert s[5] == '\0'; */
    /*@ assert con_string(s); */
    con_line(s);
    put_name(d->name);
    con_putc(' ');
    hex2(d->bus);
    con_putc(':');
    hex2(d->dev);
    con_putc('.');
    con_dec(d->fn);
    con_putc(' ');
    /* Literals of at most 20 characters (safe_exit.c's HEALTH line: a
       longer one took the provers past their step limits), each printed
       in its own case. */
    switch (what) {
    case SAID_ABSENT:
        s = "absent:";
        /*@ assert s[7] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        break;
    case SAID_VENDOR:
        s = "holds another";
        /*@ assert s[13] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        s = " vendor's device:";
        /*@ assert s[17] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        break;
    case SAID_DEVICE:
        s = "holds another";
        /*@ assert s[13] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        s = " device:";
        /*@ assert s[8] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        break;
    case SAID_PLACED:
        s = "BARs placed";
        /*@ assert s[11] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        break;
    default:
        s = "BARs already";
        /*@ assert s[12] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        break;
    }
    if ((what == SAID_PLACED) || (what == SAID_IN_PLACE)) {
        s = " at the described";
        /*@ assert s[17] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
        s = " bases\n";
        /*@ assert s[7] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
    } else {
        s = " nothing placed\n";
        /*@ assert s[16] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
    }
    con_unlock();
}

/* Declared bars[b] is BAR register b.  A memory BAR (bit 0 clear) that is
   not at its base is moved there with memory decoding off, so the device
   never answers at a half-written address; I/O BARs are left alone (their
   ports are granted by <ioports>).  64-bit BARs get their upper half. */
/*@ requires \valid_read(d) && d->dev < 32 && d->fn < 8;
    assigns con_lock_word, con_out;
    ensures \result <= 1; */
static uint32_t place_device(const struct triad_pci_device *d)
{
    uint32_t id = cfg_read(d, 0);
    if ((id & 0xFFFFu) == 0xFFFFu) {
        say(d, SAID_ABSENT);
        return 0;
    }
    if ((d->vendor_id != 0u) && ((id & 0xFFFFu) != d->vendor_id)) {
        say(d, SAID_VENDOR);
        return 0;
    }
    if ((d->device_id != 0u) && ((id >> 16) != d->device_id)) {
        say(d, SAID_DEVICE);
        return 0;
    }
    const uint32_t cmd = cfg_read(d, PCI_COMMAND) & 0xFFFFu;
    uint32_t moved = 0;
    /* a type-0 header has six BAR registers; the table holds no more */
    _Static_assert(TRIAD_MAX_BARS <= 6u, "BARs of a type-0 PCI header");
    /*@ loop invariant b <= TRIAD_MAX_BARS && moved <= b;
        loop assigns b, moved;
        loop variant TRIAD_MAX_BARS - b; */
    for (uint32_t b = 0; (b < d->bar_count) && (b < TRIAD_MAX_BARS); b++) {
        const uint8_t reg = (uint8_t)(PCI_BAR0 + (4u * b));
        const uint32_t cur = cfg_read(d, reg);
        if ((cur & 1u) != 0u) {
            continue;                       /* an I/O BAR */
        }
        const uint64_t base = d->bars[b].base;
        const bool wide = ((cur >> 1) & 3u) == 2u;
        /* each half masked, then cast (a cast that drops bits is a proof goal) */
        const uint32_t base_low = (uint32_t)(base & 0xFFFFFFFFu);
        const uint32_t base_high = (uint32_t)((base >> 32) & 0xFFFFFFFFu);
        if (((cur & ~0xFu) == base_low) &&
            (!wide || (((b + 1u) < 6u) && (cfg_read(d, (uint8_t)(reg + 4u)) == base_high)))) {
            continue;
        }
        cfg_write(d, PCI_COMMAND, cmd & ~PCI_CMD_MEMORY);
        cfg_write(d, reg, base_low | (cur & 0xFu));
        if (wide && ((b + 1u) < 6u)) {
            cfg_write(d, (uint8_t)(reg + 4u), base_high);
        }
        cfg_write(d, PCI_COMMAND, cmd);
        moved++;
    }
    say(d, (moved != 0u) ? SAID_PLACED : SAID_IN_PLACE);
    return 1;
}

uint32_t pci_place_bars(const struct triad_platform *p)
{
    uint32_t placed = 0;
    /*@ loop invariant i <= TRIAD_MAX_PCI_DEVICES && placed <= i;
        loop assigns i, placed, con_lock_word, con_out;
        loop variant TRIAD_MAX_PCI_DEVICES - i; */
    for (uint32_t i = 0; (i < p->pci_count) && (i < TRIAD_MAX_PCI_DEVICES); i++) {
        const struct triad_pci_device *d = &p->pci[i];
        if ((d->dev < 32u) && (d->fn < 8u)) {
            placed += place_device(d);
        }
    }
    return placed;
}

/* CONFIG_ADDRESS as each core's sandbox last wrote it, and the lock of the
   physical CONFIG_ADDRESS/CONFIG_DATA pair, which is one for the machine:
   two monitors forwarding at once must not interleave.  External linkage,
   declared in pci.h, so that pci_filter_io's contract (and the exit
   dispatcher's, REQ MON-EXIT-003) can name what it writes; nothing outside
   pci.c uses them. */
uint32_t pci_latched[MAX_CORES];
volatile uint32_t pci_cfg_lock;

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
        if (((held & (0x80000000u >> (31u - d))) != 0u) && (p->pci[d].bus == bus) && (p->pci[d].dev == dev) && (p->pci[d].fn == fn)) {
            return 1;
        }
    }
    return 0;
}

/* The real dword at CONFIG_ADDRESS addr (register bits 7:2); a write of
   `value` under `mask` first when write != 0 (read-modify-write: the
   status half of register 4 is written as zeros, its bits are write-1-to-clear). */
/*@ assigns pci_cfg_lock; */
static uint32_t forward(uint32_t addr, int write, uint32_t value, uint32_t mask)
{
    /*@ loop assigns tries, pci_cfg_lock; loop variant 1000000 - tries; */
    for (uint32_t tries = 0; (tries < 1000000u) && (cpu_xchg32_acquire(&pci_cfg_lock, 1u) != 0u); tries++) {
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
    cpu_store32_release(&pci_cfg_lock, 0u);
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
            regs->rax = pci_latched[core];          /* a 32-bit IN zero-extends into RAX */
        } else {
            pci_latched[core] = (uint32_t)(regs->rax & 0xFFFFFFFFu);   /* masked, then cast: the low dword */
        }
        return 1;
    }
    const uint32_t off = port - PCI_DATA;
    if (((size != 1u) && (size != 2u) && (size != 4u)) || ((off + size) > 4u)) {
        return 0;
    }
    const uint32_t addr = pci_latched[core];
    /* The access's byte lanes: low its width, scale 256^off, mask the
       lanes in the dword.  Products and quotients where a left shift has
       an overflow check the prover cannot bound (docs/proofs.md, session 7). */
    const uint32_t low = (size == 4u) ? 0xFFFFFFFFu : ((size == 2u) ? 0xFFFFu : 0xFFu);
    const uint32_t scale = (off == 0u) ? 1u : ((off == 1u) ? 0x100u : ((off == 2u) ? 0x10000u : 0x1000000u));
    /*@ assert LANES_FIT: low * scale <= 0xFFFFFFFF; */
    const uint32_t mask = low * scale;
    const uint32_t reg = addr & 0xFCu;
    const bool mine = ((addr & 0x80000000u) != 0u) && (owns(s, p, addr) != 0);
    if (!in) {
        /* BARs (0x10-0x24) and the expansion ROM (0x30) stay where the monitor put them. */
        if (mine && !(((reg >= PCI_BAR0) && (reg <= (PCI_BAR0 + 0x14u))) || (reg == 0x30u))) {
            const uint32_t part = (uint32_t)(regs->rax & 0xFFFFFFFFu) & low;
            /*@ assert part <= low; */
            /*@ assert part * scale <= low * scale; */
            (void)forward(addr, 1, part * scale, mask);
        }
        return 1;
    }
    const uint32_t dword = mine ? forward(addr, 0, 0, 0) : 0xFFFFFFFFu;
    const uint32_t part = (dword & mask) / scale;
    const uint64_t value = part;
    const uint64_t keep = (size == 4u) ? 0ULL : ((size == 2u) ? ~0xFFFFULL : ~0xFFULL);   /* IN EAX zero-extends */
    regs->rax = (regs->rax & keep) | value;
    return 1;
}
