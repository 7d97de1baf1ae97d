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

/* Which access a sandbox has to a channel page: 0 (none), EPT_READ or
   EPT_READ | EPT_WRITE.  reader < 0 selects the writer area, otherwise the
   control page of that reader.  Never EPT_EXEC: channels carry data. */
/*@ requires \valid_read(c);
    assigns \nothing;
    ensures CHANNEL_ONE_WAY_WRITER_AREA: reader < 0 && c->writer != sb ==> (\result & EPT_WRITE) == 0;
    ensures CHANNEL_ONE_WAY_CONTROL: reader >= 0 && (reader >= c->reader_count || c->readers[reader] != sb)
                                     ==> (\result & EPT_WRITE) == 0; */
uint32_t channel_page_perm(const struct triad_channel *c, uint8_t sb, int reader);

/* Initialises pool and maps everything sandbox sb may touch.  The table
   must have passed validation; the function still refuses an index out of
   range and propagates any EPT error (overlap, pool exhausted).  The xAPIC
   page is mapped only when map_xapic is set (no x2APIC on the processor). */
/*@ requires \valid_read(t) && \valid(pool);
    assigns *pool, pool->pages[0 .. pool->capacity - 1][0 .. EPT_ENTRIES - 1];
    ensures sb >= t->sandbox_count ==> \result != EPT_OK; */
int ept_build_sandbox(const struct triad_table_body *t, uint32_t sb, struct ept_pool *pool,
                      ept_table *pages, uint64_t phys_base, uint32_t capacity, int map_xapic);

/* The same description in either second-level format: format is
   SLAT_FORMAT_EPT (VMX) or SLAT_FORMAT_NPT (SVM nested paging); the pages
   mapped and their R/W/X and UC/WB are identical, only the encoding of the
   entries differs (ept.h). */
/*@ requires \valid_read(t) && \valid(pool);
    assigns *pool, pool->pages[0 .. pool->capacity - 1][0 .. EPT_ENTRIES - 1];
    ensures sb >= t->sandbox_count ==> \result != EPT_OK; */
int slat_build_sandbox(const struct triad_table_body *t, uint32_t sb, struct ept_pool *pool,
                       ept_table *pages, uint64_t phys_base, uint32_t capacity, int map_xapic,
                       uint32_t format);

#endif
