/* A sandbox's EPT from the system table (see ept_sandbox.h). */
#include "ept_sandbox.h"
#include <stdbool.h>

/* What the sandbox helpers below share (map_channel_page, map_channels,
   map_devices, map_standby_devices), one small predicate per clause: each
   contract names them as separate labelled requires, so a call site gets
   one goal per clause (session 8's single predicate made them one goal,
   which the provers lost at three calls of slat_build_sandbox):
   the pool initialised and writable, its pages addressable by an entry
   (EPT_POOL_IN_RANGE, as ept_map requires), apart from the header and the
   table, sb one of the table's sandboxes. */
/*@ predicate slat_helper_pool{L}(struct ept_pool *pool) = ept_pool_ok(pool) && \valid(pool);
    predicate slat_helper_in_range{L}(struct ept_pool *pool) =
      pool->phys_base + pool->capacity * EPT_PAGE <= EPT_MAX_HPA;
    predicate slat_helper_apart{L}(struct triad_table_body *t, struct ept_pool *pool) =
      \separated(pool, t, pool->pages + (0 .. pool->capacity - 1));
    predicate slat_helper_sb{L}(struct triad_table_body *t, integer sb) =
      sb < TRIAD_MAX_SANDBOXES && sb < t->sandbox_count;
*/

uint32_t channel_page_perm(const struct triad_channel *c, uint8_t sb, int reader)
{
    uint32_t n = c->reader_count <= TRIAD_MAX_READERS ? c->reader_count : TRIAD_MAX_READERS;
    /* I/O failover's standby writer: everything the writer sees, read-only,
       from boot (the monitor's failover grants the writer area later). */
    const bool shadow = (c->shadow_writer != 0u) && ((uint32_t)c->shadow_writer == ((uint32_t)sb + 1u));
    if (reader < 0) {
        if (c->writer == sb)
            return EPT_READ | EPT_WRITE;
        if (shadow) {
            return EPT_READ;
        }
        /*@ loop invariant 0 <= i <= n;
            loop invariant \forall integer k; 0 <= k < i ==> c->readers[k] != sb;
            loop assigns i;
            loop variant n - i; */
        for (uint32_t i = 0; i < n; i++)
            if (c->readers[i] == sb)
                return EPT_READ;
        return 0;
    }
    if ((uint32_t)reader >= n)
        return 0;
    if (c->readers[reader] == sb)
        return EPT_READ | EPT_WRITE;
    if (shadow) {
        return EPT_READ;    /* the standby writer reads the readers' pages as the writer does */
    }
    return c->writer == sb ? EPT_READ : 0;
}

/* One mapping of sandbox sb's tables whose every leaf the system table
   declares for sb (MAPPING_DECLARED): ept_map, with the sandbox invariant
   kept.  Each mapping of the builder goes through this function so that
   the step (lemma sandbox_slat_step, across ept_map's writes) is proved
   once, with this call alone in the proof's context: in the callers the
   same step, among their other facts, was out of the provers' reach
   (session 8: RAM_OK, LAPIC_OK).  t, sb and xapic are ghost: the code
   maps what it is given. */
/*@ requires SLAT_HELPER_TABLE: \valid_read(t);
    requires SLAT_HELPER_POOL: slat_helper_pool(pool);
    requires EPT_POOL_IN_RANGE: slat_helper_in_range(pool);
    requires SLAT_HELPER_APART: slat_helper_apart(t, pool);
    requires SLAT_HELPER_MAPPING: \valid_read(m) && \separated(pool, m, pool->pages + (0 .. pool->capacity - 1));
    requires SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format);
    requires MAPPING_DECLARED: \forall integer e; slat_leaf(pool->format, m->hpa, m->size, m->perm, m->memtype, e) ==>
               sandbox_leaf_ok(*t, t, sb, pool->format, xapic, e);
    assigns pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures pool->pages == \old(pool->pages) && pool->phys_base == \old(pool->phys_base) &&
            pool->capacity == \old(pool->capacity) && pool->format == \old(pool->format);
    ensures pool->used <= pool->capacity;
    ensures SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format); */
static int map_declared(struct ept_pool *pool, const struct ept_mapping *m)
    /*@ ghost (const struct triad_table_body *t, uint32_t sb, int xapic) */
{
    return ept_map(pool, m);
}

/* Channel i's page for sandbox sb: its writer area (reader < 0) or
   reader's control page, with the access channel_page_perm gives (none:
   not mapped). */
