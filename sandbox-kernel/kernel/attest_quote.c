/*
 * The I/O sandbox serves quotes: the verifier's nonce arrives at run time
 * on this sandbox's console ("quote <hex>"), the monitor runs TPM2_Quote
 * with the attestation key it made at boot (TRIAD_HC_QUOTE, hypercall 9)
 * and the evidence goes back on the console in the monitor's format
 * ("attest: ak-public|quote-attest|quote-signature <offset> <hex>" lines and
 * "... end <length>"), which attest-verify reads together with the event
 * log this sandbox printed (hypercall 8).  docs/attestation.md.
 */
#include "attest_quote.h"
#include "console.h"
#include "printk.h"
#include "serial.h"
#include "string.h"
#include "time.h"
#include "../sched/sched.h"
#include "../arch/x86_64/hypercall.h"
#include "../../monitor/abi/hypercall.h"

#define TRIAD_PCRS 0xF00u             /* PCRs 8-11: what the monitor measures */
#define REQUEST_NONCE_MAX 64u         /* parsed; the monitor takes at most 32 */

static struct triad_hc_quote q;

static const char *error_name(int64_t rc)
{
    switch (rc) {
    case TRIAD_E_FAULT: return "buffer outside RAM";
    case TRIAD_E_INVAL: return "bad argument";
    case TRIAD_E_PERM: return "not allowed to this sandbox";
    case TRIAD_E_UNMEASURED: return "this boot is unmeasured (no TPM, or it failed at boot)";
    case TRIAD_E_TPM: return "the TPM refused the quote";
    case TRIAD_E_BUSY: return "another core is quoting";
    case TRIAD_E_NOSYS: return "no quote hypercall in this monitor";
    default: return "unexpected error";
    }
}

