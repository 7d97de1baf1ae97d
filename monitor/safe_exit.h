/* Leaving system safe mode (issue 9, docs/recovery.md "Leaving system safe
   mode"): the monitor's side of TRIAD_HC_SAFE_MODE_EXIT. */
#ifndef TRIAD_MONITOR_SAFE_EXIT_H
#define TRIAD_MONITOR_SAFE_EXIT_H

#include <stdint.h>
#include "percore.h"
#include "fault.h"
#include "decision_log.h"

/* The operator's request from core c's sandbox: RDI = the entry time it
   acknowledges, RSI = the vehicle word.  Decided under the console lock by
   health_safe_exit_check with the description's exit_by and hold; one
   HEALTH line (kind=safe-mode-exit action=accepted|refused reason=<r>) and
   one decision record either way.  Refused: the TRIAD_E_* code of the
   reason; from a sandbox not named, also a fault record of kind reported
   (a policy violation of the asker).  Accepted: `SAFE-MODE system left`,
   system_state NORMAL, the sandboxes the entry halted revived on their own
   cores (cold restart from the pristine image, the cause first); returns 0
   without waiting for their restarts. */
/* What it writes: besides fault_raise's (FAULT_RAISE_WRITES), the
   decision record (monitor_decisions) and the revive requests of the
   halted cores (cores[k].revive).  The restart state that
   restart_safe_leave sets back to NORMAL is restart.c's, not named by
   that function's contract (restart.h). */
/*@ requires \valid(c) && fault_sys_names;
    assigns fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out,
            monitor_decisions, cores[0 .. MAX_CORES - 1].revive;
    ensures \result == 0 || \result == -3 || \result == -4 || \result == -9; */
int64_t safe_exit_request(struct core *c, uint64_t ack, uint64_t vehicle);

#endif
