/* Device interrupts to their owner through the I/O APIC (see irq_route.h). */
#include "irq_route.h"
#include "console.h"
#include "cpu.h"
#include "percore.h"

#define LOCK_SPINS 1000000u

_Static_assert(MAX_CORES_ROUTED == MAX_CORES, "irq_route.h's core bound");

volatile uint32_t irq_route_lock;

/*@ assigns irq_route_lock; */
static void lock(void)
{
    /*@ loop assigns tries, irq_route_lock; loop variant LOCK_SPINS - tries; */
    for (uint32_t tries = 0u; (tries < LOCK_SPINS) && (cpu_xchg32_acquire(&irq_route_lock, 1u) != 0u); tries++) {
        cpu_pause();
    }
}

/*@ assigns irq_route_lock; */
static void unlock(void)
{
    cpu_store32_release(&irq_route_lock, 0u);
}

/*@ assigns \nothing; */
static uint32_t route_reg_read(uint32_t reg)
{
    mmio_write32(IOAPIC_MMIO_BASE, reg);
    return mmio_read32(IOAPIC_MMIO_BASE + 0x10u);
}

/*@ assigns \nothing; */
static void route_reg_write(uint32_t reg, uint32_t value)
{
    mmio_write32(IOAPIC_MMIO_BASE, reg);
    mmio_write32(IOAPIC_MMIO_BASE + 0x10u, value);
}

/* The lowest core of a sandbox's core mask (TRIAD_NONE for an empty mask):
   where its kernel starts, so where its drivers' I/O VCPUs run (the
   hand-over's plan picks the standby's the same way). */
/*@ assigns \nothing;
    ensures \result == TRIAD_NONE || \result < 32; */
static uint32_t lowest_core(uint32_t mask)
{
    uint32_t rest = mask;
    /*@ loop invariant 0 <= k <= 32;
        loop assigns k, rest; loop variant 32 - k; */
    for (uint32_t k = 0u; k < 32u; k++) {
        if ((rest & 1u) != 0u) {
            return k;
        }
        rest = rest / 2u;
    }
    return TRIAD_NONE;
}

int irq_route_set(uint8_t gsi, uint8_t vector, uint32_t core)
{
    if (gsi >= TRIAD_IOAPIC_MAX_GSI) {
        return IRQ_ROUTE_NO_LINE;
    }
    if (core >= MAX_CORES_ROUTED) {
        return IRQ_ROUTE_BAD_CORE;
    }
    lock();
    /* Version register bits 16-23: the number of the last entry. */
    const uint32_t last = (route_reg_read(IOAPIC_REG_VERSION) >> 16) & 0xFFu;
    if ((uint32_t)gsi > last) {
        unlock();
        return IRQ_ROUTE_NO_PIN;
    }
    const uint32_t reg = IOAPIC_REG_TABLE + (2u * (uint32_t)gsi);
    /* A core's index is its APIC ID (smp.c starts them so). */
    route_reg_write(reg, irq_route_entry_low(vector, 1));
    route_reg_write(reg + 1u, irq_route_entry_high((uint8_t)core));
    route_reg_write(reg, irq_route_entry_low(vector, 1) - IOAPIC_LOW_LEVEL);   /* edge */
    route_reg_write(reg, irq_route_entry_low(vector, 0));
    unlock();
    return IRQ_ROUTE_OK;
}

/*@ requires \valid_read(t) && d < TRIAD_MAX_PCI_DEVICES;
    assigns \nothing;
    ensures \result == TRIAD_NONE || \result < TRIAD_MAX_SANDBOXES; */
static uint32_t owner_of(const struct triad_table_body *t, uint32_t d)
{
    /*@ loop assigns s; loop variant TRIAD_MAX_SANDBOXES - s; */
    for (uint32_t s = 0u; (s < t->sandbox_count) && (s < TRIAD_MAX_SANDBOXES); s++) {
        /*@ loop assigns i; loop variant TRIAD_MAX_SANDBOX_DEVICES - i; */
        for (uint32_t i = 0u; (i < t->sandboxes[s].device_count) && (i < TRIAD_MAX_SANDBOX_DEVICES); i++) {
            if (t->sandboxes[s].devices[i] == d) {
                return s;
            }
        }
    }
    return TRIAD_NONE;
}

