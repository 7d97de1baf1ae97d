/*
 * One sandbox's EPT from the validated system table: its RAM at
 * guest-physical 0, its channel pages in the channel window with one-way
 * permissions, its own LAPIC page and its devices' MMIO.  Nothing else: the
 * monitor, other sandboxes and unassigned MMIO stay unmapped, so touching
 * them is an EPT violation of this sandbox.
 */
#ifndef TRIAD_MONITOR_VMX_EPT_SANDBOX_H
#define TRIAD_MONITOR_VMX_EPT_SANDBOX_H

#include <stdint.h>
#include "ept.h"
#include "partition/system_table.h"

#define LAPIC_MMIO_BASE 0xFEE00000ull

/* The sandbox-level EPT invariant (REQ MON-EPTMAP-001 lifted from ept_map
   to a sandbox's whole pool): every entry of the pool grants no access, is
   one of the pool's own tables, or is a leaf of what the system table
   declares for the sandbox, with the declared permissions and memory type:
   its RAM (RWX, WB), a channel page with channel_page_perm's one-way access
   (WB), its LAPIC page when passed through (RW, UC), a BAR of one of its
   devices or of a device it is the declared standby of (RW, UC).  Every
   entry of the pool, not only those reachable from the root: ept_init
   empties every page, so nothing else can be found anywhere in it.
   The system table is a logic value here (the contracts pass *t), not a
   pointer read in memory: WP keeps the table's 64-bit fields and the pool's
   entries in one memory chunk, and the provers could not show the fields
   read by the predicates unchanged across ept_map's writes (session 7, ten
   goals left).  A whole *t read after a call equals the one before by one
   lemma of WP's memory model (its load is framed by \separated).  Only the
   channel permission reads memory (its 8-bit fields, which no EPT function
   writes; docs/proofs.md, session 8). */
