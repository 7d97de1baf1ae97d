/* EPT construction: build into a buffer, then walk the tables the way the
   processor does and check every leaf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vmx/ept.h"
#include "vmx/ept_sandbox.h"

#define POOL_PAGES 64u
#define FAKE_PHYS  0x40000000ull   /* where the pool "is" in physical memory */
#define MiB        0x100000ull

static ept_table pool_pages[POOL_PAGES] __attribute__((aligned(4096)));

struct leaf { uint64_t gpa, hpa, size; uint32_t perm, memtype; uint64_t raw; };
#define MAX_LEAVES 20000u
static struct leaf leaves[MAX_LEAVES];
static unsigned leaf_count;

static ept_table *table_at(const struct ept_pool *p, uint64_t entry)
{
    uint64_t phys = entry & EPT_ADDR_MASK;
    assert_true(phys >= p->phys_base);
    uint64_t idx = (phys - p->phys_base) / 4096;
    assert_true(idx < p->used);
    /* Non-leaf entries grant everything; the leaf decides. */
    assert_int_equal(entry & 7, 7);
    return &p->pages[idx];
}

static void add_leaf(uint64_t gpa, uint64_t entry, uint64_t size)
{
    assert_true(leaf_count < MAX_LEAVES);
    leaves[leaf_count++] = (struct leaf){
        gpa, entry & EPT_ADDR_MASK & ~(size - 1), size, (uint32_t)(entry & 7), (uint32_t)((entry >> 3) & 7), entry };
}

/* Walk every present entry of the pool's tables (as the processor would). */
static void walk(const struct ept_pool *p)
{
    leaf_count = 0;
    for (unsigned i4 = 0; i4 < 512; i4++) {
        uint64_t e4 = p->pages[0].e[i4];
        if (!e4) continue;
        assert_false(e4 & EPT_LARGE);
        ept_table *pdpt = table_at(p, e4);
        for (unsigned i3 = 0; i3 < 512; i3++) {
            uint64_t e3 = pdpt->e[i3];
            if (!e3) continue;
            assert_false(e3 & EPT_LARGE);   /* we never build 1 GiB pages */
            ept_table *pd = table_at(p, e3);
            for (unsigned i2 = 0; i2 < 512; i2++) {
                uint64_t e2 = pd->e[i2];
                uint64_t gpa2 = ((uint64_t)i4 << 39) | ((uint64_t)i3 << 30) | ((uint64_t)i2 << 21);
                if (!e2) continue;
                if (e2 & EPT_LARGE) {
                    assert_int_equal(e2 & 0x1FF000, 0);   /* 2 MiB aligned target */
                    add_leaf(gpa2, e2, EPT_LARGE_PAGE);
                    continue;
                }
                ept_table *pt = table_at(p, e2);
                for (unsigned i1 = 0; i1 < 512; i1++) {
                    uint64_t e1 = pt->e[i1];
                    if (e1) add_leaf(gpa2 | ((uint64_t)i1 << 12), e1, EPT_PAGE);
                }
            }
        }
    }
}

/* Access a sandbox has at gpa (0 = unmapped); hpa where it lands. */
static uint32_t access_at(uint64_t gpa, uint64_t *hpa)
{
    for (unsigned i = 0; i < leaf_count; i++)
        if (gpa >= leaves[i].gpa && gpa - leaves[i].gpa < leaves[i].size) {
            if (hpa) *hpa = leaves[i].hpa + (gpa - leaves[i].gpa);
            return leaves[i].perm;
        }
    return 0;
}

static unsigned count_leaves(uint64_t size)
{
    unsigned n = 0;
    for (unsigned i = 0; i < leaf_count; i++) n += leaves[i].size == size;
    return n;
}

static struct ept_pool pool;

