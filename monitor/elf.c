/* ELF64 loader for sandbox kernels (see elf.h). */
#include "elf.h"

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define PT_LOAD   1u
#define EM_X86_64 62u
#define ET_EXEC   2u

/* Little-endian fields, by arithmetic rather than shifts and ors: the
   provers see the bounds of a sum directly. */
/*@ requires \valid_read(p + (0 .. 1)); assigns \nothing; */
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] + 256u * p[1]); }
/*@ requires \valid_read(p + (0 .. 3)); assigns \nothing; */
static uint32_t rd32(const uint8_t *p) { return rd16(p) + 65536u * rd16(p + 2); }
/*@ requires \valid_read(p + (0 .. 7)); assigns \nothing; */
static uint64_t rd64(const uint8_t *p) { return rd32(p) + 4294967296u * rd32(p + 4); }

struct segment { uint64_t offset, paddr, filesz, memsz; };

/*@ requires \valid_read(ph + (0 .. PHDR_SIZE - 1)) && \valid(s);
    assigns *s; */
static void read_segment(const uint8_t *ph, struct segment *s)
{
    s->offset = rd64(ph + 8);
    s->paddr = rd64(ph + 24);
    s->filesz = rd64(ph + 32);
    s->memsz = rd64(ph + 40);
}

/* The one walk over the program headers that the loader's three passes
   share: from header i on (below end), the next PT_LOAD header is read into
   *s and its index returned; end when none is left. */
/*@ requires i <= end <= ELF_MAX_PHDRS;
    requires phoff + end * PHDR_SIZE <= 0xFFFFFFFFFFFFFFFF;
    requires \valid_read(img + (phoff .. phoff + end * PHDR_SIZE - 1));
    requires \valid(s);
    assigns *s;
    ensures NEXT_LOAD_FORWARD: i <= \result <= end;
*/
static uint32_t next_load(const uint8_t *img, uint64_t phoff, uint32_t i, uint32_t end,
                          struct segment *s)
{
    /*@ loop invariant i <= j <= end;
        loop assigns j;
        loop variant end - j; */
    for (uint32_t j = i; j < end; j++) {
        const uint8_t *ph = img + (phoff + (uint64_t)j * PHDR_SIZE);
        if (rd32(ph) == PT_LOAD) {
            read_segment(ph, s);
            return j;
        }
    }
    return end;
}

/* A segment's bytes inside the image, its place inside the RAM and off the
   reserved range.  The copy pass checks again rather than relying on the
   first pass: the proof of every RAM index then needs nothing about bytes
   read earlier. */
/*@ requires \valid_read(s);
    assigns \nothing;
    ensures SEGMENT_RESULT: \result == ELF_OK || \result == ELF_ERR_SEGMENT || \result == ELF_ERR_PLACE;
    ensures SEGMENT_INSIDE: \result == ELF_OK ==>
      s->filesz <= s->memsz && s->offset + s->filesz <= img_size && s->paddr + s->memsz <= ram_size;
*/
static int segment_ok(const struct segment *s, uint64_t img_size, uint64_t ram_size,
                      uint64_t reserved_lo, uint64_t reserved_hi)
{
    if (s->filesz > s->memsz || s->offset > img_size || s->filesz > img_size - s->offset)
        return ELF_ERR_SEGMENT;
    if (s->paddr > ram_size || s->memsz > ram_size - s->paddr)
        return ELF_ERR_PLACE;
    if (s->memsz != 0 && s->paddr < reserved_hi && s->paddr + s->memsz > reserved_lo)
        return ELF_ERR_PLACE;
    return ELF_OK;
}

/* Two loadable segments (headers below limit) over the same bytes: the later
   copy would silently win, so the image does not mean what it says.  Empty
   segments hold nothing.  Written without the end of o (o.paddr + o.memsz
   may wrap for a header not checked yet). */
/*@ requires limit <= ELF_MAX_PHDRS;
    requires phoff + limit * PHDR_SIZE <= 0xFFFFFFFFFFFFFFFF;
    requires \valid_read(img + (phoff .. phoff + limit * PHDR_SIZE - 1)) && \valid_read(s);
    requires s->paddr + s->memsz <= 0xFFFFFFFFFFFFFFFF;
    assigns \nothing; */
