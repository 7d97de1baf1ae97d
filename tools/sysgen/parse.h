/* From a schema-valid document to the model: numbers decoded, names resolved
   to indices, the console's ports added to the sandbox's I/O ranges.  Name
   errors (an unknown reader, a duplicate key, ...) are reported here. */
#ifndef TRIAD_SYSGEN_PARSE_H
#define TRIAD_SYSGEN_PARSE_H

#include <libxml/tree.h>
#include "model.h"

/* Fills *m (which the caller zeroed and whose `file` is set); reports every
   error and returns the number found. */
unsigned parse_description(struct model *m, xmlDocPtr doc);

#endif
