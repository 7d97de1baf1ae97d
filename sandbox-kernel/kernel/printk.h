#ifndef TRIAD_KERNEL_PRINTK_H
#define TRIAD_KERNEL_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

/* printf subset: %s %c %d %i %u %x %p %%, with l/ll/z length, 0 or - flag and width. */
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
int snprintk(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