/*@ predicate channel_reader_of{L}(struct triad_channel *c, integer sb) =
      \exists integer i; 0 <= i < c->reader_count && i < TRIAD_MAX_READERS && c->readers[i] == sb;

    predicate channel_shadow_of{L}(struct triad_channel *c, integer sb) =
      c->shadow_writer != 0 && c->shadow_writer == sb + 1;

    // The access channel_page_perm grants sandbox sb to a channel page:
    // reader < 0 the writer area, else reader's control page.  It reads
    // only 8-bit fields, which no EPT function writes (WP's 8-bit memory
    // is the same before and after ept_map), so it stays over memory.
    predicate channel_perm_is{L}(struct triad_channel *c, integer sb, integer reader, integer p) =
      (reader < 0 ==>
         (c->writer == sb ==> p == (EPT_READ | EPT_WRITE)) &&
         (c->writer != sb && channel_shadow_of(c, sb) ==> p == EPT_READ) &&
         (c->writer != sb && !channel_shadow_of(c, sb) ==>
            (channel_reader_of(c, sb) ==> p == EPT_READ) && (!channel_reader_of(c, sb) ==> p == 0))) &&
      (reader >= 0 ==>
         ((reader >= c->reader_count || reader >= TRIAD_MAX_READERS) ==> p == 0) &&
         (reader < c->reader_count && reader < TRIAD_MAX_READERS ==>
            (c->readers[reader] == sb ==> p == (EPT_READ | EPT_WRITE)) &&
            (c->readers[reader] != sb && channel_shadow_of(c, sb) ==> p == EPT_READ) &&
            (c->readers[reader] != sb && !channel_shadow_of(c, sb) ==>
               (c->writer == sb ==> p == EPT_READ) && (c->writer != sb ==> p == 0))));

    // A leaf the system table declares for sandbox sb (xapic: the LAPIC
    // page is passed through), one predicate per kind of leaf.
    // t is the table's value, tp where it is (for channel_perm_is).
    // A channel's writer area (reader -1) and its readers' control pages
    // are two existentials, not one over r with r < 0 ? ... : ...: a
    // prover finds an existential's witness by matching its terms, and an
    // if-then-else term cannot be matched.
    predicate sandbox_ram_leaf(struct triad_table_body t, integer sb, integer format, integer e) =
      slat_leaf(format, t.sandboxes[sb].mem_base, t.sandboxes[sb].mem_size, EPT_RWX, EPT_MT_WB, e);

    predicate sandbox_writer_leaf{L}(struct triad_table_body t, struct triad_table_body *tp, integer sb,
                                     integer format, integer e) =
      \exists integer i, integer p;
        0 <= i < t.channel_count && i < TRIAD_MAX_CHANNELS && p != 0 &&
        channel_perm_is(&tp->channels[i], sb, -1, p) &&
        slat_leaf(format, t.channel_area.host_base + t.channels[i].writer_offset, t.channels[i].writer_size,
                  p, EPT_MT_WB, e);

    predicate sandbox_reader_leaf{L}(struct triad_table_body t, struct triad_table_body *tp, integer sb,
                                     integer format, integer e) =
      \exists integer i, integer r, integer p;
        0 <= i < t.channel_count && i < TRIAD_MAX_CHANNELS && 0 <= r < TRIAD_MAX_READERS && p != 0 &&
        channel_perm_is(&tp->channels[i], sb, r, p) &&
        slat_leaf(format, t.channel_area.host_base + t.channels[i].reader_ctl_offset[r],
                  t.channels[i].reader_ctl_size, p, EPT_MT_WB, e);

    // Which BARs are the sandbox's: the indices and counts are 8-bit fields
    // read in memory (as channel_perm_is: no EPT function writes them).
    // Besides, they give the BAR's existential below a term to match its
    // witness against (the code's goal names this predicate), where the
    // value's fields alone gave the provers nothing (session 9: the lemmas
    // device_leaf and standby_leaf were not proved in that form).
    predicate device_bar_of{L}(struct triad_table_body *tp, integer sb, integer d, integer k, integer b) =
      0 <= d < tp->sandboxes[sb].device_count && d < TRIAD_MAX_SANDBOX_DEVICES &&
      tp->sandboxes[sb].devices[d] == k && k < TRIAD_MAX_PCI_DEVICES &&
      0 <= b < tp->platform.pci[k].bar_count && b < TRIAD_MAX_BARS;

    predicate standby_bar_of{L}(struct triad_table_body *tp, integer sb, integer i, integer b) =
      0 <= i < tp->platform.pci_count && i < TRIAD_MAX_PCI_DEVICES && tp->platform.pci[i].standby_ref == sb + 1 &&
      0 <= b < tp->platform.pci[i].bar_count && b < TRIAD_MAX_BARS;

    predicate sandbox_device_leaf{L}(struct triad_table_body t, struct triad_table_body *tp, integer sb,
                                     integer format, integer e) =
      \exists integer d, integer k, integer b;
        device_bar_of(tp, sb, d, k, b) &&
        slat_leaf(format, t.platform.pci[k].bars[b].base, t.platform.pci[k].bars[b].size,
                  EPT_READ | EPT_WRITE, EPT_MT_UC, e);

    predicate sandbox_standby_leaf{L}(struct triad_table_body t, struct triad_table_body *tp, integer sb,
                                      integer format, integer e) =
      \exists integer i, integer b;
        standby_bar_of(tp, sb, i, b) &&
        slat_leaf(format, t.platform.pci[i].bars[b].base, t.platform.pci[i].bars[b].size,
                  EPT_READ | EPT_WRITE, EPT_MT_UC, e);

    predicate sandbox_leaf_ok{L}(struct triad_table_body t, struct triad_table_body *tp, integer sb,
                                 integer format, integer xapic, integer e) =
      sandbox_ram_leaf(t, sb, format, e) ||
      sandbox_writer_leaf(t, tp, sb, format, e) ||
      sandbox_reader_leaf(t, tp, sb, format, e) ||
      (xapic != 0 && slat_leaf(format, LAPIC_MMIO_BASE, EPT_PAGE, EPT_READ | EPT_WRITE, EPT_MT_UC, e)) ||
      sandbox_device_leaf(t, tp, sb, format, e) ||
      sandbox_standby_leaf(t, tp, sb, format, e);

    // One entry of the pool (pages at base, cap of them): no access, one
    // of the pool's tables, or a declared leaf.
    predicate sandbox_entry_ok{L}(struct triad_table_body t, struct triad_table_body *tp, integer sb,
                                  integer xapic, integer base, integer cap, integer format, integer e) =
      slat_no_access(format, e) ||
      (\exists integer u; 0 <= u < cap && e == ((base + u * EPT_PAGE) + slat_table_bits)) ||
      sandbox_leaf_ok(t, tp, sb, format, xapic, e);

    // Every entry of the pool, the entries read at Lp, the channels'
    // 8-bit fields at Lt (the code passes Here for both).
    predicate sandbox_slat_ok{Lp, Lt}(struct triad_table_body t, struct triad_table_body *tp, integer sb,
                                      integer xapic, ept_table *pages, integer base, integer cap,
                                      integer format) =
      \forall integer j, k; 0 <= j < cap && 0 <= k < EPT_ENTRIES ==>
        sandbox_entry_ok{Lt}(t, tp, sb, xapic, base, cap, format, \at(pages[j].e[k], Lp));

    // A leaf as the code reads it (the table in memory at L) is a declared
    // leaf of the table's value at L: a BAR of the sandbox's devices or of a
    // device it is the standby of, a channel page, the RAM.  The code's
    // goal then has no existential to fill: WP's simplifier turns each
    // field of the loaded value the code names into the memory read, and
    // the provers did not match those reads against the predicate's value
    // fields to find the witness (session 9: map_channel_page's leaves, z3
    // unknown, cvc4 step limit, with the witness stated literally just
    // before).  These lemmas come first: a lemma is proved with the ones
    // before it as hypotheses, and the BARs' (five loads deep) were not
    // proved after the others.
    lemma device_leaf{L}:
      \forall struct triad_table_body *tp, integer sb, format, d, k, b, e;
        device_bar_of(tp, sb, d, k, b) &&
        slat_leaf(format, tp->platform.pci[k].bars[b].base, tp->platform.pci[k].bars[b].size,
                  EPT_READ | EPT_WRITE, EPT_MT_UC, e) ==>
        sandbox_device_leaf(*tp, tp, sb, format, e);

    lemma standby_leaf{L}:
      \forall struct triad_table_body *tp, integer sb, format, i, b, e;
        standby_bar_of(tp, sb, i, b) &&
        slat_leaf(format, tp->platform.pci[i].bars[b].base, tp->platform.pci[i].bars[b].size,
                  EPT_READ | EPT_WRITE, EPT_MT_UC, e) ==>
        sandbox_standby_leaf(*tp, tp, sb, format, e);

    lemma channel_writer_leaf{L}:
      \forall struct triad_table_body *tp, integer sb, format, i, p, e;
        0 <= i < tp->channel_count && i < TRIAD_MAX_CHANNELS && p != 0 &&
        channel_perm_is(&tp->channels[i], sb, -1, p) &&
        slat_leaf(format, tp->channel_area.host_base + tp->channels[i].writer_offset, tp->channels[i].writer_size,
                  p, EPT_MT_WB, e) ==>
        sandbox_writer_leaf(*tp, tp, sb, format, e);

    lemma channel_reader_leaf{L}:
      \forall struct triad_table_body *tp, integer sb, format, i, r, p, e;
        0 <= i < tp->channel_count && i < TRIAD_MAX_CHANNELS && 0 <= r < TRIAD_MAX_READERS && p != 0 &&
        channel_perm_is(&tp->channels[i], sb, r, p) &&
        slat_leaf(format, tp->channel_area.host_base + tp->channels[i].reader_ctl_offset[r],
                  tp->channels[i].reader_ctl_size, p, EPT_MT_WB, e) ==>
        sandbox_reader_leaf(*tp, tp, sb, format, e);

    lemma ram_leaf{L}:
      \forall struct triad_table_body *tp, integer sb, format, e;
        0 <= sb < TRIAD_MAX_SANDBOXES &&
        slat_leaf(format, tp->sandboxes[sb].mem_base, tp->sandboxes[sb].mem_size, EPT_RWX, EPT_MT_WB, e) ==>
        sandbox_ram_leaf(*tp, sb, format, e);

    // An entry one ept_map step may write (slat_entry_ok: empty, a table,
    // a leaf of the mapping) is a sandbox entry when every leaf of the
    // mapping is declared: the step below per entry, with sandbox_leaf_ok
    // left folded.
    lemma sandbox_entry_step{L}:
      \forall struct triad_table_body t, struct triad_table_body *tp, integer sb, xapic, integer base, cap,
              format, hpa, size, perm, memtype, e;
        slat_entry_ok(base, cap, format, hpa, size, perm, memtype, e) &&
        (\forall integer e2; slat_leaf(format, hpa, size, perm, memtype, e2) ==>
                             sandbox_leaf_ok(t, tp, sb, format, xapic, e2)) ==>
        sandbox_entry_ok(t, tp, sb, xapic, base, cap, format, e);

    // One ept_map step keeps it when every leaf of its mapping is declared
    // (slat_kept: entries kept or empty, a table, or a leaf of the mapping).
    lemma sandbox_slat_step{L1, L2, Lt}:
      \forall struct triad_table_body t, struct triad_table_body *tp, integer sb, xapic, ept_table *pages,
              integer base, cap, format, hpa, size, perm, memtype;
        sandbox_slat_ok{L1, Lt}(t, tp, sb, xapic, pages, base, cap, format) &&
        slat_kept{L1, L2}(pages, base, cap, format, hpa, size, perm, memtype) &&
        (\forall integer e; slat_leaf(format, hpa, size, perm, memtype, e) ==>
                            sandbox_leaf_ok{Lt}(t, tp, sb, format, xapic, e)) ==>
        sandbox_slat_ok{L2, Lt}(t, tp, sb, xapic, pages, base, cap, format);

    // Revoking keeps it: an entry that grants nothing is always allowed.
    lemma sandbox_slat_revoke{L1, L2, Lt}:
      \forall struct triad_table_body t, struct triad_table_body *tp, integer sb, xapic, ept_table *pages,
              integer base, cap, format;
        sandbox_slat_ok{L1, Lt}(t, tp, sb, xapic, pages, base, cap, format) &&
        slat_revoked{L1, L2}(pages, cap, format) ==>
        sandbox_slat_ok{L2, Lt}(t, tp, sb, xapic, pages, base, cap, format);

    // What validate.c's check_channel_area guarantees of a validated table
    // (the 2 GiB window, a host base inside RAM, RAM at most 2^52): a
    // channel page's window_gpa + offset and host_base + offset (offset
    // below 2^32) cannot wrap.
    predicate channel_area_bounded(struct triad_table_body t) =
      t.channel_area.window_gpa <= EPT_MAX_GPA && t.channel_area.host_base <= (1ull << 52);

    // The slat build precondition, one predicate for slat_build_sandbox and
    // ept_build_sandbox: the table readable, the pool header writable, the
    // pages (when given) writable and apart from both, the channel area
    // bounded.
    predicate slat_build_pre{L}(struct triad_table_body *t, struct ept_pool *pool, ept_table *pages,
                                integer capacity) =
      \valid_read(t) && \valid(pool) &&
      (capacity >= 1 && pages != \null ==> \valid(pages + (0 .. capacity - 1))) &&
      (capacity >= 1 && pages != \null ==> \separated(pool, t, pages + (0 .. capacity - 1))) &&
      channel_area_bounded(*t);
*/

