/* TPM 2.0 command marshalling: exact bytes of small commands, bounds of the
   response parsers on truncated and inconsistent responses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "tpm2_cmd.h"

static uint8_t buf[TPM2_CMD_MAX];

static void startup_is_twelve_bytes(void **state)
{
    (void)state;
    static const uint8_t want[] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0 };
    assert_int_equal(tpm2_build_startup_clear(buf), sizeof want);
    assert_memory_equal(buf, want, sizeof want);
}

static void extend_carries_pcr_session_and_digest(void **state)
{
    (void)state;
    uint8_t d[32];
    for (int i = 0; i < 32; i++) d[i] = (uint8_t)i;
    uint32_t n = tpm2_build_pcr_extend(buf, 10, d);
    assert_int_equal(n, 10 + 4 + 13 + 4 + 2 + 32);
    assert_int_equal(buf[5], n);
    assert_int_equal(buf[13], 10);                       /* PCR handle */
    assert_int_equal(buf[17], 9);                        /* auth size */
    assert_memory_equal(buf + 18, "\x40\x00\x00\x09", 4);
    assert_memory_equal(buf + n - 32, d, 32);
    assert_int_equal(tpm2_build_pcr_extend(buf, 24, d), 0);
}

static void quote_refuses_long_nonce(void **state)
{
    (void)state;
    uint8_t nonce[33] = { 0 };
    assert_int_equal(tpm2_build_quote(buf, 0x80000000u, 0xF00, nonce, 33), 0);
    assert_true(tpm2_build_quote(buf, 0x80000000u, 0xF00, nonce, 32) > 0);
}

static void response_header_checks(void **state)
{
    (void)state;
    uint8_t r[10] = { 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x00 };
    assert_int_equal(tpm2_response_code(r, 10), 0x100);
    assert_int_equal(tpm2_response_code(r, 9), TPM2_E_SHORT);
    r[5] = 11;
    assert_int_equal(tpm2_response_code(r, 10), TPM2_E_SIZE);
}

static void pcr_read_parsed_and_truncation_refused(void **state)
{
    (void)state;
    uint8_t r[64] = { 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
                      0, 0, 0, 7,                 /* update counter */
                      0, 0, 0, 1, 0, 0x0B, 3, 0, 4, 0,
                      0, 0, 0, 1, 0, 32 };
    uint32_t len = 30 + 32;
    r[5] = (uint8_t)len;
    memset(r + 30, 0xAB, 32);
    uint8_t d[32];
    assert_int_equal(tpm2_parse_pcr_read(r, len, d), 0);
    assert_int_equal(d[0], 0xAB);
    r[5] = (uint8_t)(len - 1);
    assert_int_not_equal(tpm2_parse_pcr_read(r, len - 1, d), 0);
}

static void quote_response_bounds(void **state)
{
    (void)state;
    uint8_t r[64] = { 0x80, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
                      0, 0, 0, 14,                /* parameterSize */
                      0, 2, 0xAA, 0xBB,           /* TPM2B_ATTEST */
                      0, 0x18, 0, 0x0B, 0, 1, 0x11, 0, 1, 0x22 };
    r[5] = 28;
    uint32_t ao, al, so, sl;
    assert_int_equal(tpm2_parse_quote(r, 28, &ao, &al, &so, &sl), 0);
    assert_int_equal(ao, 14);
    assert_int_equal(al, 4);
    assert_int_equal(so, 18);
    assert_int_equal(sl, 10);
    r[13] = 40;                                   /* parameters past the end */
    assert_int_equal(tpm2_parse_quote(r, 28, &ao, &al, &so, &sl), TPM2_E_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(startup_is_twelve_bytes),
        cmocka_unit_test(extend_carries_pcr_session_and_digest),
        cmocka_unit_test(quote_refuses_long_nonce),
        cmocka_unit_test(response_header_checks),
        cmocka_unit_test(pcr_read_parsed_and_truncation_refused),
        cmocka_unit_test(quote_response_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
