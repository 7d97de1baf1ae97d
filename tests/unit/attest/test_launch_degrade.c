/*
 * The monitor's measured launch (attest/launch.c) against a TPM that fails:
 * the real driver (attest/tis.c) and command code (attest/tpm2_cmd.c) talk
 * to a scripted TPM behind the TIS registers (tis_mmio.h with
 * TRIAD_TIS_HOST_MODEL).  swtpm cannot be made to fail TPM2_Startup or
 * TPM2_PCR_Extend (test 61 shows a real TPM_RC_BAD_AUTH on CreatePrimary),
 * so these paths are driven here: each must end in the documented degrade
 * (the command named with its rc, no further TPM command, the locality
 * given back, the boot reported unmeasured, every event still logged),
 * never in a hang.
 */
#define _GNU_SOURCE    /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "launch.h"
#include "tis.h"
#include "console.h"
#include "tis_mmio.h"

/* ---- the monitor console, captured ---------------------------------- */
static char out[65536];
static size_t out_len;

void con_putc(char c)
{
    if (out_len + 1 < sizeof out)
        out[out_len++] = c;
    out[out_len] = '\0';
}
void con_puts(const char *s) { while (*s) con_putc(*s++); }
void con_line(const char *s) { con_puts("[monitor] "); con_puts(s); }
void con_dec(uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    con_puts(b);
}
void con_hex(uint64_t v, unsigned digits)
{
    char b[24];
    snprintf(b, sizeof b, "0x%0*llx", (int)digits, (unsigned long long)v);
    con_puts(b);
}

/* ---- a scripted TPM behind the TIS/FIFO registers -------------------- */
#define REG_ACCESS  0x000u
#define REG_STS     0x018u
#define REG_FIFO    0x024u
#define REG_DID_VID 0xF00u
#define CC_STARTUP    0x144u
#define CC_PCR_EXTEND 0x182u
#define CC_PCR_READ   0x17Eu
#define CC_CREATE_PRIMARY 0x131u
#define CC_QUOTE      0x158u

enum tpm_kind { TPM_OK, TPM_ABSENT, TPM_NO_LOCALITY };
static struct {
    enum tpm_kind kind;
    uint32_t fail_cc;         /* this command code answers fail_rc ... */
    uint32_t fail_nth;        /* ... at its n-th occurrence (1-based) */
    uint32_t fail_rc;
    int mute_after_go;        /* 1: the fail_nth command never completes */
    int full;                 /* 1: PCR_Read, CreatePrimary and Quote answered too */
    int active;               /* locality 0 held */
    int releases;             /* locality given back */
    uint8_t in[4096];
    uint32_t in_len;
    uint8_t rsp[128];
    uint32_t rsp_len, rsp_pos;
    int executing;            /* GO given, response pending */
    int muted;
    uint32_t commands, seen_cc_count;
    uint32_t cc[64];
} tpm;

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = (uint8_t)v; }

