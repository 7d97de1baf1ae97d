/*
 * Extended page tables built into a caller-supplied pool of 4 KiB pages.
 * Pure C with no hardware access, so the host unit tests build and walk the
 * very tables the monitor installs.  Every table page of the pool has a
 * "physical" address phys_base + index * 4096: in the monitor (identity
 * mapped) that is the page's own address, in the tests any chosen value.
 *
 * A mapping is inserted with 2 MiB leaf entries wherever both addresses are
 * 2 MiB aligned and at least 2 MiB remain, else 4 KiB entries.  Nothing is
 * ever overwritten: mapping a guest page twice is refused, which is how the
 * monitor guarantees that the permissions it computed are the ones in force.
 */
#ifndef TRIAD_MONITOR_VMX_EPT_H
#define TRIAD_MONITOR_VMX_EPT_H

#include <stdint.h>

#define EPT_READ        0x1u
#define EPT_WRITE       0x2u
#define EPT_EXEC        0x4u
#define EPT_RWX         (EPT_READ | EPT_WRITE | EPT_EXEC)
#define EPT_PERM_MASK   0x7u
#define EPT_MT_UC       0u
#define EPT_MT_WB       6u
#define EPT_LARGE       (1ull << 7)
#define EPT_ADDR_MASK   0x000FFFFFFFFFF000ull
#define EPT_MAX_GPA     (1ull << 39)   /* one PML4 entry: 512 GiB of guest space */
#define EPT_MAX_HPA     (1ull << 46)
#define EPT_PAGE        0x1000ull
#define EPT_LARGE_PAGE  0x200000ull
#define EPT_ENTRIES     512u

/* The same walker builds AMD nested page tables (NPT): the tree shape is
   identical (four levels, 2 MiB leaves at the PD level, bit 7 = large), only
   the bits of an entry differ.  A pool's format picks the encoding; the
   mapping description (gpa, hpa, size, R/W/X, UC/WB) stays the same. */
#define SLAT_FORMAT_EPT 0u
#define SLAT_FORMAT_NPT 1u
#define NPT_PRESENT     (1ull << 0)
#define NPT_WRITE       (1ull << 1)
#define NPT_USER        (1ull << 2)   /* nested walks are user accesses: set at every level */
#define NPT_PWT         (1ull << 3)
#define NPT_PCD         (1ull << 4)
#define NPT_LARGE       (1ull << 7)
#define NPT_NX          (1ull << 63)  /* honoured with the host's EFER.NXE set */

enum ept_error {
    EPT_OK = 0,
    EPT_ERR_ALIGN = -1,     /* address or size not 4 KiB aligned, or size 0 */
    EPT_ERR_RANGE = -2,     /* beyond EPT_MAX_GPA / EPT_MAX_HPA or wrapping */
    EPT_ERR_PERM = -3,      /* no access, or write without read (a misconfiguration) */
    EPT_ERR_OVERLAP = -4,   /* a page of the range is already mapped */
    EPT_ERR_NOMEM = -5,     /* the pool has no free table page */
    EPT_ERR_MEMTYPE = -6,   /* neither UC nor WB */
};

/* One table page.  A struct rather than a bare array so that a range of
   whole pages, pool->pages[0 .. capacity - 1], is an lvalue ACSL can name
   in an assigns clause: WP then checks that a write falls in the pool as
   one linear range of entries, where a 2-D range [0 .. n - 1][0 .. 511]
   asks the provers for the row of each entry, which they do not find. */
typedef struct {
    uint64_t e[EPT_ENTRIES];
} ept_table;

struct ept_pool {
    ept_table *pages;       /* capacity table pages, 4 KiB aligned */
    uint64_t phys_base;     /* physical address of pages[0] */
    uint32_t capacity;
    uint32_t used;          /* pages[0] is the root (PML4) once initialised */
    uint32_t format;        /* SLAT_FORMAT_EPT (ept_init's default) or SLAT_FORMAT_NPT */
};

struct ept_mapping {
    uint64_t gpa;
    uint64_t hpa;
    uint64_t size;
    uint32_t perm;          /* EPT_READ | EPT_WRITE | EPT_EXEC */
    uint32_t memtype;       /* EPT_MT_UC or EPT_MT_WB */
};

/* The pool header only read (\valid_read: EVA judges \valid false through
   the const pointers of the functions that only read it); the functions
   that allocate (and so write used) require \valid(pool) besides. */
/*@ predicate ept_pool_ok(struct ept_pool *p) =
        \valid_read(p) && p->used <= p->capacity && p->capacity >= 1 &&
        \valid(p->pages + (0 .. p->capacity - 1));
*/

/* The EPT invariant (REQ MON-EPTMAP-001), entry by entry: what a table
   entry of a pool may hold.  Spelled with the same operators as the code
   that writes entries, so that the provers compare terms, not bits.
   A non-leaf entry points to one of the pool's own pages (the table bits
   are 7 in both formats: EPT R|W|X, NPT present|write|user). */
