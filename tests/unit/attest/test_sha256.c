/* Host tests of attest/sha256.c: the FIPS 180-4 / NIST example vectors, then
   random buffers of every awkward length (around block and padding
   boundaries) checked against an independent implementation, `openssl dgst
   -sha256`, run at test time, and incremental hashing in random pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "sha256.h"

static void to_hex(const uint8_t d[SHA256_DIGEST_LEN], char out[65])
{
    for (unsigned i = 0; i < SHA256_DIGEST_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void assert_digest(const void *msg, size_t len, const char *expect_hex)
{
    uint8_t d[SHA256_DIGEST_LEN];
    char hex[65];
    sha256(msg, len, d);
    to_hex(d, hex);
    assert_string_equal(hex, expect_hex);
}

static void nist_abc(void **state)
{
    (void)state;
    assert_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void nist_empty(void **state)
{
    (void)state;
    assert_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void nist_448_bits(void **state)
{
    (void)state;
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(strlen(m) * 8, 448);
    assert_digest(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void nist_896_bits(void **state)
{
    (void)state;
    const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                    "klmnopqrlmnopqrsmnopqrstnopqrstu";
    assert_digest(m, strlen(m), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void nist_million_a(void **state)
{
    (void)state;
    /* Fed in 1000 pieces of 1000 bytes so the incremental path is covered too. */
    uint8_t piece[1000];
    memset(piece, 'a', sizeof piece);
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    for (int i = 0; i < 1000; i++)
        sha256_update(&ctx, piece, sizeof piece);
    uint8_t d[SHA256_DIGEST_LEN];
    char hex[65];
    sha256_final(&ctx, d);
    to_hex(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The digest of `buf` according to openssl, as lowercase hex. */
static void openssl_digest(const uint8_t *buf, size_t len, char out[65])
{
    char path[] = "/tmp/triad-sha256-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, len), (ssize_t)len);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "openssl dgst -sha256 -r %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[256] = { 0 };
    assert_non_null(fgets(line, sizeof line, p));
    assert_int_equal(pclose(p), 0);
    unlink(path);
    memcpy(out, line, 64);
    out[64] = '\0';
}

static void random_buffers_match_openssl(void **state)
{
    (void)state;
    /* Lengths around the 55/56/64-byte padding boundaries and a few large ones. */
    static const size_t lengths[] = { 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129,
                                      1000, 4095, 4096, 65537, 262143 };
    srand(20240603);
    for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
        size_t len = lengths[k];
        uint8_t *buf = malloc(len);
        assert_non_null(buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rand();
        uint8_t d[SHA256_DIGEST_LEN];
        char ours[65], theirs[65];
        sha256(buf, len, d);
        to_hex(d, ours);
        openssl_digest(buf, len, theirs);
        assert_string_equal(ours, theirs);
        free(buf);
    }
}

static void incremental_equals_one_shot(void **state)
{
    (void)state;
    enum { LEN = 10000 };
    static uint8_t buf[LEN];
    srand(7);
    for (size_t i = 0; i < LEN; i++)
        buf[i] = (uint8_t)rand();
    uint8_t whole[SHA256_DIGEST_LEN];
    sha256(buf, LEN, whole);
    for (int trial = 0; trial < 50; trial++) {
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        size_t off = 0;
        while (off < LEN) {
            size_t piece = (size_t)(rand() % 200);
            if (piece > LEN - off)
                piece = LEN - off;
            sha256_update(&ctx, buf + off, piece);
            off += piece;
        }
        uint8_t d[SHA256_DIGEST_LEN];
        sha256_final(&ctx, d);
        assert_memory_equal(d, whole, SHA256_DIGEST_LEN);
    }
}

static void context_is_reusable_after_final(void **state)
{
    (void)state;
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_LEN];
    char hex[65];
    sha256_init(&ctx);
    sha256_update(&ctx, "something else", 14);
    sha256_final(&ctx, d);
    sha256_update(&ctx, "abc", 3);
    sha256_final(&ctx, d);
    to_hex(d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* REQ: ATT-HASH-001 */
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nist_abc),
        cmocka_unit_test(nist_empty),
        cmocka_unit_test(nist_448_bits),
        cmocka_unit_test(nist_896_bits),
        cmocka_unit_test(nist_million_a),
        cmocka_unit_test(random_buffers_match_openssl),
        cmocka_unit_test(incremental_equals_one_shot),
        cmocka_unit_test(context_is_reusable_after_final),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
