/* Page tables owned by the kernel: see paging.h for the layout. */
#include "paging.h"
#include "cpu.h"
#include "../../kernel/pmem.h"
#include "../../kernel/string.h"

static uint64_t kernel_pml4[512] __attribute__((aligned(4096)));
static uint64_t kernel_pdpt[512] __attribute__((aligned(4096)));
static uint64_t low_pd[512] __attribute__((aligned(4096)));     /* 0 - 1 GiB */
static uint64_t mmio_pd[512] __attribute__((aligned(4096)));    /* 3 - 4 GiB */

#define TABLE(phys) ((uint64_t *)(uintptr_t)(phys))

void paging_init(void)
{
    for (uint64_t i = 0; i < 512; i++) {
        low_pd[i] = (i << 21) | PTE_P | PTE_W | PTE_PS;
        mmio_pd[i] = ((3ull << 30) + (i << 21)) | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT;
    }
    kernel_pdpt[0] = (uint64_t)low_pd | PTE_P | PTE_W;
    kernel_pdpt[3] = (uint64_t)mmio_pd | PTE_P | PTE_W;
    kernel_pml4[0] = (uint64_t)kernel_pdpt | PTE_P | PTE_W;
    write_cr3((uint64_t)kernel_pml4);
}

uint64_t kernel_cr3(void) { return (uint64_t)kernel_pml4; }

int paging_kernel_reachable(uint64_t phys)
{
    return phys < (1ull << 30) || (phys >= (3ull << 30) && phys < (4ull << 30));
}

/* A few extra directories for addresses outside the two kernel GiBs (fault self-tests). */
static uint64_t extra_pd[2][512] __attribute__((aligned(4096)));
static unsigned extra_used;

int paging_kernel_map(uint64_t phys)
{
    if (paging_kernel_reachable(phys))
        return 1;
    unsigned gib = (unsigned)(phys >> 30);
    if (gib == 1 || gib >= 512)
        return 0;                   /* the user GiB is per process */
    if (!(kernel_pdpt[gib] & PTE_P)) {
        if (extra_used == 2)
            return 0;
        kernel_pdpt[gib] = (uint64_t)extra_pd[extra_used++] | PTE_P | PTE_W;
    }
    uint64_t *pd = TABLE(kernel_pdpt[gib] & PTE_ADDR);
    pd[(phys >> 21) & 511] = (phys & ~0x1FFFFFull) | PTE_P | PTE_W | PTE_PS | PTE_PCD;
    invlpg(phys);
    return 1;
}

int as_create(struct address_space *as)
{
    as->pml4 = pmem_alloc();
    as->pdpt = pmem_alloc();
    as->pages = 0;
    if (as->pml4 == 0 || as->pdpt == 0) {
        if (as->pml4)
            pmem_free(as->pml4);
        if (as->pdpt)
            pmem_free(as->pdpt);
        return -1;
    }
    uint64_t *pdpt = TABLE(as->pdpt);
    pdpt[0] = kernel_pdpt[0];
    pdpt[3] = kernel_pdpt[3];
    /* The user bit must be set on upper levels for user pages; the kernel's
       PDs keep it clear, so kernel memory stays supervisor-only. */
    TABLE(as->pml4)[0] = as->pdpt | PTE_P | PTE_W | PTE_U;
    return 0;
}

/* The page-table entry for `va`, allocating intermediate tables if `create`. */
static uint64_t *pte_for(const struct address_space *as, uint64_t va, int create)
{
    if (va < USER_BASE || va >= USER_TOP)
        return 0;
    uint64_t *pdpt = TABLE(as->pdpt);
    uint64_t *entry = &pdpt[(va >> 30) & 511];
    for (int level = 0; level < 2; level++) {
        if (!(*entry & PTE_P)) {
            if (!create)
                return 0;
            uint64_t t = pmem_alloc();
            if (t == 0)
                return 0;
            *entry = t | PTE_P | PTE_W | PTE_U;
        }
        uint64_t *table = TABLE(*entry & PTE_ADDR);
        entry = &table[(va >> (level == 0 ? 21 : 12)) & 511];
    }
    return entry;
}

uint64_t as_map_new(struct address_space *as, uint64_t va, int writable)
{
    uint64_t *pte = pte_for(as, va, 1);
    if (pte == 0)
        return 0;
    if (*pte & PTE_P)
        return *pte & PTE_ADDR;
    uint64_t frame = pmem_alloc();
    if (frame == 0)
        return 0;
    *pte = frame | PTE_P | PTE_U | (writable ? PTE_W : 0);
    as->pages++;
    return frame;
}

uint64_t as_lookup(const struct address_space *as, uint64_t va, int *writable)
{
    uint64_t *pte = pte_for(as, va, 0);
    /* A channel page is outside the direct map a process's tables carry:
       system calls do not take buffers there (-E_FAULT). */
    if (pte == 0 || (*pte & (PTE_P | PTE_FOREIGN)) != PTE_P)
        return 0;
    if (writable)
        *writable = (*pte & PTE_W) != 0;
    return (*pte & PTE_ADDR) + (va & 0xFFF);
}

