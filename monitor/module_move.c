/*
 * The module mover's planner (module_move.h): where each module that sits
 * in a sandbox region can go instead.  First fit from the bottom of the
 * monitor's reservation: each obstacle hit moves the candidate past its
 * end, so at most one jump per obstacle.
 */
#include "module_move.h"

/*@ assigns \nothing; */
static int overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
    return (a0 < b1) && (b0 < a1);
}

/* Rounds up to MM_ALIGN; 0 when that would pass 2^64. */
/*@ assigns \nothing; */
static uint64_t align_up(uint64_t v)
{
    if (v > (UINT64_MAX - (MM_ALIGN - 1u))) {
        return 0;
    }
    return (v + (MM_ALIGN - 1u)) & ~((uint64_t)MM_ALIGN - 1u);
}

uint64_t mm_find_room(uint64_t size, uint64_t lo, uint64_t hi, const struct mm_range *avoid, uint32_t n)
{
    uint64_t at = align_up(lo);
    /*@ loop assigns pass, at; loop variant n + 1 - pass; */
    for (uint32_t pass = 0; pass <= n; pass++) {
        if ((at == 0u) || (at >= hi) || (size > (hi - at))) {
            return 0;
        }
        int moved = 0;
        /*@ loop assigns k, at, moved; loop variant n - k; */
        for (uint32_t k = 0; (k < n) && (moved == 0); k++) {
            if (overlaps(at, at + size, avoid[k].start, avoid[k].end) != 0) {
                at = align_up(avoid[k].end);
                moved = 1;
            }
        }
        if (moved == 0) {
            return at;
        }
    }
    return 0;
}

int mm_plan(const struct mm_range *items, uint32_t nitems, const struct mm_range *busy, uint32_t nbusy,
            const struct mm_range *fixed, uint32_t nfixed, uint64_t lo, uint64_t hi, uint64_t *dest)
{
    struct mm_range avoid[MM_MAX_AVOID];
    uint32_t n = 0;
    /*@ loop assigns i, n, avoid[0 .. MM_MAX_AVOID - 1]; loop variant nbusy - i; */
    for (uint32_t i = 0; (i < nbusy) && (n < MM_MAX_AVOID); i++) {
        avoid[n] = busy[i];
        n++;
    }
    /*@ loop assigns i, n, avoid[0 .. MM_MAX_AVOID - 1]; loop variant nfixed - i; */
    for (uint32_t i = 0; (i < nfixed) && (n < MM_MAX_AVOID); i++) {
        avoid[n] = fixed[i];
        n++;
    }
    /*@ loop assigns i, n, avoid[0 .. MM_MAX_AVOID - 1]; loop variant nitems - i; */
    for (uint32_t i = 0; (i < nitems) && (n < MM_MAX_AVOID); i++) {
        avoid[n] = items[i];
        n++;
    }
    int moves = 0;
    /*@ loop assigns i, n, moves, avoid[0 .. MM_MAX_AVOID - 1], dest[0 .. nitems - 1];
        loop variant nitems - i; */
    for (uint32_t i = 0; i < nitems; i++) {
        dest[i] = items[i].start;
        int in_busy = 0;
        /*@ loop assigns k, in_busy; loop variant nbusy - k; */
        for (uint32_t k = 0; k < nbusy; k++) {
            in_busy |= overlaps(items[i].start, items[i].end, busy[k].start, busy[k].end);
        }
        if ((in_busy == 0) || (items[i].end <= items[i].start)) {
            continue;
        }
        const uint64_t size = items[i].end - items[i].start;
        const uint64_t at = mm_find_room(size, lo, hi, avoid, n);
        if ((at == 0u) || (n >= MM_MAX_AVOID)) {
            return -1;
        }
        dest[i] = at;
        avoid[n].start = at;
        avoid[n].end = at + size;
        n++;
        moves++;
    }
    return moves;
}
