/*
 * What the kernel learns from its multiboot2 loader (GRUB standalone, the
 * monitor under partitioning): command line, usable RAM, modules.  Parsing
 * is pure and bounded so it is unit-tested on the host with hostile blocks.
 */
#ifndef TRIAD_KERNEL_BOOTINFO_H
#define TRIAD_KERNEL_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36D76289u
#define BOOT_MAX_RAM      32
#define BOOT_MAX_MODULES  8
#define BOOT_CMDLINE_MAX  512
#define BOOT_NAME_MAX     64

struct boot_range {
    uint64_t start;
    uint64_t end;           /* exclusive */
};

struct boot_module {
    uint64_t start;
    uint64_t end;           /* exclusive */
    char name[BOOT_NAME_MAX];
};

struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[BOOT_NAME_MAX];
    struct boot_range ram[BOOT_MAX_RAM];    /* type-1 (available) memory-map entries */
    unsigned ram_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    unsigned module_count;
    uint64_t info_start, info_end;          /* the block itself, to keep it out of the allocator */
    int has_mmap;
};

/* Error codes of bootinfo_parse. */
#define BOOTINFO_OK           0
#define BOOTINFO_BAD_SIZE    -1   /* total_size too small, too large or beyond `limit` */
#define BOOTINFO_BAD_TAG     -2   /* a tag runs past the block or is shorter than its header */
#define BOOTINFO_NO_END      -3   /* no end tag before the block ends */

/*
 * Parses the block at `mbi` (whose address in physical memory is `phys`),
 * reading at most `limit` bytes.  Returns BOOTINFO_OK or an error; on error
 * `out` holds what was parsed before the bad tag.
 */
int bootinfo_parse(const void *mbi, uint64_t phys, size_t limit, struct boot_info *out);

/* Highest end address of RAM (0 if none). */
uint64_t bootinfo_ram_top(const struct boot_info *bi);

#endif