/* A mapping's leaf bits in a pool's format, as ACSL (leaf_bits in ept.c
   computes the same): a macro rather than a logic function, so that WP's
   simplifier sees the same terms on both sides.  Written as a sum of
   disjoint bits (perm < 8 and memtype is 0 or 6 once check_mapping passed,
   so + is |): linear arithmetic the provers decide, where the same value
   as a chain of | needs associativity and commutativity they do not know. */
#define SLAT_LEAF_BITS(format, perm, memtype, large) \
    (((format) != SLAT_FORMAT_NPT) ? \
        (((perm) + ((memtype) * 8)) + (((large) != 0) ? EPT_LARGE : 0)) : \
        ((((((NPT_PRESENT + NPT_USER) + ((((perm) & EPT_WRITE) != 0) ? NPT_WRITE : 0)) + \
            (((memtype) == EPT_MT_UC) ? (NPT_PCD + NPT_PWT) : 0)) + \
           (((large) != 0) ? NPT_LARGE : 0)) + ((((perm) & EPT_EXEC) != 0) ? 0 : NPT_NX))))

/*@ // A leaf of a host range: an address inside [hpa, hpa + size) with
    // exactly the given permissions and memory type, 4 KiB or 2 MiB (the
    // leaf disjunct of slat_entry_ok; the sandbox level names it).  One
    // disjunct per leaf size, the size a constant: the bits then fold to the
    // same term as the code's (map_step's LEAF_AT).  The witness is the
    // address itself, a bare argument of |, not hpa + offset: a prover finds
    // it by matching the | term of the entry written (arithmetic such as
    // hpa + off cannot be matched).  Session 7's first form, an offset and
    // the size both existential, was not proved by z3 or cvc4.
    predicate slat_leaf(integer format, integer hpa, integer size, integer perm, integer memtype,
                        integer e) =
      (\exists integer a; hpa <= a < hpa + size &&
         e == (a | SLAT_LEAF_BITS(format, perm, memtype, 0))) ||
      (\exists integer a; hpa <= a < hpa + size &&
         e == (a | SLAT_LEAF_BITS(format, perm, memtype, 1)));
*/

/*@ logic integer slat_table_bits = 7;

    // What an entry of a pool (pages at base, cap of them, in format) may
    // hold once a mapping of size bytes at host address hpa with perm and
    // memtype is in: empty, one of the pool's own tables, or a leaf of the
    // mapping (an address inside its host range, its declared permissions
    // and memory type, 4 KiB or 2 MiB).  Integers only, no memory: the
    // invariant composes across calls by logic alone.
    predicate slat_entry_ok(integer base, integer cap, integer format, integer hpa, integer size,
                            integer perm, integer memtype, integer e) =
      e == 0 ||
      (\exists integer u; 0 <= u < cap && e == ((base + u * EPT_PAGE) + slat_table_bits)) ||
      slat_leaf(format, hpa, size, perm, memtype, e);

    // From L1 to L2 every entry of the pool's tables either kept its value
    // or holds what slat_entry_ok allows: nothing else was written.
    predicate slat_kept{L1, L2}(ept_table *pages, integer base, integer cap, integer format,
                                integer hpa, integer size, integer perm, integer memtype) =
      \forall integer j, k; 0 <= j < cap && 0 <= k < EPT_ENTRIES ==>
        \at(pages[j].e[k], L2) == \at(pages[j].e[k], L1) ||
        slat_entry_ok(base, cap, format, hpa, size, perm, memtype, \at(pages[j].e[k], L2));

    // Two steps that each keep the invariant keep it together: how the
    // proofs chain the calls of one mapping.
    lemma slat_kept_trans{L1, L2, L3}:
      \forall ept_table *pages, integer base, cap, format, hpa, size, perm, memtype;
        slat_kept{L1, L2}(pages, base, cap, format, hpa, size, perm, memtype) &&
        slat_kept{L2, L3}(pages, base, cap, format, hpa, size, perm, memtype) ==>
        slat_kept{L1, L3}(pages, base, cap, format, hpa, size, perm, memtype);

    // Allocating tables (no leaf: size 0) keeps the invariant of any mapping.
    lemma slat_kept_tables{L1, L2}:
      \forall ept_table *pages, integer base, cap, format, hpa, size, perm, memtype;
        slat_kept{L1, L2}(pages, base, cap, format, 0, 0, 0, 0) ==>
        slat_kept{L1, L2}(pages, base, cap, format, hpa, size, perm, memtype);
*/

