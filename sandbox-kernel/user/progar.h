/*
 * Program archive ("TRIADPAR"), the module that carries user programs.
 * Little-endian layout, built on the host by tools/progar:
 *   offset 0: magic "TRIADPAR" (8 bytes), u32 version (1), u32 count
 *   then count entries of 40 bytes: char name[32] (NUL-terminated), u32 offset, u32 size
 *   then the files; offset is from the start of the archive.
 * Reading is pure and bounded (host-tested with corrupt archives).
 */
#ifndef TRIAD_USER_PROGAR_H
#define TRIAD_USER_PROGAR_H
#include <stddef.h>
#include <stdint.h>

#define PROGAR_MAGIC "TRIADPAR"
#define PROGAR_VERSION 1
#define PROGAR_NAME_MAX 32
#define PROGAR_HEADER 16
#define PROGAR_ENTRY 40

#define PROGAR_OK         0
#define PROGAR_BAD       -1     /* not an archive, or an entry outside it */
#define PROGAR_NOT_FOUND -2

/* Checks the whole archive (header and every entry); PROGAR_OK or PROGAR_BAD. */
int progar_check(const uint8_t *ar, size_t len);
/* Finds `name`; sets *data and *size.  The archive must have passed progar_check. */
int progar_find(const uint8_t *ar, size_t len, const char *name, const uint8_t **data, size_t *size);
/* Name of entry i (0 when out of range). */
const char *progar_name(const uint8_t *ar, size_t len, unsigned i);
#endif
