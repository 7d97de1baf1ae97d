/* The Quest utilization bound for one core of a sandbox: Main VCPUs with
   budget C and period T, I/O VCPUs with utilization U,
     sum C/T + sum (2 - U) * U  <=  n * (2^(1/n) - 1),   n = VCPUs on the core.
   Floating point is fine here: this runs on the host, never in the monitor. */
#ifndef TRIAD_SYSGEN_SCHED_H
#define TRIAD_SYSGEN_SCHED_H

#include <stdbool.h>
#include "partition/system_table.h"

struct core_load {
    unsigned vcpus;     /* n */
    double utilization; /* left-hand side */
    double bound;       /* right-hand side; 0 when n == 0 */
    int first_line;     /* index of the first VCPU on the core: main (>= 0) */
};

struct core_load core_load(const struct triad_sandbox *sb, unsigned core);
bool core_load_fits(const struct core_load *l);

#endif
