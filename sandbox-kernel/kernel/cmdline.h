/*
 * Boot command line: space-separated `key=value` words such as
 * `triad.console=0x2f8 triad.heartbeat=100`.  Pure functions, host-tested.
 */
#ifndef TRIAD_KERNEL_CMDLINE_H
#define TRIAD_KERNEL_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

/* Copies the value of `key` into out (NUL-terminated, truncated to size-1). 1 if present, 0 if not. */
int cmdline_get(const char *cmdline, const char *key, char *out, size_t size);

/*
 * Reads `key` as a number: decimal, or hex with a 0x prefix (or bare hex if
 * `hex` is set).  Returns 1 and sets *value when present and well formed, 0
 * when absent, -1 when malformed or overflowing 64 bits.
 */
int cmdline_get_u64(const char *cmdline, const char *key, int hex, uint64_t *value);

/* Parses a whole string as a number like cmdline_get_u64.  1 ok, -1 malformed. */
int parse_u64(const char *s, int hex, uint64_t *value);

#endif
