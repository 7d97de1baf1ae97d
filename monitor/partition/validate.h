/*
 * The monitor's own check of system.bin before it trusts a single field:
 * sysgen already enforced the rules, but the table arrives through the boot
 * loader, so the monitor checks again.  Pure, freestanding, no allocation;
 * it reads nothing outside [buf, buf + len).
 *
 * Each rule has its own error code and message (triad_table_error_string).
 * The caller gets a pointer to the table inside its own buffer on success.
 */
#ifndef TRIAD_MONITOR_PARTITION_VALIDATE_H
#define TRIAD_MONITOR_PARTITION_VALIDATE_H

#include <stddef.h>
#include <stdint.h>
#include "system_table.h"

/*
 * The partition properties a validated table guarantees (requirement
 * REQ_MON_PART_001, proofs/requirements-index.md).  Intervals are half-open
 * [base, base + size); an empty interval is disjoint from everything.
 */
/*@ predicate triad_disjoint(integer a, integer as, integer b, integer bs) =
      as == 0 || bs == 0 || a + as <= b || b + bs <= a;

    predicate triad_monitor_ok(struct triad_platform *p) =
      p->monitor_size != 0 && p->monitor_base % TRIAD_REGION_ALIGN == 0 &&
      p->monitor_size % TRIAD_REGION_ALIGN == 0 &&
      p->monitor_base + p->monitor_size <= p->ram_size;

    predicate triad_region_ok(struct triad_table_body *b, integer s) =
      b->sandboxes[s].mem_size != 0 &&
      b->sandboxes[s].mem_base % TRIAD_REGION_ALIGN == 0 &&
      b->sandboxes[s].mem_size % TRIAD_REGION_ALIGN == 0 &&
      b->sandboxes[s].mem_base + b->sandboxes[s].mem_size <= b->platform.ram_size &&
      triad_disjoint(b->sandboxes[s].mem_base, b->sandboxes[s].mem_size,
                     b->platform.monitor_base, b->platform.monitor_size);

    predicate triad_disjoint_from_earlier(struct triad_table_body *b, integer s) =
      \forall integer k; 0 <= k < s ==>
        triad_disjoint(b->sandboxes[s].mem_base, b->sandboxes[s].mem_size,
                       b->sandboxes[k].mem_base, b->sandboxes[k].mem_size);

    // Every count within its array's capacity: what makes every later
    // index of the validation in bounds.
    predicate triad_sandbox_counts_ok(struct triad_sandbox *sb) =
      sb->io_range_count <= TRIAD_MAX_IO_RANGES && sb->device_count <= TRIAD_MAX_SANDBOX_DEVICES &&
      sb->main_vcpu_count <= TRIAD_MAX_MAIN_VCPUS && sb->io_vcpu_count <= TRIAD_MAX_IO_VCPUS &&
      sb->program_count <= TRIAD_MAX_PROGRAMS;

    predicate triad_counts_ok(struct triad_table_body *b) =
      b->platform.serial_count <= TRIAD_MAX_SERIAL_PORTS && b->platform.pci_count <= TRIAD_MAX_PCI_DEVICES &&
      b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->channel_count <= TRIAD_MAX_CHANNELS &&
      b->tmr_group_count <= TRIAD_MAX_TMR_GROUPS &&
      (\forall integer i; 0 <= i < b->platform.pci_count ==> b->platform.pci[i].bar_count <= TRIAD_MAX_BARS) &&
      (\forall integer s; 0 <= s < b->sandbox_count ==> triad_sandbox_counts_ok(&b->sandboxes[s])) &&
      (\forall integer i; 0 <= i < b->channel_count ==> b->channels[i].reader_count <= TRIAD_MAX_READERS) &&
      (\forall integer g; 0 <= g < b->tmr_group_count ==> b->tmr_groups[g].replica_count <= TRIAD_MAX_REPLICAS);

    predicate triad_partition_ok(struct triad_table_body *b) =
      b->sandbox_count <= TRIAD_MAX_SANDBOXES && triad_monitor_ok(&b->platform) &&
      \forall integer s; 0 <= s < b->sandbox_count ==>
        triad_region_ok(b, s) && triad_disjoint_from_earlier(b, s);
*/

