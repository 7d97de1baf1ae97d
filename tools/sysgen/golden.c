/* The golden digest is the SHA-256 of the whole image file, exactly the
   bytes GRUB loads as the module and the monitor measures. */
#include <stdio.h>
#include <string.h>
#include "golden.h"
#include "attest/sha256.h"

static int digest_file(const char *path, uint8_t out[SHA256_DIGEST_LEN])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct sha256_ctx c;
    sha256_init(&c);
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&c, buf, n);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return -1;
    sha256_final(&c, out);
    return 0;
}

unsigned golden_apply(struct model *m, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= TRIAD_NAME_LEN) {
        fprintf(stderr, "sysgen: --image %s: expected MODULE=PATH\n", spec);
        return 1;
    }
    char name[TRIAD_NAME_LEN];
    memcpy(name, spec, (size_t)(eq - spec));
    name[eq - spec] = '\0';
    uint8_t d[SHA256_DIGEST_LEN];
    if (digest_file(eq + 1, d) != 0) {
        fprintf(stderr, "sysgen: --image %s: cannot read %s\n", spec, eq + 1);
        return 1;
    }
    struct triad_table_body *b = &m->table.body;
    unsigned used = 0;
    for (unsigned i = 0; i < b->sandbox_count && i < TRIAD_MAX_SANDBOXES; i++) {
        struct triad_sandbox *s = &b->sandboxes[i];
        if (strncmp(s->kernel_module, name, TRIAD_NAME_LEN) != 0)
            continue;
        used++;
        uint8_t any = 0;
        for (unsigned k = 0; k < TRIAD_SHA256_LEN; k++)
            any |= s->kernel_sha256[k];
        if (!any)
            memcpy(s->kernel_sha256, d, TRIAD_SHA256_LEN);
    }
    if (!used) {
        fprintf(stderr, "sysgen: --image %s: no sandbox boots module \"%s\"\n", spec, name);
        return 1;
    }
    return 0;
}
