/*
 * SHA-256 (FIPS 180-4), freestanding: no heap, no floating point, no libc.
 * Used by the monitor (system.bin checksum, image measurement) and by host
 * tools (sysgen, the attestation verifier).  Incremental (init / update /
 * final) and one-shot.
 */
#ifndef TRIAD_ATTEST_SHA256_H
#define TRIAD_ATTEST_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32u
#define SHA256_BLOCK_LEN  64u

struct sha256_ctx {
    uint32_t state[8];
    uint64_t total_len;              /* bytes hashed so far */
    uint8_t  block[SHA256_BLOCK_LEN];
    uint32_t block_len;              /* bytes waiting in block[], < 64 */
};

/*@ requires \valid(ctx);
    assigns *ctx;
    ensures SHA_INIT_EMPTY: ctx->block_len == 0 && ctx->total_len == 0;
*/
void sha256_init(struct sha256_ctx *ctx);

/* FIPS 180-4 hashes messages shorter than 2^64 bits. */
#define SHA256_MAX_BYTES 0x1FFFFFFFFFFFFFFFull

/* The proved functions take bytes; sha256_update and sha256 below are the
   same on a void pointer (trusted type views, proofs/ASSUMPTIONS.md). */
/*@ requires \valid(ctx);
    requires ctx->block_len < SHA256_BLOCK_LEN;
    requires ctx->total_len + len <= SHA256_MAX_BYTES;
    requires len == 0 || \valid_read(data + (0 .. len - 1));
    requires \separated(ctx, data + (0 .. len - 1));
    assigns *ctx;
    ensures SHA_UPDATE_BLOCK: ctx->block_len < SHA256_BLOCK_LEN;
    ensures SHA_UPDATE_LEN: ctx->total_len == \old(ctx->total_len) + len;
*/
void sha256_update_bytes(struct sha256_ctx *ctx, const uint8_t *data, size_t len);

/*@ requires len <= SHA256_MAX_BYTES;
    requires len == 0 || \valid_read(data + (0 .. len - 1));
    requires \valid(digest + (0 .. SHA256_DIGEST_LEN - 1));
    assigns digest[0 .. SHA256_DIGEST_LEN - 1];
*/
void sha256_bytes(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);

/*@ requires \valid(ctx);
    requires ctx->block_len < SHA256_BLOCK_LEN;
    requires ctx->total_len + len <= SHA256_MAX_BYTES;
    requires len == 0 || \valid_read((const uint8_t *)data + (0 .. len - 1));
    requires \separated(ctx, (const uint8_t *)data + (0 .. len - 1));
    assigns *ctx;
    ensures SHA_UPDATE_BLOCK: ctx->block_len < SHA256_BLOCK_LEN;
    ensures SHA_UPDATE_LEN: ctx->total_len == \old(ctx->total_len) + len;
*/
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);

/*@ requires \valid(ctx);
    requires ctx->block_len < SHA256_BLOCK_LEN;
    requires ctx->total_len <= SHA256_MAX_BYTES;
    requires \valid(digest + (0 .. SHA256_DIGEST_LEN - 1));
    requires \separated(ctx, digest + (0 .. SHA256_DIGEST_LEN - 1));
    assigns *ctx, digest[0 .. SHA256_DIGEST_LEN - 1];
*/
void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN]);

/*@ requires len <= SHA256_MAX_BYTES;
    requires len == 0 || \valid_read((const uint8_t *)data + (0 .. len - 1));
    requires \valid(digest + (0 .. SHA256_DIGEST_LEN - 1));
    assigns digest[0 .. SHA256_DIGEST_LEN - 1];
*/
void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN]);

#endif
