/*
 * The console: output to the UART the command line chose, input from it
 * through an interrupt thread on an I/O VCPU (the IRQ handler only wakes
 * the thread; the thread drains the UART into a ring buffer).
 */
#ifndef TRIAD_KERNEL_CONSOLE_H
#define TRIAD_KERNEL_CONSOLE_H
#include <stddef.h>
void console_write(const char *buf, size_t n);
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
