/*
 * Device interrupts to their owner (issue 7): the monitor programs the I/O
 * APIC redirection entry of every declared PCI device's legacy line (the
 * description's `irq`, a GSI below TRIAD_IOAPIC_MAX_GSI) for the lowest core
 * of the sandbox holding the device, at vector TRIAD_DEVICE_VECTOR(irq).  The
 * owner's LAPIC is passed through and external interrupts do not exit (VMX:
 * external-interrupt exiting off; SVM: no INTR intercept, no V_INTR_MASKING),
 * so the interrupt reaches the owner's kernel through its own IDT with no VM
 * exit, and its LAPIC EOI (broadcast to the I/O APIC for a level-triggered
 * vector) re-arms the line.  The I/O APIC's page is mapped into no sandbox:
 * only the monitor can point a line at a core.  Remote driver recovery
 * (handover.c) moves the line to the standby's core.
 * No heap; every loop bounded; the I/O APIC's two registers are used under
 * one lock (the BSP at boot, a faulting core at a hand-over).
 */
#ifndef TRIAD_MONITOR_IRQ_ROUTE_H
#define TRIAD_MONITOR_IRQ_ROUTE_H

#include <stdint.h>
#include "abi/sandbox_boot.h"
#include "partition/system_table.h"
#include "console.h"

/* The I/O APIC's register window is one for the machine: this word (1 =
   held) serialises the BSP at boot and a faulting core at a hand-over.
   Only irq_route.c writes it. */
extern volatile uint32_t irq_route_lock;

#define IOAPIC_MMIO_BASE   0xFEC00000ull
#define MAX_CORES_ROUTED   8u              /* percore.h's MAX_CORES: a core index is its APIC ID */   /* the I/O APIC the firmware leaves at its default */
#define IOAPIC_REG_VERSION 0x01u
#define IOAPIC_REG_TABLE   0x10u           /* entry n: registers 0x10 + 2n (low), 0x11 + 2n (high) */

/* Redirection entry, low half: the vector, fixed delivery, physical
   destination, active high (how QEMU's and Bochs' ACPI tables describe the
   PCI lines), level-triggered (PCI INTx), masked or not. */
#define IOAPIC_LOW_LEVEL   0x8000u    /* bit 15: trigger mode level */
#define IOAPIC_LOW_MASKED  0x10000u   /* bit 16: mask */

/* Results of irq_route_set. */
#define IRQ_ROUTE_OK        0
#define IRQ_ROUTE_NO_LINE  (-1)   /* the description declares no routable line (irq >= 24) */
#define IRQ_ROUTE_NO_PIN   (-2)   /* the I/O APIC has fewer entries than the line's number */
#define IRQ_ROUTE_BAD_CORE (-3)   /* the destination is not a core of the machine */

/* The low half of the entry for vector (masked: bit 16).  Inline here so
   the host test checks the very encoding the monitor writes. */
/*@ assigns \nothing;
    ensures ENTRY_FIXED_PHYSICAL_LEVEL: \result == vector + IOAPIC_LOW_LEVEL + (masked != 0 ? IOAPIC_LOW_MASKED : 0); */
static inline uint32_t irq_route_entry_low(uint8_t vector, int masked)
{
    /* disjoint bit fields: the sum is the bitwise or (the form WP proves) */
    return ((uint32_t)vector + IOAPIC_LOW_LEVEL) + ((masked != 0) ? IOAPIC_LOW_MASKED : 0u);
}

/* The high half: the destination APIC ID in bits 56-63 of the entry. */
/*@ assigns \nothing;
    ensures \result == (uint32_t)apic_id * 0x1000000u; */
static inline uint32_t irq_route_entry_high(uint8_t apic_id)
{
    return (uint32_t)apic_id * 0x1000000u;
}

/* Points line gsi at core (its APIC ID) with vector: masks the entry,
   writes the destination, writes it edge-triggered (which drops a remote
   IRR a previous owner left set by dying before its EOI), then
   level-triggered and unmasked.  IRQ_ROUTE_OK or a refusal above (nothing
   written). */
/*@ assigns irq_route_lock;
    ensures REFUSED_LINE: gsi >= TRIAD_IOAPIC_MAX_GSI ==> \result == IRQ_ROUTE_NO_LINE;
    ensures REFUSED_CORE: gsi < TRIAD_IOAPIC_MAX_GSI && core >= MAX_CORES_ROUTED ==> \result == IRQ_ROUTE_BAD_CORE; */
int irq_route_set(uint8_t gsi, uint8_t vector, uint32_t core);

/* At boot, on the BSP, before any sandbox runs: routes every declared device
   with a line (irq < TRIAD_IOAPIC_MAX_GSI) to its owner's lowest core; one
   console line per device.  Returns the number routed, or -1 when a line
   could not be routed (the description promised it: the boot stops). */
/*@ requires \valid_read(t);
    assigns irq_route_lock, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
int irq_route_devices(const struct triad_table_body *t);

/* Remote driver recovery: device d's line to core (the standby's lowest).
   IRQ_ROUTE_OK (also when d has no line: nothing to move) or a refusal. */
/*@ requires \valid_read(t);
    assigns irq_route_lock; */
int irq_route_move(const struct triad_table_body *t, uint32_t d, uint32_t core);

#endif
