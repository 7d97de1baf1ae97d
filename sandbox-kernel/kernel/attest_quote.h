#ifndef TRIAD_KERNEL_ATTEST_QUOTE_H
#define TRIAD_KERNEL_ATTEST_QUOTE_H
#include <stdint.h>
/* Asks the monitor for a quote over PCRs 8-11 with the nonce in hex
   (TRIAD_HC_QUOTE) and prints the evidence for the host verifier.  Returns
   the monitor's result (bytes of evidence, or a TRIAD_E_* code). */
int64_t attest_quote_request(const char *nonce_hex);
/* Serves "quote <hex>" requests typed on this console until "end" or for
   `seconds` of virtual time; says at once when the monitor cannot quote
   (another sandbox's service, or an unmeasured boot). */
void attest_quote_serve(uint64_t seconds);
/* Bad requests (no PCR, PCR 24, empty nonce, short buffer, buffer outside
   RAM): prints what the monitor answers to each. */
void attest_quote_refusals(uint64_t ram_top);
#endif
