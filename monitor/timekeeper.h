/*
 * The test clock on core 0, driven by the monitor's command-line options
 * (triad.settle-ms, triad.window-ms, triad.end-ms): it notes when the last
 * sandbox was launched, measures a steady-state window (exits per core
 * before and after), prints the trap-count table and ends the run.  In a
 * sandbox it runs on VMX-preemption-timer exits (counted in their own row,
 * outside the window); on a core without a running sandbox it polls the TSC.
 */
#ifndef TRIAD_MONITOR_TIMEKEEPER_H
#define TRIAD_MONITOR_TIMEKEEPER_H

#include "percore.h"

/* Called at the end of every VM exit handled without halting. */
/*@ requires \valid(c);
    assigns *c; */
void timekeeper_exit(struct core *c);

/* A core with nothing (more) to run: keeps the test clock when it is core 0,
   otherwise halts.  Returns only when an accepted safe-mode exit revives
   the core (c->revive set, then an NMI: a halted core waits in HLT, which
   only an NMI ends with interrupts off; on SVM with GIF set for the HLT). */
/*@ requires \valid(c);
    assigns *c; */
void timekeeper_idle(struct core *c);

#endif
