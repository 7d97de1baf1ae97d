/*
 * VMX controls checked against the capability MSRs, and the I/O and MSR
 * bitmaps.  Pure functions: unit-tested on the host.
 */
#ifndef TRIAD_MONITOR_VMX_CONTROLS_H
#define TRIAD_MONITOR_VMX_CONTROLS_H

#include <stdint.h>
#include "partition/system_table.h"

#define VMX_CTL_OK        0
#define VMX_CTL_MISSING  (-1)   /* a required control cannot be set to 1 */

/* A control word from a capability MSR (bits 31:0 allowed-0: must be 1;
   bits 63:32 allowed-1: may be 1): required | optional | must-be-one,
   limited to what may be one.  *forced gets the bits the processor forces
   on that we did not ask for (reported: they may cost exits). */
/* The capability's halves as the code takes them (masked, then cast): the
   contract names the same terms, so the provers compare like with like. */
#define VMX_CAP_ALLOWED0(cap) ((uint32_t)((cap) & 0xFFFFFFFFull))
#define VMX_CAP_ALLOWED1(cap) ((uint32_t)(((cap) >> 32) & 0xFFFFFFFFull))
/* CTL_WITHIN_ALLOWED1 is stated as "the word is the wanted bits ANDed with
   allowed-1" (so no bit outside allowed-1): the provers do not derive the
   form (*out & ~allowed1) == 0 from it (WP's bitwise operators are
   axiomatic; docs/proofs.md, session 8). */
/*@ requires \valid(out) && \valid(forced);
    assigns *out, *forced;
    ensures \result == VMX_CTL_OK || \result == VMX_CTL_MISSING;
    ensures CTL_WITHIN_ALLOWED1: *out == ((required | optional | VMX_CAP_ALLOWED0(cap)) & VMX_CAP_ALLOWED1(cap));
    ensures CTL_HAS_ALLOWED0: \result == VMX_CTL_OK ==> (*out & VMX_CAP_ALLOWED0(cap)) == VMX_CAP_ALLOWED0(cap);
    ensures CTL_HAS_REQUIRED: \result == VMX_CTL_OK ==> (*out & required) == required;
    ensures CTL_REFUSES_MISSING: \result == VMX_CTL_MISSING ==>
              (*out & required) != required || (*out & VMX_CAP_ALLOWED0(cap)) != VMX_CAP_ALLOWED0(cap); */
int vmx_ctl_adjust(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *out, uint32_t *forced);

#define IO_BITMAP_BYTES  8192u   /* bitmaps A and B, one bit per port, 1 = exit */
#define MSR_BITMAP_BYTES 4096u

/* Every port exits except those in ranges[0 .. count-1].  Returns the number
   of ports allowed, or -1 for a range that wraps past 0xFFFF. */
/*@ requires \valid(bm + (0 .. IO_BITMAP_BYTES - 1));
    requires count <= TRIAD_MAX_IO_RANGES && \valid_read(ranges + (0 .. count - 1));
    assigns bm[0 .. IO_BITMAP_BYTES - 1]; */
int io_bitmap_build(uint8_t *bm, const struct triad_io_range *ranges, uint32_t count);

/* 1 when an access to port makes the guest exit. */
/*@ requires \valid_read(bm + (0 .. IO_BITMAP_BYTES - 1));
    assigns \nothing; */
int io_bitmap_traps(const uint8_t *bm, uint16_t port);

/* Reads pass through; writes to the MSRs that affect the whole machine, the
   monitor or virtual time exit (list in docs/monitor.md). */
/*@ requires \valid(bm + (0 .. MSR_BITMAP_BYTES - 1));
    assigns bm[0 .. MSR_BITMAP_BYTES - 1]; */
void msr_bitmap_build(uint8_t *bm);

/* 1 when a write (write != 0) or read of msr exits. */
/*@ requires \valid_read(bm + (0 .. MSR_BITMAP_BYTES - 1));
    assigns \nothing; */
int msr_bitmap_traps(const uint8_t *bm, uint32_t msr, int write);

#endif
