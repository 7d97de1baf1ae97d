/*
 * The console channel.  A sandbox with `triad.console=channel` has no UART:
 * console_write() hands its bytes to chan_console_put(), which only queues
 * them (it runs under the console lock, interrupts off); a flusher thread
 * sends each line as one message on the sandbox's console channel.  The
 * I/O sandbox (`triad.console_in=<name>:<key>[,...]`, from the system
 * description) reads those channels and prints every line on its own UART
 * as "[<name>] <line>".
 */
#ifndef TRIAD_KERNEL_CHAN_CONSOLE_H
#define TRIAD_KERNEL_CHAN_CONSOLE_H
#include <stddef.h>
#include <stdint.h>

/* Queues console output while a channel console may still need it.  Until
 * chan_console_start() decides, everything is kept (so the boot banner is
 * not lost); afterwards only a channel console keeps queueing. */
void chan_console_put(const char *buf, size_t n);

/* Starts the flusher if this sandbox's console is a channel (else drops
 * the early queue), and the reader thread if the command line names
 * console channels to print. */
void chan_console_start(const char *cmdline);

/* Waits, at most max_ns, until the flusher has sent every byte queued so
 * far; returns 1 if it did (or this console is not a channel), 0 if the
 * bound passed first.  For a sandbox about to ask for its own restart: the
 * queue lives in the RAM the restart scrubs, so a line still queued would
 * be lost. */
int chan_console_drain(uint64_t max_ns);
#endif
