/*
 * TIS/FIFO driver for locality 0: claim the locality, move the command into
 * the FIFO burst by burst, start it, wait for the data, read the response
 * header to learn its size, read the rest, and return the TPM to idle.
 */
#include "tis.h"
#include "tis_mmio.h"

#define REG_ACCESS  0x000u
#define REG_STS     0x018u
#define REG_FIFO    0x024u
#define REG_DID_VID 0xF00u

#define ACCESS_VALID    0x80u
#define ACCESS_ACTIVE   0x20u
#define ACCESS_REQUEST  0x02u
#define STS_VALID       0x80u
#define STS_READY       0x40u
#define STS_GO          0x20u
#define STS_DATA        0x10u
#define STS_EXPECT      0x08u

/* Waits until (reg & mask) == want, at most TIS_POLL_MAX reads. */
/*@ requires \valid(polls);
    assigns *polls; */
static int wait_sts(uint32_t mask, uint32_t want, uint64_t *polls)
{
    /*@ loop assigns i, *polls; loop variant TIS_POLL_MAX - i; */
    for (uint32_t i = 0; i < TIS_POLL_MAX; i++) {
        (*polls)++;
        if ((tis_read8(REG_STS) & mask) == want)
            return TIS_OK;
    }
    return TIS_E_TIMEOUT;
}

/* How many bytes the FIFO takes or gives now (waits while it is 0). */
/*@ requires \valid(burst) && \valid(polls);
    assigns *burst, *polls; */
static int wait_burst(uint32_t *burst, uint64_t *polls)
{
    /*@ loop assigns i, *burst, *polls; loop variant TIS_POLL_MAX - i; */
    for (uint32_t i = 0; i < TIS_POLL_MAX; i++) {
        (*polls)++;
        *burst = (tis_read32(REG_STS) >> 8) & 0xFFFFu;
        if (*burst)
            return TIS_OK;
    }
    return TIS_E_TIMEOUT;
}

int tis_open(uint32_t *did_vid)
{
    *did_vid = tis_read32(REG_DID_VID);
    /* Nothing decodes the address: reads float to all ones. */
    if (*did_vid == 0xFFFFFFFFu || *did_vid == 0)
        return TIS_E_ABSENT;
    uint8_t a = tis_read8(REG_ACCESS);
    if (!(a & ACCESS_VALID))
        return TIS_E_ABSENT;
    if (a & ACCESS_ACTIVE)
        return TIS_OK;
    tis_write8(REG_ACCESS, ACCESS_REQUEST);
    /*@ loop assigns i; loop variant TIS_POLL_MAX - i; */
    for (uint32_t i = 0; i < TIS_POLL_MAX; i++) {
        a = tis_read8(REG_ACCESS);
        if ((a & (ACCESS_VALID | ACCESS_ACTIVE)) == (ACCESS_VALID | ACCESS_ACTIVE))
            return TIS_OK;
    }
    return TIS_E_LOCALITY;
}

void tis_close(void)
{
    tis_write8(REG_STS, STS_READY);
    tis_write8(REG_ACCESS, ACCESS_ACTIVE);   /* writing 1 relinquishes */
}

/* Reads n bytes of the response into rsp[at .. at + n). */
/*@ requires \valid(rsp + (at .. at + n - 1)) && \valid(polls);
    assigns rsp[at .. at + n - 1], *polls; */
static int read_fifo(uint8_t *rsp, uint32_t at, uint32_t n, uint64_t *polls)
{
    uint32_t done = 0;
    /*@ loop assigns done, rsp[at .. at + n - 1], *polls; loop variant n - done; */
    while (done < n) {
        uint32_t burst;
        int err = wait_burst(&burst, polls);
        if (err != TIS_OK)
            return err;
        /*@ loop assigns burst, done, rsp[at .. at + n - 1]; loop variant burst; */
        while (burst > 0 && done < n) {
            rsp[at + done] = tis_read8(REG_FIFO);
            done++;
            burst--;
        }
    }
    return TIS_OK;
}

int tis_transmit(const uint8_t *cmd, uint32_t len, uint8_t *rsp, uint32_t max,
                 uint32_t *rsp_len, uint64_t *polls)
{
    *rsp_len = 0;
    if (len < 10 || max < 10)
        return TIS_E_PROTOCOL;
    tis_write8(REG_STS, STS_READY);
    int err = wait_sts(STS_READY, STS_READY, polls);
    if (err != TIS_OK)
        return err;
    uint32_t sent = 0;
    /*@ loop assigns sent, *polls; loop variant len - sent; */
    while (sent < len) {
        uint32_t burst;
        err = wait_burst(&burst, polls);
        if (err != TIS_OK)
            return err;
        /*@ loop assigns burst, sent; loop variant burst; */
        while (burst > 0 && sent < len) {
            tis_write8(REG_FIFO, cmd[sent]);
            sent++;
            burst--;
        }
    }
    /* The TPM must have parsed a complete command: it expects no more. */
    err = wait_sts(STS_VALID, STS_VALID, polls);
    if (err != TIS_OK)
        return err;
    if (tis_read8(REG_STS) & STS_EXPECT)
        return TIS_E_PROTOCOL;
    tis_write8(REG_STS, STS_GO);
    err = wait_sts(STS_VALID | STS_DATA, STS_VALID | STS_DATA, polls);
    if (err != TIS_OK)
        return err;
    err = read_fifo(rsp, 0, 10, polls);
    if (err != TIS_OK)
        return err;
    uint32_t size = ((uint32_t)rsp[2] << 24) + ((uint32_t)rsp[3] << 16) + ((uint32_t)rsp[4] << 8) + rsp[5];
    if (size < 10 || size > max) {
        tis_write8(REG_STS, STS_READY);
        return size < 10 ? TIS_E_PROTOCOL : TIS_E_OVERFLOW;
    }
    err = read_fifo(rsp, 10, size - 10, polls);
    if (err != TIS_OK)
        return err;
    *rsp_len = size;
    tis_write8(REG_STS, STS_READY);           /* back to idle */
    return TIS_OK;
}

const char *tis_strerror(int err)
{
    switch (err) {
    case TIS_OK:         return "ok";
    case TIS_E_ABSENT:   return "no TPM at 0xFED40000";
    case TIS_E_LOCALITY: return "locality 0 not granted";
    case TIS_E_TIMEOUT:  return "TPM did not answer within the poll bound";
    case TIS_E_PROTOCOL: return "TPM FIFO protocol error";
    case TIS_E_OVERFLOW: return "TPM response too large";
    default:             return "unknown TIS error";
    }
}