static int setup(void **state)
{
    (void)state;
    memset(pool_pages, 0xAB, sizeof pool_pages);  /* garbage: init must clear what it uses */
    assert_int_equal(ept_init(&pool, pool_pages, FAKE_PHYS, POOL_PAGES), EPT_OK);
    return 0;
}

/* REQ: MON-EPTMAP-001 */
static void aligned_region_uses_2mib_pages(void **state)
{
    (void)state;
    struct ept_mapping m = { 0, 32 * MiB, 8 * MiB, EPT_RWX, EPT_MT_WB };
    assert_int_equal(ept_map(&pool, &m), EPT_OK);
    walk(&pool);
    assert_int_equal(leaf_count, 4);
    assert_int_equal(count_leaves(EPT_LARGE_PAGE), 4);
    for (uint64_t g = 0; g < 8 * MiB; g += 4096) {
        uint64_t h = 0;
        assert_int_equal(access_at(g, &h), EPT_RWX);
        assert_int_equal(h, 32 * MiB + g);
    }
    assert_int_equal(access_at(8 * MiB, NULL), 0);
    assert_int_equal(leaves[0].memtype, EPT_MT_WB);
    assert_int_equal(pool.used, 3);   /* PML4, PDPT, one PD */
    assert_int_equal(ept_pointer(&pool), FAKE_PHYS | 0x1E);
}

/* REQ: MON-EPTMAP-001 */
static void unaligned_edges_use_4kib_pages(void **state)
{
    (void)state;
    /* 4 KiB below a 2 MiB boundary, one full 2 MiB page, 8 KiB after it. */
    struct ept_mapping m = { 0x1FF000, 0x41FF000, 0x1000 + 0x200000 + 0x2000, EPT_READ | EPT_WRITE, EPT_MT_UC };
    assert_int_equal(ept_map(&pool, &m), EPT_OK);
    walk(&pool);
    assert_int_equal(count_leaves(EPT_LARGE_PAGE), 1);
    assert_int_equal(count_leaves(EPT_PAGE), 3);
    uint64_t h;
    assert_int_equal(access_at(0x1FF000, &h), EPT_READ | EPT_WRITE);
    assert_int_equal(h, 0x41FF000);
    assert_int_equal(access_at(0x200000 + 0x1234, &h), EPT_READ | EPT_WRITE);
    assert_int_equal(h, 0x4200000 + 0x1234);
    assert_int_equal(access_at(0x401000, &h), EPT_READ | EPT_WRITE);
    assert_int_equal(h, 0x4401000);
    assert_int_equal(access_at(0x1FE000, NULL), 0);
    assert_int_equal(access_at(0x402000, NULL), 0);
    assert_int_equal(leaves[0].memtype, EPT_MT_UC);
}

/* REQ: MON-EPTMAP-001, MON-EPTMAP-002 */
static void misaligned_host_forces_4kib(void **state)
{
    (void)state;
    /* Guest 2 MiB aligned but host only 4 KiB aligned: no large page is possible. */
    struct ept_mapping m = { 0x200000, 0x201000, 0x400000, EPT_READ, EPT_MT_WB };
    assert_int_equal(ept_map(&pool, &m), EPT_OK);
    walk(&pool);
    assert_int_equal(count_leaves(EPT_LARGE_PAGE), 0);
    assert_int_equal(count_leaves(EPT_PAGE), 1024);
    uint64_t h;
    assert_int_equal(access_at(0x5FF000, &h), EPT_READ);
    assert_int_equal(h, 0x600000);
}

