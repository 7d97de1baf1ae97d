/*
 * Address spaces.  Every space shares the kernel's mappings: the first GiB of
 * physical memory identity-mapped (supervisor only, 2 MiB pages) and the
 * local-APIC/IO-APIC GiB (3-4 GiB, uncached).  User programs live in the
 * second GiB, [USER_BASE, USER_TOP), in 4 KiB pages private to each space.
 */
#ifndef TRIAD_KERNEL_PAGING_H
#define TRIAD_KERNEL_PAGING_H
#include <stdint.h>

#define USER_BASE 0x40000000ull
#define USER_TOP  0x80000000ull

#define PTE_P   0x001ull
#define PTE_W   0x002ull
#define PTE_U   0x004ull
#define PTE_PWT 0x008ull
#define PTE_PCD 0x010ull
#define PTE_PS  0x080ull
#define PTE_COW 0x200ull    /* software bit: read-only now, private copy on the first write */
#define PTE_FOREIGN 0x400ull /* software bit: a frame the space does not own (channel page): never freed, copied or inherited */
#define PTE_ADDR 0x000FFFFFFFFFF000ull

struct address_space {
    uint64_t pml4;          /* physical */
    uint64_t pdpt;
    uint64_t pages;         /* user pages mapped (for accounting) */
};

void paging_init(void);
uint64_t kernel_cr3(void);
/* 1 if the kernel maps physical `phys` (low GiB, MMIO GiB, or added by paging_kernel_map). */
int paging_kernel_reachable(uint64_t phys);
/* Identity-maps the 2 MiB page holding `phys` (below 512 GiB) in the kernel's tables.  1 ok, 0 not possible. */
int paging_kernel_map(uint64_t phys);

/* 0 on success, -1 when out of memory.  The space starts with no user pages. */
int as_create(struct address_space *as);
/* Maps one user page at `va` to a fresh zeroed frame; returns its physical address or 0. */
uint64_t as_map_new(struct address_space *as, uint64_t va, int writable);
/* Physical address backing user address `va`, 0 if unmapped or foreign.  `writable` set if the page is. */
uint64_t as_lookup(const struct address_space *as, uint64_t va, int *writable);
/* Fork: `dst` maps every user page of `src` to the same frame.  Writable
   pages become read-only and copy-on-write in both; read-only pages (text)
   are simply shared.  0 ok, -1 out of memory (dst then holds a partial
   copy that as_destroy releases). */
int as_clone(struct address_space *dst, const struct address_space *src);
/* Physical address backing user address `va` for a write by the kernel on
   the process's behalf: a copy-on-write page is made private first.  0 if
   unmapped, read-only or out of memory. */
uint64_t as_lookup_write(struct address_space *as, uint64_t va);
/* A user write fault at `va` in the active space: 1 if it was a
   copy-on-write page, now private and writable (retry the instruction). */
int as_cow_fault(uint64_t va);
/* Maps user page `va` to the frame at `phys` that the space does not own
   (a channel page outside the kernel's memory pool): PTE_FOREIGN, uncached
   like the kernel's own alias of the channel window.  0 ok, -1 if `va` is
   outside the user window, already mapped, or a table cannot be had. */
int as_map_foreign(struct address_space *as, uint64_t va, uint64_t phys, int writable);
/* The frame of the PTE_FOREIGN mapping at page `va`, 0 if there is none
   (as_lookup ignores foreign pages). */
uint64_t as_lookup_foreign(const struct address_space *as, uint64_t va);
/* Removes a PTE_FOREIGN mapping at `va` (nothing else); 1 if one was removed. */
int as_unmap_foreign(struct address_space *as, uint64_t va);
/* Frees every user page and every table. */
void as_destroy(struct address_space *as);
void as_activate(const struct address_space *as);
#endif
