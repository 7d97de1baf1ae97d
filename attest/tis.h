/*
 * TPM 2.0 over the TIS/FIFO interface, locality 0, by polling.  Every wait
 * is a bounded number of register reads (TIS_POLL_MAX): a TPM that stops
 * answering yields TIS_E_TIMEOUT, never a hang.
 */
#ifndef TRIAD_ATTEST_TIS_H
#define TRIAD_ATTEST_TIS_H

#include <stdint.h>

#define TIS_POLL_MAX 20000000u

enum tis_error {
    TIS_OK = 0,
    TIS_E_ABSENT = -10,     /* no TPM registers answer at 0xFED40000 */
    TIS_E_LOCALITY = -11,   /* locality 0 never became active */
    TIS_E_TIMEOUT = -12,    /* a bounded wait ran out */
    TIS_E_PROTOCOL = -13,   /* the TPM wanted more or fewer bytes than sent */
    TIS_E_OVERFLOW = -14,   /* response larger than the caller's buffer */
};

/* Probes the interface and claims locality 0.  On success *did_vid holds
   the TPM_DID_VID register. */
/*@ requires \valid(did_vid);
    assigns *did_vid; */
int tis_open(uint32_t *did_vid);

/* Sends cmd[0 .. len) and receives the response into rsp[0 .. max);
   *rsp_len = its length.  *polls accumulates the register polls spent. */
/*@ requires \valid_read(cmd + (0 .. len - 1)) && \valid(rsp + (0 .. max - 1));
    requires \valid(rsp_len) && \valid(polls);
    assigns rsp[0 .. max - 1], *rsp_len, *polls; */
int tis_transmit(const uint8_t *cmd, uint32_t len, uint8_t *rsp, uint32_t max,
                 uint32_t *rsp_len, uint64_t *polls);

/* Gives locality 0 back (before handing the machine to the sandboxes). */
/*@ assigns \nothing; */
void tis_close(void);

/*@ assigns \nothing; */
const char *tis_strerror(int err);

#endif
