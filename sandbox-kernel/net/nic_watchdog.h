#ifndef TRIAD_NET_NIC_WATCHDOG_H
#define TRIAD_NET_NIC_WATCHDOG_H

#include <stdint.h>

/* Local driver recovery (issue 9, docs/recovery.md): a thread samples the
   NIC every NIC_WD_PERIOD_NS and, when recovery/driver_watchdog.c calls it
   wedged, re-initialises the driver in this sandbox (device reset, rings,
   netif link down/up) and logs HEALTH/RECOVERY lines with the phase costs.
   triad.test_nic=wedge@<ms> (test only) wedges the device <ms> after the
   start.  Call after e1000_start. */
void nic_watchdog_start(const char *cmdline);

/* Test only (triad.test_nic=wildout@<ms>): the wild write of the driver
   test, made from net.c, outside the driver's registered code, so the
   monitor's local recovery must not take it (outside-driver: a restart). */
void net_test_write_outside_driver(uint64_t gpa);

#endif
