/*
 * Intel 82540EM (e1000) driver: the NIC QEMU and Bochs both emulate.
 *
 * One device per sandbox: standalone the first 82540EM on the PCI bus, under
 * the monitor the one the system description gives the sandbox (the only one
 * its I/O bitmap and EPT let it reach).  Receive and transmit use descriptor
 * rings in kernel memory; frames are copied in and out of fixed 2 KiB
 * buffers.  The interrupt handler only masks the device and wakes the
 * `e1000` thread on an I/O VCPU, which does all the work (Quest's model);
 * without a usable interrupt line (under the monitor) the thread polls.
 */
#ifndef TRIAD_DRIVERS_E1000_H
#define TRIAD_DRIVERS_E1000_H
#include <stdint.h>

#define E1000_MAX_FRAME 1514u        /* without the CRC, which the NIC adds and strips */

struct e1000_stats {
    uint64_t irqs, wakeups;
    uint64_t spurious_irqs;         /* the routed vector before the device was ours (a standby) */
    uint64_t rx_frames, rx_bytes, rx_errors, rx_overruns;
    uint64_t tx_frames, tx_bytes, tx_ring_full, tx_too_long;
    uint64_t link_changes, resets;
    /* the last e1000_reset's cost in TSC ticks: device reset and rings,
       then the link reported down and up to the stack (netif restart) */
    uint64_t reset_hw_ticks, reset_netif_ticks;
    /* interrupt-to-thread latency in TSC ticks (instructions under -icount shift=0) */
    uint64_t latency_sum, latency_count, latency_max;
    /* TSC ticks of the driver thread's passes (woken to waiting again) */
    uint64_t thread_ticks;
    /* receive interrupt to the next transmit doorbell (an echo's round trip
       inside the guest), TSC ticks; interrupt mode only */
    uint64_t rt_sum, rt_count, rt_min, rt_max;
};

typedef void (*e1000_rx_fn)(const uint8_t *frame, unsigned len, void *ctx);
typedef void (*e1000_link_fn)(int up, void *ctx);

/* Finds, maps and resets the NIC and sets up its rings.  host_offset is
   added to every address the NIC is given (descriptor rings, buffers): 0
   standalone, the sandbox's host-physical base under the monitor (no IOMMU:
   the device sees host-physical memory).  0, or -E_NOENT (no NIC), -E_NOMEM
   (BAR not mappable). */
int e1000_init(uint64_t host_offset);
/* Under the monitor, before e1000_init: the vector the monitor routed the
   NIC's line to (triad.irq-vector).  Installs the handler and holds that
   vector's priority class back (CR8) until e1000_start; without it the
   driver polls under the monitor.  Out-of-range vectors are ignored. */
void e1000_use_vector(unsigned vector);
void e1000_mac(uint8_t mac[6]);
int e1000_link_up(void);
/* Starts the driver thread on its own I/O VCPU (U = `u_ppm`) and enables
   interrupts; received frames and link changes are handed to the callbacks,
   from that thread. */
int e1000_start(e1000_rx_fn rx, e1000_link_fn link, void *ctx, uint64_t u_ppm);
/* Copies one frame into the transmit ring: 0, -E_AGAIN (ring full), -E_INVAL (too long or empty). */
int e1000_transmit(const void *frame, unsigned len);
void e1000_get_stats(struct e1000_stats *out);
/* Re-initialises the device (recovery of a hung or misbehaving NIC): the
   driver thread resets it, rebuilds the rings (frames in them are lost),
   restores the MAC and reports the link down and up to the stack, which
   keeps its sockets and addresses.  Asynchronous: 0 when requested,
   -E_NOENT before e1000_init.  The count is stats.resets. */
int e1000_reset(void);
/* Recovery's driver watchdog (recovery/driver_watchdog.h): the receiver
   and transmitter enable bits and the transmit ring's head and tail as the
   device has them now (reads without side effects).  All zero before
   e1000_init. */
struct drv_wd_sample;
void e1000_health(struct drv_wd_sample *out);
/* Fault injection (test only): disables the receiver and transmitter behind
   the driver's back, as a hung or reset controller would look. */
void e1000_inject_wedge(void);
/* Called once the network is up: the console line naming the first
   interrupt (its vector or 8259 line) is printed now if one has come, else
   by the driver thread at the first one.  Never during the start, whose
   time is recovery's. */
void e1000_report_first_interrupt(void);
/* Where the device sits and how it signals (for the boot report). */
const char *e1000_describe(void);
#endif
