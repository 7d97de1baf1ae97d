/*
 * The console: output to the UART the command line chose, buffered once
 * the scheduler runs (console_out.c: a ring a drain thread on the low VCPU
 * sends on, so a printk never waits on the UART), input from it through an
 * interrupt thread on an I/O VCPU (console.c: the IRQ handler only wakes
 * the thread; the thread drains the UART into a ring buffer).
 */
#ifndef TRIAD_KERNEL_CONSOLE_H
#define TRIAD_KERNEL_CONSOLE_H
#include <stddef.h>
/* Queues n bytes whole (a write of up to 1 KiB is never torn or
   interleaved); never waits.  A write that does not fit in the ring is
   dropped whole and counted; the next one that fits is preceded by a line
   saying how many were lost ("console: N lines lost (output ring full)"). */
void console_write(const char *buf, size_t n);
/* Starts the output drain (after sched_start); from then on writes are
   buffered.  Without a UART (a channel console) it does nothing. */
void console_output_start(void);
/* Sends everything queued now, waiting on the UART, and makes every later
   write synchronous: for a dying or exiting kernel's last lines. */
void console_flush_sync(void);
/* Sends everything queued now, waiting on the UART, and stays buffered:
   before a deliberate fault that may stop this sandbox (fault_selftest, the
   NIC tests' wild writes), so the lines saying what it does come out first. */
void console_flush(void);
/* Writes dropped whole because the ring was full, since boot. */
unsigned long console_lines_lost(void);
/* Up to n characters already received, without waiting (0 if none). */
long console_read(char *buf, size_t n);
/* Waits for one character. */
int console_getc(void);
/* Starts the receive thread on an I/O VCPU (U = 1%) and enables the UART interrupt. */
void console_input_start(void);
/* Whether the receive thread runs: then it is the UART's only reader and
   everyone else takes input from its ring (console_read). */
int console_input_running(void);
#endif