static void execute(void)
{
    uint32_t cc = tpm.in_len >= 10 ? be32(tpm.in + 6) : 0;
    uint32_t nth = 0;
    for (uint32_t i = 0; i < tpm.commands && i < 64; i++)
        nth += tpm.cc[i] == cc;
    if (tpm.commands < 64)
        tpm.cc[tpm.commands] = cc;
    tpm.commands++;
    uint32_t rc = 0;
    if (cc == tpm.fail_cc && nth + 1 == tpm.fail_nth) {
        if (tpm.mute_after_go) {
            tpm.muted = 1;
            return;
        }
        rc = tpm.fail_rc;
    }
    /* Startup and PCR_Extend answer with the bare header; with `full`,
       PCR_Read, CreatePrimary and Quote answer the smallest well-formed
       responses (a 4-byte key "PUBK", a 5-byte attest "ATTST", an ECDSA
       signature with 2-byte r and s). */
    uint32_t n = 10;
    memset(tpm.rsp, 0, sizeof tpm.rsp);
    if (rc == 0 && tpm.full && cc == CC_PCR_READ) {
        static const uint8_t body[] = { 0,0,0,1, 0,0,0,1, 0,0x0B,3, 0,0,0, 0,0,0,1, 0,32 };
        memcpy(tpm.rsp + 10, body, sizeof body);
        n = 10 + sizeof body + 32;              /* the digest: 32 zero bytes */
    } else if (rc == 0 && tpm.full && cc == CC_CREATE_PRIMARY) {
        static const uint8_t body[] = { 0x80,0,0,1, 0,0,0,6, 0,4,'P','U','B','K' };
        memcpy(tpm.rsp + 10, body, sizeof body);
        n = 10 + sizeof body;
    } else if (rc == 0 && tpm.full && cc == CC_QUOTE) {
        static const uint8_t body[] = { 0,0,0,19, 0,5,'A','T','T','S','T',
                                        0,0x18, 0,0x0B, 0,2,0xAA,0xBB, 0,2,0xCC,0xDD };
        memcpy(tpm.rsp + 10, body, sizeof body);
        n = 10 + sizeof body;
    }
    tpm.rsp[0] = 0x80; tpm.rsp[1] = 0x01;
    put32(tpm.rsp + 2, n);
    put32(tpm.rsp + 6, rc);
    tpm.rsp_len = n;
    tpm.rsp_pos = 0;
    tpm.executing = 1;
}

uint32_t tis_read32(uint32_t reg)
{
    if (tpm.kind == TPM_ABSENT)
        return 0xFFFFFFFFu;
    if (reg == REG_DID_VID)
        return 0x00011014u;
    if (reg == REG_STS) {
        uint32_t burst = tpm.executing ? tpm.rsp_len - tpm.rsp_pos : 64u;
        if (tpm.muted)
            burst = 0;
        return (burst > 64 ? 64 : burst) << 8 | tis_read8(REG_STS);
    }
    return 0;
}

uint8_t tis_read8(uint32_t reg)
{
    if (tpm.kind == TPM_ABSENT)
        return 0xFF;
    if (reg == REG_ACCESS)
        return (uint8_t)(0x80u | (tpm.active ? 0x20u : 0));
    if (reg == REG_STS) {
        if (tpm.muted)
            return 0;                           /* never valid again */
        uint8_t s = 0x80 | 0x40;                /* stsValid, commandReady */
        if (tpm.executing && tpm.rsp_pos < tpm.rsp_len)
            s |= 0x10;                          /* dataAvail */
        if (!tpm.executing && tpm.in_len >= 6 && tpm.in_len < be32(tpm.in + 2))
            s |= 0x08;                          /* Expect */
        return s;
    }
    if (reg == REG_FIFO && tpm.executing && tpm.rsp_pos < tpm.rsp_len)
        return tpm.rsp[tpm.rsp_pos++];
    return 0;
}

void tis_write8(uint32_t reg, uint8_t v)
{
    if (tpm.kind == TPM_ABSENT)
        return;
    if (reg == REG_ACCESS) {
        if (v & 0x02 && tpm.kind != TPM_NO_LOCALITY)
            tpm.active = 1;
        if (v & 0x20 && tpm.active) {
            tpm.active = 0;
            tpm.releases++;
        }
    } else if (reg == REG_STS) {
        if (v & 0x40) {                         /* commandReady: idle, empty FIFO */
            tpm.in_len = 0;
            tpm.executing = 0;
        }
        if (v & 0x20)
            execute();                          /* tpmGo */
    } else if (reg == REG_FIFO && tpm.in_len < sizeof tpm.in) {
        tpm.in[tpm.in_len++] = v;
    }
}

/* ---- the runs --------------------------------------------------------- */
/* Modules of length 0 (their bytes are never read): system.bin, which does
   not validate as a table (so no sandbox images), and two other modules.
   That makes 4 events: launch, system.bin, two modules. */