/* REQ: MON-EPTMAP-002, MON-EPT-003 */
static void bad_inputs_are_refused(void **state)
{
    (void)state;
    struct ept_mapping bad[] = {
        { 0x800, 0, 0x1000, EPT_RWX, EPT_MT_WB },            /* gpa unaligned */
        { 0, 0x10, 0x1000, EPT_RWX, EPT_MT_WB },             /* hpa unaligned */
        { 0, 0, 0x1800, EPT_RWX, EPT_MT_WB },                /* size unaligned */
        { 0, 0, 0, EPT_RWX, EPT_MT_WB },                     /* empty */
        { 0, 0, 0x1000, EPT_WRITE, EPT_MT_WB },              /* write-only: misconfiguration */
        { 0, 0, 0x1000, EPT_EXEC, EPT_MT_WB },               /* execute-only: not offered */
        { 0, 0, 0x1000, 0, EPT_MT_WB },                      /* no access: do not map at all */
        { 0, 0, 0x1000, 0x9, EPT_MT_WB },                    /* stray bits */
        { 0, 0, 0x1000, EPT_RWX, 5 },                        /* memory type 5 is reserved */
        { EPT_MAX_GPA - 0x1000, 0, 0x2000, EPT_RWX, EPT_MT_WB },  /* crosses the guest limit */
        { 0xFFFFFFFFFFFFF000ull, 0, 0x2000, EPT_RWX, EPT_MT_WB }, /* wraps */
        { 0, EPT_MAX_HPA, 0x1000, EPT_RWX, EPT_MT_WB },      /* host beyond the physical width */
    };
    int want[] = { EPT_ERR_ALIGN, EPT_ERR_ALIGN, EPT_ERR_ALIGN, EPT_ERR_ALIGN, EPT_ERR_PERM,
                   EPT_ERR_PERM, EPT_ERR_PERM, EPT_ERR_PERM, EPT_ERR_MEMTYPE, EPT_ERR_RANGE,
                   EPT_ERR_RANGE, EPT_ERR_RANGE };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(ept_map(&pool, &bad[i]), want[i]);
    walk(&pool);
    assert_int_equal(leaf_count, 0);        /* nothing mapped by a refused request */
    assert_int_equal(pool.used, 1);
    struct ept_pool p2;
    assert_int_equal(ept_init(&p2, pool_pages, FAKE_PHYS + 8, 4), EPT_ERR_NOMEM);
    assert_int_equal(ept_init(&p2, pool_pages, FAKE_PHYS, 0), EPT_ERR_NOMEM);
    assert_int_equal(ept_init(&p2, 0, FAKE_PHYS, 4), EPT_ERR_NOMEM);          /* no pages */
    /* a pool whose tables an entry's address field could not hold */
    assert_int_equal(ept_init(&p2, pool_pages, EPT_MAX_HPA, 1), EPT_ERR_NOMEM);
    assert_int_equal(ept_init(&p2, pool_pages, EPT_MAX_HPA - EPT_PAGE, 2), EPT_ERR_NOMEM);
    assert_int_equal(ept_init(&p2, pool_pages, EPT_MAX_HPA - EPT_PAGE, 1), EPT_OK);   /* the last page fits */
    assert_string_equal(ept_strerror(EPT_ERR_OVERLAP), "guest page mapped twice");
}

/* REQ: MON-EPTMAP-002 */
static void overlap_is_refused(void **state)
{
    (void)state;
    struct ept_mapping a = { 0, 0x10000000, 4 * MiB, EPT_RWX, EPT_MT_WB };
    struct ept_mapping b = { 2 * MiB + 0x3000, 0x20000000, 0x1000, EPT_READ, EPT_MT_WB };  /* inside a large page */
    struct ept_mapping c = { 8 * MiB, 0x30000000, 0x1000, EPT_READ, EPT_MT_WB };
    struct ept_mapping d = { 7 * MiB, 0x30200000, 2 * MiB, EPT_READ, EPT_MT_WB };  /* covers c's page */
    struct ept_mapping e = { 0, 0x30000000, 2 * MiB, EPT_READ, EPT_MT_WB };        /* same large page */
    assert_int_equal(ept_map(&pool, &a), EPT_OK);
    assert_int_equal(ept_map(&pool, &b), EPT_ERR_OVERLAP);
    assert_int_equal(ept_map(&pool, &c), EPT_OK);
    assert_int_equal(ept_map(&pool, &d), EPT_ERR_OVERLAP);
    assert_int_equal(ept_map(&pool, &e), EPT_ERR_OVERLAP);
    walk(&pool);
    uint64_t h;
    assert_int_equal(access_at(2 * MiB + 0x3000, &h), EPT_RWX);   /* a's permission survives */
    assert_int_equal(h, 0x10203000);
    assert_int_equal(access_at(8 * MiB, &h), EPT_READ);
    assert_int_equal(h, 0x30000000);
}

