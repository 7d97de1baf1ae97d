/*
 * Deferred console lines (see console_defer.h and console_text.h).  Static
 * rings, no heap, every loop bounded by a constant.  The rings are only
 * touched under the console lock: the deciding core appends while holding
 * it, a draining core takes it with a try (never waits at an exit), and a
 * synchronous printer flushes under it (con_lock).
 */
#include "console_text.h"
#include "cpu.h"

struct con_ring con_rings[MAX_CORES];
struct con_out_state con_out;

/* The oldest queued byte of ring k, taken off it. */
/*@ requires k < MAX_CORES && con_ring_ok(k) && con_out.used[k] > 0;
    assigns con_out.start[k], con_out.used[k];
    ensures con_ring_ok(k);
    ensures con_out.used[k] == \old(con_out.used[k]) - 1; */
static char ring_pop(uint32_t k)
{
    const char b = con_rings[k].bytes[con_out.start[k]];
    con_out.start[k] = (con_out.start[k] + 1u) % CON_RING_BYTES;
    con_out.used[k]--;
    return b;
}

/* Appends b (the caller checked the room). */
/*@ requires k < MAX_CORES && con_ring_ok(k) && con_out.used[k] < CON_RING_BYTES;
    assigns con_rings[k].bytes[0 .. CON_RING_BYTES - 1], con_out.used[k];
    ensures con_ring_ok(k);
    ensures con_out.used[k] == \old(con_out.used[k]) + 1; */
static void ring_push(uint32_t k, char b)
{
    con_rings[k].bytes[(con_out.start[k] + con_out.used[k]) % CON_RING_BYTES] = b;
    con_out.used[k]++;
}

static const char con_prefix[] = "[monitor] ";
#define CON_PREFIX_LEN 10u

/* "[monitor] " + text + CR LF onto ring k, whole or not at all (then counted). */
/*@ requires k < MAX_CORES && con_ring_ok(k);
    requires \valid_read(t) && t->len <= CON_TEXT_MAX;
    requires \separated(t, &con_rings[0 .. MAX_CORES - 1], &con_out);
    assigns con_rings[k].bytes[0 .. CON_RING_BYTES - 1], con_rings[k].lost, con_out.used[k];
    ensures con_ring_ok(k); */
static void ring_put_line(uint32_t k, const struct con_text *t)
{
    const uint32_t need = CON_PREFIX_LEN + t->len + 2u;
    if (need > (CON_RING_BYTES - con_out.used[k])) {
        if (con_rings[k].lost != UINT32_MAX) {
            con_rings[k].lost++;
        }
        return;
    }
    /*@ loop invariant 0 <= i <= CON_PREFIX_LEN;
        loop invariant con_ring_ok(k) && con_out.used[k] == \at(con_out.used[k], LoopEntry) + i;
        loop assigns i, con_rings[k].bytes[0 .. CON_RING_BYTES - 1], con_out.used[k];
        loop variant CON_PREFIX_LEN - i; */
    for (uint32_t i = 0u; i < CON_PREFIX_LEN; i++) {
        ring_push(k, con_prefix[i]);
    }
    /*@ loop invariant 0 <= i <= t->len;
        loop invariant con_ring_ok(k) && con_out.used[k] == \at(con_out.used[k], LoopEntry) + i;
        loop assigns i, con_rings[k].bytes[0 .. CON_RING_BYTES - 1], con_out.used[k];
        loop variant t->len - i; */
    for (uint32_t i = 0u; i < t->len; i++) {
        ring_push(k, t->bytes[i]);
    }
    ring_push(k, '\r');
    ring_push(k, '\n');
}

/* "[monitor] " + text + CR LF on the UART now (waiting on it). */
/*@ requires \valid_read(t) && t->len <= CON_TEXT_MAX;
    assigns \nothing; */
static void print_now(const struct con_text *t)
{
    con_sink_putn(NULL, con_prefix, CON_PREFIX_LEN);
    con_sink_putn(NULL, t->bytes, t->len);
    con_putc('\r');
    con_putc('\n');
}

/* Writes every byte of ring k now, waiting on the UART for each. */
/*@ requires k < MAX_CORES && con_defer_ok;
    assigns con_out.start[k], con_out.used[k];
    ensures con_defer_ok; */
static void ring_flush(uint32_t k)
{
    /*@ loop invariant con_defer_ok;
        loop assigns con_out.start[k], con_out.used[k];
        loop variant con_out.used[k]; */
    while (con_out.used[k] > 0u) {
        con_putc(ring_pop(k));
    }
}