static int overlaps_earlier(const uint8_t *img, uint64_t phoff, uint32_t limit, const struct segment *s)
{
    struct segment o;
    /*@ loop invariant 0 <= j <= limit;
        loop assigns j, o;
        loop variant limit - j; */
    for (uint32_t j = next_load(img, phoff, 0, limit, &o); j < limit;
         j = next_load(img, phoff, j + 1, limit, &o))
        if (o.memsz != 0 && s->memsz != 0 && o.paddr < s->paddr + s->memsz
            && (s->paddr < o.paddr || s->paddr - o.paddr < o.memsz))
            return 1;
    return 0;
}

int elf_load(const uint8_t *img, uint64_t img_size, uint8_t *ram, uint64_t ram_size,
             uint64_t reserved_lo, uint64_t reserved_hi, uint32_t *entry, int ram_zeroed)
{
    if (img_size < EHDR_SIZE || img[0] != 0x7F || img[1] != 'E' || img[2] != 'L' || img[3] != 'F' ||
        img[4] != 2 /* 64-bit */ || img[5] != 1 /* little-endian */ ||
        rd16(img + 16) != ET_EXEC || rd16(img + 18) != EM_X86_64)
        return ELF_ERR_HEADER;
    const uint64_t e_entry = rd64(img + 24), phoff = rd64(img + 32);
    const uint16_t phentsize = rd16(img + 54), phnum = rd16(img + 56);
    if (phentsize != PHDR_SIZE || phnum > ELF_MAX_PHDRS || phoff > img_size ||
        (uint64_t)phnum * PHDR_SIZE > img_size - phoff)
        return ELF_ERR_HEADER;

    /* First pass: check everything, so a bad image copies nothing. */
    struct segment s;
    int loaded = 0, entry_ok = 0;
    /*@ loop invariant 0 <= i <= phnum;
        loop assigns i, s, loaded, entry_ok;
        loop variant phnum - i; */
    for (uint32_t i = next_load(img, phoff, 0, phnum, &s); i < phnum;
         i = next_load(img, phoff, i + 1, phnum, &s)) {
        int err = segment_ok(&s, img_size, ram_size, reserved_lo, reserved_hi);
        if (err != ELF_OK)
            return err;
        if (overlaps_earlier(img, phoff, i, &s))
            return ELF_ERR_OVERLAP;
        loaded = 1;
        if (e_entry >= s.paddr && e_entry - s.paddr < s.filesz)
            entry_ok = 1;
    }
    if (!loaded)
        return ELF_ERR_EMPTY;
    if (!entry_ok || e_entry >= ram_size || e_entry > 0xFFFFFFFFu)
        return ELF_ERR_ENTRY;

    /* Second pass: copy, and zero the .bss parts unless the caller zeroed
       the region (two loops, not one with a per-byte test: a restart copies
       and zeroes megabytes, each instruction counted). */
    /*@ loop invariant 0 <= i <= phnum;
        loop assigns i, s, ram[0 .. ram_size - 1];
        loop variant phnum - i; */
    for (uint32_t i = next_load(img, phoff, 0, phnum, &s); i < phnum;
         i = next_load(img, phoff, i + 1, phnum, &s)) {
        int err = segment_ok(&s, img_size, ram_size, reserved_lo, reserved_hi);
        if (err != ELF_OK)
            return err;   /* not reached: the first pass read the same bytes */
        /*@ loop invariant 0 <= b <= s.filesz;
            loop assigns b, ram[0 .. ram_size - 1];
            loop variant s.filesz - b; */
        for (uint64_t b = 0; b < s.filesz; b++) {
            ram[s.paddr + b] = img[s.offset + b];
        }
        if (ram_zeroed == 0) {
            /*@ loop invariant s.filesz <= b <= s.memsz;
                loop assigns b, ram[0 .. ram_size - 1];
                loop variant s.memsz - b; */
            for (uint64_t b = s.filesz; b < s.memsz; b++) {
                ram[s.paddr + b] = 0;
            }
        }
    }
    *entry = (uint32_t)e_entry;
    return ELF_OK;
}

const char *elf_strerror(int err)
{
    switch (err) {
    case ELF_OK:          return "ok";
    case ELF_ERR_HEADER:  return "not an ELF64 x86-64 executable";
    case ELF_ERR_SEGMENT: return "segment outside the image";
    case ELF_ERR_PLACE:   return "segment outside the sandbox RAM or over the boot information";
    case ELF_ERR_ENTRY:   return "entry point outside the loaded image";
    case ELF_ERR_EMPTY:   return "no loadable segment";
    case ELF_ERR_OVERLAP: return "two segments overlap";
    default:              return "unknown ELF error";
    }
}
