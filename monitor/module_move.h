/*
 * Modules out of the sandboxes' way.  GRUB puts the modules just above the
 * kernel it loads; through the tboot entry that kernel is tboot, so they
 * land tens of MiB up (about 42 MiB on QEMU), inside the regions a system
 * description gives its sandboxes when the monitor reserves less (uav-tmr:
 * 32 MiB).  Before any sandbox region is erased, the monitor moves every
 * module, and the multiboot2 information block its names live in, that lies
 * in a sandbox region into free memory of its own reservation.  The
 * planner is pure (host-tested); the move itself is in sandbox.c's caller.
 */
#ifndef TRIAD_MONITOR_MODULE_MOVE_H
#define TRIAD_MONITOR_MODULE_MOVE_H

#include <stdint.h>

#define MM_MAX_ITEMS  17u     /* the modules (MB2_MAX_MODULES) and the information block */
#define MM_MAX_AVOID  128u    /* everything a destination must stay clear of */
#define MM_ALIGN      4096u

struct mm_range {
    uint64_t start;           /* [start, end) */
    uint64_t end;
};

/* The lowest MM_ALIGN-aligned start s in [lo, hi) with [s, s + size)
   inside [lo, hi) and clear of every avoid range; 0 when there is none
   (lo is above 0 in every use: page 0 is never a destination). */
/*@ requires n <= MM_MAX_AVOID && \valid_read(avoid + (0 .. n - 1));
    requires lo > 0;
    assigns \nothing;
    ensures \result == 0 || (\result >= lo && \result % MM_ALIGN == 0 && size <= hi - \result); */
uint64_t mm_find_room(uint64_t size, uint64_t lo, uint64_t hi, const struct mm_range *avoid, uint32_t n);

/* Plans a new home in [lo, hi) for every item that overlaps a busy range
   (the sandbox regions): dest[i] = its new start, or its own start when it
   stays.  Destinations avoid the busy ranges, every fixed range (the monitor
   image, memory that is not RAM), every item where it is now and every
   destination chosen before, so the moves can be made one by one in any
   order with a plain forward copy.  Returns the number of items to move, or
   -1 when one does not fit (nothing should then be moved). */
/*@ requires nitems <= MM_MAX_ITEMS && \valid_read(items + (0 .. nitems - 1));
    requires nbusy + nfixed + 2 * nitems <= MM_MAX_AVOID;
    requires \valid_read(busy + (0 .. nbusy - 1)) && \valid_read(fixed + (0 .. nfixed - 1));
    requires \valid(dest + (0 .. nitems - 1)) && lo > 0;
    assigns dest[0 .. nitems - 1]; */
int mm_plan(const struct mm_range *items, uint32_t nitems, const struct mm_range *busy, uint32_t nbusy,
            const struct mm_range *fixed, uint32_t nfixed, uint64_t lo, uint64_t hi, uint64_t *dest);

#endif
