/*
 * Measured launch in the monitor: TPM bring-up, the launch-type event,
 * measurement of system.bin, every sandbox image and every other module,
 * golden-value checks, the PCR read-back and an optional quote.  Everything
 * it learns goes to the monitor console; the event log stays in monitor
 * memory for the I/O sandbox (TRIAD_HC_EVENT_LOG).
 */
#include "launch.h"
#include "eventlog.h"
#include "sha256.h"
#include "tis.h"
#include "tpm2_cmd.h"
#include "console.h"
#include "cpu.h"
#include "partition/validate.h"

static uint8_t log_buf[ATTEST_LOG_BYTES];
static struct evlog log;
static uint8_t verdicts[ATTEST_MAX_SANDBOXES];
static int tpm_ok;                 /* the TPM takes extends */
static int tpm_open;               /* locality 0 held, released at the end */
static uint64_t tpm_polls;         /* register polls, all commands */
static uint32_t tpm_commands;
static uint32_t tpm_retries;      /* commands the TPM asked us to send again */
#define TPM_RETRIES 16u
static uint8_t cmd[TPM2_CMD_MAX], rsp[TPM2_CMD_MAX];

/* Plain lower-case hex, no prefix: what host tools parse. */
/*@ assigns \nothing; */
static void hex_bytes(const uint8_t *p, uint32_t n)
{
    /*@ loop assigns i; loop variant n - i; */
    for (uint32_t i = 0; i < n; i++) {
        con_putc("0123456789abcdef"[p[i] >> 4]);
        con_putc("0123456789abcdef"[p[i] & 15]);
    }
}

/* Prints "attest: <what> <hex>" in lines of at most 64 bytes, each tagged
   with its offset, so a host tool can reassemble the bytes. */
/*@ assigns \nothing; */
static void dump(const char *what, const uint8_t *p, uint32_t n)
{
    /*@ loop assigns off; loop variant n - off; */
    for (uint32_t off = 0; off < n; off += 64) {
        con_line("attest: ");
        con_puts(what);
        con_puts(" ");
        con_dec(off);
        con_puts(" ");
        hex_bytes(p + off, n - off < 64 ? n - off : 64);
        con_puts("\n");
    }
    con_line("attest: ");
    con_puts(what);
    con_puts(" end ");
    con_dec(n);
    con_puts("\n");
}

/* One TPM command: returns the TPM's rc (0 = success), or a negative
   TIS/parse error; the response is in rsp[0 .. *len). */
/*@ requires \valid(len); assigns *len; */
static int32_t tpm_run(uint32_t cmd_len, uint32_t *len)
{
    *len = 0;
    if (cmd_len == 0)
        return TPM2_E_FIELD;
    int32_t rc = 0;
    /* A TPM busy with its own work answers RETRY, YIELDED or TESTING: the
       same command is sent again, a bounded number of times. */
    /*@ loop assigns try, rc, *len; loop variant TPM_RETRIES - try; */
    for (uint32_t try = 0; try < TPM_RETRIES; try++) {
        tpm_commands++;
        int err = tis_transmit(cmd, cmd_len, rsp, sizeof rsp, len, &tpm_polls);
        if (err != TIS_OK)
            return err;
        rc = tpm2_response_code(rsp, *len);
        if (rc != 0x922 && rc != 0x908 && rc != 0x90A)
            return rc;
        tpm_retries++;
    }
    return rc;
}

/*@ assigns \nothing; */
static void tpm_failure(const char *what, int32_t rc)
{
    con_line("attest: TPM ");
    con_puts(what);
    con_puts(" failed: ");
    if (rc < -9) {
        con_puts(tis_strerror(rc));
    } else {
        con_puts("rc ");
        con_hex((uint32_t)rc, 8);
    }
    con_puts("\n");
}

/*@ assigns \nothing; */
static void tpm_start(void)
{
    uint32_t id, len;
    int err = tis_open(&id);
    if (err != TIS_OK) {
        con_line("attest: no TPM (");
        con_puts(tis_strerror(err));
        con_puts("): measurements go to the event log only, this boot is unmeasured\n");
        return;
    }
    con_line("attest: TPM 2.0 TIS at 0xfed40000, did_vid ");
    con_hex(id, 8);
    con_puts(", locality 0\n");
    int32_t rc = tpm_run(tpm2_build_startup_clear(cmd), &len);
    if (rc != 0 && rc != (int32_t)TPM2_RC_INITIALIZE) {
        tpm_failure("Startup(CLEAR)", rc);
        con_line("attest: TPM unusable: this boot is unmeasured\n");
        tis_close();
        return;
    }
    con_line("attest: TPM2_Startup(CLEAR): ");
    con_puts(rc == 0 ? "started\n" : "already started by the firmware\n");
    tpm_ok = 1;
    tpm_open = 1;
}

