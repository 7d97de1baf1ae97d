/* EPT construction (see ept.h): four levels, 2 MiB leaves where possible. */
#include "ept.h"

#define LEVEL_SHIFT_PML4 39u
#define LEVEL_SHIFT_PDPT 30u
#define LEVEL_SHIFT_PD   21u
#define LEVEL_SHIFT_PT   12u
/* A non-leaf entry grants everything: the leaf alone decides access. */
#define EPT_TABLE_BITS   ((uint64_t)EPT_RWX)
#define NPT_TABLE_BITS   (NPT_PRESENT | NPT_WRITE | NPT_USER)

/* Leaf bits of a mapping in the pool's format (large: a 2 MiB leaf). */
/*@ requires \valid_read(pool) && \valid_read(m);
    assigns \nothing;
    ensures LEAF_BITS: \result == SLAT_LEAF_BITS(pool->format, m->perm, m->memtype, large); */
static uint64_t leaf_bits(const struct ept_pool *pool, const struct ept_mapping *m, int large)
{
    /* Sums of disjoint bits (ept.h, SLAT_LEAF_BITS): perm < 8 and
       memtype * 8 is 0 or 48 for a checked mapping, so + is |. */
    if (pool->format != SLAT_FORMAT_NPT) {
        return ((uint64_t)m->perm + ((uint64_t)m->memtype * 8u)) + ((large != 0) ? EPT_LARGE : 0u);
    }
    return ((((NPT_PRESENT + NPT_USER) + (((m->perm & EPT_WRITE) != 0u) ? NPT_WRITE : 0u)) +
             ((m->memtype == EPT_MT_UC) ? (NPT_PCD + NPT_PWT) : 0u)) +
            ((large != 0) ? NPT_LARGE : 0u)) +
           (((m->perm & EPT_EXEC) != 0u) ? 0u : NPT_NX);
}

/*@ requires \valid(t);
    assigns t->e[0 .. EPT_ENTRIES - 1];
    ensures ZEROED: \forall integer k; 0 <= k < EPT_ENTRIES ==> t->e[k] == 0; */
static void zero_table(ept_table *t)
{
    /*@ loop invariant 0 <= i <= EPT_ENTRIES;
        loop invariant \forall integer k; 0 <= k < i ==> t->e[k] == 0;
        loop assigns i, t->e[0 .. EPT_ENTRIES - 1];
        loop variant EPT_ENTRIES - i; */
    for (uint32_t i = 0; i < EPT_ENTRIES; i++)
        t->e[i] = 0;
}

int ept_init(struct ept_pool *pool, ept_table *pages, uint64_t phys_base, uint32_t capacity)
{
    pool->pages = pages;
    pool->phys_base = phys_base;
    pool->capacity = capacity;
    pool->used = 0;
    pool->format = SLAT_FORMAT_EPT;
    /* The pool's pages must have addresses an entry can hold (below
       EPT_MAX_HPA): a table address beyond would be cut by the entry's
       address mask and point somewhere else. */
    if ((capacity == 0u) || (pages == 0) || ((phys_base % EPT_PAGE) != 0u) ||
        (phys_base >= EPT_MAX_HPA) || (((uint64_t)capacity * EPT_PAGE) > (EPT_MAX_HPA - phys_base)))
        return EPT_ERR_NOMEM;
    /* Every page empty, not only the root: then every entry of the pool,
       used or not, is one the invariant allows (empty), and a sandbox's
       whole pool can be stated correct after its build (ept_sandbox.h,
       SANDBOX_SLAT_OK) without tracking which pages were handed out. */
    /*@ loop invariant 0 <= p <= capacity;
        loop invariant \forall integer j, k; 0 <= j < p && 0 <= k < EPT_ENTRIES ==> pages[j].e[k] == 0;
        loop assigns p, pages[0 .. capacity - 1];
        loop variant capacity - p; */
    for (uint32_t p = 0; p < capacity; p++) {
        zero_table(&pages[p]);
    }
    pool->used = 1;
    return EPT_OK;
}

/* The table entry k of table t points to, allocating it when the entry is
   empty: its index in the pool, EPT_NO_TABLE when the entry is a leaf
   (already mapped), not one of the pool's tables, or the pool is full.
   Indices, not pointers, so that the callers' proofs need no witness of
   which pool page a pointer is. */
