/* The lock-free cores on plain memory, one step at a time: semantics,
 * protection of a pinned slot, and every corrupted index or length. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "fourslot.h"
#include "fifo.h"

#define MSG 32u
static _Alignas(4096) unsigned char area[4 * 4096];
static _Alignas(4096) struct shm_reader_ctl rpage[2];

static int reset_memory(void **state)
{
    (void)state;
    memset(area, 0, sizeof area);
    memset(rpage, 0, sizeof rpage);
    return 0;
}

/* ---- four-slot ---------------------------------------------------------- */

static void put(struct fourslot_writer *w, uint64_t seq, uint8_t fill)
{
    assert_int_equal(fourslot_claim(w), SHMCOMM_OK);
    memset(fourslot_slot(w), fill, MSG);
    fourslot_publish(w, MSG, seq, seq * 10);
}

/* REQ: CHN-4S-001 */
static void fourslot_empty_then_latest(void **state)
{
    (void)state;
    struct fourslot_writer w;
    struct fourslot_reader r;
    struct fourslot_msg m;
    fourslot_writer_init(&w, area, MSG, 0, &rpage[0]);
    fourslot_reader_init(&r, area, MSG, 0, &rpage[0]);
    fourslot_reset(&w);
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_ERR_EMPTY);
    put(&w, 1, 0x11);
    put(&w, 2, 0x22);
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_OK);
    assert_int_equal(m.seq, 2);
    assert_int_equal(m.timestamp, 20);
    assert_int_equal(m.length, MSG);
    assert_int_equal(m.payload[0], 0x22);
    assert_int_equal(m.payload[MSG - 1], 0x22);
    /* Reading again gives the same newest message. */
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_OK);
    assert_int_equal(m.seq, 2);
}

/* REQ: CHN-4S-001 */
static void fourslot_pinned_slot_survives_many_writes(void **state)
{
    (void)state;
    struct fourslot_writer w;
    struct fourslot_reader r;
    struct fourslot_msg m;
    fourslot_writer_init(&w, area, MSG, 0, &rpage[0]);
    fourslot_reader_init(&r, area, MSG, 0, &rpage[0]);
    fourslot_reset(&w);
    put(&w, 1, 0x01);
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_OK);
    const unsigned char *pinned = m.payload;
    uint32_t reading = rpage[0].reading;
    for (uint64_t s = 2; s < 50; s++) {
        assert_int_equal(fourslot_claim(&w), SHMCOMM_OK);
        /* The writer never enters the pair the reader announced. */
        assert_int_not_equal(w.pair, reading);
        assert_ptr_not_equal(fourslot_slot(&w), pinned);
        memset(fourslot_slot(&w), (int)s, MSG);
        fourslot_publish(&w, MSG, s, s);
    }
    for (uint32_t i = 0; i < MSG; i++)
        assert_int_equal(pinned[i], 0x01);
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_OK);
    assert_int_equal(m.seq, 49);
    assert_int_equal(m.payload[5], 49);
}

/* REQ: CHN-4S-001 */
static void fourslot_instances_are_separate(void **state)
{
    (void)state;
    struct fourslot_writer w0, w1;
    struct fourslot_reader r0, r1;
    struct fourslot_msg m;
    fourslot_writer_init(&w0, area, MSG, 0, &rpage[0]);
    fourslot_writer_init(&w1, area, MSG, 1, &rpage[1]);
    fourslot_reader_init(&r0, area, MSG, 0, &rpage[0]);
    fourslot_reader_init(&r1, area, MSG, 1, &rpage[1]);
    fourslot_reset(&w0);
    fourslot_reset(&w1);
    put(&w0, 7, 0x70);
    assert_int_equal(fourslot_read(&r1, &m), SHMCOMM_ERR_EMPTY);
    put(&w1, 8, 0x80);
    assert_int_equal(fourslot_read(&r0, &m), SHMCOMM_OK);
    assert_int_equal(m.seq, 7);
    assert_int_equal(fourslot_read(&r1, &m), SHMCOMM_OK);
    assert_int_equal(m.seq, 8);
    assert_int_equal(m.payload[0], 0x80);
}

