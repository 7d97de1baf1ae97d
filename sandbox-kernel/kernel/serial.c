#include "serial.h"
#include "../arch/x86_64/io.h"

static uint16_t uart_base;

void serial_init(uint16_t base)
{
    uart_base = base;
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
    for (unsigned long i = 0; i < len; i++) {
        if (buf[i] == '\n')
            put_raw('\r');
        put_raw(buf[i]);
    }
}
