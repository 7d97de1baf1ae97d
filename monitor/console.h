/* The monitor console: COM1 plus the Bochs/QEMU 0xE9 debug port. */
#ifndef TRIAD_MONITOR_CONSOLE_H
#define TRIAD_MONITOR_CONSOLE_H

#include <stdint.h>
#include "console_defer.h"

/*@ assigns \nothing; */
void con_init(void);

/*@ assigns \nothing; */
void con_putc(char c);

/* A string the console may print: readable up to its NUL, which comes within
   the first 4096 bytes, or readable for 4096 bytes (then truncated there). */
#ifndef TRIAD_EVA
/*@ predicate con_string(char *s) =
      \valid_read(s + (0 .. 4095)) ||
      (\exists integer n; 0 <= n < 4096 && \valid_read(s + (0 .. n)) && s[n] == '\0' &&
         \forall integer k; 0 <= k < n ==> s[k] != '\0');
*/
#else
/* EVA (proofs/eva/run.sh defines TRIAD_EVA) cannot decide the \exists
   above and left every print orange.  It decides Frama-C's
   valid_read_string (readable up to a NUL at any distance), which implies
   con_string: a NUL before 4096 is the second case, a later one makes the
   first 4096 bytes readable.  So what EVA checks at the call sites is
   at least what WP assumes there (run.sh includes Frama-C's
   __fc_string_axiomatic.h, which declares valid_read_string). */
/*@ predicate con_string(char *s) = \valid_read(s + (0 .. 4095)) || valid_read_string(s); */
#endif

/* con_puts, con_hex, con_dec: console_text.h's formatter with the UART as
   its sink (console_fmt.c); a line feed goes out as CR LF. */
/*@ requires valid_string: con_string(s);
    assigns \nothing; */
void con_puts(const char *s);

/*@ assigns \nothing; */
void con_hex(uint64_t value, unsigned digits);

/*@ assigns \nothing; */
void con_dec(uint64_t value);

/* "[monitor] " then s: every monitor line starts with this prefix. */
/*@ requires valid_string: con_string(s);
    assigns \nothing; */
void con_line(const char *s);



/* Serialises whole lines from several cores.  Bounded: a core that waits
   too long (a holder died mid-line) proceeds rather than hang the monitor. */
/* The lock word con_lock_word is declared in console_defer.h. */

/* Takes the lock, then prints every deferred line still queued
   (console_defer.h), so that what the holder prints comes after them and
   never inside a line partly out. */
/*@ assigns con_lock_word, con_out;
    ensures con_defer_ok; */
void con_lock(void);

/* Takes the lock without flushing: for holders that print nothing on the
   UART (they read shared state, or queue their lines). */
/*@ assigns con_lock_word; */
void con_lock_quiet(void);

/* One try at the lock: 1 taken, 0 held by another (a VM exit never waits). */
/*@ assigns con_lock_word;
    ensures \result == 0 || \result == 1; */
int con_trylock(void);

/* 1 when the UART's transmitter (with its FIFO) is empty. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1; */
int con_tx_empty(void);

/* Writes one byte without waiting: only when con_tx_empty said so, at most
   a FIFO's worth (console_defer.c). */
/*@ assigns \nothing; */
void con_raw(char c);

/*@ assigns con_lock_word; */
void con_unlock(void);

/* One whole line "[monitor] core N: what" under the console lock: how both
   backends (vmx/vcpu.c, svm/vcpu.c) say what happened on a core. */
/*@ requires valid_string: con_string(what);
    assigns con_lock_word, con_out; */
void core_say(uint32_t core, const char *what);
#endif
