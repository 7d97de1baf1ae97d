/*
 * Remote driver recovery (issue 9): the plan for handing a device from a
 * failed sandbox to the healthy standby that will initialise its driver.
 * Pure, portable C over the validated system table, host-tested
 * (tests/unit/recovery/test_device_handover.c).  The monitor will apply a
 * plan (unmap the BARs from the failed sandbox's EPT and map them into the
 * standby's, move the I/O port ranges between their bitmaps, deliver the
 * device's interrupt line to the standby's core); that application and the
 * hypercall asking for it are not written yet (docs/recovery.md, "Gaps").
 *
 * Policy: only the declared standby may take the device; the device must
 * be the failed sandbox's; a BAR must not land on the standby's RAM.  The
 * description has no standby attribute yet, so the caller passes it.
 */
#ifndef TRIAD_RECOVERY_DEVICE_HANDOVER_H
#define TRIAD_RECOVERY_DEVICE_HANDOVER_H

#include <stdint.h>
#include "partition/system_table.h"

enum handover_result {
    HO_OK = 0,
    HO_E_SANDBOX = -1,      /* from or to outside the table, or the same sandbox */
    HO_E_DEVICE = -2,       /* no such device */
    HO_E_NOT_OWNER = -3,    /* the device is not the failed sandbox's */
    HO_E_NOT_STANDBY = -4,  /* to is not the declared standby (or none is declared) */
    HO_E_OVERLAP = -5,      /* a BAR would overlap the standby's RAM */
    HO_E_NOT_HOLDER = -6,   /* from does not hold the device now (handover_follow_plan) */
};

struct handover_plan {
    uint8_t dev;
    uint8_t from;
    uint8_t to;
    uint8_t bar_count;
    struct triad_bar bars[TRIAD_MAX_BARS];       /* unmap from `from`, map into `to` (GPA = HPA) */
    uint8_t port_count;
    struct triad_io_range ports[TRIAD_MAX_IO_RANGES];  /* `from`'s ranges but its console */
    uint8_t irq;                                  /* the device's legacy line */
    uint8_t irq_core;                             /* delivered to the standby's lowest core */
};

/*@ requires \valid_read(b) && \valid(out);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->platform.pci_count <= TRIAD_MAX_PCI_DEVICES;
    assigns *out;
    ensures \result == HO_OK || \result == HO_E_SANDBOX || \result == HO_E_DEVICE ||
            \result == HO_E_NOT_OWNER || \result == HO_E_NOT_STANDBY || \result == HO_E_OVERLAP;
    ensures \result == HO_OK ==> to == standby && from != to && to < b->sandbox_count &&
            out->to == to && out->from == from && out->bar_count <= TRIAD_MAX_BARS; */
int handover_plan(const struct triad_table_body *b, uint32_t dev, uint32_t from, uint32_t to,
                  uint32_t standby, struct handover_plan *out);

/* The table's owner of device dev (the sandbox whose <device> names it),
   TRIAD_NONE without one. */
/*@ requires \valid_read(b);
    assigns \nothing; */
uint32_t handover_table_owner(const struct triad_table_body *b, uint32_t dev);

/* The device following the I/O voter role (issue 9, part D: I/O failover
   with a ground link): the device moves between the two members of its
   pair {table owner, declared standby}, from `from`, which must be its
   holder now, to the other member, in either direction.  A third sandbox,
   a device without a declared standby, or a `from` that does not hold the
   device is refused with the reason's code. */
/*@ requires \valid_read(b) && \valid(out);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->platform.pci_count <= TRIAD_MAX_PCI_DEVICES;
    assigns *out;
    ensures \result == HO_OK || \result == HO_E_SANDBOX || \result == HO_E_DEVICE || \result == HO_E_NOT_OWNER ||
            \result == HO_E_NOT_STANDBY || \result == HO_E_OVERLAP || \result == HO_E_NOT_HOLDER;
    ensures \result == HO_OK ==> from != to && to < b->sandbox_count && out->to == to && out->from == from &&
            out->bar_count <= TRIAD_MAX_BARS; */
int handover_follow_plan(const struct triad_table_body *b, uint32_t dev, uint32_t from, uint32_t holder,
                         uint32_t to, struct handover_plan *out);

/*@ assigns \nothing; ensures \result != \null; */
const char *handover_result_name(int r);

#endif