/*@ requires SLAT_HELPER_TABLE: \valid_read(t);
    requires SLAT_HELPER_POOL: slat_helper_pool(pool);
    requires EPT_POOL_IN_RANGE: slat_helper_in_range(pool);
    requires SLAT_HELPER_APART: slat_helper_apart(t, pool);
    requires SLAT_HELPER_SB: slat_helper_sb(t, sb);
    requires i < TRIAD_MAX_CHANNELS && i < t->channel_count;
    requires -1 <= reader < (int)TRIAD_MAX_READERS;
    requires CHANNEL_AREA_BOUNDED: channel_area_bounded(*t);
    requires SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format);
    assigns pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures pool->pages == \old(pool->pages) && pool->phys_base == \old(pool->phys_base) &&
            pool->capacity == \old(pool->capacity) && pool->format == \old(pool->format);
    ensures pool->used <= pool->capacity;
    ensures SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format); */
static int map_channel_page(struct ept_pool *pool, const struct triad_table_body *t, uint8_t sb,
                            uint32_t i, int reader) /*@ ghost (int xapic) */
{
    const struct triad_channel *c = &t->channels[i];
    const uint32_t perm = channel_page_perm(c, sb, reader);
    if (perm == 0u) {
        return EPT_OK;
    }
    const uint32_t offset = (reader < 0) ? c->writer_offset : c->reader_ctl_offset[reader];
    const uint32_t size = (reader < 0) ? c->writer_size : c->reader_ctl_size;
    const struct triad_channel_area *area = &t->channel_area;
    if (((uint64_t)offset + size) > area->size) {
        return EPT_ERR_RANGE;
    }
    struct ept_mapping m = {
        .gpa = area->window_gpa + offset, .hpa = area->host_base + offset,
        .size = size, .perm = perm, .memtype = EPT_MT_WB,
    };
    /* The mapping's leaves are declared (map_declared's precondition): the
       witness as the code read it, in memory, then the lemma
       channel_writer_leaf or channel_reader_leaf carries it to the table's
       value, where sandbox_leaf_ok reads it. */
    /*@ assert CHANNEL_WITNESS: \forall integer e; slat_leaf(pool->format, m.hpa, m.size, m.perm, m.memtype, e) ==>
                   0 <= i < (*t).channel_count && i < TRIAD_MAX_CHANNELS && perm != 0 &&
                   (reader < 0 ==> channel_perm_is(&t->channels[i], sb, -1, perm) &&
                      slat_leaf(pool->format, (*t).channel_area.host_base + (*t).channels[i].writer_offset,
                                (*t).channels[i].writer_size, perm, EPT_MT_WB, e)) &&
                   (reader >= 0 ==> reader < TRIAD_MAX_READERS && channel_perm_is(&t->channels[i], sb, reader, perm) &&
                      slat_leaf(pool->format, (*t).channel_area.host_base + (*t).channels[i].reader_ctl_offset[reader],
                                (*t).channels[i].reader_ctl_size, perm, EPT_MT_WB, e)); */
    /*@ assert CHANNEL_DECLARED: \forall integer e; slat_leaf(pool->format, m.hpa, m.size, m.perm, m.memtype, e) ==>
                   sandbox_leaf_ok(*t, t, sb, pool->format, xapic, e); */
    return map_declared(pool, &m) /*@ ghost (t, sb, xapic) */;
}

/*@ requires SLAT_HELPER_TABLE: \valid_read(t);
    requires SLAT_HELPER_POOL: slat_helper_pool(pool);
    requires EPT_POOL_IN_RANGE: slat_helper_in_range(pool);
    requires SLAT_HELPER_APART: slat_helper_apart(t, pool);
    requires SLAT_HELPER_SB: slat_helper_sb(t, sb);
    requires CHANNEL_AREA_BOUNDED: channel_area_bounded(*t);
    requires SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format);
    assigns pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures pool->pages == \old(pool->pages) && pool->phys_base == \old(pool->phys_base) &&
            pool->capacity == \old(pool->capacity) && pool->format == \old(pool->format);
    ensures pool->used <= pool->capacity;
    ensures SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format); */
