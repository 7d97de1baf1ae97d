/*
 * attest-verify, the pure part: the evidence a Triad monitor prints on its
 * console, the crypto-agile SHA-256 event log, its replay over PCRs 8-11 and
 * the golden manifest the build writes.  No I/O here: the unit tests in
 * tests/unit/attest/ feed it bad input.  Every error sets a message in the
 * caller's buffer and returns -1.
 */
#ifndef ATTEST_VERIFY_EVIDENCE_H
#define ATTEST_VERIFY_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#define EV_PCR_FIRST   8u
#define EV_PCR_COUNT   4u           /* PCRs 8, 9, 10, 11 */
#define EV_MAX_EVENTS  256u
#define EV_DESC_MAX    256u
#define EV_BLOB_MAX    65536u
#define EV_MAX_BLOBS   8u
#define EV_MAX_FACTS   256u
#define EV_FACT_MAX    512u
#define EV_ERR_MAX     256u
#define MANIFEST_MAX   64u
#define MANIFEST_NAME_MAX 64u

struct ev_event {
    uint32_t pcr, type;
    uint8_t digest[32];
    char desc[EV_DESC_MAX];         /* NUL-terminated, non-printables as '?' */
};

struct ev_blob {
    char name[32];
    uint8_t data[EV_BLOB_MAX];
    uint8_t have[EV_BLOB_MAX];      /* byte i was dumped */
    uint32_t extent;                /* highest byte dumped + 1 */
    int64_t end;                    /* length from the "end" line, -1 if none */
};

struct ev_console {
    struct ev_blob blobs[EV_MAX_BLOBS];
    uint32_t nblobs;
    uint8_t pcr[24][32];            /* "attest: PCR n sha256 ..." read-back */
    uint8_t pcr_seen[24];
    char facts[EV_MAX_FACTS][EV_FACT_MAX];   /* every other "attest: " line */
    uint32_t nfacts;
};

struct manifest_entry {
    char name[MANIFEST_NAME_MAX];
    uint32_t pcr;
    uint8_t sha256[32];
};

struct manifest {
    struct manifest_entry e[MANIFEST_MAX];
    uint32_t n;
};

/* Parses a console log (text of length n). A blob dump that is incomplete
   (bytes missing, length differs from its "end" line) is an error. */
int ev_console_parse(const char *text, size_t n, struct ev_console *c, char *err);

/* The complete blob NAME, or NULL; *len its length. */
const uint8_t *ev_blob(const struct ev_console *c, const char *name, uint32_t *len);

/* Parses an event log: the Spec ID Event03 header (SHA-256 only), then
   TCG_PCR_EVENT2 records. */
int ev_log_parse(const uint8_t *log, size_t n, struct ev_event *ev, uint32_t max, uint32_t *count, char *err);

/* Replays the events into PCRs 8-11 (start at zero). */
void ev_replay(const struct ev_event *ev, uint32_t count, uint8_t pcr[EV_PCR_COUNT][32]);

/* The golden-manifest name an event measures ("system.bin", the module of
   "<sandbox> kernel <module>", the name of "module <name>"), or -1 when the
   event measures no component (the launch event). */
int ev_component(const char *desc, char *name, size_t size);

/* Manifest text: one "NAME PCR SHA256HEX" per line; '#' comments and blank
   lines ignored. A malformed line or a duplicate name is an error naming the
   line. */
int manifest_parse(const char *text, size_t n, struct manifest *m, char *err);

const struct manifest_entry *manifest_find(const struct manifest *m, const char *name);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void ev_hex(const uint8_t *p, size_t n, char *out);

/* Hex string (even length, at most max bytes) into out; returns the byte
   count or -1. */
int ev_unhex(const char *s, uint8_t *out, size_t max);

#endif