/* Logs and extends one measurement; a failing extend stops further extends
   (the PCRs would no longer match the log) but the log goes on. */
/*@ requires \valid_read(digest + (0 .. 31)) && \valid_read(desc);
    assigns \nothing; */
static void record(uint32_t pcr, uint32_t type, const uint8_t *digest, const char *desc)
{
    if (evlog_append(&log, pcr, type, digest, desc) != 0)
        con_line("attest: event log full, event dropped\n");
    if (tpm_ok) {
        uint32_t len;
        int32_t rc = tpm_run(tpm2_build_pcr_extend(cmd, pcr, digest), &len);
        if (rc != 0) {
            tpm_failure("PCR_Extend", rc);
            tpm_ok = 0;
        }
    }
    con_line("attest: pcr ");
    con_dec(pcr);
    con_puts(" ");
    hex_bytes(digest, 32);
    con_puts(" ");
    con_puts(desc);
    con_puts("\n");
}

/*@ assigns \nothing; */
static void sha(const void *p, uint64_t n, uint8_t *out)
{
    struct sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, p, (size_t)n);
    sha256_final(&c, out);
}

/* Event description "<a><b><c>" in a bounded buffer. */
/*@ assigns out[0 .. EVLOG_DESC_MAX - 1]; */
static void join(char *out, const char *a, const char *b, const char *c)
{
    const char *parts[3] = { a, b, c };
    uint32_t n = 0;
    /*@ loop assigns k, n, out[0 .. EVLOG_DESC_MAX - 1]; loop variant 3 - k; */
    for (uint32_t k = 0; k < 3; k++)
        /*@ loop assigns i, n, out[0 .. EVLOG_DESC_MAX - 1]; loop variant EVLOG_DESC_MAX - i; */
        for (uint32_t i = 0; parts[k] && parts[k][i] && n + 1 < EVLOG_DESC_MAX && i < EVLOG_DESC_MAX; i++)
            out[n++] = parts[k][i];
    out[n] = '\0';
}

/*@ assigns \nothing; */
static int same_name(const char *a, const char *b)
{
    uint32_t k = 0;
    /*@ loop assigns k; loop variant 64 - k; */
    while (k < 64 && a && b && a[k] && a[k] == b[k])
        k++;
    return a && b && k < 64 && a[k] == b[k];
}

