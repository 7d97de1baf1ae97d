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
    assigns \nothing; */
static uint64_t leaf_bits(const struct ept_pool *pool, const struct ept_mapping *m, int large)
{
    if (pool->format != SLAT_FORMAT_NPT)
        return (uint64_t)m->perm | ((uint64_t)m->memtype << 3) | (large ? EPT_LARGE : 0);
    return NPT_PRESENT | NPT_USER |
           ((m->perm & EPT_WRITE) ? NPT_WRITE : 0) |
           (m->memtype == EPT_MT_UC ? NPT_PCD | NPT_PWT : 0) |
           (large ? NPT_LARGE : 0) |
           ((m->perm & EPT_EXEC) ? 0 : NPT_NX);
}

/*@ requires \valid(t);
    assigns (*t)[0 .. EPT_ENTRIES - 1]; */
static void zero_table(ept_table *t)
{
    /*@ loop invariant 0 <= i <= EPT_ENTRIES;
        loop assigns i, (*t)[0 .. EPT_ENTRIES - 1];
        loop variant EPT_ENTRIES - i; */
    for (uint32_t i = 0; i < EPT_ENTRIES; i++)
        (*t)[i] = 0;
}

int ept_init(struct ept_pool *pool, ept_table *pages, uint64_t phys_base, uint32_t capacity)
{
    pool->pages = pages;
    pool->phys_base = phys_base;
    pool->capacity = capacity;
    pool->used = 0;
    pool->format = SLAT_FORMAT_EPT;
    if (capacity == 0 || pages == 0 || (phys_base & (EPT_PAGE - 1)) != 0)
        return EPT_ERR_NOMEM;
    zero_table(&pages[0]);
    pool->used = 1;
    return EPT_OK;
}

/* The table an entry points to, allocating it when the entry is empty.
   Returns 0 when the entry is a leaf (already mapped) or the pool is full. */
/*@ requires ept_pool_ok(pool) && \valid(pool) && \valid(entry);
    assigns *entry, pool->used, pool->pages[0 .. pool->capacity - 1][0 .. EPT_ENTRIES - 1];
    ensures pool->used <= pool->capacity; */
static ept_table *next_table(struct ept_pool *pool, uint64_t *entry, int *err)
{
    if (*entry != 0) {
        if (*entry & EPT_LARGE) {
            *err = EPT_ERR_OVERLAP;
            return 0;
        }
        uint64_t idx = ((*entry & EPT_ADDR_MASK) - pool->phys_base) / EPT_PAGE;
        if ((*entry & EPT_ADDR_MASK) < pool->phys_base || idx >= pool->used) {
            *err = EPT_ERR_RANGE;    /* not one of our tables: never follow it */
            return 0;
        }
        return &pool->pages[idx];
    }
    if (pool->used >= pool->capacity) {
        *err = EPT_ERR_NOMEM;
        return 0;
    }
    ept_table *t = &pool->pages[pool->used];
    zero_table(t);
    *entry = (pool->phys_base + (uint64_t)pool->used * EPT_PAGE) |
             (pool->format == SLAT_FORMAT_NPT ? NPT_TABLE_BITS : EPT_TABLE_BITS);
    pool->used++;
    return t;
}

/*@ assigns \nothing; */
static uint32_t index_at(uint64_t gpa, uint32_t shift)
{
    return (uint32_t)((gpa >> shift) & (EPT_ENTRIES - 1));
}

/*@ assigns \nothing; */
static int check_mapping(const struct ept_mapping *m)
{
    if (m->size == 0 || ((m->gpa | m->hpa | m->size) & (EPT_PAGE - 1)) != 0)
        return EPT_ERR_ALIGN;
    if (m->gpa >= EPT_MAX_GPA || m->size > EPT_MAX_GPA - m->gpa ||
        m->hpa >= EPT_MAX_HPA || m->size > EPT_MAX_HPA - m->hpa)
        return EPT_ERR_RANGE;
    if ((m->perm & EPT_READ) == 0 || (m->perm & ~EPT_PERM_MASK) != 0)
        return EPT_ERR_PERM;
    if (m->memtype != EPT_MT_UC && m->memtype != EPT_MT_WB)
        return EPT_ERR_MEMTYPE;
    return EPT_OK;
}

