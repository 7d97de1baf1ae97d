/* attest-verify's pure part on good and bad input: event-log parsing and
   replay, console dumps, golden-manifest parsing, component names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include "evidence.h"

static struct ev_event ev[EV_MAX_EVENTS];
static char err[EV_ERR_MAX];

/* A log the way attest/eventlog.c writes it: header, then events. */
static size_t header(uint8_t *b)
{
    memset(b, 0, 65);
    b[4] = 3;                          /* EV_NO_ACTION */
    b[28] = 33;                        /* Spec ID size */
    memcpy(b + 32, "Spec ID Event03", 16);
    b[32 + 24] = 1;                    /* one algorithm */
    b[32 + 28] = 0x0B;                 /* SHA-256 */
    b[32 + 30] = 32;
    return 65;
}

static size_t event(uint8_t *b, uint32_t pcr, uint8_t fill, const char *desc)
{
    size_t n = strlen(desc);
    memset(b, 0, 50);
    b[0] = (uint8_t)pcr;
    b[4] = 13;                         /* EV_IPL */
    b[8] = 1;
    b[12] = 0x0B;
    memset(b + 14, fill, 32);
    b[46] = (uint8_t)n;
    memcpy(b + 50, desc, n);
    return 50 + n;
}

static void good_log_parses_and_replays(void **state)
{
    (void)state;
    uint8_t b[512], pcr[EV_PCR_COUNT][32], want[32], buf[64];
    size_t n = header(b);
    n += event(b + n, 9, 0x11, "system.bin");
    n += event(b + n, 10, 0x22, "io kernel sandbox-kernel");
    uint32_t count;
    assert_int_equal(ev_log_parse(b, n, ev, EV_MAX_EVENTS, &count, err), 0);
    assert_int_equal(count, 2);
    assert_string_equal(ev[1].desc, "io kernel sandbox-kernel");
    ev_replay(ev, count, pcr);
    memset(buf, 0, 32);
    memset(buf + 32, 0x11, 32);
    unsigned int dl = 32;
    EVP_Digest(buf, 64, want, &dl, EVP_sha256(), NULL);
    assert_memory_equal(pcr[1], want, 32);
    uint8_t zero[32] = { 0 };
    assert_memory_equal(pcr[0], zero, 32);         /* PCR 8 untouched */
}

static void bad_logs_are_refused(void **state)
{
    (void)state;
    uint8_t b[512];
    uint32_t count;
    size_t n = header(b);
    assert_int_equal(ev_log_parse(b, 64, ev, EV_MAX_EVENTS, &count, err), -1);
    assert_non_null(strstr(err, "shorter than its Spec ID header"));

    header(b); b[32] = 'X';                          /* not Spec ID Event03 */
    assert_int_equal(ev_log_parse(b, 65, ev, EV_MAX_EVENTS, &count, err), -1);
    assert_non_null(strstr(err, "no Spec ID Event03 header"));

    header(b); b[28] = 0xFF; b[29] = 0xFF;           /* header size past the end */
    assert_int_equal(ev_log_parse(b, 65, ev, EV_MAX_EVENTS, &count, err), -1);

    header(b); b[32 + 28] = 0x04;                    /* SHA-1 */
    assert_int_equal(ev_log_parse(b, 65, ev, EV_MAX_EVENTS, &count, err), -1);
    assert_non_null(strstr(err, "SHA-256"));

    n = header(b);
    n += event(b + n, 9, 0x11, "system.bin");
    assert_int_equal(ev_log_parse(b, n - 1, ev, EV_MAX_EVENTS, &count, err), -1);
    assert_non_null(strstr(err, "runs past the end at byte 65"));
    assert_int_equal(ev_log_parse(b, 65 + 20, ev, EV_MAX_EVENTS, &count, err), -1);
    assert_non_null(strstr(err, "truncated event at byte 65"));

    b[65] = 24;                                      /* PCR out of range */
    assert_int_equal(ev_log_parse(b, n, ev, EV_MAX_EVENTS, &count, err), -1);
    assert_non_null(strstr(err, "malformed event at byte 65"));
    b[65] = 9; b[65 + 8] = 2;                        /* two digests */
    assert_int_equal(ev_log_parse(b, n, ev, EV_MAX_EVENTS, &count, err), -1);
    b[65 + 8] = 1; b[65 + 46] = 0xFF; b[65 + 49] = 0xFF;   /* huge data size */
    assert_int_equal(ev_log_parse(b, n, ev, EV_MAX_EVENTS, &count, err), -1);

    /* more events than the verifier keeps */
    static uint8_t big[65 + 300 * 51];
    n = header(big);
    for (int i = 0; i < 300; i++)
        n += event(big + n, 11, (uint8_t)i, "x");
    assert_int_equal(ev_log_parse(big, n, ev, EV_MAX_EVENTS, &count, err), -1);
    assert_non_null(strstr(err, "more events"));
}

static void tampered_digest_changes_the_replay(void **state)
{
    (void)state;
    uint8_t b[256], a[EV_PCR_COUNT][32], t[EV_PCR_COUNT][32];
    size_t n = header(b);
    n += event(b + n, 10, 0x33, "fc-a kernel sandbox-kernel");
    uint32_t count;
    assert_int_equal(ev_log_parse(b, n, ev, EV_MAX_EVENTS, &count, err), 0);
    ev_replay(ev, count, a);
    b[65 + 14] ^= 1;
    assert_int_equal(ev_log_parse(b, n, ev, EV_MAX_EVENTS, &count, err), 0);
    ev_replay(ev, count, t);
    assert_memory_not_equal(a[2], t[2], 32);        /* PCR 10 differs */
    assert_memory_equal(a[1], t[1], 32);
}

