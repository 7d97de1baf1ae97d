/*
 * Deferred monitor console lines (issue 9: the console off the recovery's
 * critical path).  A decision on a recovery's path (the FAULT and HEALTH
 * lines of a local driver recovery, its done line) is formatted at the
 * decision, with the decision's own time in it, and appended whole to a
 * bounded ring of the deciding core; the core's later VM exits write it to
 * the UART a FIFO's worth at a time while the transmitter is empty, and
 * the core's clock (VMX preemption timer, SVM PIT clock) brings such an
 * exit about every millisecond while anything is left.  Every synchronous
 * printer (con_lock) first flushes every ring, so a line is never torn by
 * another and the order of lines is the order of the decisions.  A line
 * that does not fit is dropped whole and counted; the count is printed.
 * Every entry point first puts any out-of-range index back in range
 * (defer_sane), so no caller has to promise the rings' invariant.
 */
#ifndef TRIAD_MONITOR_CONSOLE_DEFER_H
#define TRIAD_MONITOR_CONSOLE_DEFER_H

#include <stdint.h>
#include "percore.h"

#define CON_RING_BYTES 2048u   /* per core: about ten lines */
#define CON_FIFO_BYTES 16u     /* the 16550's transmit FIFO: written at once when empty */

/* A core's queued bytes: written by the deciding core (under the lock). */
struct con_ring {
    char bytes[CON_RING_BYTES];
    uint32_t lost;             /* whole lines dropped: the ring was full */
    uint8_t clock;             /* the core gets clock exits: it may defer */
};

/* Where every ring stands, and which ring has a line partly on the UART
   (core + 1; 0: none).  Apart from the bytes, so that a flush (con_lock)
   is seen to change no byte of a string being printed. */
struct con_out_state {
    uint32_t start[MAX_CORES];      /* oldest byte, < CON_RING_BYTES */
    uint32_t used[MAX_CORES];       /* bytes queued, <= CON_RING_BYTES */
    uint32_t lost_told[MAX_CORES];  /* lost lines a console line reported */
    uint32_t midline;
};

/* Both written only under the console lock (con_lock_word). */
extern struct con_ring con_rings[MAX_CORES];
extern struct con_out_state con_out;
/* The console lock word (1 = held), defined in console.c; only con_lock,
   con_lock_quiet, con_trylock and con_unlock write it.  Declared here,
   the header console.h includes first, so that both headers' contracts
   can name it. */
extern volatile uint32_t con_lock_word;

/*@ predicate con_ring_ok(integer k) =
      con_out.start[k] < CON_RING_BYTES && con_out.used[k] <= CON_RING_BYTES;
    predicate con_defer_ok =
      (\forall integer k; 0 <= k < MAX_CORES ==> con_ring_ok(k)) &&
      con_out.midline <= MAX_CORES;
*/

/* Under the console lock: writes every queued byte to the UART now,
   the line partly out first, then reports lines lost. */
/* The rings' indices only, never their bytes. */
/*@ assigns con_out;
    ensures con_defer_ok; */
void con_defer_flush(void);

/* At the end of a VM exit on core (console lock NOT held): if the lock is
   free and the transmitter empty, writes up to CON_FIFO_BYTES queued bytes
   (the line partly out, else this core's).  Returns 1 when this core must
   come back soon (bytes left), else 0. */
/*@ assigns con_rings[0 .. MAX_CORES - 1], con_out, con_lock_word;
    ensures \result == 0 || \result == 1; */
int con_defer_drain(uint32_t core);

/* The core gets clock exits from now on: its lines may be deferred. */
/*@ assigns con_rings[0 .. MAX_CORES - 1].clock; */
void con_defer_clock(uint32_t core);

#endif
