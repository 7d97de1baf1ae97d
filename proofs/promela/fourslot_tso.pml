/*
 * proofs/promela/fourslot_tso.pml: the four-slot protocol of
 * channels/fourslot.h on x86-TSO, to check that its two fences are needed
 * and enough (fourslot.pml assumes sequential consistency, which is what
 * the fences buy; this model shows the price of leaving either out).
 *
 * x86-TSO (Owens, Sarkar, Sewell): every processor has a FIFO store
 * buffer; a store enters the buffer; the buffer drains to memory, oldest
 * first, at any moment; a load takes the newest buffered store of its own
 * processor to that address, else memory; mfence (or a locked instruction,
 * gcc's `lock or $0,(%rsp)`) waits until the buffer is empty.  Loads are
 * not reordered with loads nor stores with stores, so the only reordering
 * is a load passing an earlier store to another address: exactly the two
 * store->load pairs the C code fences:
 *   writer: stores slot[pair], latest (publish) ... fence ... loads reading (claim)
 *   reader: stores reading ... fence ... loads slot[pair]
 * A message is two stores (halves a and b) of the same number, so a reader
 * that reads a slot while the writer's stores to it drain sees a mix.
 * Checked by assertion: no torn read (halves agree) and reads never go
 * backwards.  check.sh requires both to hold with the fences, and requires
 * spin to find a torn read with -DNO_WRITER_FENCE and with -DNO_READER_FENCE.
 */
#define MAXW  4                   /* messages written */
#define WBUF  8                   /* store-buffer entries; a full buffer makes the store wait */

/* Memory, by address: 0 latest, 1-2 slot[0..1], 3 reading, 4-7 half a of
 * slots 0-3, 8-11 half b. */
#define LATEST   0
#define SLOT(p)  (1 + (p))
#define READING  3
#define HALF_A(k) (4 + (k))
#define HALF_B(k) (8 + (k))
byte mem[12];

/* One store buffer per processor (0 writer, 1 reader), oldest first. */
byte sb_addr[2 * WBUF];
byte sb_val[2 * WBUF];
byte sb_n[2];

inline store(cpu_, addr_, val_) {
    atomic {
        sb_n[cpu_] < WBUF ->
        sb_addr[cpu_ * WBUF + sb_n[cpu_]] = addr_;
        sb_val[cpu_ * WBUF + sb_n[cpu_]] = val_;
        sb_n[cpu_]++
    }
}

/* Newest own buffered store to addr_, else memory (i: the caller's scratch). */
inline load(cpu_, addr_, val_) {
    d_step {
        val_ = mem[addr_];
        i = 0;
        do
        :: i < sb_n[cpu_] ->
            if
            :: sb_addr[cpu_ * WBUF + i] == addr_ -> val_ = sb_val[cpu_ * WBUF + i]
            :: else -> skip
            fi;
            i++
        :: else -> break
        od;
        i = 0
    }
}

inline fence(cpu_) {
    sb_n[cpu_] == 0
}

/* Drains one processor's buffer, oldest store first, whenever it likes. */
proctype Drain(byte cpu)
{
    byte k;
end:
    do
    :: d_step {
        sb_n[cpu] > 0 ->
        mem[sb_addr[cpu * WBUF]] = sb_val[cpu * WBUF];
        k = 1;
        do
        :: k < sb_n[cpu] ->
            sb_addr[cpu * WBUF + k - 1] = sb_addr[cpu * WBUF + k];
            sb_val[cpu * WBUF + k - 1] = sb_val[cpu * WBUF + k];
            k++
        :: else -> break
        od;
        sb_n[cpu]--;
        k = 0
       }
    od
}

proctype Writer()
{
    byte seq = 0, pair, index, r, k, i;
    do
    :: seq < MAXW ->
        seq++;
        /* fourslot_claim */
#ifndef NO_WRITER_FENCE
        fence(0);
#endif
        load(0, READING, r);
        pair = 1 - r;
        load(0, SLOT(pair), index);
        index = 1 - index;
        k = 2 * pair + index;
        /* fourslot_stamp + payload copy: the slot's contents */
        store(0, HALF_A(k), seq);
        store(0, HALF_B(k), seq);
        /* fourslot_commit */
        store(0, SLOT(pair), index);
        store(0, LATEST, pair)
    :: else -> break
    od
}

proctype Reader()
{
    byte pair, index, k, a, b, last = 0, reads = 0, i;
    do
    :: reads < MAXW + 2 ->
        reads++;
        /* fourslot_read */
        load(1, LATEST, pair);
        store(1, READING, pair);
#ifndef NO_READER_FENCE
        fence(1);
#endif
        load(1, SLOT(pair), index);
        k = 2 * pair + index;
        load(1, HALF_A(k), a);
        load(1, HALF_B(k), b);
        assert(a == b);           /* not torn */
        assert(a >= last);        /* never backwards */
        last = a
    :: else -> break
    od
}

init {
    atomic {
        run Drain(0);
        run Drain(1);
        run Writer();
        run Reader()
    }
}
