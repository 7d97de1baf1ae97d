/* lwIP includes <string.h>; the kernel build is -nostdinc, so this shim
   points it at the kernel's own string functions. */
#ifndef TRIAD_NET_LIBC_STRING_H
#define TRIAD_NET_LIBC_STRING_H
#include "kernel/string.h"
#endif
