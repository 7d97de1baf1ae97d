/* The hypercall table (ABI in abi/hypercall.h). */
#ifndef TRIAD_MONITOR_HYPERCALL_H
#define TRIAD_MONITOR_HYPERCALL_H

#include <stdint.h>
#include "percore.h"
#include "partition/system_table.h"
#include "fault.h"

/* 1 when [gpa, gpa + size) lies inside a sandbox RAM of mem_size bytes. */
/*@ assigns \nothing;
    ensures HC_BUFFER_INSIDE_REGION: \result == 1 <==> (size <= mem_size && gpa <= mem_size - size);
    ensures HC_BUFFER_FLAG: \result == 0 || \result == 1; */
int hc_buffer_ok(uint64_t gpa, uint64_t size, uint64_t mem_size);

/* Event-log hypercall policy: 1 when sandbox s may read the event log
   (system.bin gives it at least one device: the I/O sandbox). */
/*@ requires \valid_read(s);
    assigns \nothing;
    ensures HC_EVENT_LOG_POLICY: \result == 1 <==> s->device_count > 0; */
int hc_event_log_allowed(const struct triad_sandbox *s);

/* Event-log hypercall span: how many bytes to copy from offset for a buffer
   of size bytes out of a log of log_len bytes, or a negative TRIAD_E_* code
   (offset past the end).  size 0 asks for the length itself. */
/*@ assigns \nothing;
    ensures HC_EVENT_LOG_LENGTH: size == 0 && offset <= log_len ==> \result == log_len;
    ensures HC_EVENT_LOG_PAST_END: offset > log_len ==> \result == TRIAD_E_INVAL;
    ensures HC_EVENT_LOG_SPAN: size != 0 && offset <= log_len ==>
        0 <= \result <= size && \result <= log_len - offset; */
int64_t hc_event_log_span(uint64_t offset, uint64_t size, uint32_t log_len);

/* Quote hypercall arguments: 0 when the PCR selection names at least one
   of PCRs 0..23 and nothing else, the buffer holds a struct triad_hc_quote
   and the nonce length is 1..TRIAD_QUOTE_NONCE_MAX; else TRIAD_E_INVAL.
   (The policy is hc_event_log_allowed's: the sandbox serving evidence.) */
/*@ assigns \nothing;
    ensures HC_QUOTE_ARGS: \result == 0 <==> (pcr_mask != 0 && pcr_mask <= 0xFFFFFF &&
        size >= 56 + 1024 && 1 <= nonce_len <= 32);
    ensures HC_QUOTE_REFUSED: \result == 0 || \result == TRIAD_E_INVAL; */
int64_t hc_quote_check(uint64_t pcr_mask, uint64_t size, uint32_t nonce_len);

/* Runs the hypercall in regs for core c's sandbox; returns RAX.  A refused
   call is logged (fault_raise): the shared fault log is what it writes,
   besides the caller's core (a restart hypercall relaunches it and says so
   in c->relaunched, which the exit dispatcher reads). */
/*@ requires \valid(c) && \valid_read(regs);
    requires fault_sys_names;
    assigns *c, fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
int64_t hypercall_dispatch(struct core *c, const struct guest_regs *regs);

#endif
