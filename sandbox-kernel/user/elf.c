#include "elf.h"

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

int elf_parse(const uint8_t *f, size_t len, uint64_t lo, uint64_t hi, struct elf_image *out)
{
    out->count = 0;
    if (len < 64 || f[0] != 0x7F || f[1] != 'E' || f[2] != 'L' || f[3] != 'F' || f[4] != 2 || f[5] != 1 ||
        rd16(f + 18) != 62)
        return ELF_NOT_ELF;
    if (rd16(f + 16) != 2)
        return ELF_BAD_TYPE;
    uint64_t phoff = rd64(f + 32);
    uint16_t phentsize = rd16(f + 54), phnum = rd16(f + 56);
    if (phentsize < 56 || phnum == 0 || phoff > len || (uint64_t)phentsize * phnum > len - phoff)
        return ELF_BAD_HEADER;
    out->entry = rd64(f + 24);
    int entry_ok = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + (uint64_t)i * phentsize;
        if (rd32(ph) != 1)                  /* PT_LOAD only */
            continue;
        uint32_t flags = rd32(ph + 4);
        struct elf_segment s = { rd64(ph + 16), rd64(ph + 40), rd64(ph + 8), rd64(ph + 32), (flags & 2) != 0 };
        if (out->count == ELF_MAX_SEGMENTS || s.filesz > s.memsz || s.offset > len || s.filesz > len - s.offset ||
            s.vaddr < lo || s.vaddr > hi || s.memsz > hi - s.vaddr)
            return ELF_BAD_SEGMENT;
        if ((flags & 1) && out->entry >= s.vaddr && out->entry < s.vaddr + s.memsz)
            entry_ok = 1;
        out->seg[out->count++] = s;
    }
    if (out->count == 0)
        return ELF_BAD_SEGMENT;
    return entry_ok ? ELF_OK : ELF_BAD_ENTRY;
}

const char *elf_error(int code)
{
    switch (code) {
    case ELF_OK: return "ok";
    case ELF_NOT_ELF: return "not an x86-64 ELF64 file";
    case ELF_BAD_TYPE: return "not a static executable";
    case ELF_BAD_HEADER: return "program headers outside the file";
    case ELF_BAD_SEGMENT: return "segment outside the file or the user window";
    default: return "entry point outside the code";
    }
}
