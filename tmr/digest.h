/* A 64-bit digest of a replica's state words.
 *
 * Replicas publish the digest next to their state; the voter compares the
 * digests instead of the 256-byte states, and a state transfer checks that
 * the state it copies still matches its digest.  It is a mixing hash against
 * accidental corruption (bit flips, stale buffers), not a cryptographic one:
 * replicas are not adversaries of each other.  Freestanding, integer only.
 */
#ifndef TMR_DIGEST_H
#define TMR_DIGEST_H

#include <stdint.h>

uint64_t tmr_digest(const uint32_t *words, uint32_t count);

#endif
