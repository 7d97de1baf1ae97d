/* The ring of the monitor's recovery decisions (decision_log.h). */
#include "decision_log.h"

struct decision_log monitor_decisions;

void decision_log_clear(struct decision_log *log)
{
    /*@ loop assigns i, log->rec[0 .. DECISION_LOG_LEN - 1]; loop variant DECISION_LOG_LEN - i; */
    for (uint32_t i = 0; i < DECISION_LOG_LEN; i++) {
        log->rec[i] = (struct triad_decision){0};
    }
    log->next = 0;
}

void decision_log_add(struct decision_log *log, const struct triad_decision *d)
{
    struct triad_decision *r = &log->rec[log->next % DECISION_LOG_LEN];
    *r = *d;
    r->seq = log->next;
    r->reserved = 0;
    log->next++;
}

uint64_t decision_log_overwritten(const struct decision_log *log)
{
    return (log->next > DECISION_LOG_LEN) ? (log->next - DECISION_LOG_LEN) : 0u;
}

int64_t decision_log_read(const struct decision_log *log, uint64_t first,
                          struct triad_decision *out, uint32_t max)
{
    const uint64_t end = log->next;     /* read once: the copies below do not move it */
    if ((max == 0u) || (first > end)) {
        return TRIAD_E_INVAL;
    }
    const uint64_t oldest = decision_log_overwritten(log);
    uint64_t s = (first < oldest) ? oldest : first;
    uint32_t n = 0;
    /*@ loop assigns s, n, out[0 .. max - 1];
        loop invariant n <= max && n <= DECISION_LOG_LEN;
        loop invariant s <= end;
        loop variant end - s; */
    while ((s < end) && (n < max) && (n < DECISION_LOG_LEN)) {
        out[n] = log->rec[s % DECISION_LOG_LEN];
        n++;
        s++;
    }
    return n;
}
