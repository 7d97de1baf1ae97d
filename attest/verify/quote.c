/* attest-verify: quote structure and signature. */
#include "quote.h"
#include "evidence.h"

#include <stdio.h>
#include <string.h>
#include <tss2/tss2_mu.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

static int fail(char *err, const char *msg)
{
    snprintf(err, EV_ERR_MAX, "%s", msg);
    return -1;
}

int quote_parse(const uint8_t *msg, size_t n, struct quote_info *q, char *err)
{
    TPMS_ATTEST a;
    size_t off = 0;
    memset(q, 0, sizeof *q);
    if (Tss2_MU_TPMS_ATTEST_Unmarshal(msg, n, &off, &a) != TSS2_RC_SUCCESS || off != n)
        return fail(err, "quote: not a well-formed TPMS_ATTEST");
    if (a.magic != TPM2_GENERATED_VALUE || a.type != TPM2_ST_ATTEST_QUOTE)
        return fail(err, "quote: not a TPM-generated quote structure");
    if (a.extraData.size > sizeof q->nonce)
        return fail(err, "quote: nonce too long");
    memcpy(q->nonce, a.extraData.buffer, a.extraData.size);
    q->nonce_len = a.extraData.size;
    const TPML_PCR_SELECTION *sel = &a.attested.quote.pcrSelect;
    for (uint32_t i = 0; i < sel->count; i++) {
        uint32_t mask = 0;
        for (uint32_t b = 0; b < sel->pcrSelections[i].sizeofSelect && b < 4; b++)
            mask |= (uint32_t)sel->pcrSelections[i].pcrSelect[b] << (8 * b);
        if (sel->pcrSelections[i].hash == TPM2_ALG_SHA256)
            q->pcr_mask |= mask;
        else if (mask)
            q->other_banks = 1;
    }
    const TPM2B_DIGEST *d = &a.attested.quote.pcrDigest;
    if (d->size > sizeof q->pcr_digest)
        return fail(err, "quote: PCR digest too long");
    memcpy(q->pcr_digest, d->buffer, d->size);
    q->pcr_digest_len = d->size;
    return 0;
}

/* The AK's public point as an OpenSSL key. */
static EVP_PKEY *ak_key(const uint8_t *pub, size_t n, char *err)
{
    TPM2B_PUBLIC p;
    size_t off = 0;
    if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(pub, n, &off, &p) != TSS2_RC_SUCCESS || off != n) {
        fail(err, "attestation key: not a well-formed TPM2B_PUBLIC");
        return NULL;
    }
    if (p.publicArea.type != TPM2_ALG_ECC || p.publicArea.parameters.eccDetail.curveID != TPM2_ECC_NIST_P256) {
        fail(err, "attestation key: not an ECC NIST P-256 key");
        return NULL;
    }
    const TPMS_ECC_POINT *pt = &p.publicArea.unique.ecc;
    if (pt->x.size > 32 || pt->y.size > 32) {
        fail(err, "attestation key: coordinates longer than 32 bytes");
        return NULL;
    }
    uint8_t point[65] = { 0x04 };
    memcpy(point + 1 + 32 - pt->x.size, pt->x.buffer, pt->x.size);
    memcpy(point + 33 + 32 - pt->y.size, pt->y.buffer, pt->y.size);
    EVP_PKEY *key = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (bld && ctx
        && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0)
        && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point)
        && (params = OSSL_PARAM_BLD_to_param(bld)) != NULL
        && EVP_PKEY_fromdata_init(ctx) > 0) {
        if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
            key = NULL;
    }
    if (!key)
        fail(err, "attestation key: not a point on P-256");
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    return key;
}

int quote_check_signature(const uint8_t *pub, size_t pub_len, const uint8_t *msg, size_t msg_len,
                          const uint8_t *sig, size_t sig_len, char *err)
{
    TPMT_SIGNATURE s;
    size_t off = 0;
    if (Tss2_MU_TPMT_SIGNATURE_Unmarshal(sig, sig_len, &off, &s) != TSS2_RC_SUCCESS || off != sig_len)
        return fail(err, "quote: not a well-formed TPMT_SIGNATURE");
    if (s.sigAlg != TPM2_ALG_ECDSA || s.signature.ecdsa.hash != TPM2_ALG_SHA256)
        return fail(err, "quote: signature is not ECDSA with SHA-256");
    EVP_PKEY *key = ak_key(pub, pub_len, err);
    if (!key)
        return -1;
    int ok = 0;
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(s.signature.ecdsa.signatureR.buffer, s.signature.ecdsa.signatureR.size, NULL);
    BIGNUM *sv = BN_bin2bn(s.signature.ecdsa.signatureS.buffer, s.signature.ecdsa.signatureS.size, NULL);
    unsigned char *der = NULL;
    int der_len = -1;
    if (es && r && sv && ECDSA_SIG_set0(es, r, sv)) {
        r = sv = NULL;               /* owned by es now */
        der_len = i2d_ECDSA_SIG(es, &der);
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (der_len > 0 && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) > 0)
        ok = EVP_DigestVerify(md, der, (size_t)der_len, msg, msg_len) == 1;
    EVP_MD_CTX_free(md);
    OPENSSL_free(der);
    BN_free(r);
    BN_free(sv);
    ECDSA_SIG_free(es);
    EVP_PKEY_free(key);
    return ok ? 0 : fail(err, "quote: signature does not verify under the attestation key");
}
