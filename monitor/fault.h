/* Fault records and exit counters: what the monitor saw, on COM1 and by hypercall. */
#ifndef TRIAD_MONITOR_FAULT_H
#define TRIAD_MONITOR_FAULT_H

#include <stdint.h>
#include "abi/hypercall.h"
#include "percore.h"
#include "console.h"
#include "monitor.h"

/* The fault log, shared by every core: a ring of the last
   TRIAD_FAULT_LOG_LEN records, the sequence number of the next record and
   the lock word over both.  Only fault.c writes them; they are declared
   here so that the contracts below can say what fault_raise writes (the
   console's lock word is declared in console.h for the same reason). */
extern struct triad_fault_record fault_log[TRIAD_FAULT_LOG_LEN];
extern uint64_t fault_next;
extern volatile uint32_t fault_lock_word;

/*@ predicate fault_sys_names{L} =
      \valid_read(sys) &&
      \forall integer i; 0 <= i < TRIAD_MAX_SANDBOXES ==> con_string(&sys->sandboxes[i].name[0]);
*/

/* Logs and prints one fault record of core c's sandbox; returns the action
   to apply (the sandbox's health-monitor entry for kind, or LOG for kinds
   outside the table).  What it writes (FAULT_RAISE_WRITES): one record of
   the shared log, its sequence counter, the log's and the console's lock
   words; nothing of any core (the caller's *c is only read). */
/*@ requires \valid_read(c);
    requires fault_sys_names;
    assigns FAULT_RAISE_WRITES: fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next,
            fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
uint8_t fault_raise(struct core *c, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual);

/* The same record for sandbox sb on core index core, when no running core
   stands for it (a sandbox refused before launch). */
/*@ requires fault_sys_names;
    assigns FAULT_RAISE_WRITES: fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next,
            fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
uint8_t fault_raise_for(uint32_t core, uint8_t sb, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual);

/* Copies records first.. of the log into out (at most max); returns how many. */
/*@ requires \valid(out + (0 .. max - 1));
    assigns out[0 .. max - 1], fault_lock_word; */
uint32_t fault_log_copy(uint64_t first, struct triad_fault_record *out, uint32_t max);

/*@ assigns \nothing;
    ensures FAULT_KIND_NAME: con_string(\result); */
const char *fault_kind_name(uint8_t kind);

/* Prints the exit counters of every started core, in the layout of the
   Quest-V "monitor trap count" table. */
/*@ assigns \nothing; */
void counters_print(const char *title);

/*@ requires \valid_read(c) && \valid(out);
    assigns *out; */
void counters_read(const struct core *c, struct triad_hc_exit_counters *out);

#endif