static int map_channels(struct ept_pool *pool, const struct triad_table_body *t, uint8_t sb)
    /*@ ghost (int xapic) */
{
    uint32_t n = t->channel_count <= TRIAD_MAX_CHANNELS ? t->channel_count : TRIAD_MAX_CHANNELS;
    /*@ loop invariant 0 <= i <= n;
        loop invariant POOL: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                             pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre);
        loop invariant pool->used <= pool->capacity;
        loop invariant SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base,
                                                        pool->capacity, pool->format);
        loop assigns i, pool->used, pool->pages[0 .. pool->capacity - 1];
        loop variant n - i; */
    for (uint32_t i = 0; i < n; i++) {
        const struct triad_channel *c = &t->channels[i];
        int err = map_channel_page(pool, t, sb, i, -1) /*@ ghost (xapic) */;
        if (err != EPT_OK)
            return err;
        /*@ loop invariant 0 <= r <= TRIAD_MAX_READERS;
            loop invariant POOL: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                                 pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre);
            loop invariant pool->used <= pool->capacity;
            loop invariant SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base,
                                                            pool->capacity, pool->format);
            loop assigns r, err, pool->used,
                         pool->pages[0 .. pool->capacity - 1];
            loop variant TRIAD_MAX_READERS - r; */
        for (int r = 0; r < (int)TRIAD_MAX_READERS && r < c->reader_count; r++) {
            err = map_channel_page(pool, t, sb, i, r) /*@ ghost (xapic) */;
            if (err != EPT_OK)
                return err;
        }
    }
    return EPT_OK;
}

/*@ requires SLAT_HELPER_TABLE: \valid_read(t);
    requires SLAT_HELPER_POOL: slat_helper_pool(pool);
    requires EPT_POOL_IN_RANGE: slat_helper_in_range(pool);
    requires SLAT_HELPER_APART: slat_helper_apart(t, pool);
    requires SLAT_HELPER_SB: slat_helper_sb(t, sb);
    requires SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format);
    assigns pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures pool->pages == \old(pool->pages) && pool->phys_base == \old(pool->phys_base) &&
            pool->capacity == \old(pool->capacity) && pool->format == \old(pool->format);
    ensures pool->used <= pool->capacity;
    ensures SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format); */
static int map_devices(struct ept_pool *pool, const struct triad_table_body *t, uint32_t sb)
    /*@ ghost (int xapic) */
{
    const struct triad_sandbox *s = &t->sandboxes[sb];
    /*@ loop invariant 0 <= d <= TRIAD_MAX_SANDBOX_DEVICES;
        loop invariant POOL: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                             pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre);
        loop invariant pool->used <= pool->capacity;
        loop invariant SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base,
                                                        pool->capacity, pool->format);
        loop assigns d, pool->used, pool->pages[0 .. pool->capacity - 1];
        loop variant TRIAD_MAX_SANDBOX_DEVICES - d; */
    for (uint32_t d = 0; d < s->device_count && d < TRIAD_MAX_SANDBOX_DEVICES; d++) {
        uint8_t idx = s->devices[d];
        if (idx >= t->platform.pci_count || idx >= TRIAD_MAX_PCI_DEVICES)
            return EPT_ERR_RANGE;
        const struct triad_pci_device *p = &t->platform.pci[idx];
        /*@ loop invariant 0 <= b <= TRIAD_MAX_BARS;
            loop invariant POOL: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                             pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre);
        loop invariant pool->used <= pool->capacity;
        loop invariant SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base,
                                                        pool->capacity, pool->format);
        loop assigns b, pool->used, pool->pages[0 .. pool->capacity - 1];
            loop variant TRIAD_MAX_BARS - b; */
        for (uint32_t b = 0; b < p->bar_count && b < TRIAD_MAX_BARS; b++) {
            /* Device registers are identity-mapped (drivers use the BAR
               addresses they read from configuration space), uncached. */
            struct ept_mapping m = {
                .gpa = p->bars[b].base, .hpa = p->bars[b].base, .size = p->bars[b].size,
                .perm = EPT_READ | EPT_WRITE, .memtype = EPT_MT_UC,
            };
            /* The BAR as the code read it, then declared (lemma device_leaf). */
            /*@ assert BAR_WITNESS: \forall integer e; slat_leaf(pool->format, m.hpa, m.size, m.perm, m.memtype, e) ==>
                           device_bar_of(t, sb, d, idx, b) &&
                           slat_leaf(pool->format, t->platform.pci[idx].bars[b].base, t->platform.pci[idx].bars[b].size,
                                     EPT_READ | EPT_WRITE, EPT_MT_UC, e); */
            /*@ assert BAR_DECLARED: \forall integer e; slat_leaf(pool->format, m.hpa, m.size, m.perm, m.memtype, e) ==>
                           sandbox_leaf_ok(*t, t, sb, pool->format, xapic, e); */
            int err = map_declared(pool, &m) /*@ ghost (t, sb, xapic) */;
            if (err != EPT_OK)
                return err;
        }
    }
    return EPT_OK;
}

