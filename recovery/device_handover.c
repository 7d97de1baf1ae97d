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

int handover_plan(const struct triad_table_body *b, uint32_t dev, uint32_t from, uint32_t to,
                  uint32_t standby, struct handover_plan *out)
{
    *out = (struct handover_plan){0};
    if (from >= b->sandbox_count || to >= b->sandbox_count || from == to)
        return HO_E_SANDBOX;
    if (dev >= b->platform.pci_count)
        return HO_E_DEVICE;
    const struct triad_sandbox *f = &b->sandboxes[from], *t = &b->sandboxes[to];
    if (!owns(f, dev))
        return HO_E_NOT_OWNER;
    if (standby == TRIAD_NONE || to != standby)
        return HO_E_NOT_STANDBY;
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
    /* the failed sandbox's port ranges go with its device, its console stays */
    const uint32_t ranges = f->io_range_count <= TRIAD_MAX_IO_RANGES ? f->io_range_count : TRIAD_MAX_IO_RANGES;
    /*@ loop assigns i, out->port_count, out->ports[0 .. TRIAD_MAX_IO_RANGES - 1];
        loop variant TRIAD_MAX_IO_RANGES - i; */
    for (uint32_t i = 0; i < ranges; i++) {
        const struct triad_io_range *r = &f->io_ranges[i];
        if (f->console_port != 0 && r->base == f->console_port)
            continue;
        out->ports[out->port_count++] = *r;
    }
    out->irq = d->irq;
    out->irq_core = lowest_core(t->core_mask);
    return HO_OK;
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
    default:               return "unknown";
    }
}
