/*
 * Moving bytes between the kernel and a process, checked page by page
 * against the process's own page tables: a pointer into the kernel, an
 * unmapped page or a read-only page (for writes) gives -E_FAULT.
 */
#ifndef TRIAD_USER_USERCOPY_H
#define TRIAD_USER_USERCOPY_H
#include <stddef.h>
#include <stdint.h>
#include "../arch/x86_64/paging.h"

int copy_from_user(const struct address_space *as, void *dst, uint64_t src, size_t n);
int copy_to_user(const struct address_space *as, uint64_t dst, const void *src, size_t n);
/* Copies a NUL-terminated string of at most max-1 characters: its length, -E_FAULT or -E_NAMETOOLONG. */
int string_from_user(const struct address_space *as, char *dst, uint64_t src, size_t max);
#endif