/*@ // An entry that grants no access whatever its address: EPT read, write
    // and execute all clear (not present), NPT present clear.
    predicate slat_no_access(integer format, integer e) =
      (format != SLAT_FORMAT_NPT ==> e % 8 == 0) && (format == SLAT_FORMAT_NPT ==> e % 2 == 0);

    // From L1 to L2 every entry kept its value or grants no access any
    // more: what revoking (ept_set_perm with perm 0) may do.
    predicate slat_revoked{L1, L2}(ept_table *pages, integer cap, integer format) =
      \forall integer j, k; 0 <= j < cap && 0 <= k < EPT_ENTRIES ==>
        \at(pages[j].e[k], L2) == \at(pages[j].e[k], L1) || slat_no_access(format, \at(pages[j].e[k], L2));

    // An empty entry grants nothing, in either format (the provers do not
    // evaluate 0 % 8 under a case split on their own).  Here, before the
    // sandbox lemmas (ept_sandbox.h), which z3 would otherwise take as
    // hypotheses (1,415,518 of its 1,500,000 steps after the channel
    // lemmas; 897,122 here with the sandbox predicates declared).
    lemma slat_no_access_zero:
      \forall integer format; slat_no_access(format, 0);
*/

/* Empties the pool (every page, not only the root) and allocates its root table. */
/*@ requires \valid(pool);
    requires capacity >= 1 && pages != \null ==> \valid(pages + (0 .. capacity - 1));
    requires capacity >= 1 && pages != \null ==> \separated(pool, pages + (0 .. capacity - 1));
    assigns *pool, pages[0 .. capacity - 1];
    ensures capacity == 0 || phys_base % EPT_PAGE != 0 ==> \result == EPT_ERR_NOMEM;
    ensures \result == EPT_OK ==> pool->used == 1;
    ensures EPT_POOL_IN_RANGE: \result == EPT_OK ==>
              pool->phys_base + pool->capacity * EPT_PAGE <= EPT_MAX_HPA;
    ensures SLAT_EMPTY: \result == EPT_OK ==> \forall integer j, k;
              0 <= j < capacity && 0 <= k < EPT_ENTRIES ==> pages[j].e[k] == 0;
    ensures pool->format == SLAT_FORMAT_EPT;
    // The pool's header as given, whatever the result (what a caller's
    // contract about pages, phys_base and capacity rests on).
    ensures EPT_INIT_POOL: pool->pages == pages && pool->phys_base == phys_base &&
              pool->capacity == capacity;
    ensures EPT_INIT_PAGES: \result == EPT_OK ==> pages != \null && capacity >= 1; */
int ept_init(struct ept_pool *pool, ept_table *pages, uint64_t phys_base, uint32_t capacity);

/* Maps [gpa, gpa + size) to [hpa, hpa + size) with perm and memtype. */
/*@ requires ept_pool_ok(pool) && \valid(pool) && \valid_read(m);
    requires EPT_POOL_IN_RANGE: pool->phys_base + pool->capacity * EPT_PAGE <= EPT_MAX_HPA;
    requires \separated(pool, m, pool->pages + (0 .. pool->capacity - 1));
    assigns pool->used, pool->pages[0 .. pool->capacity - 1];
    ensures EPT_REFUSES_BAD_PERM: (m->perm & EPT_READ) == 0 ==> \result != EPT_OK;
    ensures EPT_POOL_BOUNDED: pool->used <= pool->capacity;
    ensures REQ_MON_EPTMAP_001: slat_kept{Pre, Post}(\old(pool->pages), \old(pool->phys_base),
              \old(pool->capacity), \old(pool->format), \old(m->hpa), \old(m->size),
              \old(m->perm), \old(m->memtype)); */
int ept_map(struct ept_pool *pool, const struct ept_mapping *m);

/* Rewrites the access of pages already mapped in [gpa, gpa + size): perm
   0 revokes every access (the entry keeps its address and memory type, so
   it can be granted again), otherwise perm must hold EPT_READ.  Nothing is
   allocated: remote driver recovery moves a device between sandboxes at
   run time this way (the standby's tables are built at boot with the BARs
   revoked).  A 2 MiB leaf is rewritten only when the range covers it.
   EPT_ERR_RANGE when a page of the range was never mapped; the caller
   flushes the cached translations. */
/*@ requires ept_pool_ok(pool);
    requires \separated(pool, pool->pages + (0 .. pool->capacity - 1));
    assigns pool->pages[0 .. pool->capacity - 1];
    ensures EPT_SETPERM_BAD_PERM: perm != 0 && (perm & EPT_READ) == 0 ==> \result != EPT_OK;
    ensures SETPERM_KEPT: perm == 0 ==> slat_revoked{Pre, Post}(\old(pool->pages), \old(pool->capacity),
              \old(pool->format)); */
int ept_set_perm(struct ept_pool *pool, uint64_t gpa, uint64_t size, uint32_t perm);

/* The EPT pointer for the VMCS: WB page walks, 4 levels. */
/*@ requires ept_pool_ok(pool);
    assigns \nothing;
    ensures (\result & 0xFFF) == 0x1E; */
uint64_t ept_pointer(const struct ept_pool *pool);

/* The nested CR3 for the VMCB: the root table's physical address. */
/*@ requires ept_pool_ok(pool);
    assigns \nothing;
    ensures (\result & 0xFFF) == 0; */
uint64_t npt_root(const struct ept_pool *pool);

/*@ assigns \nothing; */
const char *ept_strerror(int err);

#endif