static struct boot_info boot;

static int setup(void **state)
{
    (void)state;
    memset(&tpm, 0, sizeof tpm);
    memset(&boot, 0, sizeof boot);
    out_len = 0;
    out[0] = '\0';
    boot.cmdline = "triad.nonce=00112233";
    boot.module_count = 3;
    boot.modules[0] = (struct mb2_module){ 0x1000, 0x1000, "system.bin" };
    boot.modules[1] = (struct mb2_module){ 0x1000, 0x1000, "archive-a" };
    boot.modules[2] = (struct mb2_module){ 0x1000, 0x1000, "archive-b" };
    return 0;
}

static void says(const char *what)
{
    if (!strstr(out, what)) {
        print_error("console lacks \"%s\"; it was:\n%s\n", what, out);
        fail();
    }
}

/* Every degraded run: all events in the log, the summary says unmeasured,
   the locality is not left held. */
static void degraded_but_logged(void)
{
    uint32_t len = 0;
    attest_event_log(&len);
    assert_true(len > 0);
    says("attest: 4 events, ");
    says("TPM absent or failed: unmeasured");
    assert_false(tpm.active);
}

/* REQ: ATT-TPM-001 */
static void startup_failure_degrades(void **state)
{
    (void)state;
    tpm.fail_cc = CC_STARTUP;
    tpm.fail_nth = 1;
    tpm.fail_rc = 0x101;                        /* TPM_RC_FAILURE */
    attest_boot(&boot);
    says("attest: TPM Startup(CLEAR) failed: rc 0x00000101");
    says("attest: TPM unusable: this boot is unmeasured");
    assert_int_equal(tpm.commands, 1);          /* nothing after the Startup */
    assert_int_equal(tpm.releases, 1);
    degraded_but_logged();
}

/* REQ: ATT-TPM-001 */
static void extend_failure_stops_the_extends(void **state)
{
    (void)state;
    tpm.fail_cc = CC_PCR_EXTEND;
    tpm.fail_nth = 2;                           /* system.bin's extend */
    tpm.fail_rc = 0x101;
    attest_boot(&boot);
    says("attest: TPM PCR_Extend failed: rc 0x00000101");
    /* Startup, the launch event's extend, the failed one: no more (the PCRs
       could no longer match the log), no PCR_Read, no key, no quote. */
    assert_int_equal(tpm.commands, 3);
    assert_int_equal(tpm.cc[2], CC_PCR_EXTEND);
    assert_int_equal(tpm.releases, 1);
    says("attest: pcr 11 ");                    /* the later events still logged */
    degraded_but_logged();
}

/* REQ: ATT-TPM-001 */
static void tpm_that_stops_answering_is_a_bounded_wait(void **state)
{
    (void)state;
    tpm.fail_cc = CC_PCR_EXTEND;
    tpm.fail_nth = 1;
    tpm.mute_after_go = 1;
    attest_boot(&boot);
    says("attest: TPM PCR_Extend failed: TPM did not answer within the poll bound");
    assert_int_equal(tpm.commands, 2);
    degraded_but_logged();
    /* The wait gave up after TIS_POLL_MAX polls of the status register; the
       commands that went through before took a few polls each. */
    const char *p = strstr(out, " retried), ");
    assert_non_null(p);
    unsigned long long polls = strtoull(p + 11, NULL, 10);
    assert_true(polls >= TIS_POLL_MAX);
    assert_true(polls < TIS_POLL_MAX + 100u);
}

/* REQ: ATT-TPM-001 */
static void no_tpm_and_no_locality_are_unmeasured(void **state)
{
    (void)state;
    tpm.kind = TPM_ABSENT;
    attest_boot(&boot);
    says("attest: no TPM (no TPM at 0xFED40000): measurements go to the event log only, this boot is unmeasured");
    assert_int_equal(tpm.commands, 0);
    degraded_but_logged();

    setup(state);
    tpm.kind = TPM_NO_LOCALITY;
    attest_boot(&boot);
    says("attest: no TPM (locality 0 not granted)");
    assert_int_equal(tpm.commands, 0);
    degraded_but_logged();
}