/* REQ: CHN-INT-001 */
static void fourslot_corrupt_reading_is_refused(void **state)
{
    (void)state;
    struct fourslot_writer w;
    fourslot_writer_init(&w, area, MSG, 0, &rpage[0]);
    fourslot_reset(&w);
    rpage[0].reading = 2;
    assert_int_equal(fourslot_claim(&w), SHMCOMM_ERR_CORRUPT);
    rpage[0].reading = 0xFFFFFFFFu;
    assert_int_equal(fourslot_claim(&w), SHMCOMM_ERR_CORRUPT);
    rpage[0].reading = 1;
    assert_int_equal(fourslot_claim(&w), SHMCOMM_OK);
    assert_int_equal(w.pair, 0);
}

/* REQ: CHN-INT-001 */
static void fourslot_corrupt_writer_words_are_refused(void **state)
{
    (void)state;
    struct fourslot_writer w;
    struct fourslot_reader r;
    struct fourslot_msg m;
    fourslot_writer_init(&w, area, MSG, 0, &rpage[0]);
    fourslot_reader_init(&r, area, MSG, 0, &rpage[0]);
    fourslot_reset(&w);
    put(&w, 1, 0x33);
    struct shm_fourslot_ctl *ctl = w.ctl;
    uint32_t latest = ctl->latest;
    ctl->latest = 5;
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_ERR_CORRUPT);
    ctl->latest = latest;
    ctl->slot[latest] = 1000;
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_ERR_CORRUPT);
    ctl->slot[latest] = w.index;
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_OK);
    /* A length beyond the declared size is never used. */
    struct shm_slot_header *h = (struct shm_slot_header *)(void *)(fourslot_slot(&w) - 24);
    h->length = MSG + 1;
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_ERR_CORRUPT);
    h->length = 0;
    assert_int_equal(fourslot_read(&r, &m), SHMCOMM_ERR_CORRUPT);
}

/* ---- FIFO --------------------------------------------------------------- */

static void fifo_setup(struct fifo_writer *w, struct fifo_reader *r, uint32_t depth, uint32_t n)
{
    const struct shm_reader_ctl *pages[2] = { &rpage[0], &rpage[1] };
    fifo_writer_init(w, area, MSG, depth, n, pages, 0);
    fifo_reset(w);
    fifo_reader_init(&r[0], area, MSG, depth, &rpage[0], 0);
    if (n > 1)
        fifo_reader_init(&r[1], area, MSG, depth, &rpage[1], 0);
}

static void push(struct fifo_writer *w, uint8_t v)
{
    uint32_t bad = 99;
    assert_int_equal(fifo_space(w, &bad), SHMCOMM_OK);
    assert_int_equal(bad, 0);
    memset(fifo_slot(w), v, MSG);
    fifo_publish(w, MSG, v);
}

static uint8_t pop(struct fifo_reader *r)
{
    const unsigned char *p;
    uint32_t len;
    uint64_t ts;
    assert_int_equal(fifo_peek(r, &p, &len, &ts), SHMCOMM_OK);
    assert_int_equal(len, MSG);
    assert_int_equal(p[MSG - 1], p[0]);
    uint8_t v = p[0];
    assert_int_equal(ts, v);
    fifo_consume(r);
    return v;
}

/* REQ: CHN-FIFO-001 */
static void fifo_full_empty_and_order_across_wraps(void **state)
{
    (void)state;
    struct fifo_writer w;
    struct fifo_reader r[1];
    const unsigned char *p;
    uint32_t len, bad;
    uint64_t ts;
    fifo_setup(&w, r, 3, 1);
    assert_int_equal(fifo_peek(&r[0], &p, &len, &ts), SHMCOMM_ERR_EMPTY);
    uint8_t next_in = 1, next_out = 1;
    for (int round = 0; round < 10; round++) {
        while (fifo_space(&w, &bad) == SHMCOMM_OK)
            push(&w, next_in++);
        assert_int_equal(fifo_space(&w, &bad), SHMCOMM_ERR_FULL);
        assert_int_equal(fifo_pending(&r[0]), 3);
        /* Drain a varying amount so the ring positions move around. */
        int take = 1 + round % 3;
        for (int i = 0; i < take; i++)
            assert_int_equal(pop(&r[0]), next_out++);
    }
    while (fifo_pending(&r[0]) > 0)
        assert_int_equal(pop(&r[0]), next_out++);
    assert_int_equal(next_out, next_in);
    assert_int_equal(fifo_peek(&r[0], &p, &len, &ts), SHMCOMM_ERR_EMPTY);
    assert_int_equal(rpage[0].head, w.tail);
}

