/*
 * Channels for user processes: the map/unmap/clock system calls of
 * chan_user_abi.h, dispatched from user/syscall.c.
 */
#ifndef TRIAD_KERNEL_CHAN_USER_H
#define TRIAD_KERNEL_CHAN_USER_H
#include <stdint.h>
#include "chan_user_abi.h"

struct process;

/* One of TRIAD_SYS_CHAN_*: a result >= 0 or a negated errno. */
long chan_user_syscall(struct process *p, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
#endif
