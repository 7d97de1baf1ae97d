/*
 * TCG PC Client crypto-agile event log, SHA-256 bank only, in a caller
 * buffer (the monitor keeps it in its own memory).  Layout, little-endian:
 *   one header event in the SHA-1 format (PCR 0, EV_NO_ACTION, 20 zero
 *   bytes) whose data is the "Spec ID Event03" structure naming one
 *   algorithm (SHA-256, 32 bytes);
 *   then one TCG_PCR_EVENT2 per measurement: PCR, event type, a digest list
 *   of one SHA-256 digest, data size, data (an ASCII description).
 * Freestanding: no libc.
 */
#ifndef TRIAD_ATTEST_EVENTLOG_H
#define TRIAD_ATTEST_EVENTLOG_H

#include <stdint.h>

#define EV_NO_ACTION 0x00000003u
#define EV_SEPARATOR 0x00000004u
#define EV_ACTION    0x00000005u
#define EV_IPL       0x0000000Du

#define EVLOG_HEADER_LEN 65u    /* the Spec ID event */
#define EVLOG_DESC_MAX   128u   /* longest description kept per event */

struct evlog {
    uint8_t *buf;
    uint32_t cap;
    uint32_t len;       /* bytes used, header included */
    uint32_t events;    /* measurement events (the header not counted) */
    uint32_t dropped;   /* events that did not fit (the log is then incomplete) */
};

/* Starts a log in buf[0 .. cap): writes the Spec ID header.  0, or -1 if
   cap cannot hold it. */
/*@ requires \valid(log) && \valid(buf + (0 .. cap - 1));
    assigns *log, buf[0 .. cap - 1]; */
int evlog_init(struct evlog *log, uint8_t *buf, uint32_t cap);

/* Appends one event; desc is a NUL-terminated string, cut at
   EVLOG_DESC_MAX bytes.  0, or -1 when full (counted in dropped). */
/*@ requires \valid(log) && \valid(log->buf + (0 .. log->cap - 1));
    requires \valid_read(digest + (0 .. 31));
    requires \valid_read(desc);
    assigns *log, log->buf[0 .. log->cap - 1]; */
int evlog_append(struct evlog *log, uint32_t pcr, uint32_t type, const uint8_t *digest,
                 const char *desc);

#endif
