/*
 * VM exits of this core over a channel run, by reason, read from the
 * monitor's per-core counters (TRIAD_HC_EXIT_COUNTERS).  Channels promise
 * no exit once mapped: the benchmark and the Bochs test print what the
 * monitor counted between two snapshots, every reason named.
 */
#ifndef TRIAD_KERNEL_CHAN_EXITS_H
#define TRIAD_KERNEL_CHAN_EXITS_H
#include <stddef.h>
#include <stdint.h>
#include "../../monitor/abi/hypercall.h"

struct chan_exits {
    int have;                                   /* 0: no monitor, or the read failed */
    uint64_t count[TRIAD_EXIT_COUNTER_COUNT];
};

/* Reads this core's counters (one VMCALL, counted in the snapshot itself). */
void chan_exits_snapshot(struct chan_exits *s);

/* Exits from `a` to `b`, less the VMCALL of snapshot `b` (a's own is in
 * both).  Writes "N (reason n, ...)" or "N (none)" to `out`, or "unknown"
 * when a snapshot is missing; returns N, or -1 when unknown.  The monitor's
 * preemption timer (its own test clock, core 0 only) is counted and named
 * like any other reason. */
long chan_exits_between(const struct chan_exits *a, const struct chan_exits *b, char *out, size_t size);

/* The count of one reason from `a` to `b` (0 when unknown). */
uint64_t chan_exits_of(const struct chan_exits *a, const struct chan_exits *b, unsigned reason);
#endif
