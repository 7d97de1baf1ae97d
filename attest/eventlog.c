/* Event records written byte by byte: the buffer may be unaligned and the
   log is little-endian whatever the caller's layout. */
#include "eventlog.h"

#define SHA256_ALG_ID 0x000Bu
#define SHA256_LEN 32u
#define EVENT2_FIXED (4u + 4u + 4u + 2u + SHA256_LEN + 4u)

/*@ requires \valid(p + (0 .. 3)); assigns p[0 .. 3]; */
static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/*@ requires \valid(p + (0 .. 1)); assigns p[0 .. 1]; */
static void le16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

int evlog_init(struct evlog *log, uint8_t *buf, uint32_t cap)
{
    log->buf = buf;
    log->cap = cap;
    log->len = 0;
    log->events = 0;
    log->dropped = 0;
    if (cap < EVLOG_HEADER_LEN)
        return -1;
    /*@ loop assigns i, buf[0 .. EVLOG_HEADER_LEN - 1]; loop variant EVLOG_HEADER_LEN - i; */
    for (uint32_t i = 0; i < EVLOG_HEADER_LEN; i++)
        buf[i] = 0;
    le32(buf + 0, 0);                 /* PCR 0 */
    le32(buf + 4, EV_NO_ACTION);      /* never extended */
    /* buf[8 .. 28): the SHA-1 style digest, zero */
    le32(buf + 28, 33);               /* size of the Spec ID structure */
    static const char sig[16] = "Spec ID Event03";
    /*@ loop assigns i, buf[32 .. 47]; loop variant 16 - i; */
    for (uint32_t i = 0; i < 16; i++)
        buf[32 + i] = (uint8_t)sig[i];
    le32(buf + 48, 0);                /* platform class: client */
    buf[52] = 0;                      /* spec version 2.0, errata 0 */
    buf[53] = 2;
    buf[54] = 0;
    buf[55] = 2;                      /* UINTN is 64-bit */
    le32(buf + 56, 1);                /* one algorithm: */
    le16(buf + 60, SHA256_ALG_ID);
    le16(buf + 62, SHA256_LEN);
    buf[64] = 0;                      /* no vendor data */
    log->len = EVLOG_HEADER_LEN;
    return 0;
}

int evlog_append(struct evlog *log, uint32_t pcr, uint32_t type, const uint8_t *digest,
                 const char *desc)
{
    uint32_t n = 0;
    /*@ loop assigns n; loop variant EVLOG_DESC_MAX - n; */
    while (n < EVLOG_DESC_MAX && desc[n])
        n++;
    if (log->len > log->cap || log->cap - log->len < EVENT2_FIXED + n) {
        if (log->dropped < 0xFFFFFFFFu)
            log->dropped++;
        return -1;
    }
    uint8_t *p = log->buf + log->len;
    le32(p, pcr);
    le32(p + 4, type);
    le32(p + 8, 1);                   /* digest count */
    le16(p + 12, SHA256_ALG_ID);
    /*@ loop assigns i, p[14 .. 14 + SHA256_LEN - 1]; loop variant SHA256_LEN - i; */
    for (uint32_t i = 0; i < SHA256_LEN; i++)
        p[14 + i] = digest[i];
    le32(p + 14 + SHA256_LEN, n);
    /*@ loop assigns i, p[EVENT2_FIXED .. EVENT2_FIXED + n - 1]; loop variant n - i; */
    for (uint32_t i = 0; i < n; i++)
        p[EVENT2_FIXED + i] = (uint8_t)desc[i];
    log->len += EVENT2_FIXED + n;
    log->events++;
    return 0;
}
