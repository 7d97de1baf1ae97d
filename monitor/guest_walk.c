/* Guest linear -> guest-physical, and instruction bytes (see guest_walk.h). */
#include "guest_walk.h"

#define CR0_PG        (1ULL << 31)
#define CR4_PAE       (1ULL << 5)
#define CR4_LA57      (1ULL << 12)
#define EFER_LMA      (1ULL << 10)
#define PTE_PRESENT   1ULL
#define PTE_LARGE     (1ULL << 7)
#define PTE_ADDR      0x000FFFFFFFFFF000ULL

int guest_code_size(const struct guest_paging *pg)
{
    int size = GUEST_CODE_16;
    if (((pg->efer & EFER_LMA) != 0u) && (pg->cs_long != 0u)) {
        size = GUEST_CODE_64;
    } else if (pg->cs_32 != 0u) {
        size = GUEST_CODE_32;
    } else {
        /* 16-bit code: not decoded */
    }
    return size;
}

/* The 8-byte table entry at guest-physical gpa, when it lies inside the RAM. */
/*@ requires \valid(e);
    requires mem_size == 0 || \valid_read(ram + (0 .. mem_size - 1));
    assigns *e;
    ensures \result == 0 || \result == -1; */
static int read_entry(const uint8_t *ram, uint64_t mem_size, uint64_t gpa, uint64_t *e)
{
    int result = -1;
    if ((mem_size >= 8u) && (gpa <= (mem_size - 8u))) {
        uint64_t v = 0u;
        /*@ loop assigns k, v; loop variant 8 - k; */
        for (uint32_t k = 0u; k < 8u; k++) {
            const uint64_t byte = ram[gpa + k];
            const uint32_t shift = 8u * k;
            v |= byte << shift;
        }
        *e = v;
        result = 0;
    }
    return result;
}

/* The 4-level long-mode walk; -1 when a level is missing or outside the RAM. */
/*@ requires \valid_read(pg) && \valid(out);
    requires mem_size == 0 || \valid_read(ram + (0 .. mem_size - 1));
    assigns *out;
    ensures \result == 0 || \result == -1; */
static int walk_long_mode(const uint8_t *ram, uint64_t mem_size, const struct guest_paging *pg,
                          uint64_t lin, uint64_t *out)
{
    uint64_t table = pg->cr3 & PTE_ADDR;
    int result = 1;                                       /* 1: still walking */
    /*@ loop assigns level, table, result, *out; loop variant level; */
    for (uint32_t level = 4u; (level > 0u) && (result == 1); level--) {
        const uint32_t shift = 12u + (9u * (level - 1u));
        uint64_t e = 0u;
        if ((read_entry(ram, mem_size, table + (((lin >> shift) & 511u) * 8u), &e) != 0) ||
            ((e & PTE_PRESENT) == 0u)) {
            result = -1;
        } else if ((level == 1u) || (((level == 2u) || (level == 3u)) && ((e & PTE_LARGE) != 0u))) {
            const uint64_t offset_mask = (1ULL << shift) - 1u;
            *out = ((e & PTE_ADDR) & ~offset_mask) | (lin & offset_mask);
            result = 0;
        } else {
            table = e & PTE_ADDR;
        }
    }
    return (result == 0) ? 0 : -1;
}

int guest_linear_to_phys(const uint8_t *ram, uint64_t mem_size, const struct guest_paging *pg,
                         uint64_t lin, uint64_t *gpa)
{
    uint64_t out = 0u;
    int result;
    if ((pg->cr0 & CR0_PG) == 0u) {
        out = lin & 0xFFFFFFFFULL;                        /* no paging: linear is physical */
        result = 0;
    } else if (((pg->efer & EFER_LMA) == 0u) || ((pg->cr4 & CR4_PAE) == 0u) || ((pg->cr4 & CR4_LA57) != 0u)) {
        result = -1;                                      /* 32-bit, PAE or 5-level paging */
    } else {
        result = walk_long_mode(ram, mem_size, pg, lin, &out);
    }
    if ((result == 0) && (out < mem_size)) {
        *gpa = out;
    } else {
        result = -1;
    }
    return result;
}

uint32_t guest_fetch(const uint8_t *ram, uint64_t mem_size, const struct guest_paging *pg,
                     uint64_t lin, uint8_t *out, uint32_t n)
{
    uint64_t gpa = 0u;
    uint32_t got = 0u;
    int reachable = 1;
    /*@ loop assigns i, gpa, got, reachable, out[0 .. n - 1]; loop variant n - i; */
    for (uint32_t i = 0u; (i < n) && (reachable != 0); i++) {
        const uint64_t at = lin + i;
        /* translate at the first byte and where the instruction enters its next page */
        if ((i == 0u) || ((at & 0xFFFu) == 0u)) {
            if (guest_linear_to_phys(ram, mem_size, pg, at, &gpa) != 0) {
                reachable = 0;
            }
        } else {
            gpa++;
            if (gpa >= mem_size) {
                reachable = 0;
            }
        }
        if (reachable != 0) {
            out[i] = ram[gpa];
            got = i + 1u;
        }
    }
    return got;
}
