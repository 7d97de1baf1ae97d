#include "progar.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t count_of(const uint8_t *ar) { return rd32(ar + 12); }

int progar_check(const uint8_t *ar, size_t len)
{
    if (len < PROGAR_HEADER)
        return PROGAR_BAD;
    for (int i = 0; i < 8; i++)
        if (ar[i] != (uint8_t)PROGAR_MAGIC[i])
            return PROGAR_BAD;
    if (rd32(ar + 8) != PROGAR_VERSION)
        return PROGAR_BAD;
    uint64_t n = count_of(ar);
    if (n > (len - PROGAR_HEADER) / PROGAR_ENTRY)
        return PROGAR_BAD;
    for (uint64_t i = 0; i < n; i++) {
        const uint8_t *e = ar + PROGAR_HEADER + i * PROGAR_ENTRY;
        int terminated = 0;
        for (int k = 0; k < PROGAR_NAME_MAX; k++)
            if (e[k] == 0)
                terminated = 1;
        uint64_t off = rd32(e + 32), size = rd32(e + 36);
        if (!terminated || e[0] == 0 || off > len || size > len - off)
            return PROGAR_BAD;
    }
    return PROGAR_OK;
}

static int name_eq(const uint8_t *entry_name, const char *name)
{
    int k = 0;
    for (; k < PROGAR_NAME_MAX && name[k] != '\0'; k++)
        if (entry_name[k] != (uint8_t)name[k])
            return 0;
    return k < PROGAR_NAME_MAX && entry_name[k] == 0;
}

int progar_find(const uint8_t *ar, size_t len, const char *name, const uint8_t **data, size_t *size)
{
    if (progar_check(ar, len) != PROGAR_OK)
        return PROGAR_BAD;
    for (uint32_t i = 0; i < count_of(ar); i++) {
        const uint8_t *e = ar + PROGAR_HEADER + (size_t)i * PROGAR_ENTRY;
        if (name_eq(e, name)) {
            *data = ar + rd32(e + 32);
            *size = rd32(e + 36);
            return PROGAR_OK;
        }
    }
    return PROGAR_NOT_FOUND;
}

const char *progar_name(const uint8_t *ar, size_t len, unsigned i)
{
    if (progar_check(ar, len) != PROGAR_OK || i >= count_of(ar))
        return 0;
    return (const char *)(ar + PROGAR_HEADER + (size_t)i * PROGAR_ENTRY);
}
