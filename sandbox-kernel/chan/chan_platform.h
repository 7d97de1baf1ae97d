/*
 * The sandbox kernel's backend of channels/shmcomm_platform.h: the keys and
 * pages the monitor mapped (Triad boot tag), run-time creation through the
 * monitor's channel-open hypercall, a clock shared by every sandbox (the
 * TSC, converted with the monitor's calibration), and waiting by yielding
 * the calling thread.
 */
#ifndef TRIAD_KERNEL_CHAN_PLATFORM_H
#define TRIAD_KERNEL_CHAN_PLATFORM_H
#include <stdint.h>
#include "chan_boot.h"
#include "../../channels/shmcomm.h"

extern struct chan_boot chan_boot_info;

/* Reads the tag from the boot block at `info_phys`, maps the channel
 * window, installs the backend.  Prints one summary line.  Returns the
 * number of channels, or a negative CHAN_BOOT_* code. */
int chan_platform_init(uint64_t info_phys, uint64_t info_len);

/* The monitor's answer to the last channel-open hypercall (0 = none made). */
int64_t chan_platform_last_hypercall(void);

/* Nanoseconds on the clock every sandbox shares. */
uint64_t chan_now_ns(void);

/* One open per end and sandbox, shared by kernel threads and processes
 * (user/chan_user.c maps claimed channels into a process). */
#define CHAN_CLAIM_OK       0
#define CHAN_CLAIM_UNKNOWN -1   /* neither the boot tag nor the monitor knows the key */
#define CHAN_CLAIM_ROLE    -2   /* this sandbox is not that end of the channel */
#define CHAN_CLAIM_BUSY    -3   /* that end is already open in this sandbox */
int chan_platform_claim(uint32_t key, enum shmcomm_role role, const struct triad_boot_channel **out);
void chan_platform_unclaim(uint32_t key, enum shmcomm_role role);
/* The TSC rate every sandbox converts with (the monitor's, else our own). */
uint64_t chan_platform_clock_khz(void);

/* Opens serialised against the other kernel threads (the handle pool is
 * global); same arguments and results as shmcomm_open_send/receive. */
int kchan_open_send(uint32_t key, uint32_t flags, size_t msg_size, int depth, shmcomm_channel_t *ch);
int kchan_open_receive(uint32_t key, uint32_t flags, size_t msg_size, int depth, shmcomm_channel_t *ch);
#endif
