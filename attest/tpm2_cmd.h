/*
 * TPM 2.0 command marshalling and response checks (TPM 2.0 Library, Part 3).
 * Pure functions on caller buffers: no I/O, so they are unit-tested on the
 * host and linked unchanged into the monitor.  Big-endian on the wire.
 * Commands that need authorization carry one empty password session
 * (TPM_RS_PW): the hierarchies and PCRs of a freshly started TPM have an
 * empty authValue.
 */
#ifndef TRIAD_ATTEST_TPM2_CMD_H
#define TRIAD_ATTEST_TPM2_CMD_H

#include <stdint.h>

#define TPM2_CMD_MAX        1024u   /* largest command or response we build/accept */
#define TPM2_SHA256_LEN     32u
#define TPM2_RC_SUCCESS     0x000u
#define TPM2_RC_INITIALIZE  0x100u  /* TPM2_Startup already done */
#define TPM2_RH_OWNER       0x40000001u
#define TPM2_RH_ENDORSEMENT 0x4000000Bu
#define TPM2_NONCE_MAX      32u

/* Errors of the parsers (negative; a TPM's own rc is returned as is). */
enum tpm2_parse_error {
    TPM2_E_SHORT = -1,      /* response shorter than its header or its fields */
    TPM2_E_SIZE = -2,       /* header size disagrees with the bytes received */
    TPM2_E_FIELD = -3,      /* a field exceeds what the caller can hold */
};

/* Each builder writes into out[0 .. TPM2_CMD_MAX) and returns the command
   length, or 0 if the arguments are out of range. */

/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1));
    assigns out[0 .. TPM2_CMD_MAX - 1];
    ensures \result <= TPM2_CMD_MAX; */
uint32_t tpm2_build_startup_clear(uint8_t *out);

/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1));
    requires \valid_read(digest + (0 .. TPM2_SHA256_LEN - 1));
    assigns out[0 .. TPM2_CMD_MAX - 1];
    ensures \result <= TPM2_CMD_MAX; */
uint32_t tpm2_build_pcr_extend(uint8_t *out, uint32_t pcr, const uint8_t *digest);

/* PCR_Read of the SHA-256 bank, one PCR. */
/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1));
    assigns out[0 .. TPM2_CMD_MAX - 1];
    ensures \result <= TPM2_CMD_MAX; */
uint32_t tpm2_build_pcr_read(uint8_t *out, uint32_t pcr);

/* CreatePrimary under the endorsement hierarchy: an ECC NIST P-256
   restricted signing key (ECDSA with SHA-256), fixedTPM/fixedParent. */
/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1));
    assigns out[0 .. TPM2_CMD_MAX - 1];
    ensures \result <= TPM2_CMD_MAX; */
uint32_t tpm2_build_create_primary_ak(uint8_t *out);

/* Quote with key `handle` over the SHA-256 PCRs in pcr_mask (PCRs 0..23),
   qualifying data = nonce[0 .. nonce_len). */
/*@ requires \valid(out + (0 .. TPM2_CMD_MAX - 1));
    requires nonce_len <= TPM2_NONCE_MAX ==> \valid_read(nonce + (0 .. nonce_len - 1));
    assigns out[0 .. TPM2_CMD_MAX - 1];
    ensures \result <= TPM2_CMD_MAX; */
uint32_t tpm2_build_quote(uint8_t *out, uint32_t handle, uint32_t pcr_mask,
                          const uint8_t *nonce, uint32_t nonce_len);

/* Checks the response header: returns the TPM's response code (0 = success),
   or a negative tpm2_parse_error. */
/*@ requires len <= TPM2_CMD_MAX && \valid_read(rsp + (0 .. len - 1));
    assigns \nothing; */
int32_t tpm2_response_code(const uint8_t *rsp, uint32_t len);

/* PCR_Read response: copies the single SHA-256 digest. 0 or < 0. */
/*@ requires len <= TPM2_CMD_MAX && \valid_read(rsp + (0 .. len - 1));
    requires \valid(digest + (0 .. TPM2_SHA256_LEN - 1));
    assigns digest[0 .. TPM2_SHA256_LEN - 1]; */
int32_t tpm2_parse_pcr_read(const uint8_t *rsp, uint32_t len, uint8_t *digest);

/* CreatePrimary response: the object handle, and where the TPM2B_PUBLIC
   (size field included) lies in rsp.  0 or < 0. */
/*@ requires len <= TPM2_CMD_MAX && \valid_read(rsp + (0 .. len - 1));
    requires \valid(handle) && \valid(pub_off) && \valid(pub_len);
    assigns *handle, *pub_off, *pub_len; */
int32_t tpm2_parse_create_primary(const uint8_t *rsp, uint32_t len, uint32_t *handle,
                                  uint32_t *pub_off, uint32_t *pub_len);

/* Quote response: where the TPM2B_ATTEST (size field included) and the
   TPMT_SIGNATURE lie in rsp.  0 or < 0. */
/*@ requires len <= TPM2_CMD_MAX && \valid_read(rsp + (0 .. len - 1));
    requires \valid(att_off) && \valid(att_len) && \valid(sig_off) && \valid(sig_len);
    assigns *att_off, *att_len, *sig_off, *sig_len; */
int32_t tpm2_parse_quote(const uint8_t *rsp, uint32_t len, uint32_t *att_off, uint32_t *att_len,
                         uint32_t *sig_off, uint32_t *sig_len);

#endif
