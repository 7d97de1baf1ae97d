/*
 * attest-verify: the Triad attestation verifier (host side).
 *
 * Reads the evidence a Triad monitor printed on its console (event log, PCR
 * read-back, attestation key, quote), replays the event log and checks:
 *   1. the event log is well formed (Spec ID header, SHA-256 events);
 *   2. the TPM took every measurement (no "unmeasured", no failed command);
 *   3. the quote's signature under the attestation key (ECDSA P-256);
 *   4. the quote's nonce is the verifier's (a replayed quote has an old one);
 *   5. the replayed PCRs equal the quote's PCR digest (or, without a quote,
 *      the PCR values the monitor read back);
 *   6. each measured component equals its golden value (the manifest the
 *      build writes, build/attest/golden.txt, and/or --image NAME=PATH).
 * Prints one verdict line per component, then "VERIFIED" or
 * "REJECTED: <the first failure>".  Exit 0 verified, 1 rejected, 2 bad use.
 * docs/attestation.md lists the lines.
 */
#include "evidence.h"
#include "quote.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#define MAX_IMAGES 16

static char reason[EV_ERR_MAX + 64];

/* Records a failure; the first one is the verdict. */
static void reject(const char *why)
{
    if (!reason[0])
        snprintf(reason, sizeof reason, "%s", why);
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        uint8_t *bigger = cap < (1u << 30) ? realloc(buf, 2 * cap + 1) : NULL;
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static int write_all(const char *dir, const char *name, const uint8_t *p, uint32_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "attest-verify: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: attest-verify --console COM1.LOG [--nonce HEX] [--golden MANIFEST]\n"
            "                     [--image NAME=PATH]... [--log EVENT-LOG.BIN] [--extract DIR]\n"
            "       attest-verify --new-nonce    (a fresh 16-byte nonce in hex, for a quote request)\n");
}

struct image { char name[MANIFEST_NAME_MAX]; uint8_t sha256[32]; };

