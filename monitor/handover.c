/* Remote driver recovery: the hand-over applied (see handover.h). */
#include "handover.h"
#include "console.h"
#include "cpu.h"
#include "monitor.h"
#include "restart.h"
#include "virt.h"
#include "vmx/ept.h"
#include "recovery/device_handover.h"
#include "irq_route.h"

#define FLUSH_SPINS 50000000u   /* bounded wait for the other cores' flushes */

/* 0: the table's owner holds device d; else the holder's index + 1. */
static uint8_t moved_to[TRIAD_MAX_PCI_DEVICES];

/*@ assigns \nothing; */
static uint32_t table_owner(uint32_t d)
{
    /*@ loop assigns s; loop variant TRIAD_MAX_SANDBOXES - s; */
    for (uint32_t s = 0; (s < sys->sandbox_count) && (s < TRIAD_MAX_SANDBOXES); s++) {
        /*@ loop assigns i; loop variant TRIAD_MAX_SANDBOX_DEVICES - i; */
        for (uint32_t i = 0; (i < sys->sandboxes[s].device_count) && (i < TRIAD_MAX_SANDBOX_DEVICES); i++) {
            if (sys->sandboxes[s].devices[i] == d) {
                return s;
            }
        }
    }
    return TRIAD_NONE;
}

/*@ assigns \nothing; */
static uint32_t holder(uint32_t d)
{
    return (moved_to[d] != 0u) ? ((uint32_t)moved_to[d] - 1u) : table_owner(d);
}

uint32_t handover_devices_held(uint32_t sb)
{
    uint32_t held = 0;
    /*@ loop assigns d, held; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0; (d < sys->platform.pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        if (holder(d) == sb) {
            held |= 1u << d;
        }
    }
    return held;
}

uint32_t handover_devices_awaited(uint32_t sb)
{
    uint32_t awaited = 0;
    /*@ loop assigns d, awaited; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0; (d < sys->platform.pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        /* the declared standby, or the owner once its standby holds it
           (the device followed the voter role: handover_follow) */
        uint32_t pair = 0u;
        if (sys->platform.pci[d].standby_ref == (sb + 1u)) {
            pair = 1u;
        }
        if ((sys->platform.pci[d].standby_ref != 0u) && (table_owner(d) == sb)) {
            pair = 1u;
        }
        if ((pair != 0u) && (holder(d) != sb)) {
            awaited |= 1u << d;
        }
    }
    return awaited;
}

/* One I/O bitmap bit per port, 1 = the access exits (a fault). */
/*@ assigns \nothing; */
static void ports_set(uint32_t sb, const struct triad_io_range *r, int trap)
{
    uint8_t *bm = sandboxes[sb].io_bitmap;
    /*@ loop assigns p; loop variant (uint32_t)r->base + r->count - p; */
    for (uint32_t p = r->base; (p < ((uint32_t)r->base + r->count)) && (p < 0x10000u); p++) {
        if (trap != 0) {
            bm[p / 8u] |= (uint8_t)(1u << (p % 8u));
        } else {
            bm[p / 8u] &= (uint8_t)~(1u << (p % 8u));
        }
    }
}

/* Asks every other running core of the sandboxes in mask to flush at its
   next exit (NMI), waits a bounded time; returns how many confirmed.  A
   core whose NMI arrived while it was in its monitor (dropped there)
   flushes at its next exit anyway: the flag stays set until served. */
uint32_t handover_flush_others(const struct core *c, uint32_t mask, uint32_t *asked)
{
    uint32_t done = 0;
    *asked = 0;
    /*@ loop assigns k, *asked; loop variant MAX_CORES - k; */
    for (uint32_t k = 0; k < MAX_CORES; k++) {
        if (((mask & (1u << k)) != 0u) && (k != c->index) && (cores[k].state == (uint8_t)CORE_RUNNING)
            && (cores[k].sipi_wait == 0u)) {
            cores[k].flush_request = 1;
            restart_send_nmi(k);
            (*asked)++;
        }
    }
    /*@ loop assigns k, done; loop variant MAX_CORES - k; */
    for (uint32_t k = 0; k < MAX_CORES; k++) {
        if (((mask & (1u << k)) == 0u) || (k == c->index) || (cores[k].flush_request == 0u)) {
            continue;
        }
        uint32_t spins = 0;
        /*@ loop assigns spins; loop variant FLUSH_SPINS - spins; */
        while ((cores[k].flush_request != 0u) && (cores[k].state == (uint8_t)CORE_RUNNING) && (spins < FLUSH_SPINS)) {
            cpu_pause();
            spins++;
        }
        if (cores[k].flush_request == 0u) {
            done++;
        }
    }
    return done;
}

