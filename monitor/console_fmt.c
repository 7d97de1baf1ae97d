/*
 * The monitor console's one formatter (console_text.h): strings, decimal
 * and hex numbers written to a sink, the UART (NULL) or a line in memory.
 * console.h's con_puts/con_dec/con_hex and console_text.h's
 * ct_puts/ct_dec/ct_hex are this file's functions with their sink, so a
 * line reads the same whether it was printed at once or queued.  No heap,
 * every loop bounded by a constant.
 */
#include "console_text.h"

#define MAX_STRING 4096u        /* con_string's bound (console.h) */
#define DEC_DIGITS 20u          /* UINT64_MAX has 20 decimal digits */

void ct_init(struct con_text *t)
{
    t->len = 0u;
    t->cut = 0u;
}

/* The line's byte writer: only con_sink_putc writes into a line. */
/*@ requires \valid(t) && t->len <= CON_TEXT_MAX;
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
static void ct_putc(struct con_text *t, char c)
{
    if (t->len < CON_TEXT_MAX) {
        t->bytes[t->len] = c;
        t->len++;
    } else {
        t->cut = 1u;
    }
}

void con_sink_putc(struct con_text *sink, char c)
{
    if (sink == NULL) {
        con_putc(c);
    } else {
        ct_putc(sink, c);
    }
}

void con_sink_putn(struct con_text *sink, const char *b, size_t n)
{
    /*@ loop invariant 0 <= i <= n;
        loop invariant con_sink_ok(sink);
        loop assigns i, *sink;
        loop variant n - i; */
    for (size_t i = 0u; i < n; i++) {
        con_sink_putc(sink, b[i]);
    }
}

void con_sink_puts(struct con_text *sink, const char *s)
{
    /*@ loop invariant 0 <= i <= MAX_STRING;
        loop invariant con_sink_ok(sink);
        loop invariant \forall integer k; 0 <= k < i ==> s[k] != '\0';
        loop assigns i, *sink;
        loop variant MAX_STRING - i; */
    for (uint32_t i = 0u; (i < MAX_STRING) && (s[i] != '\0'); i++) {
        if ((sink == NULL) && (s[i] == '\n')) {
            con_sink_putc(sink, '\r');
        }
        con_sink_putc(sink, s[i]);
    }
}

void con_sink_dec(struct con_text *sink, uint64_t value)
{
    static const char dec[] = "0123456789";
    char digits[DEC_DIGITS] = { 0 };
    uint32_t n = 0u;
    uint64_t v = value;
    /* least significant digit first, then written back to front */
    /*@ loop invariant 0 <= n < DEC_DIGITS;
        loop assigns n, v, digits[0 .. DEC_DIGITS - 1];
        loop variant DEC_DIGITS - n; */
    do {
        digits[n] = dec[v % 10u];
        n++;
        v /= 10u;
    } while ((v != 0u) && (n < DEC_DIGITS));
    /*@ loop invariant 0 <= n <= DEC_DIGITS;
        loop invariant con_sink_ok(sink);
        loop assigns n, *sink;
        loop variant n; */
    while (n > 0u) {
        n--;
        con_sink_putc(sink, digits[n]);
    }
}

void con_sink_hex(struct con_text *sink, uint64_t value, unsigned digits)
{
    static const char hex[] = "0123456789abcdef";
    unsigned d = digits;
    if ((d == 0u) || (d > 16u)) {
        d = 16u;
    }
    con_sink_putc(sink, '0');
    con_sink_putc(sink, 'x');
    /*@ loop invariant 0 <= i <= d <= 16;
        loop invariant con_sink_ok(sink);
        loop assigns i, *sink;
        loop variant i; */
    for (unsigned i = d; i > 0u; i--) {
        const uint64_t shift = ((uint64_t)i - 1u) * 4u;
        con_sink_putc(sink, hex[(value >> shift) & 0xFu]);
    }
}

/* The UART face (console.h). */
void con_puts(const char *s)
{
    con_sink_puts(NULL, s);
}

void con_dec(uint64_t value)
{
    con_sink_dec(NULL, value);
}

void con_hex(uint64_t value, unsigned digits)
{
    con_sink_hex(NULL, value, digits);
}

/* The line-in-memory face (console_text.h). */
void ct_puts(struct con_text *t, const char *s)
{
    con_sink_puts(t, s);
}

void ct_dec(struct con_text *t, uint64_t value)
{
    con_sink_dec(t, value);
}

void ct_hex(struct con_text *t, uint64_t value, unsigned digits)
{
    con_sink_hex(t, value, digits);
}