/* REQ: MON-EPT-004 */
static void pool_exhaustion_is_refused(void **state)
{
    (void)state;
    struct ept_pool small;
    assert_int_equal(ept_init(&small, pool_pages, FAKE_PHYS, 3), EPT_OK);
    struct ept_mapping m = { 0, 0, 0x1000, EPT_READ, EPT_MT_WB };  /* needs PDPT, PD and PT */
    assert_int_equal(ept_map(&small, &m), EPT_ERR_NOMEM);
    assert_true(small.used <= small.capacity);
    struct ept_mapping big = { 0, 0, 2 * MiB, EPT_READ, EPT_MT_WB };  /* no PT needed */
    assert_int_equal(ept_map(&small, &big), EPT_OK);
}

/* ---- a sandbox's EPT from a system table ---- */
static struct triad_table_body table;

static void make_table(void)
{
    memset(&table, 0, sizeof table);
    table.sandbox_count = 3;
    for (unsigned i = 0; i < 3; i++) {
        table.sandboxes[i].mem_base = (32 + 32 * i) * MiB;
        table.sandboxes[i].mem_size = 32 * MiB;
        table.sandboxes[i].index = (uint8_t)i;
    }
    table.channel_area = (struct triad_channel_area){ 128 * MiB, 2 * MiB, TRIAD_CHANNEL_WINDOW_GPA };
    table.channel_count = 1;
    struct triad_channel *c = &table.channels[0];
    c->writer = 0;
    c->reader_count = 2;
    c->readers[0] = 1;
    c->readers[1] = 2;
    c->writer_offset = 0;
    c->writer_size = 0x2000;
    c->reader_ctl_offset[0] = 0x2000;
    c->reader_ctl_offset[1] = 0x3000;
    c->reader_ctl_size = 0x1000;
    /* sandbox 2 also owns a device with one 16 KiB BAR */
    table.platform.pci_count = 1;
    table.platform.pci[0].bar_count = 1;
    table.platform.pci[0].bars[0] = (struct triad_bar){ 0xFEB00000ull, 0x4000 };
    table.sandboxes[2].device_count = 1;
    table.sandboxes[2].devices[0] = 0;
}

/* Everything a sandbox maps must be its RAM, a channel page, its LAPIC or its BAR. */
static void check_only_own(unsigned sb)
{
    const struct triad_sandbox *s = &table.sandboxes[sb];
    for (unsigned i = 0; i < leaf_count; i++) {
        const struct leaf *l = &leaves[i];
        int own_ram = l->hpa >= s->mem_base && l->hpa + l->size <= s->mem_base + s->mem_size &&
                      l->gpa == l->hpa - s->mem_base;
        int channel = l->hpa >= 128 * MiB && l->hpa + l->size <= 128 * MiB + 0x4000 &&
                      l->gpa == TRIAD_CHANNEL_WINDOW_GPA + (l->hpa - 128 * MiB) && !(l->perm & EPT_EXEC);
        int lapic = l->gpa == LAPIC_MMIO_BASE && l->hpa == LAPIC_MMIO_BASE && l->size == EPT_PAGE &&
                    l->memtype == EPT_MT_UC;
        int bar = sb == 2 && l->gpa == l->hpa && l->hpa >= 0xFEB00000ull && l->hpa < 0xFEB04000ull &&
                  l->memtype == EPT_MT_UC;
        assert_true(own_ram || channel || lapic || bar);
        /* never another sandbox's RAM, never the monitor's [0, 32 MiB) */
        for (unsigned o = 0; o < 3; o++)
            if (o != sb)
                assert_false(l->hpa < table.sandboxes[o].mem_base + table.sandboxes[o].mem_size &&
                             l->hpa + l->size > table.sandboxes[o].mem_base);
        assert_false(l->hpa < 32 * MiB);
    }
}