/* The healthy scripted TPM as a control: extends taken, then the PCR read
   (which this script does not answer with a PCR value) is the failure. */
static void healthy_extends_then_read_failure(void **state)
{
    (void)state;
    attest_boot(&boot);
    says("attest: TPM2_Startup(CLEAR): started");
    assert_int_equal(tpm.cc[0], CC_STARTUP);
    for (int i = 1; i <= 4; i++)
        assert_int_equal(tpm.cc[i], CC_PCR_EXTEND);
    says("attest: TPM PCR_Read failed");
    assert_int_equal(tpm.releases, 1);
    degraded_but_logged();
}

/* ---- run-time quotes (TRIAD_HC_QUOTE's monitor side) ----------------- */
static const uint8_t verifier_nonce[4] = { 0xde, 0xad, 0xbe, 0xef };

/* REQ: ATT-QUOTE-002 */
static void quote_at_run_time(void **state)
{
    (void)state;
    tpm.full = 1;
    attest_boot(&boot);
    says("attest: attestation key created, handle 0x80000001");
    says("TPM measured");
    assert_int_equal(tpm.releases, 1);
    assert_int_equal(attest_quote_ready(), 0);
    const uint32_t before = tpm.commands;
    static struct triad_hc_quote q;
    memset(&q, 0x55, sizeof q);
    int64_t n = attest_quote(0xF00, verifier_nonce, sizeof verifier_nonce, &q);
    assert_int_equal(n, 6 + 5 + 12);
    assert_int_equal(tpm.commands, before + 1);         /* one Quote, the key is the boot's */
    assert_int_equal(tpm.cc[before], CC_QUOTE);
    /* The command (still in the scripted FIFO: going idle only resets its
       length) carried the handle of the boot's key and our nonce. */
    assert_int_equal(be32(tpm.in + 10), 0x80000001u);
    assert_non_null(memmem(tpm.in, sizeof tpm.in, verifier_nonce, sizeof verifier_nonce));
    assert_int_equal(q.ak_len, 6);
    assert_int_equal(q.attest_len, 5);
    assert_int_equal(q.sig_len, 12);
    assert_int_equal(q.tpm_rc, 0);
    assert_memory_equal(q.data, "\0\4PUBK", 6);
    assert_memory_equal(q.data + 6, "ATTST", 5);        /* without its size field */
    assert_int_equal(q.data[11], 0x00);
    assert_int_equal(q.data[12], 0x18);                 /* TPM_ALG_ECDSA */
    assert_int_equal(q.data[6 + 5 + 11], 0xDD);
    assert_int_equal(q.data[23], 0x55);                 /* nothing written past the evidence */
    assert_int_equal(tpm.releases, 2);                  /* the locality given back again */
    assert_false(tpm.active);
    says("attest: quote for the I/O sandbox: PCR mask 0x000f00, 4-byte nonce, 1 TPM command(s)");
}

/* REQ: ATT-QUOTE-002 */
static void quote_bad_arguments_reach_no_tpm(void **state)
{
    (void)state;
    tpm.full = 1;
    attest_boot(&boot);
    const uint32_t before = tpm.commands;
    static struct triad_hc_quote q;
    uint8_t big[33] = { 0 };
    assert_int_equal(attest_quote(0, verifier_nonce, 4, &q), TRIAD_E_INVAL);
    assert_int_equal(attest_quote(1u << 24, verifier_nonce, 4, &q), TRIAD_E_INVAL);
    assert_int_equal(attest_quote(0xF00, verifier_nonce, 0, &q), TRIAD_E_INVAL);
    assert_int_equal(attest_quote(0xF00, big, 33, &q), TRIAD_E_INVAL);
    assert_int_equal(tpm.commands, before);
    assert_int_equal(tpm.releases, 1);
}