/* Which access a sandbox has to a channel page: 0 (none), EPT_READ or
   EPT_READ | EPT_WRITE.  reader < 0 selects the writer area, otherwise the
   control page of that reader.  Never EPT_EXEC: channels carry data. */
/*@ requires \valid_read(c);
    assigns \nothing;
    ensures CHANNEL_ONE_WAY_WRITER_AREA: reader < 0 && c->writer != sb ==> (\result & EPT_WRITE) == 0;
    ensures CHANNEL_ONE_WAY_CONTROL: reader >= 0 && (reader >= c->reader_count || c->readers[reader] != sb)
                                     ==> (\result & EPT_WRITE) == 0;
    ensures CHANNEL_PERM: channel_perm_is(c, sb, reader, \result); */
uint32_t channel_page_perm(const struct triad_channel *c, uint8_t sb, int reader);

/* Initialises pool and maps everything sandbox sb may touch.  The table
   must have passed validation; the function still refuses an index out of
   range and propagates any EPT error (overlap, pool exhausted).  A
   validated table has the channel window at 2 GiB and the area inside RAM,
   at most 2^52 bytes (validate.c, check_channel_area and the platform
   check): CHANNEL_AREA_BOUNDED, which keeps a
   channel page's window_gpa + offset and host_base + offset (offset below
   2^32) from wrapping.  The xAPIC
   page is mapped only when map_xapic is set (no x2APIC on the processor). */
