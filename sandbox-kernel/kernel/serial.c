#include "serial.h"
#include "../arch/x86_64/io.h"

static uint16_t uart_base;

void serial_init(uint16_t base)
{
    uart_base = base;
    if (base == 0)
        return;         /* no serial console (channel or none): output is dropped */
    outb(base + 1, 0x00);       /* polled: interrupts off until the driver thread exists */
    outb(base + 3, 0x80);
    outb(base + 0, 0x01);       /* 115200 8N1 */
    outb(base + 1, 0x00);
    outb(base + 3, 0x03);
    outb(base + 2, 0xC7);
    outb(base + 4, 0x03);
}

static void put_raw(char c)
{
    /* Bounded wait: an absent UART reads 0xFF, a stuck one never drains. */
    for (unsigned spins = 0; spins < 100000 && !(inb(uart_base + 5) & 0x20); spins++)
        ;
    outb(uart_base, (uint8_t)c);
}

void serial_write(const char *buf, unsigned long len)
{
    if (uart_base == 0)
        return;
    for (unsigned long i = 0; i < len; i++) {
        if (buf[i] == '\n')
            put_raw('\r');
        put_raw(buf[i]);
    }
}

int serial_present(void)
{
    return uart_base != 0;
}

int serial_tx_ready(unsigned polls)
{
    if (uart_base == 0)
        return 1;
    for (unsigned i = 0; i < polls; i++)
        if (inb(uart_base + 5) & 0x20)
            return 1;
    return 0;
}

void serial_tx_byte(char c)
{
    if (uart_base != 0)
        outb(uart_base, (uint8_t)c);
}

int serial_getc_nowait(void)
{
    if (uart_base == 0 || !(inb(uart_base + 5) & 0x01))
        return -1;
    return inb(uart_base);
}

void serial_rx_irq(int on)
{
    if (uart_base == 0)
        return;
    outb(uart_base + 1, on ? 0x01 : 0x00);
    outb(uart_base + 4, 0x0B);      /* OUT2 routes the UART's interrupt to the PIC */
}
