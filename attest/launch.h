/*
 * Measured launch, the monitor's side: run once on the boot processor after
 * the boot information is parsed and before any sandbox is prepared.
 *
 * PCR map (static PCRs: these platforms have no TXT, so no dynamic PCRs
 * 17/18 exist for us; see docs/attestation.md):
 *   8  launch facts: dynamic root of trust present or not
 *   9  system.bin (the partition table)
 *   10 each sandbox's kernel image, one event per sandbox
 *   11 every other module (program archives)
 */
#ifndef TRIAD_ATTEST_LAUNCH_H
#define TRIAD_ATTEST_LAUNCH_H

#include <stdint.h>
#include "boot/multiboot2.h"
#include "abi/hypercall.h"

#define ATTEST_PCR_LAUNCH  8u
#define ATTEST_PCR_SYSTEM  9u
#define ATTEST_PCR_KERNEL  10u
#define ATTEST_PCR_MODULE  11u
#define ATTEST_PCR_MASK    0x00000F00u
#define ATTEST_LOG_BYTES   16384u
#define ATTEST_MAX_SANDBOXES 16u

/* Verdict on a sandbox's kernel image against its golden digest. */
enum attest_image {
    ATTEST_IMAGE_UNCHECKED = 0,   /* system.bin carries no golden value */
    ATTEST_IMAGE_MATCH = 1,
    ATTEST_IMAGE_MISMATCH = 2,    /* refused: never launched */
    ATTEST_IMAGE_MISSING = 3,     /* its module is not loaded */
};

/* Measures the launch (see the PCR map), prints the verdicts, creates the
   attestation key, answers a boot-time quote request (triad.nonce=<hex> on
   the command line) and gives the TPM's locality back.  Never fails the boot: a missing or failing TPM is
   reported and the measurements still go to the event log. */
/*@ requires \valid_read(b);
    assigns \nothing; */
void attest_boot(const struct boot_info *b);

/* The verdict for sandbox sb (ATTEST_IMAGE_UNCHECKED before attest_boot). */
/*@ assigns \nothing; */
enum attest_image attest_image_verdict(uint32_t sb);

/* A quote at run time for the I/O sandbox (TRIAD_HC_QUOTE): TPM2_Quote
   over the SHA-256 PCRs in pcr_mask with nonce[0 .. nonce_len), signed by
   the attestation key made at boot.  Fills q's outputs (data[] = key,
   TPMS_ATTEST, signature) and returns the bytes of data[] used, or
   TRIAD_E_UNMEASURED (no key: no TPM or it failed at boot), TRIAD_E_INVAL,
   TRIAD_E_BUSY (another core is quoting) or TRIAD_E_TPM (q->tpm_rc holds
   the TPM's code, or a negative TIS error).  Takes and gives back the TPM's
   locality 0; every TPM wait is bounded (TIS_POLL_MAX). */
/*@ requires \valid(q);
    requires nonce_len <= 32 ==> \valid_read(nonce + (0 .. nonce_len - 1));
    assigns q->tpm_rc, q->ak_len, q->attest_len, q->sig_len, q->data[0 .. TRIAD_QUOTE_DATA_MAX - 1]; */
int64_t attest_quote(uint32_t pcr_mask, const uint8_t *nonce, uint32_t nonce_len,
                     struct triad_hc_quote *q);

/* 0 when attest_quote can be asked (the attestation key exists), else
   TRIAD_E_UNMEASURED. */
/*@ assigns \nothing; */
int64_t attest_quote_ready(void);

/* The event log: its bytes and length. */
/*@ requires \valid(len);
    assigns *len; */
const uint8_t *attest_event_log(uint32_t *len);

#endif
