#ifndef TRIAD_KERNEL_SERIAL_H
#define TRIAD_KERNEL_SERIAL_H

#include <stdint.h>

/* A 16550 UART at an I/O base (0x3F8 for COM1, 0x2F8 for COM2, ...). */
void serial_init(uint16_t base);
/* Waits on the UART for every byte, each wait bounded (early boot, panic,
   exit, a flush before a deliberate fault). */
void serial_write(const char *buf, unsigned long len);
/* Whether there is a UART at all (0: channel console or none). */
int serial_present(void);
/* 1 as soon as the transmitter holding register is empty (THRE), reading
   the line status at most `polls` times; 0 if it did not empty meanwhile
   (a paced UART still sending: the caller does something else).  1 when
   there is no UART. */
int serial_tx_ready(unsigned polls);
/* One byte into the transmitter, no wait: only after serial_tx_ready said
   1.  One byte per check: QEMU paces a FIFO holding several bytes at the
   baud rate (THRE comes back only when all are out), but sends a lone byte
   at once. */
void serial_tx_byte(char c);

#endif

#ifndef TRIAD_KERNEL_SERIAL_RX
#define TRIAD_KERNEL_SERIAL_RX
/* Receive side: one character or -1, and the receive interrupt on (1) or off (0). */
int serial_getc_nowait(void);
void serial_rx_irq(int on);
#endif
