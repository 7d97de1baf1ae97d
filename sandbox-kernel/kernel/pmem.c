#include "pmem.h"
#include "string.h"
#include "spinlock.h"
#include "printk.h"
#include "panic.h"

#define PAGES (PMEM_LIMIT / PAGE_SIZE)
static uint64_t used_bitmap[PAGES / 64];    /* 1 = not available */
static uint64_t free_count, total_count, search_hint;
/* Extra references of a page shared copy-on-write (at most MAX_PROCS - 1 < 255). */
static uint8_t extra_refs[PAGES];
static spinlock_t lock;

static void mark(uint64_t page, int used)
{
    if (used)
        used_bitmap[page / 64] |= 1ull << (page % 64);
    else
        used_bitmap[page / 64] &= ~(1ull << (page % 64));
}

static int is_used(uint64_t page) { return (used_bitmap[page / 64] >> (page % 64)) & 1; }

static void reserve(uint64_t start, uint64_t end)
{
    for (uint64_t p = start / PAGE_SIZE; p < (end + PAGE_SIZE - 1) / PAGE_SIZE && p < PAGES; p++)
        if (!is_used(p)) {
            mark(p, 1);
            free_count--;
        }
}

void pmem_init(const struct boot_info *bi, uint64_t kernel_start, uint64_t kernel_end)
{
    memset(used_bitmap, 0xFF, sizeof used_bitmap);
    for (unsigned i = 0; i < bi->ram_count; i++) {
        uint64_t s = (bi->ram[i].start + PAGE_SIZE - 1) / PAGE_SIZE;
        uint64_t e = bi->ram[i].end / PAGE_SIZE;
        for (uint64_t p = s; p < e && p < PAGES; p++)
            if (is_used(p)) {
                mark(p, 0);
                free_count++;
            }
    }
    reserve(0, 0x100000);                   /* real-mode area, BIOS data, boot leftovers */
    reserve(kernel_start, kernel_end);
    reserve(bi->info_start, bi->info_end);
    for (unsigned i = 0; i < bi->module_count; i++)
        reserve(bi->modules[i].start, bi->modules[i].end);
    total_count = free_count;
}

uint64_t pmem_alloc(void)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    for (uint64_t n = 0; n < PAGES / 64; n++) {
        uint64_t w = (search_hint + n) % (PAGES / 64);
        if (used_bitmap[w] == ~0ull)
            continue;
        unsigned bit = (unsigned)__builtin_ctzll(~used_bitmap[w]);
        uint64_t page = w * 64 + bit;
        mark(page, 1);
        free_count--;
        search_hint = w;
        spin_unlock_irqrestore(&lock, flags);
        memset((void *)(uintptr_t)(page * PAGE_SIZE), 0, PAGE_SIZE);
        return page * PAGE_SIZE;
    }
    spin_unlock_irqrestore(&lock, flags);
    return 0;
}

void pmem_free(uint64_t phys)
{
    uint64_t page = phys / PAGE_SIZE;
    if (phys % PAGE_SIZE != 0 || page >= PAGES || !is_used(page)) {
        printk("kernel: pmem_free of bad page %lx ignored\n", (unsigned long)phys);
        return;
    }
    uint64_t flags = spin_lock_irqsave(&lock);
    if (extra_refs[page] > 0) {
        extra_refs[page]--;
    } else {
        mark(page, 0);
        free_count++;
    }
    spin_unlock_irqrestore(&lock, flags);
}

void pmem_share(uint64_t phys)
{
    uint64_t page = phys / PAGE_SIZE;
    if (page >= PAGES || !is_used(page) || extra_refs[page] == 255) {
        panic("pmem_share of a free page or too many sharers");
    }
    uint64_t flags = spin_lock_irqsave(&lock);
    extra_refs[page]++;
    spin_unlock_irqrestore(&lock, flags);
}

unsigned pmem_sharers(uint64_t phys)
{
    uint64_t page = phys / PAGE_SIZE;
    return page < PAGES ? extra_refs[page] : 0;
}

uint64_t pmem_free_pages(void) { return free_count; }
uint64_t pmem_total_pages(void) { return total_count; }
