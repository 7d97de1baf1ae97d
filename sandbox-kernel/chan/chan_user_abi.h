/*
 * The system calls through which user programs reach the channels granted
 * to their sandbox (kernel side: chan/chan_user.c; user side:
 * programs/chan_lib/uchan.c).  Shared by the kernel and by programs built
 * against newlib, so it needs only <stdint.h>.
 *
 * A channel is mapped at TRIAD_CHAN_USER_BASE + (its guest-physical address
 * - the channel window): the same offsets as in the window, so every page of
 * a channel has one fixed user address and a second map of it is refused.
 * The writer area is writable only in the process of the channel's writer
 * sandbox, a reader control page only in that reader's; every other page
 * granted is read-only.  A store into a read-only channel page is a page
 * fault of that process (the kernel kills it); the monitor's EPT still
 * refuses the same store from the kernel itself.
 */
#ifndef TRIAD_CHAN_USER_ABI_H
#define TRIAD_CHAN_USER_ABI_H
#include <stdint.h>

#define TRIAD_SYS_CHAN_MAP    48   /* (key, role, struct triad_chan_map *) -> 0 or -errno */
#define TRIAD_SYS_CHAN_UNMAP  49   /* (key, role) -> 0 or -errno */
#define TRIAD_SYS_CHAN_CLOCK  50   /* -> TSC kHz of the clock every sandbox shares */

#define TRIAD_CHAN_ROLE_SEND    0
#define TRIAD_CHAN_ROLE_RECEIVE 1

/* Below the user stack, above any heap a 2 GiB-window sandbox could grow. */
#define TRIAD_CHAN_USER_BASE 0x60000000ull
#define TRIAD_CHAN_USER_SIZE 0x10000000ull   /* TRIAD_CHANNEL_WINDOW_MAX */

/* What a map returns: user addresses and the declared shape. */
struct triad_chan_map {
    uint64_t writer_area;
    uint64_t writer_area_bytes;
    uint64_t reader_ctl[8];         /* send: every reader's page; receive: only [reader_index] */
    uint32_t kind;                  /* 0 async four-slot, 1 sync FIFO */
    uint32_t msg_size;
    uint32_t depth;
    uint32_t n_readers;
    uint32_t reader_index;
    uint32_t reserved;
};

/* Errors (negated): ENOENT the key is not granted to this sandbox (the
 * boot tag does not list it and the monitor refuses it); EPERM this sandbox
 * is not that end; EBUSY that end is already open here (a kernel thread or
 * a process, this one included); EFAULT a bad pointer; EINVAL a bad role,
 * or unmap of an end this process did not map; ENOMEM no table or slot. */
#endif
