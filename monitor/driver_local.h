/*
 * Local driver recovery applied by the monitor (issue 9, docs/recovery.md
 * "Local driver recovery: monitor-applied").  A sandbox kernel registers an
 * upcall for its device driver (TRIAD_HC_DRIVER_RECOVERY: the vector, #VE,
 * and the driver's code range).  A fault of that sandbox whose health
 * decision is recover-driver-local, taken inside the driver's code, is then
 * not answered by a restart: an EPT violation cannot be resumed past (the
 * access was not done, there is no instruction length), so the monitor
 * injects the vector where the faulting instruction was and the kernel's
 * handler stops the faulting driver thread, resets the device, initialises
 * the driver again and restarts its network interface, then says done.
 * Until done a second fault of the sandbox escalates
 * (fault-during-recovery).  A sandbox that registered nothing, a fault
 * outside the driver, or one that interrupted an event's delivery is
 * restarted cold with that reason (health_driver_local_check).
 */
#ifndef TRIAD_MONITOR_DRIVER_LOCAL_H
#define TRIAD_MONITOR_DRIVER_LOCAL_H

#include <stdint.h>
#include "percore.h"

/* 1 while sandbox sb's kernel recovers its driver (from the decision to
   its done), else 0. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1; */
int driver_local_active(uint32_t sb);

/* The decision's second half, under the console lock (restart_decide):
   may core's fault of sandbox sb go to the kernel's upcall?  HEALTH_R_POLICY
   (and the recovery is marked under way from the core's exit on) or the
   cold restart's reason. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 8 || \result == 9 || \result == 10; */
uint8_t driver_local_claim(uint32_t sb, uint32_t core);

/* From core c's fault exit, after the claim: the fault's address and
   instruction kept for the done line, the registered vector injected at
   the next entry. */
/*@ requires \valid(c);
    assigns \nothing; */
void driver_local_apply(struct core *c, uint64_t gpa, uint64_t rip);

/* TRIAD_HC_DRIVER_RECOVERY from core c's sandbox: op = RDI, a/b = RSI/RDX
   (monitor/abi/hypercall.h). */
/*@ requires \valid_read(c);
    assigns \nothing;
    ensures \result >= -4; */
int64_t driver_local_hypercall(const struct core *c, uint64_t op, uint64_t a, uint64_t b);

#endif
