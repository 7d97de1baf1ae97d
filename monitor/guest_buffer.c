/*
 * The hypercall buffer check on its own (declared in hypercall.h), so that
 * the host tests exercise exactly the code the monitor runs.
 */
#include "hypercall.h"

int hc_buffer_ok(uint64_t gpa, uint64_t size, uint64_t mem_size)
{
    /* Written as two comparisons that cannot wrap: gpa + size could. */
    return size <= mem_size && gpa <= mem_size - size;
}
