/*
 * Polling UART output.  The monitor never takes an interrupt of its own, so
 * it waits on the line-status register, but only for a bounded number of
 * polls: a missing or stuck UART must not hang the monitor.
 */
#include "console.h"
#include "cpu.h"

#define COM1            0x3F8u
#define UART_LSR        5u
#define LSR_THR_EMPTY   0x20u
#define DEBUG_PORT      0xE9u
#define COM1_LSR        0x3FDu  /* COM1 + UART_LSR, one constant */
#define MAX_POLLS       100000u
#define MAX_STRING      4096u

void con_init(void)
{
    cpu_outb(COM1 + 1, 0x00);   /* no interrupts */
    cpu_outb(COM1 + 3, 0x80);   /* DLAB: set divisor */
    cpu_outb(COM1 + 0, 0x01);   /* 115200 baud */
    cpu_outb(COM1 + 1, 0x00);
    cpu_outb(COM1 + 3, 0x03);   /* 8N1 */
    cpu_outb(COM1 + 2, 0xC7);   /* FIFO on, cleared */
    cpu_outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

int con_tx_empty(void)
{
    int empty = 0;
    const uint8_t lsr = cpu_inb(COM1_LSR);
    if ((lsr & LSR_THR_EMPTY) != 0u) {
        empty = 1;
    }
    return empty;
}

void con_raw(char c)
{
    /* The byte of c, written so that no signed value is narrowed. */
    uint8_t byte = (uint8_t)(c < 0 ? c + 256 : c);
    cpu_outb(COM1, byte);
    cpu_outb(DEBUG_PORT, byte);
}

void con_putc(char c)
{
    unsigned polls = 0;
    /*@ loop assigns polls;
        loop variant MAX_POLLS - polls; */
    while (polls < MAX_POLLS && (cpu_inb(COM1 + UART_LSR) & LSR_THR_EMPTY) == 0)
        polls++;
    con_raw(c);
}

void con_puts(const char *s)
{
    /*@ loop invariant 0 <= i <= MAX_STRING;
        loop invariant \forall integer k; 0 <= k < i ==> s[k] != '\0';
        loop assigns i;
        loop variant MAX_STRING - i; */
    for (unsigned i = 0; i < MAX_STRING && s[i] != '\0'; i++) {
        if (s[i] == '\n')
            con_putc('\r');
        con_putc(s[i]);
    }
}

void con_hex(uint64_t value, unsigned digits)
{
    static const char hex[] = "0123456789abcdef";
    if (digits == 0 || digits > 16)
        digits = 16;
    con_puts("0x");
    /*@ loop invariant 0 <= i <= digits;
        loop assigns i;
        loop variant i; */
    for (unsigned i = digits; i > 0; i--)
        con_putc(hex[(value >> ((i - 1) * 4)) & 0xFu]);
}

void con_dec(uint64_t value)
{
    char digits[20];
    unsigned n = 0;
    /*@ loop invariant 0 <= n < 20;
        loop assigns n, value, digits[0 .. 19];
        loop variant 20 - n; */
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0 && n < 20);
    /*@ loop invariant 0 <= n <= 20;
        loop assigns n;
        loop variant n; */
    while (n > 0)
        con_putc(digits[--n]);
}

void con_line(const char *s)
{
    /* The prefix byte by byte (it holds no newline, so con_puts would print
       the same): its bound is then a constant the proof sees directly. */
    static const char prefix[] = "[monitor] ";
    /*@ loop invariant 0 <= i <= 10;
        loop assigns i;
        loop variant 10 - i; */
    for (unsigned i = 0; i < sizeof prefix - 1; i++)
        con_putc(prefix[i]);
    con_puts(s);
}

#define MAX_LOCK_SPINS 50000000u
volatile uint32_t con_lock_word;

void con_lock(void)
{
    con_lock_quiet();
    con_defer_flush();
}

int con_trylock(void)
{
    return (cpu_xchg32_acquire(&con_lock_word, 1u) == 0u) ? 1 : 0;
}

void con_lock_quiet(void)
{
    uint32_t spins = 0;
    /*@ loop invariant spins <= MAX_LOCK_SPINS;
        loop assigns spins, con_lock_word;
        loop variant MAX_LOCK_SPINS - spins; */
    while (cpu_xchg32_acquire(&con_lock_word, 1u) != 0 && spins < MAX_LOCK_SPINS) {
        cpu_pause();
        spins++;
    }
}

void con_unlock(void)
{
    cpu_store32_release(&con_lock_word, 0u);
}

void core_say(uint32_t core, const char *what)
{
    /* The fixed parts byte by byte, as con_line does: no string literal
       whose bound the proof would have to find. */
    static const char head[] = "[monitor] core ";
    con_lock();
    /*@ loop invariant 0 <= i <= 15;
        loop assigns i;
        loop variant 15 - i; */
    for (unsigned i = 0; i < sizeof head - 1; i++)
        con_putc(head[i]);
    con_dec(core);
    con_putc(':');
    con_putc(' ');
    con_puts(what);
    con_putc('\r');
    con_putc('\n');
    con_unlock();
}
