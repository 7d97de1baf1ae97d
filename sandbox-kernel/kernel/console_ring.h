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

/* 16 KiB: the largest burst the test configurations print (io relaying a
   restarted replica's boot lines, about 3 KiB, while its own go on) fits
   five times over.  Every sandbox kernel has it in .bss (4 pages): the
   UAV replicas' 4 MiB regions keep their margin (test 81). */
#define CONSOLE_RING_SIZE 16384u

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
/* The oldest byte into *c without taking it: 1, or 0 when empty. */
int console_ring_peek(const struct console_ring *r, char *c);
/* Takes up to max of the oldest bytes into out; returns how many. */
size_t console_ring_take(struct console_ring *r, char *out, size_t max);
#endif
