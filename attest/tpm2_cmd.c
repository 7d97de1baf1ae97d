/*
 * TPM 2.0 command marshalling: each builder writes one complete command,
 * header size field included; parsers walk a response by offsets and refuse
 * any field that would run past the bytes received.
 */
#include "tpm2_cmd.h"

#define ST_NO_SESSIONS 0x8001u
#define ST_SESSIONS    0x8002u
#define CC_STARTUP        0x0144u
#define CC_PCR_EXTEND     0x0182u
#define CC_PCR_READ       0x017Eu
#define CC_CREATE_PRIMARY 0x0131u
#define CC_QUOTE          0x0158u
#define ALG_SHA256 0x000Bu
#define ALG_ECC    0x0023u
#define ALG_ECDSA  0x0018u
#define ALG_NULL   0x0010u
#define ECC_NIST_P256 0x0003u
#define RS_PW      0x40000009u
#define SU_CLEAR   0x0000u
#define HEADER_LEN 10u

/* Restricted signing key that never leaves this TPM: fixedTPM, fixedParent,
   sensitiveDataOrigin, userWithAuth, restricted, sign. */
#define AK_ATTRIBUTES 0x00050072u

/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1)) && *at <= TPM2_CMD_MAX;
    requires \valid(at);
    assigns out[0 .. TPM2_CMD_MAX - 1], *at; */
static void put16(uint8_t *out, uint32_t *at, uint32_t v)
{
    if (*at + 2 > TPM2_CMD_MAX) {
        *at = TPM2_CMD_MAX + 1;   /* poisons the length: the builder returns 0 */
        return;
    }
    out[*at] = (uint8_t)(v >> 8);
    out[*at + 1] = (uint8_t)v;
    *at += 2;
}

/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1)) && \valid(at);
    assigns out[0 .. TPM2_CMD_MAX - 1], *at; */
static void put32(uint8_t *out, uint32_t *at, uint32_t v)
{
    if (*at + 4 > TPM2_CMD_MAX) {
        *at = TPM2_CMD_MAX + 1;
        return;
    }
    out[*at] = (uint8_t)(v >> 24);
    out[*at + 1] = (uint8_t)(v >> 16);
    out[*at + 2] = (uint8_t)(v >> 8);
    out[*at + 3] = (uint8_t)v;
    *at += 4;
}

/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1)) && \valid(at);
    requires n <= TPM2_CMD_MAX ==> \valid_read(p + (0 .. n - 1));
    assigns out[0 .. TPM2_CMD_MAX - 1], *at; */
static void put_bytes(uint8_t *out, uint32_t *at, const uint8_t *p, uint32_t n)
{
    if (n > TPM2_CMD_MAX || *at + n > TPM2_CMD_MAX) {
        *at = TPM2_CMD_MAX + 1;
        return;
    }
    /*@ loop assigns i, out[0 .. TPM2_CMD_MAX - 1]; loop variant n - i; */
    for (uint32_t i = 0; i < n; i++)
        out[*at + i] = p[i];
    *at += n;
}

/* Header with a placeholder size, patched by finish(). */
/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1)) && \valid(at);
    assigns out[0 .. TPM2_CMD_MAX - 1], *at; */
static void begin(uint8_t *out, uint32_t *at, uint32_t tag, uint32_t cc)
{
    *at = 0;
    put16(out, at, tag);
    put32(out, at, 0);
    put32(out, at, cc);
}

/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1));
    assigns out[0 .. TPM2_CMD_MAX - 1]; */
static uint32_t finish(uint8_t *out, uint32_t at)
{
    if (at > TPM2_CMD_MAX)
        return 0;
    uint32_t size_at = 2;
    put32(out, &size_at, at);
    return at;
}

/* One empty password session: authorizes an object or PCR whose authValue
   is empty. */
/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1)) && \valid(at);
    assigns out[0 .. TPM2_CMD_MAX - 1], *at; */
static void password_session(uint8_t *out, uint32_t *at)
{
    put32(out, at, 9);        /* authorizationSize */
    put32(out, at, RS_PW);
    put16(out, at, 0);        /* nonceCaller */
    if (*at + 1 <= TPM2_CMD_MAX)
        out[(*at)++] = 0;     /* sessionAttributes */
    else
        *at = TPM2_CMD_MAX + 1;
    put16(out, at, 0);        /* hmac = the (empty) password */
}

