/*
 * proofs/promela/fifo.pml: the synchronous channel of channels/fifo.c, one
 * writer and two readers, each reader receiving every message.  Counters
 * are free-running (tail, head[r]) as in the C code; slot = counter % DEPTH.
 * Each shared word is one atomic step (the C code orders them with
 * acquire/release).  Blocking waits are guards.
 *
 * Checked:
 *   - no torn message: halves a and b agree (assert) and the writer never
 *     fills a slot a reader is copying (LTL no_overwrite);
 *   - no loss, no duplication, order: reader r gets 1, 2, ..., MSGS
 *     exactly (assert on each message, count at the end);
 *   - full and empty told apart: the writer never has more than DEPTH
 *     messages outstanding for any reader (assert);
 *   - every message is delivered (LTL all_delivered, under weak fairness).
 * -DBROKEN lets the writer overrun a full ring: check.sh requires spin to
 * find the error then.
 */
#define MSGS    5
#define DEPTH   2
#define NONE    255

byte tail;                /* writer area: messages published */
byte head[2];             /* reader r's control page: messages consumed */
byte data_a[DEPTH];
byte data_b[DEPTH];
byte w_in = NONE;
byte r_in[2] = NONE;     /* slot reader r is copying (all NONE) */
byte got[2];              /* messages each reader received */

ltl no_overwrite { [] ((w_in == NONE) || (w_in != r_in[0] && w_in != r_in[1])) }
ltl all_delivered { <> (got[0] == MSGS && got[1] == MSGS) }

active proctype Writer()
{
    byte seq = 0;
    do
    :: seq < MSGS ->
#ifdef BROKEN
        (tail - head[0] <= DEPTH && tail - head[1] <= DEPTH);
#else
        (tail - head[0] < DEPTH && tail - head[1] < DEPTH);   /* space for every reader */
#endif
        seq++;
        w_in = tail % DEPTH;
        data_a[w_in] = seq;
        data_b[w_in] = seq;
        w_in = NONE;
        tail++;
        assert(tail - head[0] <= DEPTH && tail - head[1] <= DEPTH)
    :: else -> break
    od
}

proctype Reader(byte r)
{
    byte expect = 1, a, b;
    do
    :: expect <= MSGS ->
        (head[r] != tail);                                     /* not empty */
        r_in[r] = head[r] % DEPTH;
        a = data_a[r_in[r]];
        b = data_b[r_in[r]];
        r_in[r] = NONE;
        assert(a == b);           /* not torn */
        assert(a == expect);      /* in order, nothing lost, nothing twice */
        head[r]++;
        got[r]++;
        expect++
    :: else -> break
    od;
    assert(got[r] == MSGS)
}

init
{
    atomic { run Reader(0); run Reader(1) }
}
