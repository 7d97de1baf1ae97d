/*
 * One monitor console line built in memory (no UART wait), then emitted:
 * queued on the deciding core's ring (console_defer.h) or printed at once.
 * How a decision's line keeps the decision's time when its printing is
 * deferred.
 */
#ifndef TRIAD_MONITOR_CONSOLE_TEXT_H
#define TRIAD_MONITOR_CONSOLE_TEXT_H

#include <stdint.h>
#include "console.h"

#define CON_TEXT_MAX 256u      /* a line's text, without prefix and line end */

struct con_text {
    char bytes[CON_TEXT_MAX];
    uint32_t len;              /* <= CON_TEXT_MAX */
    uint32_t cut;              /* 1: text past CON_TEXT_MAX was dropped */
};

/*@ requires \valid(t);
    assigns *t;
    ensures t->len == 0; */
void ct_init(struct con_text *t);

/*@ requires \valid(t) && t->len <= CON_TEXT_MAX;
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
void ct_putc(struct con_text *t, char c);

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
