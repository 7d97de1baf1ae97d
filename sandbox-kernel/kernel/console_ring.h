/*
 * The console's output ring: bytes printed but not yet sent to the UART.
 * A put is all or nothing, so a line (one console_write of at most
 * CONSOLE_RING_SIZE bytes) is never torn or interleaved with another; the
 * reader takes bytes in the order they were put.  No locking here: the
 * console holds its lock around every call (kernel/console.c).  Pure code,
 * unit-tested on the host (tests/unit/sandbox-kernel/test_console_ring.c).
 */
#ifndef TRIAD_KERNEL_CONSOLE_RING_H
#define TRIAD_KERNEL_CONSOLE_RING_H
#include <stddef.h>
#include <stdint.h>

/* 32 KiB: the largest burst the test configurations print (a restarted
   replica's boot lines relayed by io, about 3 KiB) fits many times over, so
   writers there never wait for space. */
#define CONSOLE_RING_SIZE 32768u

struct console_ring {
    char buf[CONSOLE_RING_SIZE];
    uint64_t head, tail;            /* free-running: bytes ever put, ever taken */
};

void console_ring_init(struct console_ring *r);
size_t console_ring_used(const struct console_ring *r);
size_t console_ring_free(const struct console_ring *r);
/* Puts all n bytes and returns 0, or puts nothing and returns -1 when they
   do not fit now (n > free) or never can (n > CONSOLE_RING_SIZE). */
int console_ring_put(struct console_ring *r, const char *s, size_t n);
/* Takes up to max of the oldest bytes into out; returns how many. */
size_t console_ring_take(struct console_ring *r, char *out, size_t max);
/* The same, but stops after a '\n' (then *line_end = 1, else 0): the
   writer sends a line before it lets anything else run. */
size_t console_ring_take_line(struct console_ring *r, char *out, size_t max, int *line_end);
#endif
