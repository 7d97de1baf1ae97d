#ifndef TRIAD_NET_NIC_WATCHDOG_H
#define TRIAD_NET_NIC_WATCHDOG_H

/* Local driver recovery (issue 9, docs/recovery.md): a thread samples the
   NIC every NIC_WD_PERIOD_NS and, when recovery/driver_watchdog.c calls it
   wedged, re-initialises the driver in this sandbox (device reset, rings,
   netif link down/up) and logs HEALTH/RECOVERY lines with the phase costs.
   triad.test_nic=wedge@<ms> (test only) wedges the device <ms> after the
   start.  Call after e1000_start. */
void nic_watchdog_start(const char *cmdline);

#endif