/* REQ: ATT-QUOTE-002, ATT-TPM-001 */
static void quote_refused_by_the_tpm(void **state)
{
    (void)state;
    tpm.full = 1;
    tpm.fail_cc = CC_QUOTE;
    tpm.fail_nth = 2;                           /* the boot-time quote passes, ours fails */
    tpm.fail_rc = 0x98e;                        /* TPM_RC_SIGNATURE-ish: any error code */
    attest_boot(&boot);
    static struct triad_hc_quote q;
    assert_int_equal(attest_quote(0xF00, verifier_nonce, 4, &q), TRIAD_E_TPM);
    assert_int_equal(q.tpm_rc, 0x98e);
    says("attest: TPM Quote (requested by the I/O sandbox) failed: rc 0x0000098e");
    assert_int_equal(tpm.releases, 2);
    /* The key is still there: the next request is served. */
    assert_int_equal(attest_quote(0xF00, verifier_nonce, 4, &q), 23);
}

/* REQ: ATT-QUOTE-002, ATT-TPM-001 */
static void quote_from_a_tpm_gone_silent_is_bounded(void **state)
{
    (void)state;
    tpm.full = 1;
    tpm.fail_cc = CC_QUOTE;
    tpm.fail_nth = 2;
    tpm.mute_after_go = 1;
    attest_boot(&boot);
    static struct triad_hc_quote q;
    assert_int_equal(attest_quote(0xF00, verifier_nonce, 4, &q), TRIAD_E_TPM);
    assert_int_equal((int32_t)q.tpm_rc, TIS_E_TIMEOUT);
    says("Quote (requested by the I/O sandbox) failed: TPM did not answer within the poll bound");
    assert_int_equal(tpm.releases, 2);
}

/* REQ: ATT-QUOTE-002, ATT-TPM-001 */
static void quote_without_a_key_is_unmeasured(void **state)
{
    (void)state;
    tpm.kind = TPM_ABSENT;
    attest_boot(&boot);
    static struct triad_hc_quote q;
    assert_int_equal(attest_quote_ready(), TRIAD_E_UNMEASURED);
    assert_int_equal(attest_quote(0xF00, verifier_nonce, 4, &q), TRIAD_E_UNMEASURED);
    assert_int_equal(tpm.commands, 0);

    setup(state);                               /* a TPM whose key failed at boot */
    tpm.full = 1;
    tpm.fail_cc = CC_CREATE_PRIMARY;
    tpm.fail_nth = 1;
    tpm.fail_rc = 0x9a2;                        /* TPM_RC_BAD_AUTH, as in test 61 */
    attest_boot(&boot);
    const uint32_t before = tpm.commands;
    assert_int_equal(attest_quote_ready(), TRIAD_E_UNMEASURED);
    assert_int_equal(attest_quote(0xF00, verifier_nonce, 4, &q), TRIAD_E_UNMEASURED);
    assert_int_equal(tpm.commands, before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(startup_failure_degrades, setup),
        cmocka_unit_test_setup(extend_failure_stops_the_extends, setup),
        cmocka_unit_test_setup(tpm_that_stops_answering_is_a_bounded_wait, setup),
        cmocka_unit_test_setup(no_tpm_and_no_locality_are_unmeasured, setup),
        cmocka_unit_test_setup(healthy_extends_then_read_failure, setup),
        cmocka_unit_test_setup(quote_at_run_time, setup),
        cmocka_unit_test_setup(quote_bad_arguments_reach_no_tpm, setup),
        cmocka_unit_test_setup(quote_refused_by_the_tpm, setup),
        cmocka_unit_test_setup(quote_from_a_tpm_gone_silent_is_bounded, setup),
        cmocka_unit_test_setup(quote_without_a_key_is_unmeasured, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