/* Remote driver recovery: a device's declared standby gets the BARs in
   its tables at boot with every access revoked (an access faults like any
   unmapped page), so the hand-over only rewrites leaf permissions and
   allocates nothing at run time (monitor/handover.c). */
/*@ requires SLAT_HELPER_TABLE: \valid_read(t);
    requires SLAT_HELPER_POOL: slat_helper_pool(pool);
    requires EPT_POOL_IN_RANGE: slat_helper_in_range(pool);
    requires SLAT_HELPER_APART: slat_helper_apart(t, pool);
    requires SLAT_HELPER_SB: slat_helper_sb(t, sb);
    requires SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format);
    assigns pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures pool->pages == \old(pool->pages) && pool->phys_base == \old(pool->phys_base) &&
            pool->capacity == \old(pool->capacity) && pool->format == \old(pool->format);
    ensures pool->used <= pool->capacity;
    ensures SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base, pool->capacity, pool->format); */
static int map_standby_devices(struct ept_pool *pool, const struct triad_table_body *t, uint32_t sb)
    /*@ ghost (int xapic) */
{
    /*@ loop invariant 0 <= i <= TRIAD_MAX_PCI_DEVICES;
        loop invariant POOL: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                             pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre);
        loop invariant pool->used <= pool->capacity;
        loop invariant SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base,
                                                        pool->capacity, pool->format);
        loop assigns i, pool->used, pool->pages[0 .. pool->capacity - 1];
        loop variant TRIAD_MAX_PCI_DEVICES - i; */
    for (uint32_t i = 0; (i < t->platform.pci_count) && (i < TRIAD_MAX_PCI_DEVICES); i++) {
        const struct triad_pci_device *p = &t->platform.pci[i];
        if (p->standby_ref != (sb + 1u)) {
            continue;
        }
        /*@ loop invariant 0 <= b <= TRIAD_MAX_BARS;
            loop invariant POOL: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                             pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre);
        loop invariant pool->used <= pool->capacity;
        loop invariant SANDBOX_SLAT_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, xapic, pool->pages, pool->phys_base,
                                                        pool->capacity, pool->format);
        loop assigns b, pool->used, pool->pages[0 .. pool->capacity - 1];
            loop variant TRIAD_MAX_BARS - b; */
        for (uint32_t b = 0; (b < p->bar_count) && (b < TRIAD_MAX_BARS); b++) {
            struct ept_mapping m = {
                .gpa = p->bars[b].base, .hpa = p->bars[b].base, .size = p->bars[b].size,
                .perm = EPT_READ | EPT_WRITE, .memtype = EPT_MT_UC,
            };
            /* The BAR as the code read it, then declared (lemma standby_leaf). */
            /*@ assert STANDBY_WITNESS: \forall integer e; slat_leaf(pool->format, m.hpa, m.size, m.perm, m.memtype, e) ==>
                           standby_bar_of(t, sb, i, b) &&
                           slat_leaf(pool->format, t->platform.pci[i].bars[b].base, t->platform.pci[i].bars[b].size,
                                     EPT_READ | EPT_WRITE, EPT_MT_UC, e); */
            /*@ assert STANDBY_DECLARED: \forall integer e; slat_leaf(pool->format, m.hpa, m.size, m.perm, m.memtype, e) ==>
                           sandbox_leaf_ok(*t, t, sb, pool->format, xapic, e); */
            int err = map_declared(pool, &m) /*@ ghost (t, sb, xapic) */;
            if (err == EPT_OK)
                err = ept_set_perm(pool, m.gpa, m.size, 0);
            if (err != EPT_OK)
                return err;
        }
    }
    return EPT_OK;
}

int ept_build_sandbox(const struct triad_table_body *t, uint32_t sb, struct ept_pool *pool,
                      ept_table *pages, uint64_t phys_base, uint32_t capacity, int map_xapic)
{
    return slat_build_sandbox(t, sb, pool, pages, phys_base, capacity, map_xapic, SLAT_FORMAT_EPT);
}

