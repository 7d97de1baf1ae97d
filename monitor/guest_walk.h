/*
 * Reading the instruction a guest was executing: its linear address
 * translated through the guest's own page tables (which lie in the
 * sandbox's RAM at guest-physical 0), then its bytes read from that RAM.
 * Vendor-neutral: the backend fills struct guest_paging from its VMCS or
 * VMCB (virt_guest_paging).  Paging off (protected or real mode) and 4-level
 * long-mode paging with 4 KiB, 2 MiB and 1 GiB pages are walked; 32-bit and
 * PAE paging and 5-level paging are refused.  Every table entry read is
 * checked to lie inside the sandbox's RAM: a guest cannot make the monitor
 * read outside its own memory.  No heap; at most 4 levels per page and 2
 * pages per instruction.
 */
#ifndef TRIAD_MONITOR_GUEST_WALK_H
#define TRIAD_MONITOR_GUEST_WALK_H

#include <stdint.h>

struct guest_paging {
    uint64_t cr0;
    uint64_t cr3;
    uint64_t cr4;
    uint64_t efer;
    uint64_t cs_base;
    uint8_t cs_long;      /* CS.L: 64-bit code (with EFER.LMA) */
    uint8_t cs_32;        /* CS.D: 32-bit default operand/address size */
};

#define GUEST_CODE_16  16
#define GUEST_CODE_32  32
#define GUEST_CODE_64  64

/* The code size the guest runs at: 64 (long mode, CS.L), 32 (CS.D) or 16. */
/*@ requires \valid_read(pg);
    assigns \nothing;
    ensures \result == GUEST_CODE_16 || \result == GUEST_CODE_32 || \result == GUEST_CODE_64; */
int guest_code_size(const struct guest_paging *pg);

/* Linear address lin to guest-physical *gpa through the guest's tables in
   ram[0 .. mem_size-1].  0, or -1 (not mapped, an entry outside the RAM, a
   paging mode not walked). */
/*@ requires \valid_read(pg) && \valid(gpa);
    requires mem_size == 0 || \valid_read(ram + (0 .. mem_size - 1));
    assigns *gpa;
    ensures WALK_INSIDE: \result == 0 ==> *gpa < mem_size;
    ensures \result == 0 || \result == -1; */
int guest_linear_to_phys(const uint8_t *ram, uint64_t mem_size, const struct guest_paging *pg,
                         uint64_t lin, uint64_t *gpa);

/* Up to n (<= 15) bytes of guest memory from linear address lin into out;
   stops at the first byte whose page is not mapped.  Returns the bytes
   read (0 when the first is not reachable). */
/*@ requires n <= 15 && \valid(out + (0 .. n - 1));
    requires \valid_read(pg);
    requires mem_size == 0 || \valid_read(ram + (0 .. mem_size - 1));
    assigns out[0 .. n - 1];
    ensures \result <= n; */
uint32_t guest_fetch(const uint8_t *ram, uint64_t mem_size, const struct guest_paging *pg,
                     uint64_t lin, uint8_t *out, uint32_t n);

#endif
