/*
 * SHA-256 from FIPS 180-4 section 6.2.  Written for the monitor: every loop
 * has a constant or input-length bound, no libc call is made (the compiler
 * is told -fno-builtin, so copies are explicit loops), and nothing is
 * allocated.
 */
#include "sha256.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64
   primes (FIPS 180-4, 4.2.2). */
static const uint32_t round_constants[64] = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
    0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
    0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
    0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
    0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
    0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
    0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

/* The 32-bit additions of FIPS 180-4 are modulo 2^32.  They are written as
   such (a 64-bit sum reduced modulo 2^32) rather than left to wrap: the
   proofs treat every unsigned wrap as an error (-warn-unsigned-overflow), so
   each intended one is explicit.  The compiler emits the same 32-bit add. */
#define MOD32 4294967296u

/*@ assigns \nothing;
    ensures ADD32: \result == (a + b) % 4294967296;
*/
static uint32_t add32(uint32_t a, uint32_t b)
{
    return (uint32_t)(((uint64_t)a + b) % MOD32);
}

/* Rotation right by a constant n (0 < n < 32): the high part is x times
   2^(32-n) reduced modulo 2^32, by arithmetic the provers bound directly. */
#define ROTR(x, n) (((x) >> (n)) | (uint32_t)(((uint64_t)(x) * (1ull << (32 - (n)))) % MOD32))

/*@ requires \valid_read(p + (0 .. 3));
    assigns \nothing;
*/
static uint32_t load_be32(const uint8_t *p)
{
    return p[0] * 16777216u + p[1] * 65536u + p[2] * 256u + (uint32_t)p[3];
}

/*@ requires \valid(p + (0 .. 3));
    assigns p[0 .. 3];
*/
static void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v / 16777216u);
    p[1] = (uint8_t)(v / 65536u % 256u);
    p[2] = (uint8_t)(v / 256u % 256u);
    p[3] = (uint8_t)(v % 256u);
}

/* The round and schedule arithmetic of FIPS 180-4 (4.4 - 4.7, 6.2.2),
   written for few instructions (the restart's image check runs compress
   once for every 64 bytes of the image, issue 9).  Each is a small function
   of values, proved once (its rotations' and sums' runtime-error goals),
   and inlined by the compiler at each of its eight (two) calls in the
   unrolled loops below: unrolled as macros, the same goals were repeated
   in every copy and the module grew from 469 to 881 goals (session 9).

   The three-rotation sums are nested rotations of one value:
   ROTR6(e ^ ROTR5(e ^ ROTR14(e))) is ROTR6(e) ^ ROTR11(e) ^ ROTR25(e), and
   ROTR7(x ^ ROTR11(x)) is ROTR7(x) ^ ROTR18(x): one copy of the value
   where the textbook form needs three.  Ch(e, f, g) is ((f ^ g) & e) ^ g
   and Maj(a, b, c) is b ^ ((a ^ b) & (b ^ c)): the same bits in fewer
   operations. */

/* T1 = h + SIGMA1(e) + Ch(e, f, g) + K[t] + W[t]. */
/*@ assigns \nothing; */
static inline __attribute__((always_inline))
uint32_t round_t1(uint32_t e, uint32_t f, uint32_t g, uint32_t h, uint32_t k, uint32_t w)
{
    uint32_t sum = ROTR(e, 14) ^ e;
    sum = ROTR(sum, 5) ^ e;
    return add32(add32(h, ROTR(sum, 6)), add32(add32(((f ^ g) & e) ^ g, k), w));
}

/* T2 = SIGMA0(a) + Maj(a, b, c), given ab = a ^ b and bc = b ^ c. */
/*@ assigns \nothing; */
static inline __attribute__((always_inline))
uint32_t round_t2(uint32_t a, uint32_t b, uint32_t ab, uint32_t bc)
{
    uint32_t sum = ROTR(a, 9) ^ a;
    sum = ROTR(sum, 11) ^ a;
    return add32(ROTR(sum, 2), b ^ (ab & bc));
}

/* W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16]. */
/*@ assigns \nothing; */
static inline __attribute__((always_inline))
uint32_t schedule_word(uint32_t w16, uint32_t w15, uint32_t w7, uint32_t w2)
{
    const uint32_t s0 = ROTR(ROTR(w15, 11) ^ w15, 7) ^ (w15 >> 3);
    const uint32_t s1 = ROTR(ROTR(w2, 2) ^ w2, 17) ^ (w2 >> 10);
    return add32(add32(w16, s0), add32(w7, s1));
}

