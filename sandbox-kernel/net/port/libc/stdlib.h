/* lwIP calls atoi (netif_find); the kernel build has no libc, so net/libc_shim.c gives it. */
#ifndef TRIAD_NET_LIBC_STDLIB_H
#define TRIAD_NET_LIBC_STDLIB_H
#include <stddef.h>
int atoi(const char *s);
#endif
