#ifndef TRIAD_KERNEL_AP_PARK_H
#define TRIAD_KERNEL_AP_PARK_H

/* triad.smp=park: starts the sandbox's other cores (start-up IPIs through
   this core's LAPIC; the monitor holds them in wait-for-SIPI) into a
   real-mode halt loop and reports each one that
   counted itself started.  Under the monitor the core list comes from the
   sandbox-info hypercall. */
void ap_park_start(const char *cmdline);

#endif
