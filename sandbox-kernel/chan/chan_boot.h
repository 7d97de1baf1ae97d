/*
 * The channels the monitor mapped for this sandbox, read from the Triad
 * sandbox tag (type 0x7A1D) of the multiboot2 block.  Parsing is pure and
 * bounded (host-tested with hostile tags): the tag comes from the monitor,
 * but nothing here trusts a count or an address it has not checked against
 * the channel window.
 */
#ifndef TRIAD_KERNEL_CHAN_BOOT_H
#define TRIAD_KERNEL_CHAN_BOOT_H
#include <stddef.h>
#include <stdint.h>
#include "../../monitor/abi/sandbox_boot.h"

struct chan_boot {
    int present;                    /* a Triad tag was found (running under the monitor) */
    uint32_t sandbox_id;
    char name[TRIAD_BOOT_NAME_LEN];
    uint64_t window_gpa, window_size;
    uint8_t console_kind;           /* 0 none, 1 serial, 2 channel */
    uint8_t console_channel;        /* index in ch[] or 0xFF */
    uint32_t count;
    struct triad_boot_channel ch[TRIAD_BOOT_MAX_CHANNELS];
};

#define CHAN_BOOT_OK         0
#define CHAN_BOOT_NO_TAG     1     /* not under the monitor: no channels, not an error */
#define CHAN_BOOT_BAD_BLOCK -1     /* the multiboot2 block itself is malformed */
#define CHAN_BOOT_BAD_TAG   -2     /* tag too short, wrong version, count beyond the tag */
#define CHAN_BOOT_BAD_CHAN  -3     /* a channel outside the window, unaligned, bad role/kind */

/* Parses the block at `mbi` (at most `limit` bytes).  On an error `out`
 * holds no channel (count 0): a sandbox never uses half-checked grants. */
int chan_boot_parse(const void *mbi, size_t limit, struct chan_boot *out);

/* 1 if the entry's role, sizes and pages (inside [base, base+size)) are sane. */
int chan_boot_entry_ok(const struct triad_boot_channel *c, uint64_t base, uint64_t size);

/* The entry for `key`, or null. */
const struct triad_boot_channel *chan_boot_find(const struct chan_boot *b, uint32_t key);
#endif
