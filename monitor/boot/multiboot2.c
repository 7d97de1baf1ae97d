#include "multiboot2.h"

#define MB2_MAX_TAGS 1024u

/* Little-endian loads written as sums of scaled bytes rather than shifts:
   the provers reason about linear arithmetic on bytes far better than about
   shifted words, and the compiler emits the same single load. */
/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing; */
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] + (uint32_t)p[1] * 0x100u + (uint32_t)p[2] * 0x10000u +
           (uint32_t)p[3] * 0x1000000u;
}

/*@ requires \valid_read(p + (0 .. 7));
    assigns \nothing; */
static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) + (uint64_t)rd32(p + 4) * 0x100000000ull;
}

/* Counters of dropped entries saturate: they are diagnostics, never indices. */
/*@ requires \valid(counter);
    assigns *counter; */
static void count_dropped(uint32_t *counter)
{
    if (*counter < 0xFFFFFFFFu)
        (*counter)++;
}

/* A string field is usable only if its NUL lies inside the tag. */
/*@ requires \valid_read(s + (0 .. len - 1)) || len == 0;
    assigns \result \from s, s[0 .. len - 1]; */
static const char *bounded_string(const uint8_t *s, uint32_t len)
{
    /*@ loop invariant 0 <= i <= len;
        loop assigns i;
        loop variant len - i; */
    for (uint32_t i = 0; i < len; i++)
        if (s[i] == 0)
            return (const char *)s;
    return 0;
}

/*@ requires \valid_read(tag + (0 .. size - 1));
    requires 16 <= size <= MB2_MAX_INFO_BYTES;
    requires \valid(out);
    requires out->region_count <= MB2_MAX_REGIONS;
    assigns out->regions[0 .. MB2_MAX_REGIONS - 1], out->region_count, out->dropped;
    ensures out->region_count <= MB2_MAX_REGIONS; */
static void parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    uint32_t entry_size = rd32(tag + 8);
    if (entry_size < 24u || entry_size > size)
        return;
    /* Walk by offset: each entry [off, off + entry_size) lies inside the tag. */
    /*@ loop invariant 16 <= off <= size;
        loop invariant out->region_count <= MB2_MAX_REGIONS;
        loop assigns off, out->regions[0 .. MB2_MAX_REGIONS - 1], out->region_count, out->dropped;
        loop variant size - off; */
    for (uint32_t off = 16; off <= size - entry_size; off += entry_size) {
        const uint8_t *e = tag + off;
        if (out->region_count >= MB2_MAX_REGIONS) {
            count_dropped(&out->dropped);
            continue;
        }
        struct mb2_region *r = &out->regions[out->region_count];
        r->base = rd64(e);
        r->length = rd64(e + 8);
        r->type = rd32(e + 16);
        out->region_count++;
    }
}

/*@ requires \valid_read(tag + (0 .. size - 1));
    requires 16 <= size <= MB2_MAX_INFO_BYTES;
    requires \valid(out);
    requires out->module_count <= MB2_MAX_MODULES;
    assigns out->modules[0 .. MB2_MAX_MODULES - 1], out->module_count, out->dropped;
    ensures out->module_count <= MB2_MAX_MODULES; */
static void parse_module(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (out->module_count >= MB2_MAX_MODULES) {
        count_dropped(&out->dropped);
        return;
    }
    uint32_t start = rd32(tag + 8), end = rd32(tag + 12);
    if (end < start)
        return;
    struct mb2_module *m = &out->modules[out->module_count];
    m->start = start;
    m->end = end;
    m->name = bounded_string(tag + 16, size - 16u);
    out->module_count++;
}

int mb2_parse(uint32_t magic, const uint8_t *info, uint32_t readable, struct boot_info *out)
{
    /* Only the counted prefix of each table is meaningful, so resetting the
       counts and pointers is a complete reset. */
    out->cmdline = 0;
    out->loader = 0;
    out->region_count = 0;
    out->module_count = 0;
    out->dropped = 0;

    if (magic != MB2_BOOTLOADER_MAGIC)
        return MB2_ERR_MAGIC;
    uint32_t total = rd32(info);
    if (total < 16u || total > readable || total > MB2_MAX_INFO_BYTES)
        return MB2_ERR_SIZE;

    uint32_t off = 8;
    /*@ loop invariant 8 <= off <= total + 7;
        loop invariant 0 <= n <= MB2_MAX_TAGS;
        loop invariant out->region_count <= MB2_MAX_REGIONS;
        loop invariant out->module_count <= MB2_MAX_MODULES;
        loop assigns off, n, *out;
        loop variant MB2_MAX_TAGS - n; */
    for (uint32_t n = 0; n < MB2_MAX_TAGS; n++) {
        if (off > total - 8u)
            return MB2_ERR_NO_END;
        const uint8_t *tag = info + off;
        uint32_t type = rd32(tag), size = rd32(tag + 4);
        if (size < 8u || size > total - off)
            return MB2_ERR_TAG;
        switch (type) {
        case MB2_TAG_END:
            return MB2_OK;
        case MB2_TAG_CMDLINE:
            out->cmdline = bounded_string(tag + 8, size - 8u);
            break;
        case MB2_TAG_LOADER_NAME:
            out->loader = bounded_string(tag + 8, size - 8u);
            break;
        case MB2_TAG_MODULE:
            if (size < 16u)
                return MB2_ERR_TAG;
            parse_module(tag, size, out);
            break;
        case MB2_TAG_MMAP:
            if (size < 16u)
                return MB2_ERR_TAG;
            parse_mmap(tag, size, out);
            break;
        default:
            break;          /* framebuffer, ACPI, ...: not needed */
        }
        off += (size + 7u) / 8u * 8u;     /* tags start 8-byte aligned */
    }
    return MB2_ERR_NO_END;
}

const char *mb2_strerror(int err)
{
    switch (err) {
    case MB2_OK:         return "ok";
    case MB2_ERR_MAGIC:  return "not loaded by a multiboot2 boot loader (bad magic)";
    case MB2_ERR_SIZE:   return "boot information has an impossible size";
    case MB2_ERR_TAG:    return "boot information has a malformed tag";
    case MB2_ERR_NO_END: return "boot information has no end tag";
    default:             return "unknown error";
    }
}
