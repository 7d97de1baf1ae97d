/* attest-verify: console evidence, event log, replay, golden manifest. */
#include "evidence.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#define EV_NO_ACTION 3u
#define ALG_SHA256   0x000Bu

static int fail(char *err, const char *msg)
{
    snprintf(err, EV_ERR_MAX, "%s", msg);
    return -1;
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void ev_hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = '\0';
}

int ev_unhex(const char *s, uint8_t *out, size_t max)
{
    size_t len = strlen(s);
    if (len % 2 || len / 2 > max)
        return -1;
    for (size_t i = 0; i < len / 2; i++) {
        int h = hexval((unsigned char)s[2 * i]), l = hexval((unsigned char)s[2 * i + 1]);
        if (h < 0 || l < 0)
            return -1;
        out[i] = (uint8_t)(h << 4 | l);
    }
    return (int)(len / 2);
}

/* A decimal number of at most 9 digits spanning exactly [s, e). */
static int decimal(const char *s, const char *e, uint32_t *v)
{
    if (e <= s || e - s > 9)
        return -1;
    *v = 0;
    for (; s < e; s++) {
        if (!isdigit((unsigned char)*s))
            return -1;
        *v = *v * 10 + (uint32_t)(*s - '0');
    }
    return 0;
}

static int all_hex(const char *s, const char *e)
{
    if (e <= s)
        return 0;
    for (; s < e; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

static struct ev_blob *blob_named(struct ev_console *c, const char *name, size_t len, char *err)
{
    for (uint32_t i = 0; i < c->nblobs; i++)
        if (strlen(c->blobs[i].name) == len && !memcmp(c->blobs[i].name, name, len))
            return &c->blobs[i];
    if (c->nblobs == EV_MAX_BLOBS || len >= sizeof c->blobs[0].name) {
        fail(err, "console: too many evidence dumps");
        return NULL;
    }
    struct ev_blob *b = &c->blobs[c->nblobs++];
    memcpy(b->name, name, len);
    b->name[len] = '\0';
    b->end = -1;
    return b;
}

/* One "attest: " line body [s, e). */
static int console_line(struct ev_console *c, const char *s, const char *e, char *err)
{
    /* NAME: [a-z-]+ */
    const char *p = s;
    while (p < e && ((*p >= 'a' && *p <= 'z') || *p == '-'))
        p++;
    const char *name_end = p;
    if (name_end > s && p < e && *p == ' ') {
        const char *f2 = p + 1, *f2e = f2;
        while (f2e < e && *f2e != ' ')
            f2e++;
        uint32_t v;
        if (f2e < e && f2e - f2 == 3 && !memcmp(f2, "end", 3) && decimal(f2e + 1, e, &v) == 0) {
            struct ev_blob *b = blob_named(c, s, (size_t)(name_end - s), err);
            if (!b)
                return -1;
            b->end = v;
            return 0;
        }
        if (f2e < e && decimal(f2, f2e, &v) == 0 && all_hex(f2e + 1, e) && (e - f2e - 1) % 2 == 0) {
            /* "PCR" is upper case, so "pcr 8 <hex> desc" lines never get here
               (their last field is not hex). */
            struct ev_blob *b = blob_named(c, s, (size_t)(name_end - s), err);
            if (!b)
                return -1;
            size_t n = (size_t)(e - f2e - 1) / 2;
            if (v > EV_BLOB_MAX || n > EV_BLOB_MAX - v)
                return fail(err, "console: evidence dump larger than the verifier accepts");
            for (size_t i = 0; i < n; i++) {
                b->data[v + i] = (uint8_t)(hexval(f2e[1 + 2 * i]) << 4 | hexval(f2e[2 + 2 * i]));
                b->have[v + i] = 1;
            }
            if (v + n > b->extent)
                b->extent = (uint32_t)(v + n);
            return 0;
        }
    }
    /* PCR <n> sha256 <64 hex> */
    if (e - s > 4 && !memcmp(s, "PCR ", 4)) {
        const char *n0 = s + 4, *n1 = n0;
        while (n1 < e && *n1 != ' ')
            n1++;
        uint32_t idx;
        if (decimal(n0, n1, &idx) == 0 && idx < 24 && e - n1 == 8 + 64 && !memcmp(n1, " sha256 ", 8) && all_hex(n1 + 8, e)) {
            for (int i = 0; i < 32; i++)
                c->pcr[idx][i] = (uint8_t)(hexval(n1[8 + 2 * i]) << 4 | hexval(n1[9 + 2 * i]));
            c->pcr_seen[idx] = 1;
            return 0;
        }
    }
    if (c->nfacts < EV_MAX_FACTS) {
        size_t n = (size_t)(e - s) < EV_FACT_MAX - 1 ? (size_t)(e - s) : EV_FACT_MAX - 1;
        memcpy(c->facts[c->nfacts], s, n);
        c->facts[c->nfacts][n] = '\0';
        c->nfacts++;
    }
    return 0;
}

int ev_console_parse(const char *text, size_t n, struct ev_console *c, char *err)
{
    memset(c, 0, sizeof *c);
    size_t at = 0;
    while (at < n) {
        size_t e = at;
        while (e < n && text[e] != '\n')
            e++;
        size_t end = e;
        while (end > at && (text[end - 1] == '\r' || text[end - 1] == ' '))
            end--;
        /* the last "attest: " on the line (as a regular search would find) */
        const char *hit = NULL;
        for (size_t i = at; i + 8 <= end; i++)
            if (!memcmp(text + i, "attest: ", 8)) {
                hit = text + i;
                break;
            }
        if (hit && console_line(c, hit + 8, text + end, err) != 0)
            return -1;
        at = e + 1;
    }
    for (uint32_t i = 0; i < c->nblobs; i++) {
        const struct ev_blob *b = &c->blobs[i];
        int complete = b->end >= 0 && b->extent == (uint32_t)b->end;
        for (uint32_t k = 0; complete && k < b->extent; k++)
            complete = b->have[k];
        if (!complete) {
            snprintf(err, EV_ERR_MAX, "%s: console dump incomplete", b->name);
            return -1;
        }
    }
    return 0;
}

const uint8_t *ev_blob(const struct ev_console *c, const char *name, uint32_t *len)
{
    for (uint32_t i = 0; i < c->nblobs; i++)
        if (!strcmp(c->blobs[i].name, name)) {
            *len = c->blobs[i].extent;
            return c->blobs[i].data;
        }
    *len = 0;
    return NULL;
}

int ev_log_parse(const uint8_t *log, size_t n, struct ev_event *ev, uint32_t max, uint32_t *count, char *err)
{
    *count = 0;
    if (n < 65)
        return fail(err, "event log: shorter than its Spec ID header");
    uint32_t size = le32(log + 28);
    if (le32(log + 4) != EV_NO_ACTION || size < 32 || size > n - 32 || memcmp(log + 32, "Spec ID Event03", 16))
        return fail(err, "event log: no Spec ID Event03 header");
    const uint8_t *spec = log + 32;
    uint32_t nalg = le32(spec + 24);
    if (nalg != 1 || 28 + 4 > size || le16(spec + 28) != ALG_SHA256 || le16(spec + 30) != 32)
        return fail(err, "event log: algorithms other than SHA-256 only");
    size_t at = 32 + (size_t)size;
    while (at < n) {
        if (n - at < 50) {
            snprintf(err, EV_ERR_MAX, "event log: truncated event at byte %zu", at);
            return -1;
        }
        uint32_t pcr = le32(log + at), type = le32(log + at + 4), cnt = le32(log + at + 8);
        if (cnt != 1 || le16(log + at + 12) != ALG_SHA256 || pcr > 23) {
            snprintf(err, EV_ERR_MAX, "event log: malformed event at byte %zu", at);
            return -1;
        }
        uint32_t len = le32(log + at + 46);
        if (len > n - at - 50) {
            snprintf(err, EV_ERR_MAX, "event log: event data runs past the end at byte %zu", at);
            return -1;
        }
        if (*count == max)
            return fail(err, "event log: more events than the verifier accepts");
        struct ev_event *e = &ev[(*count)++];
        e->pcr = pcr;
        e->type = type;
        memcpy(e->digest, log + at + 14, 32);
        size_t k = len < EV_DESC_MAX - 1 ? len : EV_DESC_MAX - 1;
        for (size_t i = 0; i < k; i++) {
            uint8_t ch = log[at + 50 + i];
            e->desc[i] = (char)(ch >= 0x20 && ch < 0x7F ? ch : '?');
        }
        e->desc[k] = '\0';
        at += 50 + (size_t)len;
    }
    return 0;
}

void ev_replay(const struct ev_event *ev, uint32_t count, uint8_t pcr[EV_PCR_COUNT][32])
{
    memset(pcr, 0, EV_PCR_COUNT * 32);
    for (uint32_t i = 0; i < count; i++) {
        if (ev[i].pcr < EV_PCR_FIRST || ev[i].pcr >= EV_PCR_FIRST + EV_PCR_COUNT)
            continue;
        uint8_t *p = pcr[ev[i].pcr - EV_PCR_FIRST], buf[64];
        memcpy(buf, p, 32);
        memcpy(buf + 32, ev[i].digest, 32);
        unsigned int len = 32;
        EVP_Digest(buf, sizeof buf, p, &len, EVP_sha256(), NULL);
    }
}

static int copy_name(const char *s, size_t n, char *name, size_t size)
{
    if (n == 0 || n >= size || memchr(s, ' ', n))
        return -1;
    memcpy(name, s, n);
    name[n] = '\0';
    return 0;
}

int ev_component(const char *desc, char *name, size_t size)
{
    if (!strcmp(desc, "system.bin"))
        return copy_name(desc, strlen(desc), name, size);
    if (!strncmp(desc, "module ", 7))
        return copy_name(desc + 7, strlen(desc + 7), name, size);
    const char *k = strstr(desc, " kernel ");
    if (k && k > desc && memchr(desc, ' ', (size_t)(k - desc)) == NULL)
        return copy_name(k + 8, strlen(k + 8), name, size);
    return -1;
}

int manifest_parse(const char *text, size_t n, struct manifest *m, char *err)
{
    memset(m, 0, sizeof *m);
    size_t at = 0;
    for (unsigned line = 1; at < n; line++) {
        size_t e = at;
        while (e < n && text[e] != '\n')
            e++;
        char buf[256];
        size_t len = e - at;
        if (len >= sizeof buf) {
            snprintf(err, EV_ERR_MAX, "manifest line %u: too long", line);
            return -1;
        }
        memcpy(buf, text + at, len);
        buf[len] = '\0';
        at = e + 1;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char name[256], pcr[256], hex[256], extra[2];
        int f = sscanf(buf, "%255s %255s %255s %1s", name, pcr, hex, extra);
        if (f <= 0)
            continue;
        uint32_t idx;
        struct manifest_entry *me = &m->e[m->n];
        if (f != 3) {
            snprintf(err, EV_ERR_MAX, "manifest line %u: expected NAME PCR SHA256", line);
            return -1;
        }
        if (m->n == MANIFEST_MAX) {
            snprintf(err, EV_ERR_MAX, "manifest line %u: more than %u components", line, MANIFEST_MAX);
            return -1;
        }
        if (strlen(name) >= MANIFEST_NAME_MAX) {
            snprintf(err, EV_ERR_MAX, "manifest line %u: name too long", line);
            return -1;
        }
        if (decimal(pcr, pcr + strlen(pcr), &idx) != 0 || idx > 23) {
            snprintf(err, EV_ERR_MAX, "manifest line %u: PCR \"%.16s\" is not 0..23", line, pcr);
            return -1;
        }
        if (strlen(hex) != 64 || ev_unhex(hex, me->sha256, 32) != 32) {
            snprintf(err, EV_ERR_MAX, "manifest line %u: digest is not 64 hex digits", line);
            return -1;
        }
        if (manifest_find(m, name)) {
            snprintf(err, EV_ERR_MAX, "manifest line %u: %.64s listed twice", line, name);
            return -1;
        }
        strcpy(me->name, name);
        me->pcr = idx;
        m->n++;
    }
    return 0;
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *name)
{
    for (uint32_t i = 0; i < m->n; i++)
        if (!strcmp(m->e[i].name, name))
            return &m->e[i];
    return NULL;
}
