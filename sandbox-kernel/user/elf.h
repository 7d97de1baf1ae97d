/*
 * ELF64 executable checks for the program loader: only static x86-64
 * ET_EXEC files whose PT_LOAD segments lie inside the user window
 * [USER_BASE, USER_TOP) are accepted.  Pure, host-tested.
 */
#ifndef TRIAD_USER_ELF_H
#define TRIAD_USER_ELF_H
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

struct elf_segment {
    uint64_t vaddr, memsz, offset, filesz;
    int writable;
};

struct elf_image {
    uint64_t entry;
    unsigned count;
    struct elf_segment seg[ELF_MAX_SEGMENTS];
};

#define ELF_OK          0
#define ELF_NOT_ELF    -1   /* magic, class, data or machine wrong */
#define ELF_BAD_TYPE   -2   /* not ET_EXEC */
#define ELF_BAD_HEADER -3   /* program headers outside the file */
#define ELF_BAD_SEGMENT -4  /* a segment outside the file or the user window, filesz > memsz */
#define ELF_BAD_ENTRY  -5   /* entry point not in an executable segment's range */

int elf_parse(const uint8_t *file, size_t len, uint64_t lo, uint64_t hi, struct elf_image *out);
const char *elf_error(int code);
#endif