#define EPT_NO_TABLE 0xFFFFFFFFu
/*@ requires ept_pool_ok(pool) && \valid(pool) && \valid(err);
    requires EPT_POOL_IN_RANGE: pool->phys_base + pool->capacity * EPT_PAGE <= EPT_MAX_HPA;
    requires \separated(pool, err, pool->pages + (0 .. pool->capacity - 1));
    requires t < pool->capacity && k < EPT_ENTRIES;
    assigns *err, pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures pool->used <= pool->capacity;
    ensures NEXT_TABLE_POOL: pool->pages == \old(pool->pages) && pool->phys_base == \old(pool->phys_base) &&
              pool->capacity == \old(pool->capacity) && pool->format == \old(pool->format);
    ensures NEXT_TABLE_INDEX: \result == EPT_NO_TABLE || \result < pool->capacity;
    ensures NEXT_TABLE_KEPT: slat_kept{Pre, Post}(\old(pool->pages), \old(pool->phys_base),
              \old(pool->capacity), \old(pool->format), 0, 0, 0, 0); */
static uint32_t next_table(struct ept_pool *pool, uint32_t t, uint32_t k, int *err)
{
    const uint64_t entry = pool->pages[t].e[k];
    if (entry != 0u) {
        if ((entry & EPT_LARGE) != 0u) {
            *err = EPT_ERR_OVERLAP;
            return EPT_NO_TABLE;
        }
        const uint64_t addr = entry & EPT_ADDR_MASK;
        if ((addr < pool->phys_base) || (((addr - pool->phys_base) / EPT_PAGE) >= pool->used)) {
            *err = EPT_ERR_RANGE;    /* not one of our tables: never follow it */
            return EPT_NO_TABLE;
        }
        return (uint32_t)((addr - pool->phys_base) / EPT_PAGE);
    }
    if (pool->used >= pool->capacity) {
        *err = EPT_ERR_NOMEM;
        return EPT_NO_TABLE;
    }
    const uint32_t fresh = pool->used;
    zero_table(&pool->pages[fresh]);
    /*@ assert ZEROED_KEPT: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre),
                 \at(pool->capacity, Pre), \at(pool->format, Pre), 0, 0, 0, 0); */
    /* The table bits are 7 in both formats (EPT R|W|X, NPT present|write|user). */
    const uint64_t bits = (pool->format == SLAT_FORMAT_NPT) ? NPT_TABLE_BITS : EPT_TABLE_BITS;
    /*@ assert bits == slat_table_bits; */
    /* The page address is 4 KiB aligned (ept_init): + is |, and linear. */
    const uint64_t table = (pool->phys_base + ((uint64_t)pool->used * EPT_PAGE)) + bits;
    /*@ assert TABLE_ENTRY: slat_entry_ok(\at(pool->phys_base, Pre), \at(pool->capacity, Pre),
                 \at(pool->format, Pre), 0, 0, 0, 0, table); */
    pool->pages[t].e[k] = table;
    pool->used++;
    return fresh;
}

/*@ requires shift < 64;
    assigns \nothing;
    ensures \result < EPT_ENTRIES; */
static uint32_t index_at(uint64_t gpa, uint32_t shift)
{
    return (uint32_t)((gpa >> shift) % EPT_ENTRIES);
}

/*@ requires \valid_read(m);
    assigns \nothing;
    ensures \result == EPT_OK ==> 0 < m->size && m->size % EPT_PAGE == 0 &&
              m->gpa + m->size <= EPT_MAX_GPA && m->hpa + m->size <= EPT_MAX_HPA &&
              (m->perm & EPT_READ) != 0;
    ensures (m->perm & EPT_READ) == 0 ==> \result != EPT_OK; */
static int check_mapping(const struct ept_mapping *m)
{
    if ((m->size == 0u) || ((m->gpa % EPT_PAGE) != 0u) || ((m->hpa % EPT_PAGE) != 0u) ||
        ((m->size % EPT_PAGE) != 0u)) {
        return EPT_ERR_ALIGN;
    }
    if (m->gpa >= EPT_MAX_GPA || m->size > EPT_MAX_GPA - m->gpa ||
        m->hpa >= EPT_MAX_HPA || m->size > EPT_MAX_HPA - m->hpa)
        return EPT_ERR_RANGE;
    if ((m->perm & EPT_READ) == 0 || (m->perm & ~EPT_PERM_MASK) != 0)
        return EPT_ERR_PERM;
    if (m->memtype != EPT_MT_UC && m->memtype != EPT_MT_WB)
        return EPT_ERR_MEMTYPE;
    return EPT_OK;
}

