/*
 * The monitor's recovery decisions, kept for the ground station (issue 7):
 * a bounded ring of the newest DECISION_LOG_LEN records (no heap), written
 * where the health monitor prints its decision and where a restart ends,
 * read by the I/O sandbox through TRIAD_HC_DECISION_LOG at a low rate.
 * A full ring overwrites its oldest record; the reader sees the gap in the
 * sequence numbers and decision_log_overwritten() counts them.
 * The caller serialises writers and readers (the monitor holds the console
 * lock, under which the decisions are printed).
 */
#ifndef TRIAD_MONITOR_DECISION_LOG_H
#define TRIAD_MONITOR_DECISION_LOG_H

#include <stdint.h>
#include "abi/hypercall.h"

#define DECISION_LOG_LEN 16u

struct decision_log {
    struct triad_decision rec[DECISION_LOG_LEN];
    uint64_t next;          /* records ever added: the next one's seq */
};

/* The monitor's one log. */
extern struct decision_log monitor_decisions;

/*@ requires \valid(log);
    assigns log->next, log->rec[0 .. DECISION_LOG_LEN - 1];
    ensures log->next == 0; */
void decision_log_clear(struct decision_log *log);

/* Adds d with the next sequence number (d->seq is ignored); name is copied
   up to TRIAD_DECISION_NAME characters. */
/*@ requires \valid(log) && \valid_read(d);
    requires log->next < 0xFFFFFFFFFFFFFFFFull;
    assigns log->next, log->rec[0 .. DECISION_LOG_LEN - 1];
    ensures log->next == \old(log->next) + 1; */
void decision_log_add(struct decision_log *log, const struct triad_decision *d);

/* Copies up to max records with seq >= first (from the oldest kept when
   first was overwritten), oldest first.  Returns how many, or
   TRIAD_E_INVAL when max is 0 or first is past the next sequence. */
/*@ requires \valid_read(log) && \valid(out + (0 .. max - 1));
    requires \separated(log, out + (0 .. max - 1));
    assigns out[0 .. max - 1];
    ensures \result == TRIAD_E_INVAL || (0 <= \result <= max && \result <= DECISION_LOG_LEN); */
int64_t decision_log_read(const struct decision_log *log, uint64_t first,
                          struct triad_decision *out, uint32_t max);

/* How many records were overwritten before anyone could read them. */
/*@ requires \valid_read(log);
    assigns \nothing;
    ensures \result <= log->next;
    ensures log->next > DECISION_LOG_LEN ==> \result == log->next - DECISION_LOG_LEN;
    ensures log->next <= DECISION_LOG_LEN ==> \result == 0; */
uint64_t decision_log_overwritten(const struct decision_log *log);

#endif
