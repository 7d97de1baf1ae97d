/*
 * NIC driver watchdog (issue 9, local driver recovery): pure, portable C,
 * linked into the sandbox kernel and host-tested
 * (tests/unit/recovery/test_driver_watchdog.c).  The kernel samples its
 * device every few milliseconds and asks for a verdict; a bad verdict makes
 * it re-initialise the driver in its own sandbox (device reset, rings,
 * network interface restart) without restarting the sandbox.
 *
 * A sample is what the driver can read without side effects: whether the
 * receiver and transmitter are still enabled as it programmed them, and the
 * transmit ring's head (where the NIC is) and tail (what the driver posted).
 *   - config-lost: an enable bit is clear that the driver set (the device
 *     was reset or reprogrammed behind the driver's back): at once.
 *   - tx-stall: frames are posted (head != tail) and the head has not moved
 *     for longer than the stall limit, counted from the first sample that
 *     saw them posted.
 */
#ifndef TRIAD_RECOVERY_DRIVER_WATCHDOG_H
#define TRIAD_RECOVERY_DRIVER_WATCHDOG_H

#include <stdint.h>

enum drv_wd_verdict { DRV_WD_OK = 0, DRV_WD_CONFIG_LOST = 1, DRV_WD_TX_STALL = 2, DRV_WD_VERDICTS = 3 };

struct drv_wd_sample {
    uint8_t rx_enabled, tx_enabled;   /* RCTL.EN, TCTL.EN as read back */
    uint32_t tx_head, tx_tail;        /* TDH, TDT */
    uint64_t now;                     /* any monotonic clock (TSC) */
};

struct drv_wd {
    uint64_t stall_limit;             /* same unit as now */
    uint32_t last_head;
    uint64_t head_since;              /* when the head last moved (or the ring drained) */
    uint8_t primed;                   /* a first sample was taken */
    uint8_t was_idle;                 /* the last sample's ring was empty */
};

/* A watchdog that calls a transmit ring stalled after `stall_limit` without
   progress. */
/*@ requires \valid(w);
    assigns *w; */
void drv_wd_init(struct drv_wd *w, uint64_t stall_limit);

/* The verdict for one sample (see above); after a bad verdict the caller
   re-initialises the device and calls drv_wd_init again. */
/*@ requires \valid(w) && \valid_read(s);
    assigns *w;
    ensures \result < DRV_WD_VERDICTS; */
enum drv_wd_verdict drv_wd_step(struct drv_wd *w, const struct drv_wd_sample *s);

/*@ assigns \nothing; ensures \result != \null; */
const char *drv_wd_name(enum drv_wd_verdict v);

#endif