static void manifest_good_and_bad(void **state)
{
    (void)state;
    static struct manifest m;
    const char *good =
        "# comment\n\n"
        "system.bin 9 1c2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd14543\n"
        "sandbox-kernel 10 B2F40589E6747F44DF9FD6FF280A450BA79081F4B7FEAA734EA8791C7794ACBA  # trailing\n";
    assert_int_equal(manifest_parse(good, strlen(good), &m, err), 0);
    assert_int_equal(m.n, 2);
    const struct manifest_entry *e = manifest_find(&m, "sandbox-kernel");
    assert_non_null(e);
    assert_int_equal(e->pcr, 10);
    assert_int_equal(e->sha256[0], 0xB2);
    assert_null(manifest_find(&m, "nosuch"));

    static const struct { const char *text, *says; } bad[] = {
        { "system.bin 9\n", "line 1: expected NAME PCR SHA256" },
        { "a 9 00 extra\n", "line 1: expected NAME PCR SHA256" },
        { "\nsystem.bin 24 1c2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd14543\n", "line 2: PCR \"24\"" },
        { "system.bin x9 1c2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd14543\n", "is not 0..23" },
        { "system.bin 9 1c2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd1454\n", "not 64 hex digits" },
        { "system.bin 9 zc2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd14543\n", "not 64 hex digits" },
        { "a 9 1c2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd14543\n"
          "a 10 1c2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd14543\n", "line 2: a listed twice" },
        { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 9 "
          "1c2e22d2f810096d2258dfe1166fd8d731ec4968059ef766d6e697aeefd14543\n", "name too long" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(manifest_parse(bad[i].text, strlen(bad[i].text), &m, err), -1);
        if (!strstr(err, bad[i].says))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err, bad[i].says);
    }
    /* too many components */
    char *many = malloc(80 * (MANIFEST_MAX + 1));
    size_t n = 0;
    for (unsigned i = 0; i <= MANIFEST_MAX; i++)
        n += (size_t)sprintf(many + n, "c%u 9 %064x\n", i, i);
    assert_int_equal(manifest_parse(many, n, &m, err), -1);
    assert_non_null(strstr(err, "more than"));
    free(many);
}

static void console_dumps(void **state)
{
    (void)state;
    struct ev_console *c = calloc(1, sizeof *c);
    const char *good =
        "boot tsc 1\r\n"
        "[0] attest: Triad launch: GRUB, no dynamic root of trust\r\n"
        "attest: pcr 9 0011 system.bin\n"
        "attest: ak-public 0 00aa\n"
        "attest: ak-public 2 bb\n"
        "attest: ak-public end 3\n"
        "attest: PCR 8 sha256 " "0000000000000000000000000000000000000000000000000000000000000001\n";
    assert_int_equal(ev_console_parse(good, strlen(good), c, err), 0);
    uint32_t n;
    const uint8_t *p = ev_blob(c, "ak-public", &n);
    assert_non_null(p);
    assert_int_equal(n, 3);
    assert_int_equal(p[1], 0xAA);
    assert_int_equal(p[2], 0xBB);
    assert_int_equal(c->pcr_seen[8], 1);
    assert_int_equal(c->pcr[8][31], 1);
    assert_int_equal(c->nfacts, 2);
    assert_string_equal(c->facts[0], "Triad launch: GRUB, no dynamic root of trust");
    assert_null(ev_blob(c, "quote-attest", &n));

    static const char *const bad[] = {
        "attest: event-log 0 00aa\nattest: event-log end 3\n",                 /* short */
        "attest: event-log 0 00aa\n",                                           /* no end */
        "attest: event-log 2 00aa\nattest: event-log end 4\n",                 /* hole */
        "attest: event-log 0 00aa\nattest: event-log end 1\n",                 /* longer */
        "attest: event-log 999999999 00\nattest: event-log end 1\n",           /* far out */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ev_console_parse(bad[i], strlen(bad[i]), c, err), -1);
        if (!strstr(err, "event-log: console dump incomplete") && !strstr(err, "larger than"))
            fail_msg("case %zu: %s", i, err);
    }
    free(c);
}

static void component_names(void **state)
{
    (void)state;
    char name[64];
    assert_int_equal(ev_component("system.bin", name, sizeof name), 0);
    assert_string_equal(name, "system.bin");
    assert_int_equal(ev_component("fc-a kernel sandbox-kernel", name, sizeof name), 0);
    assert_string_equal(name, "sandbox-kernel");
    assert_int_equal(ev_component("module uav.tar", name, sizeof name), 0);
    assert_string_equal(name, "uav.tar");
    assert_int_equal(ev_component("Triad launch: GRUB, no dynamic root of trust", name, sizeof name), -1);
    assert_int_equal(ev_component("a b kernel x", name, sizeof name), -1);
    assert_int_equal(ev_component("module ", name, sizeof name), -1);
    assert_int_equal(ev_component("module a b", name, sizeof name), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_log_parses_and_replays),
        cmocka_unit_test(bad_logs_are_refused),
        cmocka_unit_test(tampered_digest_changes_the_replay),
        cmocka_unit_test(manifest_good_and_bad),
        cmocka_unit_test(console_dumps),
        cmocka_unit_test(component_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
