/*
 * The multiboot2 information block a sandbox kernel receives (layout in
 * abi/sandbox_boot.h), built from the validated system table into a buffer.
 */
#ifndef TRIAD_MONITOR_BOOTINFO_H
#define TRIAD_MONITOR_BOOTINFO_H

#include <stdint.h>
#include "abi/sandbox_boot.h"
#include "partition/system_table.h"

#define BOOTINFO_ERR_SPACE (-1)   /* the buffer is too small */
#define BOOTINFO_ERR_INDEX (-2)   /* no such sandbox */

/* Describes channel ci as sandbox sb sees it.  Returns 0, or -1 when sb is
   not an endpoint of it (then *out is untouched). */
/*@ requires \valid_read(t) && \valid(out) && ci < TRIAD_MAX_CHANNELS;
    assigns *out;
    ensures CHANNEL_ONLY_ENDPOINTS: \result == 0 ==>
        t->channels[ci].writer == sb ||
        (\exists integer r; 0 <= r < t->channels[ci].reader_count && t->channels[ci].readers[r] == sb); */
int bootinfo_channel(const struct triad_table_body *t, uint32_t ci, uint8_t sb,
                     struct triad_boot_channel *out);

/* Writes the block for sandbox sb into buf; returns its size in bytes. */
/*@ requires \valid_read(t) && \valid(buf + (0 .. cap - 1));
    assigns buf[0 .. cap - 1];
    ensures \result > 0 ==> \result <= cap; */
int bootinfo_build(uint8_t *buf, uint32_t cap, const struct triad_table_body *t, uint32_t sb,
                   const char *loader_name);

/* The same block for a relaunch: restart != 0 adds `triad.restart=<restart>`
   to the command line (recovery: the n-th restart of the sandbox). */
/*@ requires \valid_read(t) && \valid(buf + (0 .. cap - 1));
    assigns buf[0 .. cap - 1];
    ensures \result > 0 ==> \result <= cap; */
int bootinfo_build_restart(uint8_t *buf, uint32_t cap, const struct triad_table_body *t, uint32_t sb,
                           const char *loader_name, uint32_t restart);

#endif
