/* The hypercall table (ABI in abi/hypercall.h). */
#ifndef TRIAD_MONITOR_HYPERCALL_H
#define TRIAD_MONITOR_HYPERCALL_H

#include <stdint.h>
#include "percore.h"

/* 1 when [gpa, gpa + size) lies inside a sandbox RAM of mem_size bytes. */
/*@ assigns \nothing;
    ensures HC_BUFFER_INSIDE_REGION: \result == 1 <==> (size <= mem_size && gpa <= mem_size - size); */
int hc_buffer_ok(uint64_t gpa, uint64_t size, uint64_t mem_size);

/* Runs the hypercall in regs for core c's sandbox; returns RAX. */
/*@ requires \valid(c) && \valid_read(regs);
    assigns \nothing; */
int64_t hypercall_dispatch(struct core *c, const struct guest_regs *regs);

#endif
