/* attest-verify: the quote (TPMS_ATTEST, TPMT_SIGNATURE) and the
   attestation key (TPM2B_PUBLIC), unmarshalled with tpm2-tss' libtss2-mu and
   checked with OpenSSL. */
#ifndef ATTEST_VERIFY_QUOTE_H
#define ATTEST_VERIFY_QUOTE_H

#include <stdint.h>
#include <stddef.h>

struct quote_info {
    uint8_t nonce[64];
    uint32_t nonce_len;
    uint32_t pcr_mask;      /* SHA-256 PCRs selected (bit n = PCR n) */
    int other_banks;        /* selections of banks other than SHA-256 */
    uint8_t pcr_digest[64];
    uint32_t pcr_digest_len;
};

/* TPMS_ATTEST of a quote (without its TPM2B size) into q. */
int quote_parse(const uint8_t *msg, size_t n, struct quote_info *q, char *err);

/* ECDSA P-256 / SHA-256 signature sig over msg under the key pub. */
int quote_check_signature(const uint8_t *pub, size_t pub_len, const uint8_t *msg, size_t msg_len,
                          const uint8_t *sig, size_t sig_len, char *err);

#endif
