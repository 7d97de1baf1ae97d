#include <stdlib.h>
#include <string.h>
#include "validate_one.h"
#include "partition/validate.h"
#include "attest/sha256.h"

int fuzz_validate_one(const uint8_t *data, size_t size)
{
    /* calloc is 16-byte aligned, as a GRUB module is page aligned. */
    uint8_t *copy = calloc(size ? size : 1, 1);
    if (copy == NULL)
        abort();
    if (size)
        memcpy(copy, data, size);
    const struct triad_system_table *out = NULL;
    int first = triad_table_validate(copy, size, &out);
    if ((first == TRIAD_TABLE_OK) != (out != NULL) || first < 0 || first >= TRIAD_TABLE_ERROR_COUNT)
        abort();
    int result = first;
    if (size >= sizeof(struct triad_system_table)) {
        struct triad_system_table *t = (struct triad_system_table *)copy;
        sha256(&t->body, sizeof t->body, t->header.body_sha256);
        result = triad_table_validate(copy, size, &out);
        if ((result == TRIAD_TABLE_OK) != (out != NULL) || result < 0 || result >= TRIAD_TABLE_ERROR_COUNT)
            abort();
    }
    free(copy);
    return result;
}
