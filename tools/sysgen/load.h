/* Reading a description: parse the XML (line numbers kept) and validate it
   against the schema.  Every problem is reported as FILE:LINE: xml|schema: ... */
#ifndef TRIAD_SYSGEN_LOAD_H
#define TRIAD_SYSGEN_LOAD_H

#include <libxml/tree.h>

/* Returns the validated document, or NULL after reporting every error. */
xmlDocPtr load_description(const char *file, const char *schema_file);

#endif