int as_clone(struct address_space *dst, const struct address_space *src)
{
    uint64_t *spdpt = TABLE(src->pdpt);
    for (unsigned g = 1; g < 2; g++) {
        if (!(spdpt[g] & PTE_P))
            continue;
        uint64_t *pd = TABLE(spdpt[g] & PTE_ADDR);
        for (unsigned d = 0; d < 512; d++) {
            if (!(pd[d] & PTE_P))
                continue;
            uint64_t *pt = TABLE(pd[d] & PTE_ADDR);
            for (unsigned t = 0; t < 512; t++) {
                if (!(pt[t] & PTE_P) || (pt[t] & PTE_FOREIGN))
                    continue;       /* channel pages are not inherited: one writer per end */
                uint64_t va = ((uint64_t)g << 30) | ((uint64_t)d << 21) | ((uint64_t)t << 12);
                uint64_t *dpte = pte_for(dst, va, 1);
                if (dpte == 0)
                    return -1;
                if (pt[t] & (PTE_W | PTE_COW))
                    pt[t] = (pt[t] & ~PTE_W) | PTE_COW;
                pmem_share(pt[t] & PTE_ADDR);
                *dpte = pt[t];
                dst->pages++;
            }
        }
    }
    /* The parent's writable pages just became read-only: drop its stale TLB entries. */
    if (read_cr3() == src->pml4)
        write_cr3(src->pml4);
    return 0;
}

/* Gives the page behind `pte` to this space alone, writable: the last
   sharer keeps the frame, the others copy it.  0 when out of memory. */
static uint64_t cow_break(uint64_t *pte)
{
    uint64_t old = *pte & PTE_ADDR;
    if (pmem_sharers(old) == 0) {
        *pte = (*pte & ~PTE_COW) | PTE_W;
        return old;
    }
    uint64_t frame = pmem_alloc();
    if (frame == 0)
        return 0;
    memcpy(TABLE(frame), TABLE(old), PAGE_SIZE);
    *pte = frame | (*pte & ~(PTE_ADDR | PTE_COW)) | PTE_W;
    pmem_free(old);                         /* one reference less */
    return frame;
}

uint64_t as_lookup_write(struct address_space *as, uint64_t va)
{
    uint64_t *pte = pte_for(as, va, 0);
    if (pte == 0 || (*pte & (PTE_P | PTE_FOREIGN)) != PTE_P)
        return 0;
    if (*pte & PTE_COW) {
        if (cow_break(pte) == 0)
            return 0;
        if (read_cr3() == as->pml4)
            invlpg(va);
    }
    if (!(*pte & PTE_W))
        return 0;
    return (*pte & PTE_ADDR) + (va & 0xFFF);
}

int as_cow_fault(uint64_t va)
{
    struct address_space cur = { .pml4 = read_cr3() & PTE_ADDR };
    if (cur.pml4 == kernel_cr3())
        return 0;
    cur.pdpt = TABLE(cur.pml4)[0] & PTE_ADDR;
    uint64_t *pte = pte_for(&cur, va, 0);
    if (pte == 0 || (*pte & (PTE_P | PTE_COW)) != (PTE_P | PTE_COW))
        return 0;
    if (cow_break(pte) == 0)
        return 0;                           /* out of memory: the fault kills the process */
    invlpg(va);
    return 1;
}

int as_map_foreign(struct address_space *as, uint64_t va, uint64_t phys, int writable)
{
    uint64_t *pte = pte_for(as, va, 1);
    if (pte == 0 || (*pte & PTE_P) || (va & 0xFFF) || (phys & 0xFFF))
        return -1;
    *pte = phys | PTE_P | PTE_U | PTE_PCD | PTE_FOREIGN | (writable ? PTE_W : 0);
    return 0;
}

uint64_t as_lookup_foreign(const struct address_space *as, uint64_t va)
{
    uint64_t *pte = pte_for(as, va, 0);
    if (pte == 0 || (*pte & (PTE_P | PTE_FOREIGN)) != (PTE_P | PTE_FOREIGN))
        return 0;
    return *pte & PTE_ADDR;
}

int as_unmap_foreign(struct address_space *as, uint64_t va)
{
    uint64_t *pte = pte_for(as, va, 0);
    if (pte == 0 || (*pte & (PTE_P | PTE_FOREIGN)) != (PTE_P | PTE_FOREIGN))
        return 0;
    *pte = 0;
    if (read_cr3() == as->pml4)
        invlpg(va);
    return 1;
}

void as_destroy(struct address_space *as)
{
    if (as->pml4 == 0)
        return;
    uint64_t *pdpt = TABLE(as->pdpt);
    for (unsigned g = 1; g < 2; g++) {          /* the user GiB; the others are the kernel's */
        if (!(pdpt[g] & PTE_P))
            continue;
        uint64_t *pd = TABLE(pdpt[g] & PTE_ADDR);
        for (unsigned d = 0; d < 512; d++) {
            if (!(pd[d] & PTE_P))
                continue;
            uint64_t *pt = TABLE(pd[d] & PTE_ADDR);
            for (unsigned t = 0; t < 512; t++)
                if ((pt[t] & (PTE_P | PTE_FOREIGN)) == PTE_P)
                    pmem_free(pt[t] & PTE_ADDR);    /* foreign frames are not the pool's */
            pmem_free(pd[d] & PTE_ADDR);
        }
        pmem_free(pdpt[g] & PTE_ADDR);
    }
    pmem_free(as->pdpt);
    pmem_free(as->pml4);
    as->pml4 = as->pdpt = as->pages = 0;
}

void as_activate(const struct address_space *as)
{
    uint64_t cr3 = as && as->pml4 ? as->pml4 : kernel_cr3();
    if (read_cr3() != cr3)
        write_cr3(cr3);
}