/* A TPML_PCR_SELECTION of the SHA-256 bank, PCRs 0..23 from a bit mask. */
/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1)) && \valid(at);
    assigns out[0 .. TPM2_CMD_MAX - 1], *at; */
static void pcr_selection(uint8_t *out, uint32_t *at, uint32_t mask)
{
    put32(out, at, 1);
    put16(out, at, ALG_SHA256);
    const uint8_t select[4] = { 3, (uint8_t)mask, (uint8_t)(mask >> 8), (uint8_t)(mask >> 16) };
    put_bytes(out, at, select, 4);
}

uint32_t tpm2_build_startup_clear(uint8_t *out)
{
    uint32_t at;
    begin(out, &at, ST_NO_SESSIONS, CC_STARTUP);
    put16(out, &at, SU_CLEAR);
    return finish(out, at);
}

uint32_t tpm2_build_pcr_extend(uint8_t *out, uint32_t pcr, const uint8_t *digest)
{
    if (pcr > 23)
        return 0;
    uint32_t at;
    begin(out, &at, ST_SESSIONS, CC_PCR_EXTEND);
    put32(out, &at, pcr);
    password_session(out, &at);
    put32(out, &at, 1);                /* TPML_DIGEST_VALUES: one bank */
    put16(out, &at, ALG_SHA256);
    put_bytes(out, &at, digest, TPM2_SHA256_LEN);
    return finish(out, at);
}

uint32_t tpm2_build_pcr_read(uint8_t *out, uint32_t pcr)
{
    if (pcr > 23)
        return 0;
    uint32_t at;
    begin(out, &at, ST_NO_SESSIONS, CC_PCR_READ);
    pcr_selection(out, &at, 1u << pcr);
    return finish(out, at);
}

uint32_t tpm2_build_create_primary_ak(uint8_t *out)
{
    uint32_t at;
    begin(out, &at, ST_SESSIONS, CC_CREATE_PRIMARY);
    put32(out, &at, TPM2_RH_ENDORSEMENT);
    password_session(out, &at);
    put16(out, &at, 4);                /* TPM2B_SENSITIVE_CREATE: empty auth, no data */
    put16(out, &at, 0);
    put16(out, &at, 0);
    put16(out, &at, 24);               /* TPM2B_PUBLIC size: the TPMT_PUBLIC below */
    put16(out, &at, ALG_ECC);
    put16(out, &at, ALG_SHA256);       /* nameAlg */
    put32(out, &at, AK_ATTRIBUTES);
    put16(out, &at, 0);                /* no authPolicy */
    put16(out, &at, ALG_NULL);         /* no symmetric part: a signing key */
    put16(out, &at, ALG_ECDSA);
    put16(out, &at, ALG_SHA256);
    put16(out, &at, ECC_NIST_P256);
    put16(out, &at, ALG_NULL);         /* kdf */
    put16(out, &at, 0);                /* unique.x */
    put16(out, &at, 0);                /* unique.y */
    put16(out, &at, 0);                /* outsideInfo */
    put32(out, &at, 0);                /* creationPCR: none */
    return finish(out, at);
}

uint32_t tpm2_build_quote(uint8_t *out, uint32_t handle, uint32_t pcr_mask,
                          const uint8_t *nonce, uint32_t nonce_len)
{
    if (nonce_len > TPM2_NONCE_MAX || pcr_mask >= (1u << 24))
        return 0;
    uint32_t at;
    begin(out, &at, ST_SESSIONS, CC_QUOTE);
    put32(out, &at, handle);
    password_session(out, &at);
    put16(out, &at, nonce_len);
    put_bytes(out, &at, nonce, nonce_len);
    put16(out, &at, ALG_NULL);         /* the key's own scheme (ECDSA/SHA-256) */
    pcr_selection(out, &at, pcr_mask);
    return finish(out, at);
}

/*@ requires \valid_read(p + (0 .. 1)); assigns \nothing; */
static uint32_t get16(const uint8_t *p)
{
    return ((uint32_t)p[0] << 8) + p[1];
}

