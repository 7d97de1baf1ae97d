/*
 * The shmcomm backend for user programs: channels granted to this sandbox,
 * mapped into the process by the kernel (chan/chan_user_abi.h).  After
 * uchan_init() a program uses the Quest SDK API of channels/shmcomm.h as is.
 */
#ifndef TRIAD_PROGRAMS_UCHAN_H
#define TRIAD_PROGRAMS_UCHAN_H
#include <stdint.h>
#include "../../../channels/shmcomm.h"
#include "../../chan/chan_user_abi.h"

/* Installs the backend; 0, or the negated errno of the clock system call. */
int uchan_init(void);
/* The kernel's answer to the last map (0 ok, or -ENOENT/-EPERM/-EBUSY/...):
   shmcomm says only SHMCOMM_ERR_KEY. */
long uchan_last_map_error(void);
/* The raw system calls, for programs that test the kernel's checks. */
long uchan_map(uint32_t key, int role, struct triad_chan_map *out);
long uchan_unmap(uint32_t key, int role);
/* Nanoseconds on the clock every sandbox shares (TSC at the monitor's rate). */
uint64_t uchan_now_ns(void);
#endif
