#include "usercopy.h"
#include "../sched/sched.h"
#include "../kernel/string.h"

static int copy(const struct address_space *as, uint64_t uva, uint8_t *kbuf, size_t n, int to_user)
{
    while (n > 0) {
        /* Writes go through the direct map, not the user's page tables:
           a copy-on-write page must become the process's own first. */
        uint64_t pa = to_user ? as_lookup_write((struct address_space *)as, uva) : as_lookup(as, uva, 0);
        if (pa == 0)
            return -E_FAULT;
        size_t chunk = 4096 - (uva & 0xFFF);
        if (chunk > n)
            chunk = n;
        if (to_user)
            memcpy((void *)(uintptr_t)pa, kbuf, chunk);
        else
            memcpy(kbuf, (const void *)(uintptr_t)pa, chunk);
        uva += chunk;
        kbuf += chunk;
        n -= chunk;
    }
    return 0;
}

int copy_from_user(const struct address_space *as, void *dst, uint64_t src, size_t n)
{
    return copy(as, src, dst, n, 0);
}

int copy_to_user(const struct address_space *as, uint64_t dst, const void *src, size_t n)
{
    return copy(as, dst, (uint8_t *)(uintptr_t)src, n, 1);
}

int string_from_user(const struct address_space *as, char *dst, uint64_t src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        uint64_t pa = as_lookup(as, src + i, 0);
        if (pa == 0)
            return -E_FAULT;
        dst[i] = *(const char *)(uintptr_t)pa;
        if (dst[i] == '\0')
            return (int)i;
    }
    dst[max - 1] = '\0';
    return -E_NAMETOOLONG;
}
