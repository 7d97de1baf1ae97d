/* Remote driver recovery: the device hand-over plan (see device_handover.h). */
#include "device_handover.h"

/*@ requires \valid_read(s);
    assigns \nothing; */
static int owns(const struct triad_sandbox *s, uint32_t dev)
{
    int found = 0;
    /*@ loop assigns i, found; loop variant TRIAD_MAX_SANDBOX_DEVICES - i; */
    for (uint32_t i = 0; i < TRIAD_MAX_SANDBOX_DEVICES; i++)
        if (i < s->device_count && s->devices[i] == dev)
            found = 1;
    return found;
}

/*@ assigns \nothing; */
static int overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/*@ assigns \nothing; */
static uint8_t lowest_core(uint32_t mask)
{
    uint8_t core = 0;
    /*@ loop assigns core; loop variant 32 - core; */
    while (core < 31u && !(mask & (1u << core)))
        core++;
    return core;
}

/* The plan's body once the move is allowed: the device's BARs, the table
   owner's port ranges but its console (the device's ports, whichever way
   it moves), the line, the new holder's lowest core. */
/*@ requires \valid_read(b) && \valid(out) && dev < TRIAD_MAX_PCI_DEVICES;
    requires owner < TRIAD_MAX_SANDBOXES && to < TRIAD_MAX_SANDBOXES;
    assigns *out; */
static int fill(const struct triad_table_body *b, uint32_t dev, uint32_t owner, uint32_t from, uint32_t to,
                struct handover_plan *out)
{
    const struct triad_sandbox *o = &b->sandboxes[owner], *t = &b->sandboxes[to];
    const struct triad_pci_device *d = &b->platform.pci[dev];
    const uint32_t bars = d->bar_count <= TRIAD_MAX_BARS ? d->bar_count : TRIAD_MAX_BARS;
    /*@ loop assigns i; loop variant TRIAD_MAX_BARS - i; */
    for (uint32_t i = 0; i < bars; i++)
        if (overlaps(d->bars[i].base, d->bars[i].size, t->mem_base, t->mem_size))
            return HO_E_OVERLAP;
    out->dev = (uint8_t)dev;
    out->from = (uint8_t)from;
    out->to = (uint8_t)to;
    out->bar_count = (uint8_t)bars;
    /*@ loop assigns i, out->bars[0 .. TRIAD_MAX_BARS - 1]; loop variant TRIAD_MAX_BARS - i; */
    for (uint32_t i = 0; i < bars; i++)
        out->bars[i] = d->bars[i];
    /* the owner's port ranges go with its device, its console stays */
    const uint32_t ranges = o->io_range_count <= TRIAD_MAX_IO_RANGES ? o->io_range_count : TRIAD_MAX_IO_RANGES;
    /*@ loop assigns i, out->port_count, out->ports[0 .. TRIAD_MAX_IO_RANGES - 1];
        loop variant TRIAD_MAX_IO_RANGES - i; */
    for (uint32_t i = 0; i < ranges; i++) {
        const struct triad_io_range *r = &o->io_ranges[i];
        if (o->console_port != 0 && r->base == o->console_port)
            continue;
        out->ports[out->port_count++] = *r;
    }
    out->irq = d->irq;
    out->irq_core = lowest_core(t->core_mask);
    return HO_OK;
}

/* What both plans check first, in the same order: the plan cleared (a
   refusal plans nothing), from and to two different sandboxes of the
   table, dev one of its devices. */
/*@ requires \valid_read(b) && \valid(out);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->platform.pci_count <= TRIAD_MAX_PCI_DEVICES;
    assigns *out;
    ensures \result == HO_OK || \result == HO_E_SANDBOX || \result == HO_E_DEVICE;
    ensures \result == HO_OK ==> from < b->sandbox_count && to < b->sandbox_count && from != to &&
            dev < b->platform.pci_count;
    ensures out->bar_count == 0 && out->port_count == 0; */
static int plan_args_check(const struct triad_table_body *b, uint32_t dev, uint32_t from, uint32_t to,
                           struct handover_plan *out)
{
    *out = (struct handover_plan){0};
    if (from >= b->sandbox_count || to >= b->sandbox_count || from == to)
        return HO_E_SANDBOX;
    if (dev >= b->platform.pci_count)
        return HO_E_DEVICE;
    return HO_OK;
}

int handover_plan(const struct triad_table_body *b, uint32_t dev, uint32_t from, uint32_t to,
                  uint32_t standby, struct handover_plan *out)
{
    const int args = plan_args_check(b, dev, from, to, out);
    if (args != HO_OK)
        return args;
    if (!owns(&b->sandboxes[from], dev))
        return HO_E_NOT_OWNER;
    if (standby == TRIAD_NONE || to != standby)
        return HO_E_NOT_STANDBY;
    return fill(b, dev, from, from, to, out);
}

uint32_t handover_table_owner(const struct triad_table_body *b, uint32_t dev)
{
    /*@ loop assigns s; loop variant TRIAD_MAX_SANDBOXES - s; */
    for (uint32_t s = 0; s < b->sandbox_count && s < TRIAD_MAX_SANDBOXES; s++)
        if (owns(&b->sandboxes[s], dev))
            return s;
    return TRIAD_NONE;
}

int handover_follow_plan(const struct triad_table_body *b, uint32_t dev, uint32_t from, uint32_t holder,
                         uint32_t to, struct handover_plan *out)
{
    const int args = plan_args_check(b, dev, from, to, out);
    if (args != HO_OK)
        return args;
    if (holder != from)
        return HO_E_NOT_HOLDER;
    const uint32_t owner = handover_table_owner(b, dev);
    const uint32_t ref = b->platform.pci[dev].standby_ref;
    const uint32_t standby = ref != 0u ? ref - 1u : TRIAD_NONE;
    if (owner == TRIAD_NONE)
        return HO_E_NOT_OWNER;
    /* the pair {owner, declared standby}: the device goes to the member
       that does not hold it, never to a third sandbox */
    if (standby >= b->sandbox_count || !((from == owner && to == standby) || (from == standby && to == owner)))
        return HO_E_NOT_STANDBY;
    return fill(b, dev, owner, from, to, out);
}

const char *handover_result_name(int r)
{
    switch (r) {
    case HO_OK:            return "ok";
    case HO_E_SANDBOX:     return "bad-sandbox";
    case HO_E_DEVICE:      return "no-such-device";
    case HO_E_NOT_OWNER:   return "not-the-owner";
    case HO_E_NOT_STANDBY: return "not-the-declared-standby";
    case HO_E_OVERLAP:     return "bar-overlaps-standby-ram";
    case HO_E_NOT_HOLDER:  return "not-the-holder";
    default:               return "unknown";
    }
}