/*@ assigns \nothing; */
static int all_zero(const uint8_t *p, uint32_t n)
{
    uint8_t acc = 0;
    /*@ loop assigns i, acc; loop variant n - i; */
    for (uint32_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* Does the command line hold the word `word` (space separated)? */
/*@ assigns \nothing; */
static int has_word(const char *cl, const char *word)
{
    /*@ loop assigns i; loop variant 4096 - i; */
    for (uint32_t i = 0; cl && i < 4096 && cl[i]; i++) {
        if (i > 0 && cl[i - 1] != ' ')
            continue;
        uint32_t k = 0;
        /*@ loop assigns k; loop variant 64 - k; */
        while (k < 64 && word[k] && i + k < 4096 && cl[i + k] == word[k])
            k++;
        if (!word[k] && (cl[i + k] == ' ' || cl[i + k] == '\0'))
            return 1;
    }
    return 0;
}

/* The launch-type event: without SMX (Intel TXT) nothing measured the
   monitor before it ran, and the log says so. */
/*@ requires \valid_read(b); assigns \nothing; */
static void record_launch(const struct boot_info *b)
{
    struct cpuid_regs r;
    cpu_cpuid(1, 0, &r);
    const int smx = (r.ecx >> 6) & 1;
    const int tboot = has_word(b->cmdline, "triad.launch=tboot");
    const char *desc;
    if (smx && tboot)
        desc = "Triad launch: tboot, SMX present (dynamic root of trust in PCR 17/18)";
    else if (tboot)
        desc = "Triad launch: tboot, TXT absent: no dynamic root of trust";
    else
        desc = "Triad launch: GRUB, no dynamic root of trust";
    con_line("attest: ");
    con_puts(desc);
    con_puts("\n");
    uint8_t d[32];
    uint32_t n = 0;
    /*@ loop assigns n; loop variant 256 - n; */
    while (n < 256 && desc[n])
        n++;
    sha(desc, n, d);
    record(ATTEST_PCR_LAUNCH, EV_ACTION, d, desc);
}

/*@ requires \valid_read(b); assigns \nothing; */
static const struct mb2_module *module_named(const struct boot_info *b, const char *name)
{
    /*@ loop assigns i; loop variant MB2_MAX_MODULES - i; */
    for (uint32_t i = 0; i < b->module_count && i < MB2_MAX_MODULES; i++)
        if (same_name(b->modules[i].name, name))
            return &b->modules[i];
    return 0;
}

/*@ requires \valid_read(b); assigns \nothing; */
static void measure_modules(const struct boot_info *b)
{
    uint8_t d[32];
    char desc[EVLOG_DESC_MAX];
    const struct mb2_module *m = module_named(b, "system.bin");
    const struct triad_system_table *t = 0;
    if (!m) {
        con_line("attest: no system.bin module to measure\n");
    } else {
        sha((const void *)(uintptr_t)m->start, m->end - m->start, d);
        record(ATTEST_PCR_SYSTEM, EV_IPL, d, "system.bin");
        if (triad_table_validate((const void *)(uintptr_t)m->start, m->end - m->start, &t) != TRIAD_TABLE_OK)
            t = 0;
    }
    const struct triad_table_body *sys = t ? &t->body : 0;
    /* Kernel images, one event per sandbox (two sandboxes may share one). */
    /*@ loop assigns i; loop variant ATTEST_MAX_SANDBOXES - i; */
    for (uint32_t i = 0; sys && i < sys->sandbox_count && i < ATTEST_MAX_SANDBOXES; i++) {
        const struct triad_sandbox *s = &sys->sandboxes[i];
        const struct mb2_module *k = module_named(b, s->kernel_module);
        if (!k) {
            verdicts[i] = ATTEST_IMAGE_MISSING;
            continue;
        }
        sha((const void *)(uintptr_t)k->start, k->end - k->start, d);
        join(desc, s->name, " kernel ", s->kernel_module);
        record(ATTEST_PCR_KERNEL, EV_IPL, d, desc);
        uint8_t diff = 0;
        /*@ loop assigns j, diff; loop variant 32 - j; */
        for (uint32_t j = 0; j < 32; j++)
            diff |= d[j] ^ s->kernel_sha256[j];
        con_line("attest: sandbox ");
        con_dec(i);
        con_puts(" ");
        con_puts(s->name);
        if (all_zero(s->kernel_sha256, 32)) {
            verdicts[i] = ATTEST_IMAGE_UNCHECKED;
            con_puts(": no golden digest in system.bin, image unchecked\n");
        } else if (diff) {
            verdicts[i] = ATTEST_IMAGE_MISMATCH;
            con_puts(": image digest differs from the golden value, sandbox will not launch\n");
        } else {
            verdicts[i] = ATTEST_IMAGE_MATCH;
            con_puts(": image matches its golden digest\n");
        }
    }
    /* Everything else GRUB loaded: program archives and other data. */
    /*@ loop assigns i; loop variant MB2_MAX_MODULES - i; */
    for (uint32_t i = 0; i < b->module_count && i < MB2_MAX_MODULES; i++) {
        const struct mb2_module *o = &b->modules[i];
        int known = same_name(o->name, "system.bin");
        /*@ loop assigns j, known; loop variant ATTEST_MAX_SANDBOXES - j; */
        for (uint32_t j = 0; sys && j < sys->sandbox_count && j < ATTEST_MAX_SANDBOXES; j++)
            known |= same_name(o->name, sys->sandboxes[j].kernel_module);
        if (known)
            continue;
        sha((const void *)(uintptr_t)o->start, o->end - o->start, d);
        join(desc, "module ", o->name ? o->name : "(unnamed)", "");
        record(ATTEST_PCR_MODULE, EV_IPL, d, desc);
    }
}

/*@ assigns \nothing; */
static void read_pcrs(void)
{
    /*@ loop assigns pcr; loop variant 24 - pcr; */
    for (uint32_t pcr = 0; pcr < 24; pcr++) {
        if (!(ATTEST_PCR_MASK & (1u << pcr)))
            continue;
        uint32_t len;
        uint8_t v[32];
        int32_t rc = tpm_run(tpm2_build_pcr_read(cmd, pcr), &len);
        if (rc == 0)
            rc = tpm2_parse_pcr_read(rsp, len, v);
        if (rc != 0) {
            tpm_failure("PCR_Read", rc);
            tpm_ok = 0;
            return;
        }
        con_line("attest: PCR ");
        con_dec(pcr);
        con_puts(" sha256 ");
        hex_bytes(v, 32);
        con_puts("\n");
    }
}

/*@ assigns \nothing; */
static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The verifier's nonce: "triad.nonce=<hex>" (2 to 64 hex digits). Returns
   its length in bytes, 0 when absent or malformed. */
/*@ requires \valid(out + (0 .. TPM2_NONCE_MAX - 1)); assigns out[0 .. TPM2_NONCE_MAX - 1]; */
static uint32_t nonce_option(const char *cl, uint8_t *out)
{
    static const char key[] = "triad.nonce=";
    /*@ loop assigns i; loop variant 4096 - i; */
    for (uint32_t i = 0; cl && i < 4096 && cl[i]; i++) {
        if (i > 0 && cl[i - 1] != ' ')
            continue;
        uint32_t k = 0;
        /*@ loop assigns k; loop variant sizeof key - k; */
        while (key[k] && cl[i + k] == key[k])
            k++;
        if (key[k])
            continue;
        const char *h = cl + i + k;
        uint32_t n = 0;
        /*@ loop assigns n, out[0 .. TPM2_NONCE_MAX - 1]; loop variant TPM2_NONCE_MAX - n; */
        while (n < TPM2_NONCE_MAX && hex_digit(h[2 * n]) >= 0 && hex_digit(h[2 * n + 1]) >= 0) {
            out[n] = (uint8_t)(hex_digit(h[2 * n]) * 16 + hex_digit(h[2 * n + 1]));
            n++;
        }
        if (h[2 * n] != ' ' && h[2 * n] != '\0')
            return 0;
        return n;
    }
    return 0;
}

/* The attestation key (ECC P-256 restricted signing key, endorsement
   hierarchy), created once per boot and kept loaded in the TPM for the
   quotes the I/O sandbox asks for later (TRIAD_HC_QUOTE).  The TPM2B_PUBLIC
   is kept here: every quote hands it out with the evidence. */
#define AK_PUB_MAX 512u
static uint32_t ak_handle;
static uint8_t ak_pub[AK_PUB_MAX];
static uint32_t ak_pub_len;        /* 0: no key (no TPM, or it failed) */
static volatile uint32_t quote_lock;   /* 1 while a core runs a run-time quote */

/*@ assigns \nothing; */
static void make_ak(void)
{
    uint32_t len, handle, off, plen;
    int32_t rc = tpm_run(tpm2_build_create_primary_ak(cmd), &len);
    if (rc == 0)
        rc = tpm2_parse_create_primary(rsp, len, &handle, &off, &plen);
    if (rc == 0 && plen > AK_PUB_MAX)
        rc = TPM2_E_FIELD;
    if (rc != 0) {
        tpm_failure("CreatePrimary (attestation key)", rc);
        tpm_ok = 0;             /* no key: the evidence cannot be trusted */
        return;
    }
    /*@ loop assigns i, ak_pub[0 .. AK_PUB_MAX - 1]; loop variant plen - i; */
    for (uint32_t i = 0; i < plen; i++)
        ak_pub[i] = rsp[off + i];
    ak_pub_len = plen;
    ak_handle = handle;
    con_line("attest: attestation key created, handle ");
    con_hex(handle, 8);
    con_puts("\n");
}

/* A quote over the Triad PCRs with the nonce of the monitor's command line,
   printed for the verifier (the boot-time path; at run time the I/O
   sandbox asks with TRIAD_HC_QUOTE). */
/*@ requires \valid_read(b); assigns \nothing; */
static void quote(const struct boot_info *b)
{
    uint8_t nonce[TPM2_NONCE_MAX];
    uint32_t n = nonce_option(b->cmdline, nonce);
    if (n == 0) {
        con_line("attest: no boot-time quote (triad.nonce=<hex> on the command line)\n");
        return;
    }
    dump("ak-public", ak_pub, ak_pub_len);
    uint32_t len, off, plen, soff, slen;
    int32_t rc = tpm_run(tpm2_build_quote(cmd, ak_handle, ATTEST_PCR_MASK, nonce, n), &len);
    if (rc == 0)
        rc = tpm2_parse_quote(rsp, len, &off, &plen, &soff, &slen);
    if (rc != 0) {
        tpm_failure("Quote", rc);
        tpm_ok = 0;
        return;
    }
    /* tpm2_checkquote wants the TPMS_ATTEST without its size field. */
    dump("quote-attest", rsp + off + 2, plen - 2);
    dump("quote-signature", rsp + soff, slen);
}

int64_t attest_quote_ready(void)
{
    return ak_pub_len != 0 ? 0 : TRIAD_E_UNMEASURED;
}

int64_t attest_quote(uint32_t pcr_mask, const uint8_t *nonce, uint32_t nonce_len,
                     struct triad_hc_quote *q)
{
    if (ak_pub_len == 0)
        return TRIAD_E_UNMEASURED;
    if (nonce_len == 0 || nonce_len > TPM2_NONCE_MAX || pcr_mask == 0 || pcr_mask >= (1u << 24))
        return TRIAD_E_INVAL;
    if (cpu_xchg32_acquire(&quote_lock, 1) != 0)
        return TRIAD_E_BUSY;
    const uint32_t commands = tpm_commands;
    const uint64_t polls = tpm_polls;
    uint32_t id, len = 0, off = 0, plen = 0, soff = 0, slen = 0;
    int32_t rc = tis_open(&id);
    if (rc == TIS_OK) {
        rc = tpm_run(tpm2_build_quote(cmd, ak_handle, pcr_mask, nonce, nonce_len), &len);
        if (rc == 0)
            rc = tpm2_parse_quote(rsp, len, &off, &plen, &soff, &slen);
        tis_close();
    }
    int64_t result;
    if (rc != 0) {
        q->tpm_rc = (uint32_t)rc;
        tpm_failure("Quote (requested by the I/O sandbox)", rc);
        result = TRIAD_E_TPM;
    } else if (plen < 2 || ak_pub_len + (plen - 2) + slen > TRIAD_QUOTE_DATA_MAX) {
        q->tpm_rc = 0;
        result = TRIAD_E_TPM;
    } else {
        uint32_t at = 0;
        /*@ loop assigns i, at, q->data[0 .. TRIAD_QUOTE_DATA_MAX - 1]; loop variant ak_pub_len - i; */
        for (uint32_t i = 0; i < ak_pub_len; i++)
            q->data[at++] = ak_pub[i];
        /*@ loop assigns i, at, q->data[0 .. TRIAD_QUOTE_DATA_MAX - 1]; loop variant plen - i; */
        for (uint32_t i = 2; i < plen; i++)
            q->data[at++] = rsp[off + i];
        /*@ loop assigns i, at, q->data[0 .. TRIAD_QUOTE_DATA_MAX - 1]; loop variant slen - i; */
        for (uint32_t i = 0; i < slen; i++)
            q->data[at++] = rsp[soff + i];
        q->tpm_rc = 0;
        q->ak_len = ak_pub_len;
        q->attest_len = plen - 2;
        q->sig_len = slen;
        result = at;
        con_line("attest: quote for the I/O sandbox: PCR mask ");
        con_hex(pcr_mask, 6);
        con_puts(", ");
        con_dec(nonce_len);
        con_puts("-byte nonce, ");
        con_dec(tpm_commands - commands);
        con_puts(" TPM command(s), ");
        con_dec(tpm_polls - polls);
        con_puts(" register polls\n");
    }
    cpu_store32_release(&quote_lock, 0);
    return result;
}

void attest_boot(const struct boot_info *b)
{
    /* Called once per boot; the state is set here all the same, so that a
       run never inherits the TPM's state of an earlier one (host tests). */
    tpm_ok = 0;
    tpm_open = 0;
    tpm_polls = 0;
    tpm_commands = 0;
    tpm_retries = 0;
    ak_pub_len = 0;
    ak_handle = 0;
    quote_lock = 0;
    evlog_init(&log, log_buf, sizeof log_buf);
    tpm_start();
    record_launch(b);
    measure_modules(b);
    if (tpm_ok)
        read_pcrs();
    if (tpm_ok)
        make_ak();
    if (tpm_ok)
        quote(b);
    if (tpm_open)               /* also after a failed command */
        tis_close();
    dump("event-log", log_buf, log.len);
    con_line("attest: ");
    con_dec(log.events);
    con_puts(" events, ");
    con_dec(log.len);
    con_puts(" bytes of event log; TPM ");
    con_puts(tpm_ok ? "measured" : "absent or failed: unmeasured");
    con_puts(", ");
    con_dec(tpm_commands);
    con_puts(" commands (");
    con_dec(tpm_retries);
    con_puts(" retried), ");
    con_dec(tpm_polls);
    con_puts(" register polls\n");
}

enum attest_image attest_image_verdict(uint32_t sb)
{
    return sb < ATTEST_MAX_SANDBOXES ? (enum attest_image)verdicts[sb] : ATTEST_IMAGE_UNCHECKED;
}

const uint8_t *attest_event_log(uint32_t *len)
{
    *len = log.len;
    return log_buf;
}
