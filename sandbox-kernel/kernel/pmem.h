/*
 * Physical page allocator: a bitmap over the RAM the multiboot2 memory map
 * declares (and never beyond it), minus the kernel image, the boot block and
 * the modules.  Pages come back zeroed.  Free-page counts let tests prove
 * that nothing leaks.
 */
#ifndef TRIAD_KERNEL_PMEM_H
#define TRIAD_KERNEL_PMEM_H
#include <stdint.h>
#include "bootinfo.h"

#define PAGE_SIZE 4096ull
/* The kernel's direct map covers the first GiB; RAM above it is not used. */
#define PMEM_LIMIT (1ull << 30)

void pmem_init(const struct boot_info *bi, uint64_t kernel_start, uint64_t kernel_end);
uint64_t pmem_alloc(void);          /* physical address of a zeroed page, 0 when exhausted */
/* Drops one reference: the page returns to the pool when its last sharer lets go. */
void pmem_free(uint64_t phys);
/* One more address space maps the page (copy-on-write fork). */
void pmem_share(uint64_t phys);
/* How many other references the page has besides one (0 = a single owner). */
unsigned pmem_sharers(uint64_t phys);
uint64_t pmem_free_pages(void);
uint64_t pmem_total_pages(void);
#endif
