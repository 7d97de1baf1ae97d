/*
 * lwIP compiler and platform definitions for the sandbox kernel: freestanding
 * x86-64, little-endian, no libc (format macros and ctype given here),
 * diagnostics to the kernel console, assertions fatal.
 */
#ifndef TRIAD_NET_ARCH_CC_H
#define TRIAD_NET_ARCH_CC_H
#include <stdint.h>
#include <stddef.h>

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H    1
#define LWIP_NO_UNISTD_H   1
#define LWIP_NO_LIMITS_H   1   /* gcc's limits.h chains to a libc one that -nostdinc hides */
#define INT_MAX   __INT_MAX__
#define SSIZE_MAX __LONG_MAX__
typedef long ssize_t;
#define LWIP_PROVIDE_ERRNO 1

#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "lu"

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_CHKSUM_ALGORITHM 3

void net_platform_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void net_platform_assert(const char *msg, const char *file, int line);
uint32_t net_platform_rand(void);

#define LWIP_PLATFORM_DIAG(x)   do { net_platform_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_platform_assert((x), __FILE__, __LINE__)
#define LWIP_RAND()             net_platform_rand()
#endif
