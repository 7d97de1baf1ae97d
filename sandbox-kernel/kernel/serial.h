#ifndef TRIAD_KERNEL_SERIAL_H
#define TRIAD_KERNEL_SERIAL_H

#include <stdint.h>

/* A 16550 UART at an I/O base (0x3F8 for COM1, 0x2F8 for COM2, ...). */
void serial_init(uint16_t base);
void serial_write(const char *buf, unsigned long len);

#endif

#ifndef TRIAD_KERNEL_SERIAL_RX
#define TRIAD_KERNEL_SERIAL_RX
/* Receive side: one character or -1, and the receive interrupt on (1) or off (0). */
int serial_getc_nowait(void);
void serial_rx_irq(int on);
#endif