/* One application of the compression function to a 64-byte block.  The
   rounds are unrolled by eight (3,175 instructions a block with gcc -O2
   against 3,969 rolled: the rolled loop moves the eight working variables
   one place a round).  A round computes T1 into h and adds it into d, then
   adds T2 into h; the next round names the variables one place on (this h
   is its a, this d its e), so nothing is copied, and after eight rounds
   the names are back in place.  This round's a ^ b is the next round's
   b ^ c (its b and c are this a and b): x and y carry it, in turn. */
/*@ requires \valid(state + (0 .. 7));
    requires \valid_read(block + (0 .. SHA256_BLOCK_LEN - 1));
    requires \separated(state + (0 .. 7), block + (0 .. SHA256_BLOCK_LEN - 1));
    assigns state[0 .. 7];
*/
static void compress(uint32_t state[8], const uint8_t *block)
{
    uint32_t w[64];
    /*@ loop invariant 0 <= t <= 16;
        loop assigns t, w[0 .. 15];
        loop variant 16 - t; */
    for (unsigned t = 0; t < 16u; t++)
        w[t] = load_be32(block + 4u * t);
    /* Two words an iteration: half the loop's own instructions. */
    /*@ loop invariant 16 <= t <= 64;
        loop invariant t % 2 == 0;
        loop assigns t, w[16 .. 63];
        loop variant 64 - t; */
    for (unsigned t = 16; t < 64u; t += 2u) {
        w[t] = schedule_word(w[t - 16u], w[t - 15u], w[t - 7u], w[t - 2u]);
        w[t + 1u] = schedule_word(w[t - 15u], w[t - 14u], w[t - 6u], w[t - 1u]);
    }

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    uint32_t x = 0, y = b ^ c;
    /*@ loop invariant 0 <= i <= 8;
        loop assigns i, a, b, c, d, e, f, g, h, x, y;
        loop variant 8 - i; */
    for (unsigned i = 0; i < 8u; i++) {
        const unsigned t = 8u * i;
        h = round_t1(e, f, g, h, round_constants[t], w[t]);
        d = add32(d, h); x = a ^ b; h = add32(h, round_t2(a, b, x, y));
        g = round_t1(d, e, f, g, round_constants[t + 1u], w[t + 1u]);
        c = add32(c, g); y = h ^ a; g = add32(g, round_t2(h, a, y, x));
        f = round_t1(c, d, e, f, round_constants[t + 2u], w[t + 2u]);
        b = add32(b, f); x = g ^ h; f = add32(f, round_t2(g, h, x, y));
        e = round_t1(b, c, d, e, round_constants[t + 3u], w[t + 3u]);
        a = add32(a, e); y = f ^ g; e = add32(e, round_t2(f, g, y, x));
        d = round_t1(a, b, c, d, round_constants[t + 4u], w[t + 4u]);
        h = add32(h, d); x = e ^ f; d = add32(d, round_t2(e, f, x, y));
        c = round_t1(h, a, b, c, round_constants[t + 5u], w[t + 5u]);
        g = add32(g, c); y = d ^ e; c = add32(c, round_t2(d, e, y, x));
        b = round_t1(g, h, a, b, round_constants[t + 6u], w[t + 6u]);
        f = add32(f, b); x = c ^ d; b = add32(b, round_t2(c, d, x, y));
        a = round_t1(f, g, h, a, round_constants[t + 7u], w[t + 7u]);
        e = add32(e, a); y = b ^ c; a = add32(a, round_t2(b, c, y, x));
    }
    state[0] = add32(state[0], a); state[1] = add32(state[1], b);
    state[2] = add32(state[2], c); state[3] = add32(state[3], d);
    state[4] = add32(state[4], e); state[5] = add32(state[5], f);
    state[6] = add32(state[6], g); state[7] = add32(state[7], h);
}

