/*
 * Moves the modules (and the multiboot2 information block their names and
 * the command line live in) out of the sandbox regions, before any region
 * is erased: the plan is module_move.c's, the copies are made here.  Needed
 * through the tboot entry (module_move.h); a no-op when GRUB put everything
 * inside the monitor's reservation.
 */
#include "module_apply.h"
#include "module_move.h"
#include "console.h"
#include "partition/validate.h"

#define IDENTITY_LIMIT 0x100000000ull    /* the monitor's own map: low 4 GiB */

extern uint8_t __monitor_start[], __monitor_end[];

/*@ assigns \nothing; */
static int same(const char *a, const char *b)
{
    uint32_t k = 0;
    /*@ loop assigns k; loop variant 64 - k; */
    while ((k < 64u) && (a != 0) && (b != 0) && (a[k] != '\0') && (a[k] == b[k])) {
        k++;
    }
    return (a != 0) && (b != 0) && (k < 64u) && (a[k] == b[k]);
}

/* A pointer into the old information block, rebased to its new place. */
/*@ assigns \nothing; */
static const char *rebase(const char *p, uint64_t from, uint64_t to, uint64_t size)
{
    const uint64_t a = (uint64_t)(uintptr_t)p;
    if ((p == 0) || (a < from) || ((a - from) >= size)) {
        return p;
    }
    return (const char *)(uintptr_t)(to + (a - from));
}

/*@ assigns \nothing; */
static void copy(uint64_t to, uint64_t from, uint64_t n)
{
    uint8_t *d = (uint8_t *)(uintptr_t)to;
    const uint8_t *s = (const uint8_t *)(uintptr_t)from;
    /*@ loop assigns i; loop variant n - i; */
    for (uint64_t i = 0; i < n; i++) {
        d[i] = s[i];
    }
}

int modules_out_of_sandboxes(struct boot_info *b, uint32_t info_phys)
{
    const struct mb2_module *m = 0;
    /*@ loop assigns i, m; loop variant MB2_MAX_MODULES - i; */
    for (uint32_t i = 0; (i < b->module_count) && (i < MB2_MAX_MODULES); i++) {
        if (same(b->modules[i].name, "system.bin") != 0) {
            m = &b->modules[i];
        }
    }
    const struct triad_system_table *t = 0;
    if ((m == 0) || (triad_table_validate((const void *)(uintptr_t)m->start, m->end - m->start, &t) != TRIAD_TABLE_OK)
        || (t == 0)) {
        return 0;                       /* sandboxes_prepare refuses it, naming why */
    }
    const struct triad_table_body *table = &t->body;
    struct mm_range busy[TRIAD_MAX_SANDBOXES];
    struct mm_range fixed[1u + MB2_MAX_REGIONS];
    struct mm_range items[MM_MAX_ITEMS];
    uint64_t dest[MM_MAX_ITEMS];
    uint32_t nbusy = 0;
    uint32_t nfixed = 0;
    uint32_t nitems = 0;
    /*@ loop assigns i, nbusy, busy[0 .. TRIAD_MAX_SANDBOXES - 1]; loop variant TRIAD_MAX_SANDBOXES - i; */
    for (uint32_t i = 0; (i < table->sandbox_count) && (i < TRIAD_MAX_SANDBOXES); i++) {
        busy[nbusy].start = table->sandboxes[i].mem_base;
        busy[nbusy].end = table->sandboxes[i].mem_base + table->sandboxes[i].mem_size;
        nbusy++;
    }
    fixed[nfixed].start = (uintptr_t)__monitor_start;
    fixed[nfixed].end = (uintptr_t)__monitor_end;
    nfixed++;
    /*@ loop assigns i, nfixed, fixed[0 .. MB2_MAX_REGIONS]; loop variant MB2_MAX_REGIONS - i; */
    for (uint32_t i = 0; (i < b->region_count) && (i < MB2_MAX_REGIONS); i++) {
        if (b->regions[i].type != (uint32_t)MB2_RAM) {
            fixed[nfixed].start = b->regions[i].base;
            fixed[nfixed].end = b->regions[i].base + b->regions[i].length;
            nfixed++;
        }
    }
    /*@ loop assigns i, nitems, items[0 .. MM_MAX_ITEMS - 1]; loop variant MB2_MAX_MODULES - i; */
    for (uint32_t i = 0; (i < b->module_count) && (i < MB2_MAX_MODULES); i++) {
        items[nitems].start = b->modules[i].start;
        items[nitems].end = b->modules[i].end;
        nitems++;
    }
    const uint64_t info_size = *(const volatile uint32_t *)(uintptr_t)info_phys;
    items[nitems].start = info_phys;
    items[nitems].end = info_phys + info_size;
    const uint32_t info_item = nitems;
    nitems++;
    uint64_t lo = table->platform.monitor_base;
    uint64_t hi = table->platform.monitor_base + table->platform.monitor_size;
    if (lo < (uintptr_t)__monitor_end) {
        lo = (uintptr_t)__monitor_end;
    }
    if (hi > IDENTITY_LIMIT) {
        hi = IDENTITY_LIMIT;
    }
    const int moves = mm_plan(items, nitems, busy, nbusy, fixed, nfixed, lo, hi, dest);
    if (moves < 0) {
        con_line("modules: a module lies in a sandbox region and the monitor's reservation has no room for it\n");
        return -1;
    }
    /*@ loop assigns i; loop variant nitems - i; */
    for (uint32_t i = 0; i < nitems; i++) {
        if (dest[i] == items[i].start) {
            continue;
        }
        copy(dest[i], items[i].start, items[i].end - items[i].start);
        con_line("modules: ");
        const char *what = "(unnamed)";
        if (i == info_item) {
            what = "multiboot2 information";
        } else if (b->modules[i].name != 0) {
            what = b->modules[i].name;
        } else {
            /* an unnamed module keeps the placeholder */
        }
        con_puts(what);
        con_puts(" moved out of a sandbox region: ");
        con_hex(items[i].start, 8);
        con_puts(" -> ");
        con_hex(dest[i], 8);
        con_puts("\n");
        if (i != info_item) {
            b->modules[i].start = (uint32_t)dest[i];
            b->modules[i].end = (uint32_t)(dest[i] + (items[i].end - items[i].start));
        }
    }
    if (dest[info_item] != items[info_item].start) {
        const uint64_t from = items[info_item].start;
        const uint64_t to = dest[info_item];
        b->cmdline = rebase(b->cmdline, from, to, info_size);
        b->loader = rebase(b->loader, from, to, info_size);
        /*@ loop assigns i; loop variant MB2_MAX_MODULES - i; */
        for (uint32_t i = 0; (i < b->module_count) && (i < MB2_MAX_MODULES); i++) {
            b->modules[i].name = rebase(b->modules[i].name, from, to, info_size);
        }
    }
    return moves;
}