static void dump(const char *what, const uint8_t *p, uint32_t n)
{
    static const char hex[] = "0123456789abcdef";
    char line[2 * 64 + 1];
    for (uint32_t off = 0; off < n; off += 64) {
        uint32_t k = n - off < 64 ? n - off : 64;
        for (uint32_t i = 0; i < k; i++) {
            line[2 * i] = hex[p[off + i] >> 4];
            line[2 * i + 1] = hex[p[off + i] & 15];
        }
        line[2 * k] = '\0';
        printk("attest: %s %u %s\n", what, off, line);
    }
    printk("attest: %s end %u\n", what, n);
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The request's nonce: an even number of hex digits, at most
   REQUEST_NONCE_MAX bytes.  Returns its length, or -1. */
static int parse_nonce(const char *h, uint8_t *out)
{
    int n = 0;
    while (h[2 * n] && n < (int)REQUEST_NONCE_MAX) {
        int hi = hex_value(h[2 * n]), lo = hex_value(h[2 * n + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[n++] = (uint8_t)(hi * 16 + lo);
    }
    return h[2 * n] || n == 0 ? -1 : n;
}

int64_t attest_quote_request(const char *nonce_hex)
{
    uint8_t nonce[REQUEST_NONCE_MAX];
    int n = parse_nonce(nonce_hex, nonce);
    if (n < 0) {
        printk("attest: quote request refused here: the nonce must be 1 to %u bytes of hex\n",
               REQUEST_NONCE_MAX);
        return TRIAD_E_INVAL;
    }
    memset(&q, 0, sizeof q);
    /* A nonce longer than the monitor takes is passed on as it is: the
       monitor's refusal is what the caller sees. */
    q.nonce_len = (uint32_t)n;
    memcpy(q.nonce, nonce, n < (int)TRIAD_QUOTE_NONCE_MAX ? (size_t)n : TRIAD_QUOTE_NONCE_MAX);
    const uint64_t t0 = now_ns();
    int64_t rc = hypercall(TRIAD_HC_QUOTE, TRIAD_PCRS, (uint64_t)(uintptr_t)&q, sizeof q);
    const uint64_t took_us = (now_ns() - t0) / 1000;
    if (rc < 0) {
        if (rc == TRIAD_E_TPM)
            printk("attest: quote refused by the monitor: error %ld, %s (TPM rc 0x%x)\n", (long)rc,
                   error_name(rc), q.tpm_rc);
        else
            printk("attest: quote refused by the monitor: error %ld, %s\n", (long)rc, error_name(rc));
        return rc;
    }
    if ((uint64_t)q.ak_len + q.attest_len + q.sig_len != (uint64_t)rc || rc > (int64_t)TRIAD_QUOTE_DATA_MAX) {
        printk("attest: quote from the monitor is inconsistent (%ld bytes)\n", (long)rc);
        return TRIAD_E_INVAL;
    }
    dump("ak-public", q.data, q.ak_len);
    dump("quote-attest", q.data + q.ak_len, q.attest_len);
    dump("quote-signature", q.data + q.ak_len + q.attest_len, q.sig_len);
    printk("attest: quote served (hypercall 9): %u-byte nonce, PCRs 8-11, %ld bytes of evidence, "
           "%lu us of virtual time in the monitor\n", q.nonce_len, (long)rc, (unsigned long)took_us);
    return rc;
}

/* One console character, without waiting: the receive thread's ring, or the
   UART itself only when no receive thread runs.  Reading the UART beside a
   running receive thread made two unsynchronised readers of one FIFO: a
   character could be taken out of order or doubled (a 66-digit nonce arrived
   as an odd number of digits in test 61 under load). */
static int next_char(void)
{
    char c;
    if (console_read(&c, 1) == 1)
        return (unsigned char)c;
    return console_input_running() ? -1 : serial_getc_nowait();
}

void attest_quote_serve(uint64_t seconds)
{
    int64_t ready = hypercall(TRIAD_HC_QUOTE, TRIAD_PCRS, (uint64_t)(uintptr_t)&q, 0);
    if (ready < 0) {
        printk("attest: quote service unavailable: error %ld, %s\n", (long)ready, error_name(ready));
        return;
    }
    printk("attest: quote service ready: 'quote <nonce hex>' on this console, 'end' to stop (%lu s)\n",
           (unsigned long)seconds);
    char line[160];
    unsigned n = 0;
    const uint64_t until = now_ns() + seconds * 1000000000ull;
    while (now_ns() < until) {
        int c = next_char();
        if (c < 0) {
            thread_sleep_ns(1000000);
            continue;
        }
        if (c != '\r' && c != '\n') {
            if (n + 1 < sizeof line)
                line[n++] = (char)c;
            continue;
        }
        line[n] = '\0';
        n = 0;
        if (line[0] == '\0')
            continue;
        if (strcmp(line, "end") == 0) {
            printk("attest: quote service stopped\n");
            return;
        }
        if (strncmp(line, "quote ", 6) == 0)
            attest_quote_request(line + 6);
        else
            printk("attest: quote service: '%s' not understood ('quote <nonce hex>' or 'end')\n", line);
    }
    printk("attest: quote service: no more requests after %lu s\n", (unsigned long)seconds);
}

void attest_quote_refusals(uint64_t ram_top)
{
    /* Each bad request must come back as an error and change nothing. */
    memset(&q, 0, sizeof q);
    q.nonce_len = 4;
    int64_t no_pcr = hypercall(TRIAD_HC_QUOTE, 0, (uint64_t)(uintptr_t)&q, sizeof q);
    int64_t high_pcr = hypercall(TRIAD_HC_QUOTE, 1u << 24, (uint64_t)(uintptr_t)&q, sizeof q);
    q.nonce_len = 0;
    int64_t no_nonce = hypercall(TRIAD_HC_QUOTE, TRIAD_PCRS, (uint64_t)(uintptr_t)&q, sizeof q);
    q.nonce_len = 4;
    int64_t small = hypercall(TRIAD_HC_QUOTE, TRIAD_PCRS, (uint64_t)(uintptr_t)&q, sizeof q - 1);
    int64_t outside = hypercall(TRIAD_HC_QUOTE, TRIAD_PCRS, ram_top + 0x1000, sizeof q);
    printk("attest: quote refusals: no PCR -> %ld, PCR 24 -> %ld, empty nonce -> %ld, "
           "short buffer -> %ld, buffer outside RAM -> %ld\n",
           (long)no_pcr, (long)high_pcr, (long)no_nonce, (long)small, (long)outside);
}
