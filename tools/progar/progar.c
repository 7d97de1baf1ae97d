/*
 * progar: builds a Triad program archive (format in
 * sandbox-kernel/user/progar.h) from files, named after their basenames.
 *   progar OUT.par FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: progar OUT.par FILE...\n");
        return 2;
    }
    unsigned n = (unsigned)(argc - 2);
    size_t hdr = 16 + 40 * (size_t)n, total = hdr;
    unsigned char **data = calloc(n + 1, sizeof *data);
    size_t *sizes = calloc(n + 1, sizeof *sizes);
    unsigned char *head = calloc(1, hdr);
    if (!data || !sizes || !head)
        return 1;
    memcpy(head, "TRIADPAR", 8);
    put32(head + 8, 1);
    put32(head + 12, n);
    for (unsigned i = 0; i < n; i++) {
        const char *path = argv[i + 2], *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (strlen(base) >= 32) {
            fprintf(stderr, "progar: name '%s' longer than 31 characters\n", base);
            return 1;
        }
        FILE *f = fopen(path, "rb");
        if (!f || fseek(f, 0, SEEK_END) != 0) {
            fprintf(stderr, "progar: cannot read %s\n", path);
            return 1;
        }
        long sz = ftell(f);
        rewind(f);
        data[i] = malloc((size_t)sz + 1);
        if (sz < 0 || !data[i] || fread(data[i], 1, (size_t)sz, f) != (size_t)sz) {
            fprintf(stderr, "progar: cannot read %s\n", path);
            return 1;
        }
        fclose(f);
        sizes[i] = (size_t)sz;
        total = (total + 15) & ~(size_t)15;
        if (total + sizes[i] > UINT32_MAX) {
            fprintf(stderr, "progar: archive over 4 GiB\n");
            return 1;
        }
        unsigned char *e = head + 16 + 40 * i;
        memcpy(e, base, strlen(base));
        put32(e + 32, (uint32_t)total);
        put32(e + 36, (uint32_t)sizes[i]);
        total += sizes[i];
    }
    FILE *out = fopen(argv[1], "wb");
    if (!out) {
        fprintf(stderr, "progar: cannot write %s\n", argv[1]);
        return 1;
    }
    fwrite(head, 1, hdr, out);
    size_t pos = hdr;
    for (unsigned i = 0; i < n; i++) {
        static const unsigned char zero[16];
        size_t aligned = (pos + 15) & ~(size_t)15;
        fwrite(zero, 1, aligned - pos, out);
        fwrite(data[i], 1, sizes[i], out);
        pos = aligned + sizes[i];
    }
    return fclose(out) == 0 ? 0 : 1;
}
