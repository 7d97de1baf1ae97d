/*
 * One monitor console line built in memory (no UART wait), then emitted:
 * queued on the deciding core's ring (console_defer.h) or printed at once.
 * How a decision's line keeps the decision's time when its printing is
 * deferred.
 */
#ifndef TRIAD_MONITOR_CONSOLE_TEXT_H
#define TRIAD_MONITOR_CONSOLE_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "console.h"

#define CON_TEXT_MAX 256u      /* a line's text, without prefix and line end */

struct con_text {
    char bytes[CON_TEXT_MAX];
    uint32_t len;              /* <= CON_TEXT_MAX */
    uint32_t cut;              /* 1: text past CON_TEXT_MAX was dropped */
};

/* The one formatter behind both faces of the console: con_puts, con_dec
   and con_hex (console.h) write to the UART, ct_puts, ct_dec and ct_hex
   (below) into a line in memory; each is the same con_sink_* function with
   its sink: NULL for the UART, else the line.  So a number or a string is
   spelled the same on COM1 whether its line was printed at once or queued
   (console_defer.h).  console_fmt.c. */
/*@ predicate con_sink_ok(struct con_text *k) =
      k == \null || (\valid(k) && k->len <= CON_TEXT_MAX);
*/

/* One byte: con_putc (waiting on the UART) or appended to the line (past
   CON_TEXT_MAX: dropped, the line marked cut). */
/*@ requires sink: con_sink_ok(sink);
    assigns *sink;
    ensures sink: con_sink_ok(sink); */
void con_sink_putc(struct con_text *sink, char c);

/* n bytes as they are (no line-end translation): a line's bytes, or a
   fixed text whose length the caller knows (an array's size less its
   NUL), so that the proof needs no string predicate for it. */
/*@ requires sink: con_sink_ok(sink);
    requires bytes: \valid_read(b + (0 .. n - 1));
    assigns *sink;
    ensures sink: con_sink_ok(sink); */
void con_sink_putn(struct con_text *sink, const char *b, size_t n);

/* A string up to its NUL or 4096 bytes; on the UART a line feed is
   preceded by a carriage return (a terminal's line end), a line in memory
   has no line end of its own (con_text_emit adds it). */
/*@ requires sink: con_sink_ok(sink);
    requires valid_string: con_string(s);
    requires sink != \null ==> \separated(sink, s + (0 .. 4095));
    assigns *sink;
    ensures sink: con_sink_ok(sink); */
void con_sink_puts(struct con_text *sink, const char *s);

/* value in decimal, no leading zero. */
/*@ requires sink: con_sink_ok(sink);
    assigns *sink;
    ensures sink: con_sink_ok(sink); */
void con_sink_dec(struct con_text *sink, uint64_t value);

/* "0x" then digits hex digits (16 when digits is 0 or above 16). */
/*@ requires sink: con_sink_ok(sink);
    assigns *sink;
    ensures sink: con_sink_ok(sink); */
void con_sink_hex(struct con_text *sink, uint64_t value, unsigned digits);

/*@ requires \valid(t);
    assigns *t;
    ensures t->len == 0; */
void ct_init(struct con_text *t);

/*@ requires \valid(t) && t->len <= CON_TEXT_MAX;
    requires valid_string: con_string(s);
    requires \separated(t, s + (0 .. 4095));
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
void ct_puts(struct con_text *t, const char *s);

/*@ requires \valid(t) && t->len <= CON_TEXT_MAX;
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
void ct_dec(struct con_text *t, uint64_t value);

/* "0x" then digits hex digits (16 when digits is 0 or above 16). */
/*@ requires \valid(t) && t->len <= CON_TEXT_MAX;
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
void ct_hex(struct con_text *t, uint64_t value, unsigned digits);

/* Under the console lock: "[monitor] " + text + line end.  defer != 0 and
   core has a clock: appended whole to core's ring (or counted lost when it
   does not fit); otherwise every queued line is flushed and this one
   printed now. */
/*@ requires \valid_read(t) && t->len <= CON_TEXT_MAX;
    assigns con_rings[0 .. MAX_CORES - 1], con_out;
    ensures con_defer_ok; */
void con_text_emit(uint32_t core, const struct con_text *t, int defer);

#endif