/* One leaf of mapping m at offset done: a 2 MiB leaf where both addresses
   are 2 MiB aligned and 2 MiB remain, else a 4 KiB one, with the tables on
   the way allocated.  Returns the bytes mapped, 0 on error (*err says
   which).  One step per call keeps each proof obligation small. */
/*@ requires ept_pool_ok(pool) && \valid(pool) && \valid_read(m) && \valid(err);
    requires EPT_POOL_IN_RANGE: pool->phys_base + pool->capacity * EPT_PAGE <= EPT_MAX_HPA;
    requires \separated(pool, m, err, pool->pages + (0 .. pool->capacity - 1));
    requires done < m->size && m->gpa + m->size <= EPT_MAX_GPA && m->hpa + m->size <= EPT_MAX_HPA;
    requires done % EPT_PAGE == 0 && m->size % EPT_PAGE == 0;
    assigns *err, pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures pool->used <= pool->capacity;
    ensures \result == 0 || \result == EPT_PAGE || \result == EPT_LARGE_PAGE;
    ensures \result <= \old(m->size) - done;
    ensures MAP_STEP_KEPT: slat_kept{Pre, Post}(\old(pool->pages), \old(pool->phys_base),
              \old(pool->capacity), \old(pool->format), \old(m->hpa), \old(m->size),
              \old(m->perm), \old(m->memtype)); */
static uint64_t map_step(struct ept_pool *pool, const struct ept_mapping *m, uint64_t done, int *err)
{
    const uint64_t gpa = m->gpa + done, hpa = m->hpa + done;
    /* What is left of the mapping, read before any table is written. */
    const uint64_t left = m->size - done;
    /*@ assert STEP_ROOM: left >= EPT_PAGE; */
    const uint32_t pdpt = next_table(pool, 0u, index_at(gpa, LEVEL_SHIFT_PML4), err);
    /*@ assert POOL_SAME: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                     pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre); */
    /*@ assert STEP_KEPT: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                     \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre), \at(m->memtype, Pre)); */
    if (pdpt == EPT_NO_TABLE) {
        return 0;
    }
    const uint32_t pd = next_table(pool, pdpt, index_at(gpa, LEVEL_SHIFT_PDPT), err);
    /*@ assert POOL_SAME: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                     pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre); */
    /*@ assert STEP_KEPT: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                     \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre), \at(m->memtype, Pre)); */
    if (pd == EPT_NO_TABLE) {
        return 0;
    }
    const uint32_t pde = index_at(gpa, LEVEL_SHIFT_PD);
    const int large = ((gpa | hpa) & (EPT_LARGE_PAGE - 1)) == 0 &&
                      left >= EPT_LARGE_PAGE;
    if (large) {
        if (pool->pages[pd].e[pde] != 0u) {
            *err = EPT_ERR_OVERLAP;
            return 0;
        }
        const uint64_t leaf = hpa | leaf_bits(pool, m, 1);
        /* The instance first (address hpa + done, a 2 MiB leaf): its | term
           is what the provers match slat_leaf's address witness against
           for STEP_LEAF (ept.h; docs/proofs.md, session 7). */
        /*@ assert LEAF_AT: leaf == ((\at(m->hpa, Pre) + done) | SLAT_LEAF_BITS(\at(pool->format, Pre),
                                 \at(m->perm, Pre), \at(m->memtype, Pre), 1)); */
        /*@ assert STEP_LEAF: slat_entry_ok(\at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                                 \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre),
                                 \at(m->memtype, Pre), leaf); */
        pool->pages[pd].e[pde] = leaf;
        /* The one entry written is the leaf, every other one as before:
           stated here, on this path alone, so the postcondition's goal
           needs no case split over the paths. */
        /*@ assert LEAF_KEPT: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                     \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre), \at(m->memtype, Pre)); */
        return EPT_LARGE_PAGE;
    }
    const uint32_t pt = next_table(pool, pd, pde, err);
    /*@ assert POOL_SAME: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                     pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre); */
    /*@ assert STEP_KEPT: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                     \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre), \at(m->memtype, Pre)); */
    if (pt == EPT_NO_TABLE) {
        return 0;
    }
    const uint32_t pte = index_at(gpa, LEVEL_SHIFT_PT);
    if (pool->pages[pt].e[pte] != 0u) {
        *err = EPT_ERR_OVERLAP;
        return 0;
    }
    const uint64_t leaf = hpa | leaf_bits(pool, m, 0);
    /*@ assert LEAF_AT: leaf == ((\at(m->hpa, Pre) + done) | SLAT_LEAF_BITS(\at(pool->format, Pre),
                             \at(m->perm, Pre), \at(m->memtype, Pre), 0)); */
    /*@ assert STEP_LEAF: slat_entry_ok(\at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                                 \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre),
                             \at(m->memtype, Pre), leaf); */
    pool->pages[pt].e[pte] = leaf;
    /*@ assert LEAF_KEPT: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                     \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre), \at(m->memtype, Pre)); */
    return EPT_PAGE;
}

