/*
 * Loading a sandbox kernel image (ELF64, x86-64) into the sandbox's RAM:
 * every PT_LOAD segment goes to its physical address, which is a
 * guest-physical address inside [0, ram_size).  The image is untrusted
 * input: every offset and size is checked before a byte is copied.
 */
#ifndef TRIAD_MONITOR_ELF_H
#define TRIAD_MONITOR_ELF_H

#include <stdint.h>

enum elf_error {
    ELF_OK = 0,
    ELF_ERR_HEADER = -1,     /* not an ELF64 x86-64 executable, or header out of the image */
    ELF_ERR_SEGMENT = -2,    /* a segment's bytes lie outside the image */
    ELF_ERR_PLACE = -3,      /* a segment outside the RAM or over the reserved range */
    ELF_ERR_ENTRY = -4,      /* entry point not inside a loaded segment, or above 4 GiB */
    ELF_ERR_EMPTY = -5,      /* no loadable segment */
    ELF_ERR_OVERLAP = -6,    /* two segments claim the same RAM */
};

#define ELF_MAX_PHDRS 32u

/* Copies the segments of img into ram (the sandbox's RAM as the monitor sees
   it), zero-fills their .bss parts, and returns the 32-bit entry point.
   [reserved_lo, reserved_hi) (the boot information) must stay untouched.
   ram_zeroed != 0: the caller has just zeroed the whole of ram (the boot's
   zero_region, a restart's scrub), so the .bss parts are already zero and
   are not written again (a restart's reload was 80 % .bss zeroing). */
/*@ requires \valid_read(img + (0 .. img_size - 1));
    requires \valid(ram + (0 .. ram_size - 1)) && \valid(entry);
    assigns ram[0 .. ram_size - 1], *entry;
    ensures ELF_LOAD_INSIDE_REGION: \result == ELF_OK ==> *entry < ram_size; */
int elf_load(const uint8_t *img, uint64_t img_size, uint8_t *ram, uint64_t ram_size,
             uint64_t reserved_lo, uint64_t reserved_hi, uint32_t *entry, int ram_zeroed);

/*@ assigns \nothing; */
const char *elf_strerror(int err);

#endif
