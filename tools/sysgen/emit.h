/* The three outputs of a checked description. */
#ifndef TRIAD_SYSGEN_EMIT_H
#define TRIAD_SYSGEN_EMIT_H

#include <stdio.h>
#include "model.h"

/* Fills the header (magic, version, lengths, body SHA-256) of m->table. */
void seal_table(struct model *m);

/* Each returns 0, or -1 when the stream failed. */
int emit_table(const struct model *m, FILE *out);
int emit_header(const struct model *m, FILE *out);
int emit_report(const struct model *m, FILE *out);

#endif
