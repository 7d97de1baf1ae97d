/*
 * Kernel formatted output.  Formatting is separate from output so it can be
 * unit-tested on the host (tests/unit/test_printk.c) against libc's printf.
 */
#include <stdint.h>
#include "printk.h"
#include "console.h"

struct out {
    char *buf;
    size_t size;
    size_t len;      /* characters produced, even past the buffer */
};

static void emit(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void emit_number(struct out *o, unsigned long long v, unsigned base, int negative,
                        unsigned width, char pad, int left)
{
    char tmp[24];
    unsigned n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v != 0);
    unsigned total = n + (negative ? 1u : 0u);
    if (negative && (pad == '0' || left))
        emit(o, '-');
    for (; !left && total < width; total++)
        emit(o, pad);
    if (negative && pad != '0' && !left)
        emit(o, '-');
    while (n > 0)
        emit(o, tmp[--n]);
    for (; left && total < width; total++)
        emit(o, ' ');
}

int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            emit(&o, *p);
            continue;
        }
        p++;
        char pad = ' ';
        unsigned width = 0;
        int left = 0;
        if (*p == '-') {
            left = 1;
            p++;
        }
        if (*p == '0' && !left) {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (unsigned)(*p++ - '0');
        int longs = 0;
        while (*p == 'l') {
            longs++;
            p++;
        }
        if (*p == 'z') {
            longs = 1;
            p++;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            long long v = longs == 0 ? va_arg(ap, int) : longs == 1 ? va_arg(ap, long) : va_arg(ap, long long);
            unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            emit_number(&o, mag, 10, v < 0, width, pad, left);
            break;
        }
        case 'u':
        case 'x': {
            unsigned long long v = longs == 0 ? va_arg(ap, unsigned)
                                 : longs == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned long long);
            emit_number(&o, v, *p == 'x' ? 16u : 10u, 0, width, pad, left);
            break;
        }
        case 'p':
            emit(&o, '0');
            emit(&o, 'x');
            emit_number(&o, (uintptr_t)va_arg(ap, void *), 16, 0, width, pad, left);
            break;
        case 'c':
            emit(&o, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            size_t n = 0;
            for (; s[n] != '\0'; n++)
                ;
            for (; !left && n < width; width--)
                emit(&o, ' ');
            for (; *s != '\0'; s++)
                emit(&o, *s);
            for (; left && n < width; width--)
                emit(&o, ' ');
            break;
        }
        case '%':
            emit(&o, '%');
            break;
        case '\0':
            p--;        /* a lone '%' at the end: print nothing more */
            break;
        default:        /* unknown conversion: show it as written */
            emit(&o, '%');
            emit(&o, *p);
            break;
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintk(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintk(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#ifndef PRINTK_HOST_TEST
int printk(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintk(line, sizeof line, fmt, ap);
    va_end(ap);
    console_write(line, n < (int)sizeof line ? (unsigned long)n : sizeof line - 1);
    return n;
}
#endif
