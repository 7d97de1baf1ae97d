#include "attest/sha256.h"
#include "emit.h"

void seal_table(struct model *m)
{
    struct triad_table_header *h = &m->table.header;
    h->magic = TRIAD_TABLE_MAGIC;
    h->version_major = TRIAD_TABLE_VERSION_MAJOR;
    h->version_minor = TRIAD_TABLE_VERSION_MINOR;
    h->total_length = TRIAD_TABLE_SIZE;
    h->header_size = (uint32_t)sizeof(struct triad_table_header);
    sha256(&m->table.body, sizeof m->table.body, h->body_sha256);
}

/* The table is written as it sits in memory: the layout is little-endian,
   fixed and padding-explicit (system_table.h), and this tool runs on x86. */
int emit_table(const struct model *m, FILE *out)
{
    return fwrite(&m->table, sizeof m->table, 1, out) == 1 ? 0 : -1;
}