int ept_map(struct ept_pool *pool, const struct ept_mapping *m)
{
    int err = check_mapping(m);
    if (err != EPT_OK)
        return err;
    uint64_t done = 0;
    /*@ loop invariant 0 <= done <= m->size && done % EPT_PAGE == 0;
        loop invariant pool->used <= pool->capacity;
        loop invariant POOL_SAME: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                     pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre);
        loop invariant REQ_MON_EPTMAP_001: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre), \at(pool->capacity, Pre), \at(pool->format, Pre),
                     \at(m->hpa, Pre), \at(m->size, Pre), \at(m->perm, Pre), \at(m->memtype, Pre));
        loop assigns done, err, pool->used, pool->pages[0 .. pool->capacity - 1];
        loop variant m->size - done; */
    while (done < m->size) {
        const uint64_t step = map_step(pool, m, done, &err);
        /*@ assert POOL_SAME: pool->pages == \at(pool->pages, Pre) && pool->phys_base == \at(pool->phys_base, Pre) &&
                     pool->capacity == \at(pool->capacity, Pre) && pool->format == \at(pool->format, Pre); */
        if (step == 0u) {
            /*@ assert STEP_FAILED_KEPT: slat_kept{Pre, Here}(\at(pool->pages, Pre), \at(pool->phys_base, Pre),
                         \at(pool->capacity, Pre), \at(pool->format, Pre), \at(m->hpa, Pre), \at(m->size, Pre),
                         \at(m->perm, Pre), \at(m->memtype, Pre)); */
            return err;
        }
        done += step;
    }
    return EPT_OK;
}

/* The index of the table an existing non-leaf entry points to (one of the
   pool's), else EPT_NO_TABLE. */
/*@ requires ept_pool_ok(pool);
    assigns \nothing;
    ensures EXISTING_INDEX: \result == EPT_NO_TABLE || \result < pool->capacity; */
static uint32_t existing_table(const struct ept_pool *pool, uint64_t entry)
{
    if ((entry == 0u) || ((entry & EPT_LARGE) != 0u)) {
        return EPT_NO_TABLE;
    }
    const uint64_t addr = entry & EPT_ADDR_MASK;
    if ((addr < pool->phys_base) || (((addr - pool->phys_base) / EPT_PAGE) >= pool->capacity)) {
        return EPT_NO_TABLE;
    }
    return (uint32_t)((addr - pool->phys_base) / EPT_PAGE);
}

/* A leaf entry with its access bits replaced (address and memory type kept).
   The bits are cleared by subtracting remainders and set by adding (they
   are clear then): the same values as masks and |, in arithmetic the
   provers decide (SETPERM_KEPT below). */
/*@ requires \valid_read(pool) && perm <= EPT_PERM_MASK;
    assigns \nothing;
    ensures LEAF_REVOKED: perm == 0 ==> slat_no_access(pool->format, \result); */