int slat_build_sandbox(const struct triad_table_body *t, uint32_t sb, struct ept_pool *pool,
                       ept_table *pages, uint64_t phys_base, uint32_t capacity, int map_xapic,
                       uint32_t format)
{
    int err = ept_init(pool, pages, phys_base, capacity);
    if (err != (int)EPT_OK) {
        return err;
    }
    pool->format = format == SLAT_FORMAT_NPT ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT;
    /* Every page empty (ept_init): every entry grants nothing yet. */
    /*@ assert EMPTY_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pool->pages, pool->phys_base, pool->capacity,
                                         pool->format); */
    /* SLAT_BUILD_PRE's separation, now that ept_init showed pages given:
       stated once, it is at hand for each call's frame below. */
    /*@ assert POOL_APART: \separated(pool, t, pages + (0 .. capacity - 1)); */
    if (sb >= t->sandbox_count || sb >= TRIAD_MAX_SANDBOXES)
        return EPT_ERR_RANGE;
    const struct triad_sandbox *s = &t->sandboxes[sb];
    if (s->mem_size > TRIAD_MAX_SANDBOX_RAM)
        return EPT_ERR_RANGE;
    struct ept_mapping ram = {
        .gpa = 0, .hpa = s->mem_base, .size = s->mem_size,
        .perm = EPT_RWX, .memtype = EPT_MT_WB,
    };
    /* After each step the pool is the one given and the invariant holds
       (whatever the step returned: a failed ept_map keeps it too); one
       assertion per step keeps each proof obligation to one call. */
    /* The pool as ept_init left it, unfolded once here for the helpers'
       SLAT_HELPER_POOL at each call below. */
    /*@ assert POOL_READY: ept_pool_ok(pool) && \valid(pool); */
    /* The RAM's leaves are declared (lemma ram_leaf): map_declared's
       precondition. */
    /*@ assert RAM_DECLARED: \forall integer e; slat_leaf(pool->format, ram.hpa, ram.size, ram.perm, ram.memtype, e) ==>
                   sandbox_leaf_ok(*t, t, sb, pool->format, map_xapic, e); */
    err = map_declared(pool, &ram) /*@ ghost (t, sb, map_xapic) */;
    /*@ assert RAM_POOL: pool->pages == pages && pool->phys_base == phys_base && pool->capacity == capacity &&
                 pool->format == (format == SLAT_FORMAT_NPT ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT); */
    /*@ assert RAM_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pages, phys_base, capacity, pool->format); */
    if (err == EPT_OK)
        err = map_channels(pool, t, (uint8_t)sb) /*@ ghost (map_xapic) */;
    /*@ assert CHANNELS_POOL: pool->pages == pages && pool->phys_base == phys_base && pool->capacity == capacity &&
                 pool->format == (format == SLAT_FORMAT_NPT ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT); */
    /*@ assert CHANNELS_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pages, phys_base, capacity, pool->format); */
    if (err == EPT_OK && map_xapic) {
        /* The sandbox's own LAPIC (each core sees its own at this address):
           passed through so timer interrupts and EOIs cost no exit.  Only
           on a processor without x2APIC: through this page a sandbox could
           send any IPI to any core (docs/monitor.md). */
        struct ept_mapping lapic = {
            .gpa = LAPIC_MMIO_BASE, .hpa = LAPIC_MMIO_BASE, .size = EPT_PAGE,
            .perm = EPT_READ | EPT_WRITE, .memtype = EPT_MT_UC,
        };
        /*@ assert LAPIC_DECLARED: \forall integer e;
                       slat_leaf(pool->format, lapic.hpa, lapic.size, lapic.perm, lapic.memtype, e) ==>
                       sandbox_leaf_ok(*t, t, sb, pool->format, map_xapic, e); */
        err = map_declared(pool, &lapic) /*@ ghost (t, sb, map_xapic) */;
    }
    /*@ assert LAPIC_POOL: pool->pages == pages && pool->phys_base == phys_base && pool->capacity == capacity &&
                 pool->format == (format == SLAT_FORMAT_NPT ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT); */
    /*@ assert LAPIC_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pages, phys_base, capacity, pool->format); */
    if (err == (int)EPT_OK) {
        err = map_devices(pool, t, sb) /*@ ghost (map_xapic) */;
    }
    /*@ assert DEVICES_POOL: pool->pages == pages && pool->phys_base == phys_base && pool->capacity == capacity &&
                 pool->format == (format == SLAT_FORMAT_NPT ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT); */
    /*@ assert DEVICES_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pages, phys_base, capacity, pool->format); */
    if (err == (int)EPT_OK) {
        err = map_standby_devices(pool, t, sb) /*@ ghost (map_xapic) */;
    }
    /*@ assert STANDBY_POOL: pool->pages == pages && pool->phys_base == phys_base && pool->capacity == capacity &&
                 pool->format == (format == SLAT_FORMAT_NPT ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT); */
    /*@ assert STANDBY_OK: sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pages, phys_base, capacity, pool->format); */
    return err;
}
