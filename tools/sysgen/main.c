/*
 * sysgen: compiles a Triad system description (XML) into the partition table
 * the monitor loads (system.bin), a C header of channel keys for programs and
 * a human-readable report.
 *
 *   sysgen --schema config/system.xsd --bin OUT.bin --header OUT.h --report OUT.txt
 *          [--image MODULE=PATH ...] IN.xml
 *
 * --image fills the golden SHA-256 of every sandbox booting MODULE from the
 * built image at PATH (golden.c), so the monitor can refuse a changed image.
 *
 * Any error is printed as FILE:LINE: RULE: what to change, the exit status is
 * 1, and no output file is created or changed: outputs are written to
 * temporary files next to their destination and renamed only when all three
 * are complete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include "check.h"
#include "diag.h"
#include "emit.h"
#include "golden.h"
#include "layout.h"
#include "load.h"
#include "parse.h"

enum { OUT_BIN, OUT_HEADER, OUT_REPORT, OUT_COUNT };

struct output {
    const char *path;
    char tmp[4096];
    int (*emit)(const struct model *, FILE *);
};

static void usage(void)
{
    fprintf(stderr, "usage: sysgen --schema SCHEMA.xsd [--bin OUT.bin] [--header OUT.h] [--report OUT.txt] [--image MODULE=PATH ...] IN.xml\n");
    exit(2);
}

static void discard(struct output *o, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (o[i].tmp[0])
            unlink(o[i].tmp);
}

/* Writes every requested output to a temporary file; renames them all only
   when every one was written.  Returns 0 on success. */
static int write_outputs(const struct model *m, struct output *o)
{
    for (unsigned i = 0; i < OUT_COUNT; i++) {
        if (o[i].path == NULL)
            continue;
        if (snprintf(o[i].tmp, sizeof o[i].tmp, "%s.tmp-XXXXXX", o[i].path) >= (int)sizeof o[i].tmp) {
            fprintf(stderr, "%s: output path too long\n", o[i].path);
            discard(o, i);
            return -1;
        }
        int fd = mkstemp(o[i].tmp);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (f == NULL) {
            fprintf(stderr, "%s: cannot create: %s\n", o[i].path, strerror(errno));
            o[i].tmp[0] = '\0';
            if (fd >= 0)
                close(fd);
            discard(o, i);
            return -1;
        }
        int rc = o[i].emit(m, f);
        if (fclose(f) != 0 || rc != 0) {
            fprintf(stderr, "%s: write failed: %s\n", o[i].path, strerror(errno));
            discard(o, i + 1);
            return -1;
        }
    }
    for (unsigned i = 0; i < OUT_COUNT; i++) {
        if (o[i].path && rename(o[i].tmp, o[i].path) != 0) {
            fprintf(stderr, "%s: cannot rename into place: %s\n", o[i].path, strerror(errno));
            discard(o, OUT_COUNT);
            return -1;
        }
        o[i].tmp[0] = '\0';
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *schema = NULL, *input = NULL;
    const char *images[TRIAD_MAX_SANDBOXES];
    unsigned image_count = 0;
    struct output out[OUT_COUNT] = {
        [OUT_BIN] = { .emit = emit_table },
        [OUT_HEADER] = { .emit = emit_header },
        [OUT_REPORT] = { .emit = emit_report },
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--schema") == 0) slot = &schema;
        else if (strcmp(a, "--bin") == 0) slot = &out[OUT_BIN].path;
        else if (strcmp(a, "--header") == 0) slot = &out[OUT_HEADER].path;
        else if (strcmp(a, "--report") == 0) slot = &out[OUT_REPORT].path;
        else if (strcmp(a, "--image") == 0 && image_count < TRIAD_MAX_SANDBOXES) slot = &images[image_count++];
        else if (a[0] == '-' || input != NULL) usage();
        else input = a;
        if (slot) {
            if (++i >= argc)
                usage();
            *slot = argv[i];
        }
    }
    if (schema == NULL || input == NULL)
        usage();

    LIBXML_TEST_VERSION
    xmlDocPtr doc = load_description(input, schema);
    if (doc == NULL)
        return 1;
    static struct model m;      /* 26 KiB of table: not on the stack */
    memset(&m, 0, sizeof m);
    m.file = input;
    unsigned errors = parse_description(&m, doc);
    xmlFreeDoc(doc);
    xmlCleanupParser();
    if (errors == 0)
        errors += layout_memory(&m);
    if (errors == 0)
        errors += check_description(&m);
    for (unsigned i = 0; errors == 0 && i < image_count; i++)
        errors += golden_apply(&m, images[i]);
    if (errors != 0) {
        fprintf(stderr, "sysgen: %u error(s); nothing written\n", errors);
        return 1;
    }
    seal_table(&m);
    return write_outputs(&m, out) == 0 ? 0 : 1;
}