/*@ requires SLAT_BUILD_PRE: slat_build_pre(t, pool, pages, capacity);
    assigns *pool, pages[0 .. capacity - 1];
    ensures sb >= t->sandbox_count ==> \result != EPT_OK;
    ensures REQ_MON_EPTMAP_001: \result == EPT_OK ==>
              sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pages, phys_base, capacity, SLAT_FORMAT_EPT); */
int ept_build_sandbox(const struct triad_table_body *t, uint32_t sb, struct ept_pool *pool,
                      ept_table *pages, uint64_t phys_base, uint32_t capacity, int map_xapic);

/* The same description in either second-level format: format is
   SLAT_FORMAT_EPT (VMX) or SLAT_FORMAT_NPT (SVM nested paging); the pages
   mapped and their R/W/X and UC/WB are identical, only the encoding of the
   entries differs (ept.h). */
/*@ requires SLAT_BUILD_PRE: slat_build_pre(t, pool, pages, capacity);
    assigns *pool, pages[0 .. capacity - 1];
    ensures sb >= t->sandbox_count ==> \result != EPT_OK;
    ensures REQ_MON_EPTMAP_001: \result == EPT_OK ==>
              sandbox_slat_ok{Here, Here}(*t, t, sb, map_xapic, pages, phys_base, capacity, pool->format);
    ensures SLAT_FORMAT_KEPT: \result == EPT_OK ==>
              pool->format == (format == SLAT_FORMAT_NPT ? SLAT_FORMAT_NPT : SLAT_FORMAT_EPT); */
int slat_build_sandbox(const struct triad_table_body *t, uint32_t sb, struct ept_pool *pool,
                       ept_table *pages, uint64_t phys_base, uint32_t capacity, int map_xapic,
                       uint32_t format);

#endif
