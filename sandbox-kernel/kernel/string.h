#ifndef TRIAD_KERNEL_STRING_H
#define TRIAD_KERNEL_STRING_H
#include <stddef.h>
/* The few libc string functions the kernel needs (and gcc may emit calls to). */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 characters and always terminates (size > 0). */
void strlcpy_k(char *d, const char *s, size_t size);
#endif