/* The line's tail when the line is routed: " -> core C vector V (ioapic,
   level, owner)".  Each literal through `s`, its terminator asserted: the
   provers find con_string's witness for a literal only then (as fault.c's
   names).  The tails are functions of their own because each literal's
   con_string goal carries the facts of every literal before it in the same
   function: in one function the last ones ran out of steps (session 9). */
/*@ assigns \nothing; */
static void route_say_routed(uint32_t core, uint32_t vector)
{
    const char *s = " -> core ";
    /*@ assert s[9] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(core);
    s = " vector ";
    /*@ assert s[8] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_hex(vector, 2u);
    s = " (ioapic, level, owner)\n";
    /*@ assert s[24] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
}

/* The line's tail when the line is refused: " not routed: REASON". */
/*@ assigns \nothing; */
static void route_say_refused(int r)
{
    const char *s = " not routed: ";
    /*@ assert s[13] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    /* the reason: one print, whichever it is ("no line" is set first, so
       every statement runs in test_irq_route: irq_route_devices never
       passes a line past the I/O APIC's range) */
    s = "no line";
    /*@ assert s[7] == '\0'; */
    /*@ assert con_string(s); */
    if (r == IRQ_ROUTE_NO_PIN) {
        s = "the I/O APIC has no such entry";
        /*@ assert s[30] == '\0'; */
        /*@ assert con_string(s); */
    } else if (r == IRQ_ROUTE_BAD_CORE) {
        s = "no core to deliver to";
        /*@ assert s[21] == '\0'; */
        /*@ assert con_string(s); */
    } else {
        /* IRQ_ROUTE_NO_LINE: "no line" stays */
    }
    con_puts(s);
    s = "\n";
    /*@ assert s[1] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
}

/*@ requires \valid_read(t) && d < TRIAD_MAX_PCI_DEVICES;
    assigns con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
static void route_say(const struct triad_table_body *t, uint32_t d, uint32_t core, int r)
{
    const struct triad_pci_device *p = &t->platform.pci[d];
    const char *s;
    con_lock();
    s = "irq: ";
    /*@ assert s[5] == '\0'; */
    /*@ assert con_string(s); */
    con_line(s);
    con_puts(p->name);
    s = " gsi ";
    /*@ assert s[5] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(p->irq);
    if (r == IRQ_ROUTE_OK) {
        route_say_routed(core, TRIAD_DEVICE_VECTOR(p->irq));
    } else {
        route_say_refused(r);
    }
    con_unlock();
}

int irq_route_devices(const struct triad_table_body *t)
{
    int routed = 0;
    /*@ loop assigns d, routed, irq_route_lock, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0u; (d < t->platform.pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        const uint8_t gsi = t->platform.pci[d].irq;
        const uint32_t owner = owner_of(t, d);
        if ((gsi >= TRIAD_IOAPIC_MAX_GSI) || (owner == TRIAD_NONE)) {
            continue;       /* no line declared, or nobody to deliver to: stays masked */
        }
        const uint32_t core = lowest_core(t->sandboxes[owner].core_mask);
        const int r = irq_route_set(gsi, (uint8_t)TRIAD_DEVICE_VECTOR(gsi), core);
        route_say(t, d, core, r);
        if (r != IRQ_ROUTE_OK) {
            return -1;
        }
        if (routed < (int)TRIAD_MAX_PCI_DEVICES) {
            routed++;
        }
    }
    return routed;
}

int irq_route_move(const struct triad_table_body *t, uint32_t d, uint32_t core)
{
    if ((d >= TRIAD_MAX_PCI_DEVICES) || (d >= t->platform.pci_count)) {
        return IRQ_ROUTE_NO_LINE;
    }
    const uint8_t gsi = t->platform.pci[d].irq;
    if (gsi >= TRIAD_IOAPIC_MAX_GSI) {
        return IRQ_ROUTE_OK;
    }
    /* No console line here: the hand-over's RECOVERY line says it (irq-core,
       irq-path), and a line would cost more than the whole hand-over. */
    return irq_route_set(gsi, (uint8_t)TRIAD_DEVICE_VECTOR(gsi), core);
}
