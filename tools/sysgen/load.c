#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include "diag.h"
#include "load.h"

/* libxml2 reports through callbacks; this one turns every report into the
   compiler's own format.  `ctx` is the rule name ("xml" or "schema"). */
static void report(void *ctx, xmlErrorPtr err)
{
    const char *rule = ctx;
    if (err == NULL || err->level == XML_ERR_WARNING)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "unknown error");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    const char *file = err->file ? err->file : "(unknown)";
    diag_error(file, err->line, rule, "%s; %s", msg,
               strcmp(rule, "xml") == 0 ? "fix the XML syntax" : "fix the description so it matches config/system.xsd");
}

/* The schema file itself is ours: a problem in it is reported plainly. */
static void report_schema_file(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    if (err != NULL && err->level != XML_ERR_WARNING)
        diag_error(err->file ? err->file : "(schema)", err->line, "schema-file",
                   "%s", err->message ? err->message : "unreadable schema");
}

xmlDocPtr load_description(const char *file, const char *schema_file)
{
    xmlSetStructuredErrorFunc((void *)"xml", report);
    xmlDocPtr doc = xmlReadFile(file, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
    if (doc == NULL) {
        if (diag_count() == 0)
            diag_error(file, 0, "xml", "cannot read the file; check the path");
        return NULL;
    }

    xmlSetStructuredErrorFunc(NULL, report_schema_file);
    xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(schema_file);
    xmlSchemaPtr schema = pctx ? xmlSchemaParse(pctx) : NULL;
    if (schema == NULL) {
        if (diag_count() == 0)
            diag_error(schema_file, 0, "schema-file", "cannot load the schema");
        xmlSchemaFreeParserCtxt(pctx);
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(vctx, report, (void *)"schema");
    int rc = xmlSchemaValidateDoc(vctx, doc);
    xmlSchemaFreeValidCtxt(vctx);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pctx);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (rc != 0) {
        if (diag_count() == 0)
            diag_error(file, 0, "schema", "the description does not match the schema");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}