/*@ assigns \nothing; */
static int refused(uint32_t sb, uint32_t d, const char *why)
{
    return restart_refusal(sb, sys->platform.pci[d].name, why);
}

/* Applies a plan decided on core c: device d leaves plan->from for
   plan->to; `flush` names the cores (bits) asked to flush besides c. */
/*@ requires \valid(c) && \valid_read(p) && d < TRIAD_MAX_PCI_DEVICES;
    assigns \nothing; */
static int apply_plan(struct core *c, uint32_t d, const struct handover_plan *p, uint32_t flush_mask, uint64_t t0)
{
    const uint32_t from = p->from;
    const struct handover_plan plan = *p;
    /* 1. unmap: the failed sandbox loses the registers at once (this core
       flushes now; its other cores below) */
    /*@ loop assigns i; loop variant TRIAD_MAX_BARS - i; */
    for (uint32_t i = 0; (i < plan.bar_count) && (i < TRIAD_MAX_BARS); i++) {
        if (virt_slat_set_perm(from, plan.bars[i].base, plan.bars[i].size, 0) != (int)EPT_OK) {
            return refused(from, d, "bar-not-mapped-in-owner");
        }
    }
    if (virt_flush_slat(c) != 0) {
        return refused(from, d, "flush-failed");
    }
    const uint64_t t1 = cpu_rdtsc();
    /* 2. ports: trapped for the failed sandbox, passed to the standby */
    /*@ loop assigns i; loop variant TRIAD_MAX_IO_RANGES - i; */
    for (uint32_t i = 0; (i < plan.port_count) && (i < TRIAD_MAX_IO_RANGES); i++) {
        ports_set(from, &plan.ports[i], 1);
        ports_set(plan.to, &plan.ports[i], 0);
    }
    virt_io_bitmap_changed(from);
    virt_io_bitmap_changed(plan.to);
    const uint64_t t2 = cpu_rdtsc();
    /* 2b. interrupt line: to the standby's core (irq_route.h) before the
       standby can reach the registers that enable the device's interrupts */
    const int irq_routed = irq_route_move(sys, d, plan.irq_core);
    const uint64_t t2r = cpu_rdtsc();
    /* 3. map: the standby's entries (built revoked at boot) granted */
    /*@ loop assigns i; loop variant TRIAD_MAX_BARS - i; */
    for (uint32_t i = 0; (i < plan.bar_count) && (i < TRIAD_MAX_BARS); i++) {
        if (virt_slat_set_perm(plan.to, plan.bars[i].base, plan.bars[i].size, EPT_READ | EPT_WRITE) != (int)EPT_OK) {
            return refused(from, d, "bar-not-prepared-in-standby");
        }
    }
    moved_to[d] = (uint8_t)(plan.to + 1u);
    const uint64_t t3 = cpu_rdtsc();
    /* 4. flush: every other running core of both sandboxes */
    uint32_t asked = 0;
    const uint32_t flushed = handover_flush_others(c, flush_mask, &asked);
    const uint64_t t4 = cpu_rdtsc();
    con_lock();
    con_line("RECOVERY sandbox=");
    con_dec(from);
    con_puts(" name=");
    con_puts(sys->sandboxes[from].name);
    con_puts(" handover dev=");
    con_puts(sys->platform.pci[d].name);
    con_puts(" to=");
    con_dec(plan.to);
    con_puts(" to-name=");
    con_puts(sys->sandboxes[plan.to].name);
    con_puts(" t=");
    con_dec(t4);
    con_puts(" unmap=");
    con_dec(t1 - t0);
    con_puts(" ports=");
    con_dec(t2 - t1);
    con_puts(" map=");
    con_dec(t3 - t2r);
    con_puts(" flush=");
    con_dec(t4 - t3);
    con_puts(" total=");
    con_dec(t4 - t0);
    con_puts(" bars=");
    con_dec(plan.bar_count);
    con_puts(" port-ranges=");
    con_dec(plan.port_count);
    con_puts(" cores-flushed=");
    con_dec(flushed);
    con_puts("/");
    con_dec(asked);
    con_puts(" irq=");
    con_dec(plan.irq);
    con_puts(" irq-core=");
    con_dec(plan.irq_core);
    con_puts((plan.irq >= TRIAD_IOAPIC_MAX_GSI) ? " irq-path=polled" :
             ((irq_routed == IRQ_ROUTE_OK) ? " irq-path=ioapic" : " irq-path=unrouted"));
    con_puts(" route=");
    con_dec(t2r - t2);
    con_puts("\n");
    con_unlock();
    return 1;
}