enum triad_table_error {
    TRIAD_TABLE_OK = 0,
    TRIAD_TABLE_ERR_NULL,              /* no buffer */
    TRIAD_TABLE_ERR_ALIGNMENT,         /* buffer not 8-byte aligned */
    TRIAD_TABLE_ERR_TRUNCATED,         /* buffer shorter than the header or than total_length */
    TRIAD_TABLE_ERR_MAGIC,
    TRIAD_TABLE_ERR_VERSION,           /* major version not ours */
    TRIAD_TABLE_ERR_HEADER_SIZE,
    TRIAD_TABLE_ERR_LENGTH,            /* total_length is not the layout's size */
    TRIAD_TABLE_ERR_HEADER_RESERVED,   /* reserved header bytes not zero */
    TRIAD_TABLE_ERR_CHECKSUM,          /* body SHA-256 mismatch */
    TRIAD_TABLE_ERR_COUNT,             /* a count exceeds its capacity */
    TRIAD_TABLE_ERR_STRING,            /* a string is not NUL-terminated in its field */
    TRIAD_TABLE_ERR_PLATFORM,          /* core count or RAM size impossible */
    TRIAD_TABLE_ERR_MONITOR_REGION,    /* monitor region misaligned, empty or outside RAM */
    TRIAD_TABLE_ERR_SERIAL,            /* a serial port runs past port 0xFFFF */
    TRIAD_TABLE_ERR_PCI,               /* bad dev/fn, BAR misaligned, in RAM or in the channel window */
    TRIAD_TABLE_ERR_SANDBOX_INDEX,     /* index field differs from the position */
    TRIAD_TABLE_ERR_ENUM,              /* criticality, console kind, IPI policy, action or class out of range */
    TRIAD_TABLE_ERR_CORES,             /* core mask empty, beyond the platform, or shared */
    TRIAD_TABLE_ERR_REGION_ALIGN,      /* sandbox region not 2 MiB aligned and sized */
    TRIAD_TABLE_ERR_REGION_RAM,        /* sandbox region outside RAM or too large */
    TRIAD_TABLE_ERR_REGION_MONITOR,    /* sandbox region overlaps the monitor */
    TRIAD_TABLE_ERR_REGION_OVERLAP,    /* two sandbox regions overlap */
    TRIAD_TABLE_ERR_DEVICE,            /* device index out of range or owned twice */
    TRIAD_TABLE_ERR_IO_RANGE,          /* empty, past 0xFFFF, COM1, or owned twice */
    TRIAD_TABLE_ERR_CONSOLE,           /* console port/channel inconsistent */
    TRIAD_TABLE_ERR_VCPU,              /* VCPU on a foreign core, C > T, T = 0, U out of range */
    TRIAD_TABLE_ERR_CHANNEL_AREA,      /* area misaligned, outside RAM, overlapping, too big, wrong window */
    TRIAD_TABLE_ERR_CHANNEL_ENDPOINT,  /* writer/reader index invalid, repeated, or writer reads */
    TRIAD_TABLE_ERR_CHANNEL_PARAMS,    /* kind, message size, depth or key invalid / key repeated */
    TRIAD_TABLE_ERR_CHANNEL_PAGES,     /* pages misaligned, outside the area, or overlapping */
    TRIAD_TABLE_ERR_TMR,               /* TMR group indices or shape invalid */
    TRIAD_TABLE_ERROR_COUNT
};

/*@ assigns \nothing;
    ensures ERRSTR_NONNULL: \result != \null;
*/
const char *triad_table_error_string(enum triad_table_error e);

/* The check on a typed pointer: only the header is read unless len covers
   the whole table.  Every property is proved here (module monitor-validate). */
/*@ requires out == \null || \valid(out);
    requires t == \null || len < sizeof(struct triad_table_header) || \valid_read(&t->header);
    requires t == \null || len < sizeof(struct triad_system_table) || \valid_read(t);
    requires out == \null || t == \null || \separated(out, t);
    assigns *out;
    ensures VALIDATE_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
    ensures VALIDATE_OUT: out != \null && \result == TRIAD_TABLE_OK ==> *out == t;
    ensures VALIDATE_FAIL: out != \null && \result != TRIAD_TABLE_OK ==> *out == \null;
    ensures REQ_MON_PART_001: \result == TRIAD_TABLE_OK ==> triad_partition_ok(&t->body);
*/
enum triad_table_error triad_table_check(const struct triad_system_table *t, size_t len,
                                         const struct triad_system_table **out);

/* The same on the caller's bytes (a boot module, a file read by a host
   tool): triad_table_check(buf, len, out).  The conversion from void * is
   outside WP's typed memory model: this wrapper is trusted
   (proofs/ASSUMPTIONS.md); all the checking is in triad_table_check. */
/*@ requires out == \null || \valid(out);
    assigns *out;
    ensures VALIDATE_RANGE: 0 <= \result < TRIAD_TABLE_ERROR_COUNT;
    ensures VALIDATE_FAIL: out != \null && \result != TRIAD_TABLE_OK ==> *out == \null;
*/
enum triad_table_error triad_table_validate(const void *buf, size_t len,
                                            const struct triad_system_table **out);

#endif
