/* multiboot2 information parser: see bootinfo.h.  No kernel dependencies. */
#include "bootinfo.h"

#define TAG_END      0
#define TAG_CMDLINE  1
#define TAG_LOADER   2
#define TAG_MODULE   3
#define TAG_MMAP     6

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* Copies a string that must end inside [p, p+n); always NUL-terminates dst. */
static void copy_string(char *dst, size_t dst_size, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < dst_size && i < n && p[i] != '\0'; i++)
        dst[i] = (char)p[i];
    dst[i] = '\0';
}

static void parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    if (size < 16)
        return;
    uint32_t entry_size = rd32(tag + 8);
    if (entry_size < 24)
        return;
    out->has_mmap = 1;
    for (uint32_t off = 16; off + entry_size <= size; off += entry_size) {
        const uint8_t *e = tag + off;
        uint64_t base = rd64(e), len = rd64(e + 8);
        uint32_t type = rd32(e + 16);
        if (type != 1 || len == 0 || base + len < base || out->ram_count >= BOOT_MAX_RAM)
            continue;
        out->ram[out->ram_count].start = base;
        out->ram[out->ram_count].end = base + len;
        out->ram_count++;
    }
}

int bootinfo_parse(const void *mbi, uint64_t phys, size_t limit, struct boot_info *out)
{
    const uint8_t *b = mbi;
    for (size_t i = 0; i < sizeof *out; i++)
        ((uint8_t *)out)[i] = 0;
    if (limit < 16)
        return BOOTINFO_BAD_SIZE;
    uint32_t total = rd32(b);
    if (total < 16 || total > limit)
        return BOOTINFO_BAD_SIZE;
    out->info_start = phys;
    out->info_end = phys + total;
    for (uint32_t off = 8; off + 8 <= total;) {
        const uint8_t *tag = b + off;
        uint32_t type = rd32(tag), size = rd32(tag + 4);
        if (size < 8 || size > total - off)
            return BOOTINFO_BAD_TAG;
        switch (type) {
        case TAG_END:
            return BOOTINFO_OK;
        case TAG_CMDLINE:
            copy_string(out->cmdline, sizeof out->cmdline, tag + 8, size - 8);
            break;
        case TAG_LOADER:
            copy_string(out->loader, sizeof out->loader, tag + 8, size - 8);
            break;
        case TAG_MODULE:
            if (size >= 16 && out->module_count < BOOT_MAX_MODULES) {
                struct boot_module *m = &out->modules[out->module_count];
                m->start = rd32(tag + 8);
                m->end = rd32(tag + 12);
                if (m->end >= m->start) {
                    copy_string(m->name, sizeof m->name, tag + 16, size - 16);
                    out->module_count++;
                }
            }
            break;
        case TAG_MMAP:
            parse_mmap(tag, size, out);
            break;
        default:            /* other tags (framebuffer, the monitor's Triad tag...) are optional */
            break;
        }
        off += (size + 7) & ~7u;
    }
    return BOOTINFO_NO_END;
}

uint64_t bootinfo_ram_top(const struct boot_info *bi)
{
    uint64_t top = 0;
    for (unsigned i = 0; i < bi->ram_count; i++)
        if (bi->ram[i].end > top)
            top = bi->ram[i].end;
    return top;
}