/*@ requires \valid(c) && d < TRIAD_MAX_PCI_DEVICES;
    assigns \nothing; */
static int move_one(struct core *c, uint32_t d)
{
    const uint32_t from = c->sandbox;
    const uint32_t standby = sys->platform.pci[d].standby_ref - 1u;
    struct handover_plan plan = { 0 };
    const uint64_t t0 = cpu_rdtsc();
    const int r = handover_plan(sys, d, from, standby, standby, &plan);
    if (r != (int)HO_OK) {
        return refused(from, d, handover_result_name(r));
    }
    return apply_plan(c, d, &plan, sys->sandboxes[from].core_mask | sys->sandboxes[plan.to].core_mask, t0);
}

int handover_follow(struct core *c, uint32_t from, uint32_t to, int from_stopped)
{
    if ((from >= TRIAD_MAX_SANDBOXES) || (from >= sys->sandbox_count) || (to >= TRIAD_MAX_SANDBOXES)) {
        return 0;
    }
    uint32_t moved = 0;
    int refusals = 0;
    /*@ loop assigns d, moved, refusals; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0; (d < sys->platform.pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        const uint32_t owner = handover_table_owner(sys, d);
        const uint32_t ref = sys->platform.pci[d].standby_ref;
        /* only the devices of from's pairs: not a device from merely holds
           for another pair, nor one that stays where it is */
        if ((owner != from) && ((ref == 0u) || ((ref - 1u) != from))) {
            continue;
        }
        const uint64_t t0 = cpu_rdtsc();
        struct handover_plan plan = { 0 };
        const int r = handover_follow_plan(sys, d, from, holder(d), to, &plan);
        if (r == (int)HO_E_NOT_HOLDER) {
            continue;                    /* the other member holds it already */
        }
        if (r != (int)HO_OK) {
            (void)refused(from, d, handover_result_name(r));
            refusals = 1;
            continue;
        }
        /* a stopped sandbox's cores flush at their relaunch (vcpu_reset) */
        const uint32_t mask = (from_stopped != 0) ? sys->sandboxes[to].core_mask
                                                  : (sys->sandboxes[from].core_mask | sys->sandboxes[to].core_mask);
        if (apply_plan(c, d, &plan, mask, t0) < 0) {
            return -1;
        }
        moved++;
    }
    return (refusals != 0) ? -1 : (int)moved;
}

int handover_apply(struct core *c)
{
    if ((c->sandbox >= TRIAD_MAX_SANDBOXES) || (c->sandbox >= sys->sandbox_count)) {
        return 0;
    }
    const uint32_t held = handover_devices_held(c->sandbox);
    int moved = 0;
    /*@ loop assigns d, moved; loop variant TRIAD_MAX_PCI_DEVICES - d; */
    for (uint32_t d = 0; (d < sys->platform.pci_count) && (d < TRIAD_MAX_PCI_DEVICES); d++) {
        if (((held & (1u << d)) == 0u) || (sys->platform.pci[d].standby_ref == 0u)) {
            continue;
        }
        if (move_one(c, d) < 0) {
            return -1;
        }
        moved++;
    }
    return moved;
}

int handover_exit(struct core *c)
{
    if (c->flush_request == 0u) {
        return 0;
    }
    (void)virt_flush_slat(c);
    c->flush_request = 0;
    return 1;
}