void sha256_init(struct sha256_ctx *ctx)
{
    /* Initial hash value H(0): fractional parts of the square roots of the
       first 8 primes (FIPS 180-4, 5.3.3). */
    ctx->state[0] = 0x6a09e667u; ctx->state[1] = 0xbb67ae85u;
    ctx->state[2] = 0x3c6ef372u; ctx->state[3] = 0xa54ff53au;
    ctx->state[4] = 0x510e527fu; ctx->state[5] = 0x9b05688cu;
    ctx->state[6] = 0x1f83d9abu; ctx->state[7] = 0x5be0cd19u;
    ctx->total_len = 0;
    ctx->block_len = 0;
    /*@ loop invariant 0 <= i <= SHA256_BLOCK_LEN;
        loop assigns i, ctx->block[0 .. SHA256_BLOCK_LEN - 1];
        loop variant SHA256_BLOCK_LEN - i; */
    for (unsigned i = 0; i < SHA256_BLOCK_LEN; i++)
        ctx->block[i] = 0;
}

void sha256_update_bytes(struct sha256_ctx *ctx, const uint8_t *data, size_t len)
{
    const uint8_t *in = data;
    size_t left = len;
    ctx->total_len += (uint64_t)len;
    /*@ loop invariant 0 <= left <= len;
        loop invariant in == data + (len - left);
        loop invariant ctx->block_len < SHA256_BLOCK_LEN;
        loop invariant ctx->total_len == \at(ctx->total_len, Pre) + len;
        loop assigns left, in, ctx->block_len, ctx->block[0 .. SHA256_BLOCK_LEN - 1], ctx->state[0 .. 7];
        loop variant left; */
    while (left > 0) {
        if (ctx->block_len == 0 && left >= SHA256_BLOCK_LEN) {
            /* Whole blocks go straight from the input. */
            compress(ctx->state, in);
            in += SHA256_BLOCK_LEN;
            left -= SHA256_BLOCK_LEN;
            continue;
        }
        ctx->block[ctx->block_len++] = *in++;
        left--;
        if (ctx->block_len == SHA256_BLOCK_LEN) {
            compress(ctx->state, ctx->block);
            ctx->block_len = 0;
        }
    }
}

void sha256_final(struct sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_LEN])
{
    uint64_t bit_len = ctx->total_len * 8u;
    /* Padding: a single 1 bit, zeros up to 56 mod 64, then the 64-bit
       big-endian message length in bits (FIPS 180-4, 5.1.1). */
    ctx->block[ctx->block_len++] = 0x80u;
    if (ctx->block_len > SHA256_BLOCK_LEN - 8u) {
        /*@ loop invariant ctx->block_len <= SHA256_BLOCK_LEN;
            loop assigns ctx->block_len, ctx->block[0 .. SHA256_BLOCK_LEN - 1];
            loop variant SHA256_BLOCK_LEN - ctx->block_len; */
        while (ctx->block_len < SHA256_BLOCK_LEN)
            ctx->block[ctx->block_len++] = 0;
        compress(ctx->state, ctx->block);
        ctx->block_len = 0;
    }
    /*@ loop invariant ctx->block_len <= SHA256_BLOCK_LEN - 8;
        loop assigns ctx->block_len, ctx->block[0 .. SHA256_BLOCK_LEN - 1];
        loop variant SHA256_BLOCK_LEN - 8 - ctx->block_len; */
    while (ctx->block_len < SHA256_BLOCK_LEN - 8u)
        ctx->block[ctx->block_len++] = 0;
    store_be32(ctx->block + 56, (uint32_t)(bit_len / MOD32));
    store_be32(ctx->block + 60, (uint32_t)(bit_len % MOD32));
    compress(ctx->state, ctx->block);
    /*@ loop invariant 0 <= i <= 8;
        loop assigns i, digest[0 .. SHA256_DIGEST_LEN - 1];
        loop variant 8 - i; */
    for (unsigned i = 0; i < 8u; i++)
        store_be32(digest + 4u * i, ctx->state[i]);
    /* Leave no message-dependent state behind and make reuse start fresh. */
    sha256_init(ctx);
}

void sha256_bytes(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update_bytes(&ctx, data, len);
    sha256_final(&ctx, digest);
}

/* The entries on the caller's bytes of any type.  A conversion from void *
   is outside WP's typed memory model: hidden from Frama-C, trusted to be the
   byte functions above (proofs/ASSUMPTIONS.md). */
#ifndef __FRAMAC__
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
    sha256_update_bytes(ctx, data, len);
}

void sha256(const void *data, size_t len, uint8_t digest[SHA256_DIGEST_LEN])
{
    sha256_bytes(data, len, digest);
}
#endif
