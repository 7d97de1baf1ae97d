/*
 * The hypercall argument checks on their own (declared in hypercall.h):
 * the buffer check and the event-log policy and span, so that the host
 * tests exercise exactly the code the monitor runs.
 */
#include "hypercall.h"
#include "abi/hypercall.h"

int hc_buffer_ok(uint64_t gpa, uint64_t size, uint64_t mem_size)
{
    /* Written as two comparisons that cannot wrap: gpa + size could. */
    return size <= mem_size && gpa <= mem_size - size;
}

int hc_event_log_allowed(const struct triad_sandbox *s)
{
    return s->device_count > 0;
}

int64_t hc_event_log_span(uint64_t offset, uint64_t size, uint32_t log_len)
{
    if (offset > log_len)
        return TRIAD_E_INVAL;
    if (size == 0)
        return log_len;
    const uint64_t left = log_len - offset;
    return (int64_t)(size < left ? size : left);
}

int64_t hc_quote_check(uint64_t pcr_mask, uint64_t size, uint32_t nonce_len)
{
    if ((pcr_mask == 0u) || (pcr_mask > 0xFFFFFFu)) {
        return TRIAD_E_INVAL;
    }
    if (size < sizeof(struct triad_hc_quote)) {
        return TRIAD_E_INVAL;
    }
    if ((nonce_len == 0u) || (nonce_len > TRIAD_QUOTE_NONCE_MAX)) {
        return TRIAD_E_INVAL;
    }
    return 0;
}
