/*
 * proofs/promela/fourslot.pml: Simpson's four-slot protocol as implemented
 * in channels/fourslot.c (writer: fourslot_claim/publish; reader:
 * fourslot_read), one writer and one reader.
 *
 * Each shared word is one Promela variable and each access one atomic step,
 * in program order: that is sequential consistency, which the C code
 * obtains on x86-64 with acquire/release accesses plus one seq_cst fence on
 * each side (the only store->load pairs the protocol has).
 *
 * A message is written and read in two halves (a then b), so that a reader
 * sharing a slot with the writer can observe a mix.  Checked:
 *   - no torn read: the writer and the reader are never in the same slot
 *     (LTL no_torn), and every read returns matching halves (assert);
 *   - freshness: a read returns a message at least as new as the newest
 *     one completely published when the read began, and successive reads
 *     never go backwards (asserts).
 * Compile with -DBROKEN to let the writer ignore the reader's announcement:
 * check.sh requires spin to find the torn read then (the model is not vacuous).
 */
#define MAXW   6          /* messages written; enough for every slot to be reused */
#define NONE   255

bit latest;               /* writer area: pair written last */
bit slot[2];              /* writer area: per pair, index written last */
bit reading;              /* reader's control page: pair being read */
byte data_a[4];           /* slot k = 2*pair + index, first half */
byte data_b[4];           /* second half */
byte w_in = NONE;         /* slot the writer is filling */
byte r_in = NONE;         /* slot the reader is copying */
byte published;           /* newest message completely published */

ltl no_torn { [] ((w_in == NONE) || (w_in != r_in)) }

active proctype Writer()
{
    byte seq = 0, pair, index;
    do
    :: seq < MAXW ->
        seq++;
#ifdef BROKEN
        pair = reading;
#else
        pair = 1 - reading;
#endif
        index = 1 - slot[pair];
        w_in = 2 * pair + index;
        data_a[w_in] = seq;
        data_b[w_in] = seq;
        w_in = NONE;
        slot[pair] = index;
        latest = pair;
        published = seq
    :: else -> break
    od
}

active proctype Reader()
{
    byte pair, index, a, b, floor, last = 0;
    do
    :: last < MAXW ->
        floor = published;        /* newest complete message when the read begins */
        pair = latest;
        reading = pair;
        index = slot[pair];
        r_in = 2 * pair + index;
        a = data_a[r_in];
        b = data_b[r_in];
        r_in = NONE;
        assert(a == b);           /* not torn */
        assert(a >= floor);       /* fresh */
        assert(a >= last);        /* never backwards */
        last = a
    :: last == MAXW -> break
    od
}
