/* Fault records and exit counters: what the monitor saw, on COM1 and by hypercall. */
#ifndef TRIAD_MONITOR_FAULT_H
#define TRIAD_MONITOR_FAULT_H

#include <stdint.h>
#include "abi/hypercall.h"
#include "percore.h"

/* Logs and prints one fault record of core c's sandbox; returns the action
   to apply (the sandbox's health-monitor entry for kind, or LOG for kinds
   outside the table). */
/*@ requires \valid(c);
    assigns \nothing; */
uint8_t fault_raise(struct core *c, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual);

/* The same record for sandbox sb on core index core, when no running core
   stands for it (a sandbox refused before launch). */
/*@ assigns \nothing; */
uint8_t fault_raise_for(uint32_t core, uint8_t sb, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual);

/* Copies records first.. of the log into out (at most max); returns how many. */
/*@ requires \valid(out + (0 .. max - 1));
    assigns out[0 .. max - 1]; */
uint32_t fault_log_copy(uint64_t first, struct triad_fault_record *out, uint32_t max);

/*@ assigns \nothing; */
const char *fault_kind_name(uint8_t kind);

/* Prints the exit counters of every started core, in the layout of the
   Quest-V "monitor trap count" table. */
/*@ assigns \nothing; */
void counters_print(const char *title);

/*@ requires \valid(c) && \valid(out);
    assigns *out; */
void counters_read(const struct core *c, struct triad_hc_exit_counters *out);

#endif
