#ifndef TRIAD_KERNEL_SERIAL_H
#define TRIAD_KERNEL_SERIAL_H

#include <stdint.h>

/* A 16550 UART at an I/O base (0x3F8 for COM1, 0x2F8 for COM2, ...). */
void serial_init(uint16_t base);
/* Waits on the UART for every byte (early boot, panic, a full ring with
   interrupts off). */
void serial_write(const char *buf, unsigned long len);
/* Whether there is a UART at all (0: channel console or none). */
int serial_present(void);
/* 1 when the transmit FIFO is empty (and when there is no UART). */
int serial_tx_empty(void);
/* Up to 8 bytes into an empty FIFO, no waiting (the console's writer thread). */
void serial_tx_burst(const char *buf, unsigned long n);

#endif

#ifndef TRIAD_KERNEL_SERIAL_RX
#define TRIAD_KERNEL_SERIAL_RX
/* Receive side: one character or -1, and the receive interrupt on (1) or off (0). */
int serial_getc_nowait(void);
void serial_rx_irq(int on);
#endif
