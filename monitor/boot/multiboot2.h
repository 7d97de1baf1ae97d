/*
 * Multiboot2 boot information, parsed into fixed-size tables.  The parser
 * trusts nothing it reads: every tag is bounds-checked against the size the
 * caller says is readable, and entries beyond the tables' capacity are
 * counted, not stored.
 */
#ifndef TRIAD_MONITOR_MULTIBOOT2_H
#define TRIAD_MONITOR_MULTIBOOT2_H

#include <stdint.h>

#define MB2_BOOTLOADER_MAGIC 0x36D76289u
#define MB2_MAX_REGIONS      64u
#define MB2_MAX_MODULES      16u
#define MB2_MAX_INFO_BYTES   (64u * 1024u)

enum mb2_tag_type {
    MB2_TAG_END = 0,
    MB2_TAG_CMDLINE = 1,
    MB2_TAG_LOADER_NAME = 2,
    MB2_TAG_MODULE = 3,
    MB2_TAG_MMAP = 6,
};

enum mb2_region_type { MB2_RAM = 1, MB2_ACPI_RECLAIM = 3, MB2_NVS = 4, MB2_BAD = 5 };

enum mb2_error {
    MB2_OK = 0,
    MB2_ERR_MAGIC = -1,      /* not loaded by a multiboot2 loader */
    MB2_ERR_SIZE = -2,       /* total size too small, too large or unaligned */
    MB2_ERR_TAG = -3,        /* a tag runs past the end or is shorter than its header */
    MB2_ERR_NO_END = -4,     /* no end tag */
};

struct mb2_region {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct mb2_module {
    uint32_t start;          /* physical, inclusive */
    uint32_t end;            /* physical, exclusive */
    const char *name;        /* the module's command line: NUL-terminated inside its tag */
};

struct boot_info {
    const char *cmdline;     /* NULL when absent */
    const char *loader;
    uint32_t region_count;
    struct mb2_region regions[MB2_MAX_REGIONS];
    uint32_t module_count;
    struct mb2_module modules[MB2_MAX_MODULES];
    uint32_t dropped;        /* regions or modules beyond the tables */
};

/*@ requires \valid_read(info + (0 .. readable - 1));
    requires readable >= 8;
    requires \valid(out);
    assigns *out;
    ensures \result == MB2_OK ==> out->region_count <= MB2_MAX_REGIONS;
    ensures \result == MB2_OK ==> out->module_count <= MB2_MAX_MODULES;
    ensures magic != MB2_BOOTLOADER_MAGIC ==> \result == MB2_ERR_MAGIC; */
int mb2_parse(uint32_t magic, const uint8_t *info, uint32_t readable, struct boot_info *out);

/*@ assigns \result \from err;
    ensures \valid_read(\result); */
const char *mb2_strerror(int err);

#endif