/* The lines lost so far and not yet reported, as one line of text.  The
   fixed parts as arrays of known length (con_sink_putn): a literal through
   ct_puts costs the proof a string predicate per literal, and the longer
   one was not proved within the step limit (monitor-console-defer, 399/400
   goals in session 8). */
/*@ requires \valid(t);
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
static void lost_text(struct con_text *t, uint32_t core, uint32_t lost)
{
    static const char head[] = "console: core ";
    static const char mid[] = " deferred lines lost (ring full): ";
    ct_init(t);
    con_sink_putn(t, head, sizeof(head) - 1u);
    ct_dec(t, core);
    con_sink_putn(t, mid, sizeof(mid) - 1u);
    ct_dec(t, lost);
}

/* Puts any index out of range back in range (that ring emptied): the
   rings are the monitor's own static memory, so this only ever acts on a
   corrupted state, and then no index leaves its ring. */
/*@ assigns con_out.start[0 .. MAX_CORES - 1], con_out.used[0 .. MAX_CORES - 1], con_out.midline;
    ensures con_defer_ok; */
static void defer_sane(void)
{
    /*@ loop invariant 0 <= k <= MAX_CORES;
        loop invariant \forall integer j; 0 <= j < k ==> con_ring_ok(j);
        loop assigns k, con_out.start[0 .. MAX_CORES - 1], con_out.used[0 .. MAX_CORES - 1];
        loop variant MAX_CORES - k; */
    for (uint32_t k = 0u; k < MAX_CORES; k++) {
        if ((con_out.start[k] >= CON_RING_BYTES) || (con_out.used[k] > CON_RING_BYTES)) {
            con_out.start[k] = 0u;
            con_out.used[k] = 0u;
        }
    }
    if (con_out.midline > MAX_CORES) {
        con_out.midline = 0u;
    }
}

void con_defer_flush(void)
{
    defer_sane();
    if (con_out.midline > 0u) {
        ring_flush(con_out.midline - 1u);   /* finish the line partly out */
    }
    con_out.midline = 0u;
    /*@ loop invariant 0 <= k <= MAX_CORES && con_defer_ok;
        loop assigns k, con_out;
        loop variant MAX_CORES - k; */
    for (uint32_t k = 0u; k < MAX_CORES; k++) {
        ring_flush(k);
        if (con_rings[k].lost != con_out.lost_told[k]) {
            struct con_text t;
            lost_text(&t, k, con_rings[k].lost);
            con_out.lost_told[k] = con_rings[k].lost;
            print_now(&t);
        }
    }
}

void con_text_emit(uint32_t core, const struct con_text *t, int defer)
{
    defer_sane();
    if ((defer != 0) && (core < MAX_CORES) && (con_rings[core].clock != 0u)) {
        ring_put_line(core, t);
        return;
    }
    con_defer_flush();
    print_now(t);
}

int con_defer_drain(uint32_t core)
{
    if (core >= MAX_CORES) {
        return 0;
    }
    if ((con_out.used[core] == 0u) && (con_out.midline == 0u) && (con_rings[core].lost == con_out.lost_told[core])) {
        return 0;                       /* the usual exit: nothing queued */
    }
    if (con_trylock() == 0) {
        return 1;                       /* a printer has the console: next time */
    }
    defer_sane();
    if ((con_out.used[core] == 0u) && (con_out.midline == 0u) && (con_rings[core].lost != con_out.lost_told[core])) {
        struct con_text t;
        lost_text(&t, core, con_rings[core].lost);
        con_out.lost_told[core] = con_rings[core].lost;
        ring_put_line(core, &t);
    }
    uint32_t src = core;
    if (con_out.midline > 0u) {
        src = con_out.midline - 1u;
    }
    if (con_tx_empty() != 0) {
        /*@ loop invariant 0 <= n <= CON_FIFO_BYTES && con_defer_ok && src < MAX_CORES;
            loop assigns n, con_out;
            loop variant CON_FIFO_BYTES - n; */
        for (uint32_t n = 0u; (n < CON_FIFO_BYTES) && (con_out.used[src] > 0u); n++) {
            const char b = ring_pop(src);
            con_raw(b);
            con_out.midline = (b == '\n') ? 0u : (src + 1u);
        }
    }
    int more = 0;
    if ((con_out.used[core] > 0u) || (con_out.midline != 0u) ||
        (con_rings[core].lost != con_out.lost_told[core])) {
        more = 1;
    }
    con_unlock();
    return more;
}

void con_defer_clock(uint32_t core)
{
    if (core < MAX_CORES) {
        con_rings[core].clock = 1u;
    }
}