/* Remote driver recovery: a device's declared standby gets its BARs at boot
   with every access revoked; the hand-over rewrites only leaf permissions
   (ept_set_perm), in EPT and NPT format, and refuses what was never mapped.
   REQ: REC-DRV-002 */
static void standby_bar_revoked_then_granted(void **state)
{
    (void)state;
    make_table();
    table.platform.pci[0].standby_ref = 2;    /* sandbox 1 stands by for sandbox 2's device */
    const uint64_t bar = 0xFEB00000ull;
    assert_int_equal(ept_build_sandbox(&table, 1, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_OK);
    walk(&pool);
    uint64_t h = 0;
    assert_int_equal(access_at(bar, &h), 0);             /* prepared, no access */
    assert_int_equal(h, bar);                             /* ... but the leaf is there, identity */
    const unsigned used = pool.used;
    assert_int_equal(ept_set_perm(&pool, bar, 0x4000, EPT_READ | EPT_WRITE), EPT_OK);
    assert_int_equal(pool.used, used);                    /* nothing allocated at run time */
    walk(&pool);
    for (uint64_t g = bar; g < bar + 0x4000; g += EPT_PAGE)
        assert_int_equal(access_at(g, NULL), EPT_READ | EPT_WRITE);
    assert_int_equal(access_at(bar + 0x4000, NULL), 0);
    for (unsigned i = 0; i < leaf_count; i++)
        if (leaves[i].gpa == bar)
            assert_int_equal(leaves[i].memtype, EPT_MT_UC);
    /* bad input: never mapped, write without read, misaligned, part of a 2 MiB leaf */
    assert_int_equal(ept_set_perm(&pool, 0xFEC00000ull, 0x1000, EPT_READ), EPT_ERR_RANGE);
    assert_int_equal(ept_set_perm(&pool, 0xA0000000ull, 0x1000, EPT_READ), EPT_ERR_RANGE);
    assert_int_equal(ept_set_perm(&pool, bar, 0x1000, EPT_WRITE), EPT_ERR_PERM);
    assert_int_equal(ept_set_perm(&pool, bar + 1, 0x1000, 0), EPT_ERR_ALIGN);
    assert_int_equal(ept_set_perm(&pool, bar, 0x1800, 0), EPT_ERR_ALIGN);   /* size not a page multiple */
    assert_int_equal(ept_set_perm(&pool, bar, 0x1000, 9), EPT_ERR_PERM);    /* read and a bit no permission has */
    assert_int_equal(ept_set_perm(&pool, 0, 0x1000, 0), EPT_ERR_ALIGN);
    assert_int_equal(ept_set_perm(&pool, bar, 0, 0), EPT_ERR_ALIGN);
    /* the owner's table: revoked in place */
    assert_int_equal(ept_build_sandbox(&table, 2, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_OK);
    assert_int_equal(ept_set_perm(&pool, bar, 0x4000, 0), EPT_OK);
    walk(&pool);
    assert_int_equal(access_at(bar, NULL), 0);
    /* a sandbox that is neither owner nor standby has no BAR leaf at all */
    assert_int_equal(ept_build_sandbox(&table, 0, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_OK);
    assert_int_equal(ept_set_perm(&pool, bar, 0x4000, EPT_READ), EPT_ERR_RANGE);
    /* NPT: revoked = not present (address kept), granted = present + write */
    assert_int_equal(slat_build_sandbox(&table, 1, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1, SLAT_FORMAT_NPT), EPT_OK);
    assert_int_equal(ept_set_perm(&pool, bar, 0x4000, EPT_READ | EPT_WRITE), EPT_OK);
    assert_int_equal(ept_set_perm(&pool, bar, 0x1000, 0), EPT_OK);
    unsigned seen = 0;
    for (unsigned p = 1; p < pool.used; p++)
        for (unsigned i = 0; i < EPT_ENTRIES; i++) {
            const uint64_t e = pool.pages[p].e[i];
            if ((e & EPT_ADDR_MASK) == bar && !(e & NPT_LARGE)) {
                assert_false(e & NPT_PRESENT);
                seen++;
            }
            if ((e & EPT_ADDR_MASK) == bar + 0x1000 && !(e & NPT_LARGE)) {
                assert_true((e & (NPT_PRESENT | NPT_WRITE)) == (NPT_PRESENT | NPT_WRITE));
                seen++;
            }
        }
    assert_int_equal(seen, 2);
}

/* REQ: MON-EPTMAP-001, MON-EPT-001, MON-EPT-002 */
static void sandbox_ept_maps_own_region_and_channels_one_way(void **state)
{
    (void)state;
    make_table();
    const uint64_t w = TRIAD_CHANNEL_WINDOW_GPA;
    for (unsigned sb = 0; sb < 3; sb++) {
        assert_int_equal(ept_build_sandbox(&table, sb, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_OK);
        walk(&pool);
        check_only_own(sb);
        uint64_t h;
        /* RAM: every page, RWX, at base + gpa, 2 MiB pages (aligned region) */
        for (uint64_t g = 0; g < 32 * MiB; g += 0x10000) {
            assert_int_equal(access_at(g, &h), EPT_RWX);
            assert_int_equal(h, table.sandboxes[sb].mem_base + g);
        }
        assert_int_equal(access_at(32 * MiB, NULL), 0);
        /* writer area: RW for the writer, R for the readers */
        uint32_t want_w = sb == 0 ? (EPT_READ | EPT_WRITE) : EPT_READ;
        assert_int_equal(access_at(w, &h), want_w);
        assert_int_equal(h, 128 * MiB);
        assert_int_equal(access_at(w + 0x1000, NULL), want_w);
        /* reader 0's (sandbox 1) control page: RW for it, R for the writer, nothing for sandbox 2 */
        uint32_t want_c0 = sb == 1 ? (EPT_READ | EPT_WRITE) : sb == 0 ? EPT_READ : 0;
        uint32_t want_c1 = sb == 2 ? (EPT_READ | EPT_WRITE) : sb == 0 ? EPT_READ : 0;
        assert_int_equal(access_at(w + 0x2000, NULL), want_c0);
        assert_int_equal(access_at(w + 0x3000, NULL), want_c1);
        assert_int_equal(access_at(w + 0x4000, NULL), 0);
        assert_int_equal(access_at(LAPIC_MMIO_BASE, NULL), EPT_READ | EPT_WRITE);
        assert_int_equal(access_at(0xFEC00000ull, NULL), 0);   /* IOAPIC: unassigned */
        assert_int_equal(access_at(0xFEB00000ull, NULL), sb == 2 ? (EPT_READ | EPT_WRITE) : 0);
        assert_int_equal(access_at(0xFEB03000ull, NULL), sb == 2 ? (EPT_READ | EPT_WRITE) : 0);
        assert_int_equal(access_at(0xFEB04000ull, NULL), 0);
        /* the channel window sits in its own PD with 4 KiB pages */
        assert_int_equal(count_leaves(EPT_LARGE_PAGE), 16);
    }
}

/* With x2APIC on the processor the xAPIC page is not mapped: a sandbox's
   only way to the ICR is the MSR, whose writes exit (issue 4). */
/* REQ: MON-EPT-001 */
static void sandbox_ept_without_xapic_page(void **state)
{
    (void)state;
    make_table();
    for (unsigned sb = 0; sb < 3; sb++) {
        assert_int_equal(ept_build_sandbox(&table, sb, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 0), EPT_OK);
        walk(&pool);
        check_only_own(sb);
        assert_int_equal(access_at(LAPIC_MMIO_BASE, NULL), 0);
        assert_int_equal(access_at(0, NULL), EPT_RWX);
        assert_int_equal(access_at(0xFEB00000ull, NULL), sb == 2 ? (EPT_READ | EPT_WRITE) : 0);
    }
}

/* REQ: MON-EPTMAP-002, MON-EPT-005 */
static void sandbox_ept_refuses_bad_tables(void **state)
{
    (void)state;
    make_table();
    assert_int_equal(ept_build_sandbox(&table, 3, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_ERR_RANGE);
    make_table();
    table.sandboxes[1].mem_base = 32 * MiB + 0x800;           /* unaligned region */
    assert_int_equal(ept_build_sandbox(&table, 1, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_ERR_ALIGN);
    make_table();
    table.channels[0].writer_size = 4 * MiB;                  /* runs past the channel area */
    assert_int_equal(ept_build_sandbox(&table, 0, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_ERR_RANGE);
    make_table();
    table.sandboxes[2].devices[0] = 5;                        /* no such device */
    assert_int_equal(ept_build_sandbox(&table, 2, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_ERR_RANGE);
    make_table();
    table.platform.pci[0].bars[0].base = 0xFEE00000ull;       /* a BAR over the LAPIC page */
    assert_int_equal(ept_build_sandbox(&table, 2, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1), EPT_ERR_OVERLAP);
    make_table();
    assert_int_equal(ept_build_sandbox(&table, 0, &pool, pool_pages, FAKE_PHYS, 4, 1), EPT_ERR_NOMEM);
}

/* REQ: MON-EPT-001, MON-EPT-002 */
static void channel_permissions_are_one_way(void **state)
{
    (void)state;
    make_table();
    const struct triad_channel *c = &table.channels[0];
    assert_int_equal(channel_page_perm(c, 0, -1), EPT_READ | EPT_WRITE);
    assert_int_equal(channel_page_perm(c, 1, -1), EPT_READ);
    assert_int_equal(channel_page_perm(c, 7, -1), 0);
    assert_int_equal(channel_page_perm(c, 1, 0), EPT_READ | EPT_WRITE);
    assert_int_equal(channel_page_perm(c, 1, 1), 0);
    assert_int_equal(channel_page_perm(c, 0, 1), EPT_READ);
    assert_int_equal(channel_page_perm(c, 2, 2), 0);          /* beyond reader_count */
    assert_int_equal(channel_page_perm(c, 2, 100), 0);
}

/* I/O failover: the voter-standby (shadow writer) sees what the writer sees,
   read-only, until the monitor's failover grants the writer area.
   REQ: REC-FO-002, MON-EPT-002 */
static void shadow_writer_maps_read_only(void **state)
{
    (void)state;
    make_table();
    struct triad_channel *c = &table.channels[0];
    c->shadow_writer = 7 + 1;                                   /* sandbox 7: no endpoint otherwise */
    assert_int_equal(channel_page_perm(c, 7, -1), EPT_READ);   /* writer area */
    assert_int_equal(channel_page_perm(c, 7, 0), EPT_READ);    /* each reader's page */
    assert_int_equal(channel_page_perm(c, 7, 1), EPT_READ);
    assert_int_equal(channel_page_perm(c, 7, 2), 0);           /* beyond reader_count */
    assert_int_equal(channel_page_perm(c, 0, -1), EPT_READ | EPT_WRITE);   /* the writer keeps its rights */
    assert_int_equal(channel_page_perm(c, 1, 0), EPT_READ | EPT_WRITE);
    assert_int_equal(channel_page_perm(c, 1, -1), EPT_READ);
    assert_int_equal(channel_page_perm(c, 6, -1), 0);          /* another sandbox still sees nothing */
    assert_int_equal(channel_page_perm(c, 6, 0), 0);
}

/* The SVM backend's nested page tables come from the same description:
   every EPT leaf has an NPT leaf at the same guest address, host address
   and size, with the same rights in the NPT encoding (present and user
   always, RW for write, NX without execute, PCD|PWT for uncached), and
   table entries are present, writable and user at every level. */
/* REQ: MON-EPTMAP-001, MON-EPT-001, MON-EPT-002 */
static struct leaf ept_leaves[MAX_LEAVES];

static void sandbox_npt_matches_ept(void **state)
{
    (void)state;
    make_table();
    for (unsigned sb = 0; sb < 3; sb++) {
        for (int xapic = 0; xapic <= 1; xapic++) {
            assert_int_equal(ept_build_sandbox(&table, sb, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, xapic), EPT_OK);
            walk(&pool);
            const unsigned n = leaf_count;
            memcpy(ept_leaves, leaves, n * sizeof leaves[0]);
            assert_int_equal(slat_build_sandbox(&table, sb, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, xapic,
                                                SLAT_FORMAT_NPT), EPT_OK);
            assert_int_equal(pool.format, SLAT_FORMAT_NPT);
            assert_int_equal(npt_root(&pool), FAKE_PHYS);
            walk(&pool);   /* table entries: P|RW|US == 7, checked by table_at */
            assert_int_equal(leaf_count, n);
            for (unsigned i = 0; i < n; i++) {
                const struct leaf *e = &ept_leaves[i], *l = &leaves[i];
                assert_int_equal(l->gpa, e->gpa);
                assert_int_equal(l->hpa, e->hpa);
                assert_int_equal(l->size, e->size);
                assert_true(l->raw & NPT_PRESENT);
                assert_true(l->raw & NPT_USER);
                assert_int_equal(!!(l->raw & NPT_WRITE), !!(e->perm & EPT_WRITE));
                assert_int_equal(!!(l->raw & NPT_NX), !(e->perm & EPT_EXEC));
                assert_int_equal((l->raw & (NPT_PCD | NPT_PWT)) == (NPT_PCD | NPT_PWT), e->memtype == EPT_MT_UC);
                assert_int_equal(!!(l->raw & NPT_LARGE), l->size == EPT_LARGE_PAGE);
            }
        }
    }
    /* the same refusals in either format */
    assert_int_equal(slat_build_sandbox(&table, 3, &pool, pool_pages, FAKE_PHYS, POOL_PAGES, 1, SLAT_FORMAT_NPT),
                     EPT_ERR_RANGE);
    assert_int_equal(slat_build_sandbox(&table, 0, &pool, pool_pages, FAKE_PHYS, 4, 1, SLAT_FORMAT_NPT),
                     EPT_ERR_NOMEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(aligned_region_uses_2mib_pages, setup),
        cmocka_unit_test_setup(sandbox_npt_matches_ept, setup),
        cmocka_unit_test_setup(unaligned_edges_use_4kib_pages, setup),
        cmocka_unit_test_setup(misaligned_host_forces_4kib, setup),
        cmocka_unit_test_setup(bad_inputs_are_refused, setup),
        cmocka_unit_test_setup(overlap_is_refused, setup),
        cmocka_unit_test(pool_exhaustion_is_refused),
        cmocka_unit_test(sandbox_ept_maps_own_region_and_channels_one_way),
        cmocka_unit_test(sandbox_ept_without_xapic_page),
        cmocka_unit_test(sandbox_ept_refuses_bad_tables),
        cmocka_unit_test(channel_permissions_are_one_way),
        cmocka_unit_test(shadow_writer_maps_read_only),
        cmocka_unit_test(standby_bar_revoked_then_granted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