int main(int argc, char **argv)
{
    const char *console = NULL, *logfile = NULL, *nonce_hex = NULL, *golden = NULL, *extract = NULL;
    struct image images[MAX_IMAGES];
    uint32_t nimages = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        }
        if (!strcmp(a, "--new-nonce") && argc == 2) {
            /* The verifier's challenge: unpredictable, never reused, so a
               quote carrying it was made after it was chosen. */
            uint8_t fresh[16];
            char hex[2 * sizeof fresh + 1];
            if (RAND_bytes(fresh, sizeof fresh) != 1) {
                fprintf(stderr, "attest-verify: no random bytes from OpenSSL\n");
                return 2;
            }
            ev_hex(fresh, sizeof fresh, hex);
            printf("%s\n", hex);
            return 0;
        }
        if (!v) {
            fprintf(stderr, "attest-verify: %s: unknown option or missing value\n", a);
            usage();
            return 2;
        }
        i++;
        if (!strcmp(a, "--console")) console = v;
        else if (!strcmp(a, "--log")) logfile = v;
        else if (!strcmp(a, "--nonce")) nonce_hex = v;
        else if (!strcmp(a, "--golden")) golden = v;
        else if (!strcmp(a, "--extract")) extract = v;
        else if (!strcmp(a, "--image")) {
            const char *eq = strchr(v, '=');
            size_t len;
            uint8_t *data;
            if (!eq || eq == v || (size_t)(eq - v) >= MANIFEST_NAME_MAX || nimages == MAX_IMAGES) {
                fprintf(stderr, "attest-verify: --image %s: expected NAME=PATH\n", v);
                return 2;
            }
            if (!(data = read_all(eq + 1, &len))) {
                fprintf(stderr, "attest-verify: cannot read %s\n", eq + 1);
                return 2;
            }
            memcpy(images[nimages].name, v, (size_t)(eq - v));
            images[nimages].name[eq - v] = '\0';
            unsigned int dl = 32;
            EVP_Digest(data, len, images[nimages].sha256, &dl, EVP_sha256(), NULL);
            free(data);
            nimages++;
        } else {
            fprintf(stderr, "attest-verify: %s: unknown option\n", a);
            usage();
            return 2;
        }
    }
    if (!console) {
        usage();
        return 2;
    }
    uint8_t nonce[64];
    int nonce_len = -1;
    if (nonce_hex && (nonce_len = ev_unhex(nonce_hex, nonce, sizeof nonce)) <= 0) {
        fprintf(stderr, "attest-verify: --nonce %s: expected 1 to 64 bytes of hex\n", nonce_hex);
        return 2;
    }
    static struct manifest m;
    char err[EV_ERR_MAX];
    if (golden) {
        size_t len;
        char *text = (char *)read_all(golden, &len);
        if (!text) {
            fprintf(stderr, "attest-verify: cannot read %s\n", golden);
            return 2;
        }
        int rc = manifest_parse(text, len, &m, err);
        free(text);
        if (rc != 0) {
            fprintf(stderr, "attest-verify: %s: %s\n", golden, err);
            return 2;
        }
    }

    size_t clen;
    char *ctext = (char *)read_all(console, &clen);
    if (!ctext) {
        fprintf(stderr, "attest-verify: cannot read %s\n", console);
        return 2;
    }
    struct ev_console *c = calloc(1, sizeof *c);
    static struct ev_event ev[EV_MAX_EVENTS];
    uint32_t nev = 0;
    uint8_t *logbuf = NULL;
    if (!c)
        return 2;
    int rc = ev_console_parse(ctext, clen, c, err);
    free(ctext);
    if (rc != 0) {
        printf("REJECTED: %s\n", err);
        return 1;
    }
    uint32_t n;
    const uint8_t *p;
    static const char *const files[][2] = {
        { "event-log", "event-log.bin" }, { "ak-public", "ak.pub" },
        { "quote-attest", "quote.msg" }, { "quote-signature", "quote.sig" },
    };
    for (unsigned i = 0; extract && i < 4; i++)
        if ((p = ev_blob(c, files[i][0], &n)) && write_all(extract, files[i][1], p, n) != 0)
            return 2;

    const uint8_t *log;
    size_t loglen;
    if (logfile) {
        if (!(logbuf = read_all(logfile, &loglen))) {
            fprintf(stderr, "attest-verify: cannot read %s\n", logfile);
            return 2;
        }
        log = logbuf;
    } else {
        log = ev_blob(c, "event-log", &n);
        loglen = n;
    }
    if (!log) {
        printf("REJECTED: no event log in the evidence\n");
        return 1;
    }
    if (ev_log_parse(log, loglen, ev, EV_MAX_EVENTS, &nev, err) != 0) {
        printf("REJECTED: %s\n", err);
        return 1;
    }

    /* Launch type and the TPM's own account of the boot. */
    int unmeasured = 0;
    for (uint32_t i = 0; i < c->nfacts; i++) {
        const char *f = c->facts[i];
        if (!strncmp(f, "Triad launch: ", 14))
            printf("launch: %s\n", f + 14);
        if (!strncmp(f, "TPM ", 4) && strstr(f, " failed: ")) {
            char why[EV_FACT_MAX + 64];
            printf("TPM: %s: FAILED\n", f + 4);
            snprintf(why, sizeof why, "TPM: %s: this boot is unmeasured", f + 4);
            reject(why);
        }
        if (!strncmp(f, "no TPM", 6))
            printf("TPM: absent (%s): UNMEASURED\n", f);
        if (strstr(f, "unmeasured"))
            unmeasured = 1;
    }
    if (unmeasured)
        reject("TPM: this boot is unmeasured (no TPM or the TPM failed)");
    /* Evidence served by the I/O sandbox carries no monitor console lines:
       the launch type is the PCR 8 event's own description. */
    int launch_told = 0;
    for (uint32_t i = 0; i < c->nfacts; i++)
        launch_told |= !strncmp(c->facts[i], "Triad launch: ", 14);
    for (uint32_t i = 0; i < nev && !launch_told; i++)
        if (ev[i].pcr == 8 && !strncmp(ev[i].desc, "Triad launch: ", 14)) {
            printf("launch: %s (from the event log)\n", ev[i].desc + 14);
            launch_told = 1;
        }

    uint8_t pcr[EV_PCR_COUNT][32];
    ev_replay(ev, nev, pcr);
    uint32_t mlen, plen, slen;
    const uint8_t *msg = ev_blob(c, "quote-attest", &mlen);
    const uint8_t *pub = ev_blob(c, "ak-public", &plen);
    const uint8_t *sig = ev_blob(c, "quote-signature", &slen);
    if (msg) {
        struct quote_info q;
        if (!pub || !sig) {
            reject("quote: attestation key or signature missing from the evidence");
        } else if (quote_parse(msg, mlen, &q, err) != 0 || quote_check_signature(pub, plen, msg, mlen, sig, slen, err) != 0) {
            printf("quote: %s: FAILED\n", err);
            reject(err);
        } else {
            printf("quote: signature valid (ECDSA P-256, SHA-256)\n");
            char hex[2 * sizeof q.nonce + 1];
            ev_hex(q.nonce, q.nonce_len, hex);
            if (nonce_len < 0 || q.nonce_len != (uint32_t)nonce_len || memcmp(q.nonce, nonce, q.nonce_len)) {
                char why[EV_ERR_MAX];
                snprintf(why, sizeof why, "quote: nonce %s is not ours: a stale or replayed quote", hex);
                printf("%s\n", why);
                reject(why);
            } else {
                printf("quote: nonce matches\n");
            }
            uint8_t cat[EV_PCR_COUNT * 32], d[32];
            unsigned int dl = 32;
            memcpy(cat, pcr, sizeof cat);
            EVP_Digest(cat, sizeof cat, d, &dl, EVP_sha256(), NULL);
            if (q.pcr_mask != 0xF00u || q.other_banks) {
                reject("quote: selects other PCRs than SHA-256 PCRs 8-11");
            } else if (q.pcr_digest_len != 32 || memcmp(q.pcr_digest, d, 32)) {
                printf("pcrs: event log replay differs from the quoted PCR digest: FAILED\n");
                reject("event log: replay does not match the quoted PCR digest (log tampered or incomplete)");
            } else {
                printf("pcrs: event log replays to the quoted PCRs 8,9,10,11\n");
            }
        }
    } else {
        if (nonce_len > 0)
            reject("quote: none in the evidence, a nonce was expected");
        int same = 1;
        for (uint32_t i = 0; i < EV_PCR_COUNT; i++)
            if (!c->pcr_seen[EV_PCR_FIRST + i] || memcmp(c->pcr[EV_PCR_FIRST + i], pcr[i], 32)) {
                char why[EV_ERR_MAX];
                snprintf(why, sizeof why, "event log: replay of PCR %u differs from the value read back", EV_PCR_FIRST + i);
                reject(why);
                same = 0;
                break;
            }
        if (same)
            printf("pcrs: event log replays to the PCRs read back (no quote: not signed)\n");
    }

    /* Components: every measured one against its golden value. */
    int mismatch = 0;
    uint8_t seen[MANIFEST_MAX] = { 0 };
    for (uint32_t i = 0; i < nev; i++) {
        char name[MANIFEST_NAME_MAX], got[65], want[65];
        if (ev_component(ev[i].desc, name, sizeof name) != 0)
            continue;
        const uint8_t *g = NULL;
        for (uint32_t k = 0; k < nimages && !g; k++)
            if (!strcmp(images[k].name, name))
                g = images[k].sha256;
        const struct manifest_entry *me = manifest_find(&m, name);
        if (me)
            seen[me - m.e] = 1;
        if (!g && me)
            g = me->sha256;
        ev_hex(ev[i].digest, 32, got);
        got[16] = '\0';
        if (!g) {
            printf("component %s: measured %s..., no golden value: UNCHECKED\n", ev[i].desc, got);
            continue;
        }
        ev_hex(g, 32, want);
        want[16] = '\0';
        if (memcmp(g, ev[i].digest, 32)) {
            printf("component %s: measured %s... differs from golden %s %s...: MISMATCH\n", ev[i].desc, got, name, want);
            mismatch = 1;
        } else if (me && me->pcr != ev[i].pcr) {
            printf("component %s: measured into PCR %u, golden %s says PCR %u: MISMATCH\n", ev[i].desc, ev[i].pcr, name, me->pcr);
            mismatch = 1;
        } else {
            printf("component %s: matches golden %s: OK\n", ev[i].desc, name);
        }
    }
    for (uint32_t k = 0; k < m.n; k++)
        if (!seen[k]) {
            printf("component %s: in the golden manifest, not measured: MISSING\n", m.e[k].name);
            mismatch = 1;
        }
    if (mismatch)
        reject("a measured image differs from its golden value (or is missing)");

    free(logbuf);
    free(c);
    if (reason[0]) {
        printf("REJECTED: %s\n", reason);
        return 1;
    }
    printf("VERIFIED\n");
    return 0;
}
