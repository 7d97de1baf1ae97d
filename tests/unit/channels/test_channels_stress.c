/*
 * Multi-threaded stress of both channel kinds through the shmcomm API: one
 * writer thread and one or two reader threads per run, STRESS_MESSAGES
 * messages each carrying its own sequence number and a checksum over every
 * word.  A torn message fails its checksum; a lost, duplicated or reordered
 * FIFO message breaks the expected sequence; a four-slot reader must see
 * strictly increasing sequence numbers and finish on the last one.
 * Built twice: with ASan/UBSan (200k messages) and with TSan (20k).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "shmcomm.h"
#include "host_platform.h"

#ifndef STRESS_MESSAGES
#define STRESS_MESSAGES 200000u
#endif

#define WORDS 30u   /* 8 + 30 * 8 + 8 = 256 bytes */

struct msg {
    uint64_t seq;
    uint64_t word[WORDS];
    uint64_t sum;
};

enum { K_FIFO1 = 1, K_FIFO2 = 2, K_SLOT1 = 3, K_SLOT2 = 4 };

static const struct host_channel_decl table[] = {
    { K_FIFO1, SHM_KIND_SYNC, sizeof(struct msg), 16, 1, 1 },
    { K_FIFO2, SHM_KIND_SYNC, sizeof(struct msg), 8, 2, 1 },
    { K_SLOT1, SHM_KIND_ASYNC, sizeof(struct msg), 4, 1, 1 },
    { K_SLOT2, SHM_KIND_ASYNC, sizeof(struct msg), 4, 2, 1 },
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static void make_msg(struct msg *m, uint64_t seq)
{
    m->seq = seq;
    m->sum = mix(seq);
    for (uint32_t i = 0; i < WORDS; i++) {
        m->word[i] = mix(seq * 131u + i);
        m->sum ^= m->word[i] + i;
    }
}

static int msg_intact(const struct msg *m)
{
    uint64_t sum = mix(m->seq);
    for (uint32_t i = 0; i < WORDS; i++) {
        if (m->word[i] != mix(m->seq * 131u + i))
            return 0;
        sum ^= m->word[i] + i;
    }
    return sum == m->sum;
}

struct job {
    shmcomm_channel_t ch;
    uint64_t count;          /* messages to send / last sequence to wait for */
    /* results, checked by the main thread */
    uint64_t received;
    uint64_t torn;
    uint64_t out_of_order;   /* FIFO: seq != expected; four-slot: not increasing */
    uint64_t info_mismatch;  /* the channel's sequence number disagrees with the payload's */
    int error;               /* first unexpected status */
};

static void *writer(void *arg)
{
    struct job *j = arg;
    struct msg m;
    for (uint64_t s = 1; s <= j->count; s++) {
        make_msg(&m, s);
        int rc = shmcomm_write(j->ch, &m, sizeof m);
        if (rc != (int)sizeof m) {
            j->error = rc;
            break;
        }
    }
    return 0;
}

static void *fifo_reader(void *arg)
{
    struct job *j = arg;
    struct msg m;
    struct shmcomm_msg_info info;
    for (uint64_t expect = 1; expect <= j->count; expect++) {
        int rc = shmcomm_read_timeout(j->ch, &m, sizeof m, SHMCOMM_FOREVER, &info);
        if (rc != (int)sizeof m) {
            j->error = rc;
            break;
        }
        j->received++;
        if (!msg_intact(&m))
            j->torn++;
        if (m.seq != expect)
            j->out_of_order++;
        if (info.seq != m.seq)
            j->info_mismatch++;
    }
    return 0;
}

static void *slot_reader(void *arg)
{
    struct job *j = arg;
    struct msg m;
    struct shmcomm_msg_info info;
    uint64_t last = 0;
    while (last < j->count) {
        int rc = shmcomm_read_timeout(j->ch, &m, sizeof m, SHMCOMM_FOREVER, &info);
        if (rc != (int)sizeof m) {
            j->error = rc;
            break;
        }
        j->received++;
        if (!msg_intact(&m))
            j->torn++;
        if (m.seq <= last)
            j->out_of_order++;
        if (info.seq != m.seq)
            j->info_mismatch++;
        last = m.seq;
    }
    return 0;
}

static void run(uint32_t key, uint32_t kind_flag, uint32_t readers, void *(*reader_fn)(void *))
{
    host_platform_start(table, sizeof table / sizeof table[0]);
    struct job w = { .count = STRESS_MESSAGES };
    struct job r[2];
    memset(r, 0, sizeof r);
    assert_int_equal(shmcomm_open_send(key, SHMCOMM_CREATE_CH | kind_flag, NULL, sizeof(struct msg),
                                       kind_flag == SHMCOMM_SYNC_CH ? (int)table[key - 1].depth : -1,
                                       &w.ch), SHMCOMM_OK);
    for (uint32_t i = 0; i < readers; i++) {
        r[i].count = STRESS_MESSAGES;
        assert_int_equal(shmcomm_open_receive(key, SHMCOMM_CONNECT_CH, NULL, sizeof(struct msg), -1,
                                              &r[i].ch), SHMCOMM_OK);
    }
    pthread_t tw, tr[2];
    for (uint32_t i = 0; i < readers; i++)
        assert_int_equal(pthread_create(&tr[i], 0, reader_fn, &r[i]), 0);
    assert_int_equal(pthread_create(&tw, 0, writer, &w), 0);
    pthread_join(tw, 0);
    for (uint32_t i = 0; i < readers; i++)
        pthread_join(tr[i], 0);
    assert_int_equal(w.error, 0);
    for (uint32_t i = 0; i < readers; i++) {
        assert_int_equal(r[i].error, 0);
        assert_int_equal(r[i].torn, 0);
        assert_int_equal(r[i].out_of_order, 0);
        assert_int_equal(r[i].info_mismatch, 0);
        if (reader_fn == fifo_reader)
            assert_int_equal(r[i].received, STRESS_MESSAGES);   /* no loss, no duplicate */
        else
            assert_true(r[i].received >= 1 && r[i].received <= STRESS_MESSAGES);
        shmcomm_close(r[i].ch);
    }
    shmcomm_close(w.ch);
    host_platform_stop();
}

/* REQ: CHN-FIFO-001 */
static void fifo_one_reader_no_loss_no_duplicate_in_order(void **state)
{
    (void)state;
    run(K_FIFO1, SHMCOMM_SYNC_CH, 1, fifo_reader);
}

/* REQ: CHN-FIFO-001 */
static void fifo_two_readers_each_get_every_message(void **state)
{
    (void)state;
    run(K_FIFO2, SHMCOMM_SYNC_CH, 2, fifo_reader);
}

/* REQ: CHN-4S-001 */
static void fourslot_one_reader_never_torn_always_fresher(void **state)
{
    (void)state;
    run(K_SLOT1, SHMCOMM_ASYNC_CH, 1, slot_reader);
}

/* REQ: CHN-4S-001 */
static void fourslot_two_readers_never_torn_always_fresher(void **state)
{
    (void)state;
    run(K_SLOT2, SHMCOMM_ASYNC_CH, 2, slot_reader);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fifo_one_reader_no_loss_no_duplicate_in_order),
        cmocka_unit_test(fifo_two_readers_each_get_every_message),
        cmocka_unit_test(fourslot_one_reader_never_torn_always_fresher),
        cmocka_unit_test(fourslot_two_readers_never_torn_always_fresher),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