/* REQ: CHN-FIFO-001 */
static void fifo_two_readers_each_get_everything(void **state)
{
    (void)state;
    struct fifo_writer w;
    struct fifo_reader r[2];
    uint32_t bad;
    fifo_setup(&w, r, 2, 2);
    push(&w, 1);
    push(&w, 2);
    assert_int_equal(fifo_space(&w, &bad), SHMCOMM_ERR_FULL);
    assert_int_equal(pop(&r[0]), 1);
    assert_int_equal(pop(&r[0]), 2);
    /* Reader 1 has not read: the slowest reader holds the space. */
    assert_int_equal(fifo_space(&w, &bad), SHMCOMM_ERR_FULL);
    assert_int_equal(pop(&r[1]), 1);
    push(&w, 3);
    assert_int_equal(pop(&r[1]), 2);
    assert_int_equal(pop(&r[1]), 3);
    assert_int_equal(pop(&r[0]), 3);
}

/* REQ: CHN-INT-001 */
static void fifo_corrupt_head_is_reported_per_reader(void **state)
{
    (void)state;
    struct fifo_writer w;
    struct fifo_reader r[2];
    uint32_t bad = 0;
    fifo_setup(&w, r, 4, 2);
    push(&w, 1);
    rpage[1].head = 2;                   /* ahead of the tail */
    assert_int_equal(fifo_space(&w, &bad), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(bad, 2u);
    rpage[1].head = 0;
    rpage[0].head = UINT64_MAX - 3;       /* far behind (wraps) */
    assert_int_equal(fifo_space(&w, &bad), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(bad, 1u);
    /* A quarantined reader no longer counts. */
    w.live &= ~1u;
    assert_int_equal(fifo_space(&w, &bad), SHMCOMM_OK);
    assert_int_equal(bad, 0);
}

/* REQ: CHN-INT-001 */
static void fifo_corrupt_tail_and_slot_are_reported(void **state)
{
    (void)state;
    struct fifo_writer w;
    struct fifo_reader r[1];
    const unsigned char *p;
    uint32_t len;
    uint64_t ts;
    fifo_setup(&w, r, 4, 1);
    push(&w, 1);
    struct shm_writer_header *h = (struct shm_writer_header *)(void *)area;
    h->published = 5;                    /* more than depth ahead */
    assert_int_equal(fifo_peek(&r[0], &p, &len, &ts), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(fifo_pending(&r[0]), SHMCOMM_ERR_CORRUPT);
    h->published = UINT64_MAX;           /* behind the head */
    assert_int_equal(fifo_peek(&r[0], &p, &len, &ts), SHMCOMM_ERR_CORRUPT);
    h->published = 2;                    /* claims a slot never written */
    assert_int_equal(pop(&r[0]), 1);
    assert_int_equal(fifo_peek(&r[0], &p, &len, &ts), SHMCOMM_ERR_CORRUPT);
    h->published = 1;
    push(&w, 2);                          /* w's tail is 2 again: consistent */
    struct shm_slot_header *s = (struct shm_slot_header *)(void *)(area + 64 + shm_slot_stride(MSG));
    s->length = MSG + 100;
    assert_int_equal(fifo_peek(&r[0], &p, &len, &ts), SHMCOMM_ERR_CORRUPT);
    s->length = MSG;
    assert_int_equal(pop(&r[0]), 2);
    /* Nothing was consumed by the failed peeks. */
    assert_int_equal(r[0].head, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(fourslot_empty_then_latest, reset_memory),
        cmocka_unit_test_setup(fourslot_pinned_slot_survives_many_writes, reset_memory),
        cmocka_unit_test_setup(fourslot_instances_are_separate, reset_memory),
        cmocka_unit_test_setup(fourslot_corrupt_reading_is_refused, reset_memory),
        cmocka_unit_test_setup(fourslot_corrupt_writer_words_are_refused, reset_memory),
        cmocka_unit_test_setup(fifo_full_empty_and_order_across_wraps, reset_memory),
        cmocka_unit_test_setup(fifo_two_readers_each_get_everything, reset_memory),
        cmocka_unit_test_setup(fifo_corrupt_head_is_reported_per_reader, reset_memory),
        cmocka_unit_test_setup(fifo_corrupt_tail_and_slot_are_reported, reset_memory),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