static uint64_t leaf_with_perm(const struct ept_pool *pool, uint64_t leaf, uint32_t perm)
{
    if (pool->format != SLAT_FORMAT_NPT) {
        /* leaf & ~7, then | perm (perm < 8) */
        return (leaf - (leaf % 8u)) + perm;
    }
    /* leaf & ~(present | write | NX): bit 63 by the remainder of 2^63,
       bits 0 and 1 by the remainder of 4 */
    const uint64_t low = leaf % NPT_NX;
    const uint64_t kept = low - (low % 4u);
    if (perm == 0u) {
        return kept + NPT_NX;
    }
    const uint64_t write = ((perm & EPT_WRITE) != 0u) ? NPT_WRITE : 0u;
    const uint64_t no_exec = ((perm & EPT_EXEC) != 0u) ? 0u : NPT_NX;
    return ((kept + NPT_PRESENT) + write) + no_exec;
}

int ept_set_perm(struct ept_pool *pool, uint64_t gpa, uint64_t size, uint32_t perm)
{
    if ((size == 0u) || ((gpa % EPT_PAGE) != 0u) || ((size % EPT_PAGE) != 0u)) {
        return EPT_ERR_ALIGN;
    }
    if ((gpa >= EPT_MAX_GPA) || (size > (EPT_MAX_GPA - gpa))) {
        return EPT_ERR_RANGE;
    }
    if (((perm != 0u) && ((perm & EPT_READ) == 0u)) || (perm > EPT_PERM_MASK)) {
        return EPT_ERR_PERM;
    }
    uint64_t done = 0;
    /*@ loop invariant 0 <= done <= size && done % EPT_PAGE == 0;
        loop invariant SETPERM_KEPT: perm == 0 ==> slat_revoked{Pre, Here}(pool->pages, pool->capacity, pool->format);
        loop assigns done, pool->pages[0 .. pool->capacity - 1];
        loop variant size - done; */
    while (done < size) {
        const uint64_t at = gpa + done;
        const uint32_t pdpt = existing_table(pool, pool->pages[0].e[index_at(at, LEVEL_SHIFT_PML4)]);
        const uint32_t pd = (pdpt != EPT_NO_TABLE) ?
            existing_table(pool, pool->pages[pdpt].e[index_at(at, LEVEL_SHIFT_PDPT)]) : EPT_NO_TABLE;
        if (pd == EPT_NO_TABLE) {
            return EPT_ERR_RANGE;
        }
        const uint32_t pde = index_at(at, LEVEL_SHIFT_PD);
        if ((pool->pages[pd].e[pde] != 0u) && ((pool->pages[pd].e[pde] & EPT_LARGE) != 0u)) {
            if (((at % EPT_LARGE_PAGE) != 0u) || ((size - done) < EPT_LARGE_PAGE)) {
                return EPT_ERR_ALIGN;
            }
            pool->pages[pd].e[pde] = leaf_with_perm(pool, pool->pages[pd].e[pde], perm);
            done += EPT_LARGE_PAGE;
            continue;
        }
        const uint32_t pt = existing_table(pool, pool->pages[pd].e[pde]);
        if (pt == EPT_NO_TABLE) {
            return EPT_ERR_RANGE;
        }
        const uint32_t pte = index_at(at, LEVEL_SHIFT_PT);
        if (pool->pages[pt].e[pte] == 0u) {
            return EPT_ERR_RANGE;
        }
        pool->pages[pt].e[pte] = leaf_with_perm(pool, pool->pages[pt].e[pte], perm);
        done += EPT_PAGE;
    }
    return EPT_OK;
}

uint64_t ept_pointer(const struct ept_pool *pool)
{
    /* bits 2:0 memory type of the walk (WB = 6), bits 5:3 walk length - 1 (3) */
    return (pool->phys_base & EPT_ADDR_MASK) | EPT_MT_WB | (3u << 3);
}

uint64_t npt_root(const struct ept_pool *pool)
{
    return pool->phys_base & EPT_ADDR_MASK;
}

const char *ept_strerror(int err)
{
    switch (err) {
    case EPT_OK:          return "ok";
    case EPT_ERR_ALIGN:   return "address or size not page aligned";
    case EPT_ERR_RANGE:   return "address out of range";
    case EPT_ERR_PERM:    return "invalid permissions";
    case EPT_ERR_OVERLAP: return "guest page mapped twice";
    case EPT_ERR_NOMEM:   return "EPT pool exhausted";
    case EPT_ERR_MEMTYPE: return "invalid memory type";
    default:              return "unknown EPT error";
    }
}