/*@ requires \valid_read(p + (0 .. 3)); assigns \nothing; */
static uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) + ((uint32_t)p[1] << 16) + ((uint32_t)p[2] << 8) + p[3];
}

int32_t tpm2_response_code(const uint8_t *rsp, uint32_t len)
{
    if (len < HEADER_LEN)
        return TPM2_E_SHORT;
    if (get32(rsp + 2) != len)
        return TPM2_E_SIZE;
    return (int32_t)(get32(rsp + 6) & 0x7FFFFFFFu);
}

/* A TPM2B at *at: its total extent (size field included) must fit in len. */
/*@ requires len <= TPM2_CMD_MAX && \valid_read(rsp + (0 .. len - 1));
    requires \valid(at) && \valid(total);
    assigns *at, *total; */
static int32_t skip_tpm2b(const uint8_t *rsp, uint32_t len, uint32_t *at, uint32_t *total)
{
    if (*at + 2 > len)
        return TPM2_E_SHORT;
    uint32_t n = get16(rsp + *at);
    if (*at + 2 + n > len)
        return TPM2_E_SHORT;
    *total = 2 + n;
    *at += 2 + n;
    return 0;
}

int32_t tpm2_parse_pcr_read(const uint8_t *rsp, uint32_t len, uint8_t *digest)
{
    int32_t rc = tpm2_response_code(rsp, len);
    if (rc != 0)
        return rc;
    uint32_t at = HEADER_LEN + 4;      /* pcrUpdateCounter */
    if (at + 4 > len)
        return TPM2_E_SHORT;
    uint32_t banks = get32(rsp + at);
    at += 4;
    /*@ loop assigns b, at; loop variant banks - b; */
    for (uint32_t b = 0; b < banks && b < 16; b++) {
        if (at + 3 > len)
            return TPM2_E_SHORT;
        at += 3 + rsp[at + 2];
    }
    if (at + 4 > len || get32(rsp + at) != 1)
        return TPM2_E_FIELD;
    at += 4;
    if (at + 2 > len || get16(rsp + at) != TPM2_SHA256_LEN || at + 2 + TPM2_SHA256_LEN > len)
        return TPM2_E_FIELD;
    /*@ loop assigns i, digest[0 .. TPM2_SHA256_LEN - 1]; loop variant TPM2_SHA256_LEN - i; */
    for (uint32_t i = 0; i < TPM2_SHA256_LEN; i++)
        digest[i] = rsp[at + 2 + i];
    return 0;
}

int32_t tpm2_parse_create_primary(const uint8_t *rsp, uint32_t len, uint32_t *handle,
                                  uint32_t *pub_off, uint32_t *pub_len)
{
    int32_t rc = tpm2_response_code(rsp, len);
    if (rc != 0)
        return rc;
    if (HEADER_LEN + 8 > len)
        return TPM2_E_SHORT;
    *handle = get32(rsp + HEADER_LEN);
    uint32_t at = HEADER_LEN + 8;      /* handle, parameterSize */
    *pub_off = at;
    return skip_tpm2b(rsp, len, &at, pub_len);
}

int32_t tpm2_parse_quote(const uint8_t *rsp, uint32_t len, uint32_t *att_off, uint32_t *att_len,
                         uint32_t *sig_off, uint32_t *sig_len)
{
    int32_t rc = tpm2_response_code(rsp, len);
    if (rc != 0)
        return rc;
    if (HEADER_LEN + 4 > len)
        return TPM2_E_SHORT;
    uint32_t params = get32(rsp + HEADER_LEN);
    uint32_t at = HEADER_LEN + 4;
    if (params > len - at)
        return TPM2_E_SIZE;
    uint32_t end = at + params;
    *att_off = at;
    if (skip_tpm2b(rsp, end, &at, att_len) != 0)
        return TPM2_E_SHORT;
    /* TPMT_SIGNATURE (ECDSA): sigAlg, hash, r, s. */
    *sig_off = at;
    if (at + 4 > end)
        return TPM2_E_SHORT;
    at += 4;
    uint32_t r, s;
    if (skip_tpm2b(rsp, end, &at, &r) != 0 || skip_tpm2b(rsp, end, &at, &s) != 0)
        return TPM2_E_SHORT;
    *sig_len = at - *sig_off;
    return 0;
}