int ept_map(struct ept_pool *pool, const struct ept_mapping *m)
{
    int err = check_mapping(m);
    if (err != EPT_OK)
        return err;
    uint64_t done = 0;
    /*@ loop invariant 0 <= done <= m->size;
        loop invariant pool->used <= pool->capacity;
        loop assigns done, err, pool->used,
                     pool->pages[0 .. pool->capacity - 1][0 .. EPT_ENTRIES - 1];
        loop variant m->size - done; */
    while (done < m->size) {
        const uint64_t gpa = m->gpa + done, hpa = m->hpa + done;
        ept_table *pdpt = next_table(pool, &pool->pages[0][index_at(gpa, LEVEL_SHIFT_PML4)], &err);
        if (!pdpt)
            return err;
        ept_table *pd = next_table(pool, &(*pdpt)[index_at(gpa, LEVEL_SHIFT_PDPT)], &err);
        if (!pd)
            return err;
        uint64_t *pde = &(*pd)[index_at(gpa, LEVEL_SHIFT_PD)];
        const int large = ((gpa | hpa) & (EPT_LARGE_PAGE - 1)) == 0 &&
                          m->size - done >= EPT_LARGE_PAGE;
        if (large) {
            if (*pde != 0)
                return EPT_ERR_OVERLAP;
            *pde = hpa | leaf_bits(pool, m, 1);
            done += EPT_LARGE_PAGE;
            continue;
        }
        ept_table *pt = next_table(pool, pde, &err);
        if (!pt)
            return err;
        uint64_t *pte = &(*pt)[index_at(gpa, LEVEL_SHIFT_PT)];
        if (*pte != 0)
            return EPT_ERR_OVERLAP;
        *pte = hpa | leaf_bits(pool, m, 0);
        done += EPT_PAGE;
    }
    return EPT_OK;
}

/* The table an existing non-leaf entry points to (one of the pool's), else 0. */
/*@ requires ept_pool_ok(pool);
    assigns \nothing; */
static ept_table *existing_table(const struct ept_pool *pool, uint64_t entry)
{
    if ((entry == 0u) || ((entry & EPT_LARGE) != 0u)) {
        return 0;
    }
    const uint64_t addr = entry & EPT_ADDR_MASK;
    if ((addr < pool->phys_base) || (((addr - pool->phys_base) / EPT_PAGE) >= pool->capacity)) {
        return 0;
    }
    return &pool->pages[(addr - pool->phys_base) / EPT_PAGE];
}

/* A leaf entry with its access bits replaced (address and memory type kept). */
/*@ requires \valid_read(pool);
    assigns \nothing; */
static uint64_t leaf_with_perm(const struct ept_pool *pool, uint64_t leaf, uint32_t perm)
{
    if (pool->format != SLAT_FORMAT_NPT) {
        return (leaf & ~(uint64_t)EPT_PERM_MASK) | perm;
    }
    const uint64_t kept = leaf & ~(NPT_PRESENT | NPT_WRITE | NPT_NX);
    if (perm == 0u) {
        return kept | NPT_NX;
    }
    const uint64_t write = ((perm & EPT_WRITE) != 0u) ? NPT_WRITE : 0u;
    const uint64_t no_exec = ((perm & EPT_EXEC) != 0u) ? 0u : NPT_NX;
    return kept | NPT_PRESENT | write | no_exec;
}

int ept_set_perm(struct ept_pool *pool, uint64_t gpa, uint64_t size, uint32_t perm)
{
    if ((size == 0u) || (((gpa | size) & (EPT_PAGE - 1u)) != 0u)) {
        return EPT_ERR_ALIGN;
    }
    if ((gpa >= EPT_MAX_GPA) || (size > (EPT_MAX_GPA - gpa))) {
        return EPT_ERR_RANGE;
    }
    if (((perm != 0u) && ((perm & EPT_READ) == 0u)) || ((perm & ~EPT_PERM_MASK) != 0u)) {
        return EPT_ERR_PERM;
    }
    uint64_t done = 0;
    /*@ loop invariant 0 <= done <= size;
        loop assigns done, pool->pages[0 .. pool->capacity - 1][0 .. EPT_ENTRIES - 1];
        loop variant size - done; */
    while (done < size) {
        const uint64_t at = gpa + done;
        ept_table *pdpt = existing_table(pool, pool->pages[0][index_at(at, LEVEL_SHIFT_PML4)]);
        ept_table *pd = pdpt ? existing_table(pool, (*pdpt)[index_at(at, LEVEL_SHIFT_PDPT)]) : 0;
        if (pd == 0) {
            return EPT_ERR_RANGE;
        }
        uint64_t *pde = &(*pd)[index_at(at, LEVEL_SHIFT_PD)];
        if ((*pde != 0u) && ((*pde & EPT_LARGE) != 0u)) {
            if (((at & (EPT_LARGE_PAGE - 1u)) != 0u) || ((size - done) < EPT_LARGE_PAGE)) {
                return EPT_ERR_ALIGN;
            }
            *pde = leaf_with_perm(pool, *pde, perm);
            done += EPT_LARGE_PAGE;
            continue;
        }
        ept_table *pt = existing_table(pool, *pde);
        if (pt == 0) {
            return EPT_ERR_RANGE;
        }
        uint64_t *pte = &(*pt)[index_at(at, LEVEL_SHIFT_PT)];
        if (*pte == 0u) {
            return EPT_ERR_RANGE;
        }
        *pte = leaf_with_perm(pool, *pte, perm);
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
