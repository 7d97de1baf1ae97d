/*
 * Remote driver recovery in the monitor (issue 9, docs/recovery.md): a
 * sandbox that faults while it holds a device with a declared standby
 * (system.bin: pci[d].standby_ref) loses the device to the standby before
 * it is restarted.  The plan comes from recovery/device_handover.c (pure,
 * host-tested); this module applies it: the BARs' second-level entries are
 * revoked in the failed sandbox and granted in the standby (both sets of
 * tables were built at boot, so nothing is allocated), the device's I/O
 * ports move between the two I/O bitmaps, and every other running core of
 * both sandboxes is asked (NMI) to flush its cached translations.  The
 * device's interrupt line is pointed at the plan's core (the standby's
 * lowest) in the I/O APIC (irq_route.h).
 */
#ifndef TRIAD_MONITOR_HANDOVER_H
#define TRIAD_MONITOR_HANDOVER_H

#include <stdint.h>
#include "percore.h"

/* Bit d set: platform device d is held by sandbox sb now (the table's
   owner until a hand-over moved it). */
/*@ assigns \nothing; */
uint32_t handover_devices_held(uint32_t sb);

/* Bit d set: sb is the declared standby of device d and does not hold it yet. */
/*@ assigns \nothing; */
uint32_t handover_devices_awaited(uint32_t sb);

/* From core c's fault exit: hands every device c's sandbox holds that has
   a declared standby to that standby; logs one RECOVERY line per device
   with its phases.  Returns how many devices moved (0: none to move), or
   -1 when a plan was refused (logged). */
/*@ requires \valid(c);
    assigns \nothing; */
int handover_apply(struct core *c);

/* I/O failover with a device (issue 9, part D): the devices of sandbox
   from's pairs {table owner, declared standby} that from holds go to `to`,
   the voter role's new holder, decided on core c (from's faulting core, or
   to's core for a hung voter: from_stopped = 1, from's cores are not
   flushed, their relaunch does).  `to` must be the other member of each
   pair (recovery/device_handover.h: handover_follow_plan): a refusal is
   logged with its reason and the device stays.  One RECOVERY handover line
   per device moved.  Returns how many moved, -1 when one was refused. */
/*@ requires \valid(c);
    assigns \nothing; */
int handover_follow(struct core *c, uint32_t from, uint32_t to, int from_stopped);

/* Asks every other running core of the sandboxes in mask (core bits) to
   flush its cached translations at its next exit (flag + NMI), waits a
   bounded time; returns how many confirmed, *asked how many were asked.
   Shared with the I/O failover (failover.c). */
/*@ requires \valid_read(c) && \valid(asked);
    assigns *asked; */
uint32_t handover_flush_others(const struct core *c, uint32_t mask, uint32_t *asked);

/* At every exit of core c: a pending flush request (a hand-over changed
   its sandbox's tables) is served before anything else.  1 when served. */
/*@ requires \valid(c);
    assigns c->flush_request; */
int handover_exit(struct core *c);

#endif
