/* The Quest SDK API (channels/shmcomm.h) over the host platform: the SDK
 * example, every error code, hooks, timeouts, corruption through the API,
 * and one-way protection of the pages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "shmcomm.h"
#include "host_platform.h"
#include "shmcomm_backoff.h"

enum { K_ASYNC = 153, K_SYNC = 200, K_FIXED = 300, K_TWO = 400, K_BADDECL = 500, K_SYNC2 = 600 };

static const struct host_channel_decl table[] = {
    { K_ASYNC, SHM_KIND_ASYNC, sizeof(int), 4, 1, 1 },
    { K_SYNC, SHM_KIND_SYNC, 64, 4, 1, 1 },
    { K_FIXED, SHM_KIND_SYNC, 16, 2, 1, 0 },        /* declared at boot, no run-time create */
    { K_TWO, SHM_KIND_ASYNC, 32, 4, 2, 1 },
    { K_BADDECL, SHM_KIND_SYNC, 16, 0, 1, 1 },      /* a broken description: depth 0 */
    { K_SYNC2, SHM_KIND_SYNC, 16, 4, 2, 1 },        /* FIFO with two readers */
};

static int start(void **state)
{
    (void)state;
    host_platform_start(table, sizeof table / sizeof table[0]);
    return 0;
}

static int stop(void **state)
{
    (void)state;
    host_platform_stop();
    return 0;
}

/* The SDK tutorial's example: the sender writes X = 10, the receiver reads it. */
/* REQ: CHN-API-002 */
static void sdk_example_sender_writes_x_receiver_reads_it(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL,
                                       sizeof(int), -1, &tx), SHMCOMM_OK);
    int x = 10;
    assert_int_equal(shmcomm_write(tx, &x, sizeof(int)), (int)sizeof(int));
    assert_int_equal(shmcomm_close(tx), SHMCOMM_OK);
    /* The receiver connects without naming the kind: the description knows. */
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH, NULL, sizeof(int), -1, &rx),
                     SHMCOMM_OK);
    int got = 0;
    assert_int_equal(shmcomm_read(rx, &got, sizeof(int)), (int)sizeof(int));
    assert_int_equal(got, 10);
    assert_int_equal(shmcomm_close(rx), SHMCOMM_OK);
}

/* REQ: CHN-API-002 */
static void async_read_returns_only_newer_messages(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    struct shmcomm_msg_info info;
    host_clock_manual(1000, 10);
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 4, -1, &rx), 0);
    int v = 0;
    assert_int_equal(shmcomm_read(rx, &v, 4), SHMCOMM_ERR_EMPTY);
    for (int i = 1; i <= 3; i++)
        assert_int_equal(shmcomm_write(tx, &i, 4), 4);
    assert_int_equal(shmcomm_pending(rx), 1);
    assert_int_equal(shmcomm_read_timeout(rx, &v, 4, 0, &info), 4);
    assert_int_equal(v, 3);                 /* the newest, not the oldest */
    assert_int_equal(info.seq, 3);
    assert_int_equal(info.timestamp, 1000);
    assert_int_equal(shmcomm_read(rx, &v, 4), SHMCOMM_ERR_EMPTY);
    assert_int_equal(shmcomm_pending(rx), 0);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* I/O failover: a sender that connects to an existing channel (the
   standby voter) sees the newest message and its number without writing,
   and its own first write continues the numbering the reader follows.
   REQ: CHN-API-002 */
static void connected_sender_peeks_then_continues_the_sequence(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx, sync_tx;
    struct shmcomm_msg_info info = { 0, 0 };
    int v = 0;
    host_clock_manual(500, 10);
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 4, -1, &rx), 0);
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), SHMCOMM_ERR_EMPTY);   /* nothing published yet */
    for (int i = 1; i <= 3; i++)
        assert_int_equal(shmcomm_write(tx, &i, 4), 4);
    assert_int_equal(shmcomm_read_timeout(rx, &v, 4, 0, &info), 4);
    assert_int_equal(info.seq, 3);
    assert_int_equal(shmcomm_close(tx), SHMCOMM_OK);
    /* the standby connects: it reads what was published, writes nothing */
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CONNECT_CH, NULL, 4, -1, &tx), 0);
    v = 0;
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), 4);
    assert_int_equal(v, 3);
    assert_int_equal(info.seq, 3);
    assert_int_equal(info.timestamp, 500);
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, NULL), 4);                   /* info is optional */
    assert_int_equal(shmcomm_pending(rx), 0);                                  /* nothing new for the reader */
    /* bad input: small buffer, null buffer, a receive end, a FIFO, a closed handle */
    char one;
    assert_int_equal(shmcomm_peek_sent(tx, &one, 1, &info), SHMCOMM_ERR_SIZE);
    assert_int_equal(shmcomm_peek_sent(tx, NULL, 4, &info), SHMCOMM_ERR_BADCH);
    assert_int_equal(shmcomm_peek_sent(rx, &v, 4, &info), SHMCOMM_ERR_ROLE);
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 64, 4, &sync_tx), 0);
    assert_int_equal(shmcomm_peek_sent(sync_tx, &v, 4, &info), SHMCOMM_ERR_ROLE);
    shmcomm_close(sync_tx);
    /* a corrupt area: impossible latest pair, length, or a slot that is
       not the newest message (as if a write overlapped the copy) */
    unsigned char *area = host_writer_area_rw(K_ASYNC);
    struct shm_fourslot_ctl *ctl = (struct shm_fourslot_ctl *)(void *)(area + 64);
    uint32_t latest = ctl->latest;
    ctl->latest = 7;
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), SHMCOMM_ERR_CORRUPT);
    ctl->latest = latest;
    struct shm_slot_header *slot = NULL;
    for (uint32_t k = 0; k < SHM_FOURSLOT_SLOTS; k++) {
        struct shm_slot_header *h = (struct shm_slot_header *)(void *)(area + 128 + k * shm_slot_stride(4));
        if (h->seq == 3)
            slot = h;
    }
    assert_non_null(slot);
    slot->length = 0;
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), SHMCOMM_ERR_CORRUPT);
    slot->length = 5;                                   /* past the declared size */
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), SHMCOMM_ERR_CORRUPT);
    slot->length = 4;
    slot->seq = 2;
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), SHMCOMM_ERR_EMPTY);
    slot->seq = 3;
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), 4);
    /* its first write is message 4: the reader takes it as newer */
    int w = 40;
    assert_int_equal(shmcomm_write(tx, &w, 4), 4);
    assert_int_equal(shmcomm_read_timeout(rx, &v, 4, 0, &info), 4);
    assert_int_equal(v, 40);
    assert_int_equal(info.seq, 4);
    shmcomm_close(tx);
    assert_int_equal(shmcomm_peek_sent(tx, &v, 4, &info), SHMCOMM_ERR_BADCH);
    shmcomm_close(rx);
}

/* REQ: CHN-API-002 */
static void sync_channel_is_a_fifo_with_full_and_empty(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH,
                                       NULL, 64, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH,
                                          NULL, 64, 4, &rx), 0);
    char buf[64];
    for (int i = 0; i < 4; i++) {
        memset(buf, 'a' + i, sizeof buf);
        assert_int_equal(shmcomm_write(tx, buf, 10 + i), 10 + i);
    }
    assert_int_equal(shmcomm_write(tx, buf, 1), SHMCOMM_ERR_FULL);
    assert_int_equal(shmcomm_pending(rx), 4);
    for (int i = 0; i < 4; i++) {
        memset(buf, 0, sizeof buf);
        assert_int_equal(shmcomm_read(rx, buf, sizeof buf), 10 + i);
        assert_int_equal(buf[0], 'a' + i);
        assert_int_equal(buf[9 + i], 'a' + i);
        assert_int_equal(buf[10 + i], 0);
    }
    assert_int_equal(shmcomm_read(rx, buf, sizeof buf), SHMCOMM_ERR_EMPTY);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* ---- every error code --------------------------------------------------- */

/* REQ: CHN-API-001 */
static void key_not_in_policy_is_refused(void **state)
{
    (void)state;
    shmcomm_channel_t ch = (shmcomm_channel_t)1;
    assert_int_equal(shmcomm_open_send(999, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &ch),
                     SHMCOMM_ERR_KEY);
    assert_null(ch);
    assert_int_equal(shmcomm_open_receive(999, SHMCOMM_CONNECT_CH, NULL, 4, -1, &ch), SHMCOMM_ERR_KEY);
    /* Declared at boot, but run-time creation is not allowed. */
    assert_int_equal(shmcomm_open_send(K_FIXED, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 16, 2, &ch),
                     SHMCOMM_ERR_KEY);
    /* A second receiver where only one is declared. */
    shmcomm_channel_t rx;
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH, NULL, 4, -1, &rx), 0);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH, NULL, 4, -1, &ch), SHMCOMM_ERR_KEY);
    shmcomm_close(rx);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH, NULL, 4, -1, &ch), SHMCOMM_OK);
    shmcomm_close(ch);
}

/* REQ: CHN-API-001 */
static void sizes_out_of_range_are_refused(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    /* At open: zero, larger than the limit, larger than declared. */
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 0, 4, &tx), SHMCOMM_ERR_SIZE);
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 1u << 20, 4, &tx), SHMCOMM_ERR_SIZE);
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 65, 4, &tx), SHMCOMM_ERR_SIZE);
    /* At write: larger than what was opened, zero. Nothing is sent. */
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH, NULL, 32, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 32, -1, &rx), 0);
    char big[64] = { 7 };
    assert_int_equal(shmcomm_write(tx, big, 33), SHMCOMM_ERR_SIZE);
    assert_int_equal(shmcomm_write(tx, big, 0), SHMCOMM_ERR_SIZE);
    assert_int_equal(shmcomm_pending(rx), 0);
    /* At read: a buffer too small keeps the message for a proper read. */
    assert_int_equal(shmcomm_write(tx, big, 32), 32);
    assert_int_equal(shmcomm_read(rx, big, 8), SHMCOMM_ERR_SIZE);
    assert_int_equal(shmcomm_read(rx, big, 0), SHMCOMM_ERR_SIZE);
    assert_int_equal(shmcomm_pending(rx), 1);
    assert_int_equal(shmcomm_read(rx, big, sizeof big), 32);
    assert_int_equal(big[0], 7);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* REQ: CHN-API-001 */
static void depth_zero_is_refused(void **state)
{
    (void)state;
    shmcomm_channel_t ch;
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 64, 0, &ch), SHMCOMM_ERR_DEPTH);
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 64, -1, &ch), SHMCOMM_ERR_DEPTH);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH, NULL, 64, 0, &ch), SHMCOMM_ERR_DEPTH);
    /* A depth other than the declared one is a configuration mismatch. */
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 64, 8, &ch), SHMCOMM_ERR_CONFIG);
    /* A description with depth 0 cannot be laid out: refused, not used. */
    assert_int_equal(shmcomm_open_receive(K_BADDECL, SHMCOMM_CONNECT_CH, NULL, 16, -1, &ch), SHMCOMM_ERR_CONFIG);
}

/* REQ: CHN-API-001 */
static void contradictory_flags_are_refused(void **state)
{
    (void)state;
    shmcomm_channel_t ch;
    const uint32_t bad[] = {
        SHMCOMM_ASYNC_CH,                                            /* neither create nor connect */
        SHMCOMM_CREATE_CH | SHMCOMM_CONNECT_CH | SHMCOMM_ASYNC_CH,   /* both */
        SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH | SHMCOMM_SYNC_CH,      /* both kinds */
        SHMCOMM_CREATE_CH,                                           /* create what? */
        SHMCOMM_CONNECT_CH | 0x100u,                                 /* unknown bit */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(shmcomm_open_send(K_ASYNC, bad[i], NULL, 4, -1, &ch), SHMCOMM_ERR_FLAGS);
        assert_int_equal(shmcomm_open_receive(K_ASYNC, bad[i], NULL, 4, -1, &ch), SHMCOMM_ERR_FLAGS);
    }
    /* The kind named does not match the description. */
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 4, 4, &ch), SHMCOMM_ERR_CONFIG);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &ch), SHMCOMM_ERR_CONFIG);
    /* A sender connecting to a channel nobody created. */
    assert_int_equal(shmcomm_open_send(K_FIXED, SHMCOMM_CONNECT_CH, NULL, 16, 2, &ch), SHMCOMM_ERR_CONFIG);
}

/* REQ: CHN-API-001 */
static void wrong_direction_and_bad_handles_are_refused(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    int v = 1;
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH, NULL, 4, -1, &rx), 0);
    assert_int_equal(shmcomm_read(tx, &v, 4), SHMCOMM_ERR_ROLE);
    assert_int_equal(shmcomm_write(rx, &v, 4), SHMCOMM_ERR_ROLE);
    assert_int_equal(shmcomm_write(tx, NULL, 4), SHMCOMM_ERR_BADCH);
    assert_int_equal(shmcomm_read(rx, NULL, 4), SHMCOMM_ERR_BADCH);
    assert_int_equal(shmcomm_write(NULL, &v, 4), SHMCOMM_ERR_BADCH);
    assert_int_equal(shmcomm_write((shmcomm_channel_t)(void *)&v, &v, 4), SHMCOMM_ERR_BADCH);
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, NULL), SHMCOMM_ERR_BADCH);
    assert_int_equal(shmcomm_close(tx), SHMCOMM_OK);
    assert_int_equal(shmcomm_close(tx), SHMCOMM_ERR_BADCH);     /* twice */
    assert_int_equal(shmcomm_write(tx, &v, 4), SHMCOMM_ERR_BADCH); /* after close */
    shmcomm_close(rx);
}

/* REQ: CHN-API-001 */
static void handle_pool_exhaustion_is_reported(void **state)
{
    (void)state;
    shmcomm_channel_t ch[SHMCOMM_MAX_OPEN + 1];
    unsigned opened = 0;
    for (; opened < SHMCOMM_MAX_OPEN; opened++) {
        uint32_t how = opened == 0 ? SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH : SHMCOMM_CONNECT_CH;
        assert_int_equal(shmcomm_open_send(K_TWO, how, NULL, 32, -1, &ch[opened]), SHMCOMM_OK);
    }
    assert_int_equal(shmcomm_open_send(K_TWO, SHMCOMM_CONNECT_CH, NULL, 32, -1, &ch[opened]), SHMCOMM_ERR_NOSPACE);
    for (unsigned i = 0; i < opened; i++)
        assert_int_equal(shmcomm_close(ch[i]), 0);
}

/* REQ: CHN-API-001 */
static void no_platform_is_reported(void **state)
{
    (void)state;
    shmcomm_channel_t ch;
    shmcomm_set_platform(NULL);
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &ch),
                     SHMCOMM_ERR_PLATFORM);
    shmcomm_set_platform(host_platform());
    assert_string_equal(shmcomm_strerror(SHMCOMM_ERR_PLATFORM), "no platform backend");
    for (int s = SHMCOMM_ERR_ROLE; s < 0; s++)
        assert_string_not_equal(shmcomm_strerror(s), "unknown error");
    assert_string_equal(shmcomm_strerror(-99), "unknown error");
}

/* ---- blocking and timeouts ---------------------------------------------- */

/* REQ: CHN-API-002 */
static void timeouts_expire_on_the_platform_clock(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    host_clock_manual(0, 1000);          /* every wait advances 1 us */
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH, NULL, 64, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH, NULL, 64, -1, &rx), 0);
    char b[64] = { 0 };
    unsigned long w0 = host_wait_count();
    assert_int_equal(shmcomm_read_timeout(rx, b, 64, 50000, NULL), SHMCOMM_ERR_TIMEOUT);
    unsigned long waited = host_wait_count() - w0;
    assert_true(waited >= 50 && waited <= 51);
    for (int i = 0; i < 4; i++)
        assert_int_equal(shmcomm_write_timeout(tx, b, 64, 0), 64);
    assert_int_equal(shmcomm_write_timeout(tx, b, 64, 0), SHMCOMM_ERR_FULL);
    assert_int_equal(shmcomm_write_timeout(tx, b, 64, 20000), SHMCOMM_ERR_TIMEOUT);
    /* Data that is there is returned without waiting. */
    w0 = host_wait_count();
    assert_int_equal(shmcomm_read_timeout(rx, b, 64, 50000, NULL), 64);
    assert_int_equal(host_wait_count(), w0);
    assert_int_equal(shmcomm_write_timeout(tx, b, 64, 20000), 64);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* ---- marshal hooks ------------------------------------------------------ */

struct point { int32_t x, y; };

/* Wire form: big-endian 16-bit pairs (4 bytes) from a host struct (8 bytes). */
static int marshal_point(const void *in, uint32_t in_len, void *out, uint32_t out_cap)
{
    const struct point *p = in;
    unsigned char *o = out;
    if (in_len != sizeof *p || out_cap < 4)
        return -1;
    o[0] = (unsigned char)(p->x >> 8); o[1] = (unsigned char)p->x;
    o[2] = (unsigned char)(p->y >> 8); o[3] = (unsigned char)p->y;
    return 4;
}

static int unmarshal_point(const void *in, uint32_t in_len, void *out, uint32_t out_cap)
{
    const unsigned char *i = in;
    struct point *p = out;
    if (in_len != 4 || out_cap < sizeof *p)
        return -1;
    p->x = (int16_t)(i[0] << 8 | i[1]);
    p->y = (int16_t)(i[2] << 8 | i[3]);
    return sizeof *p;
}

static int marshal_overflow(const void *in, uint32_t in_len, void *out, uint32_t out_cap)
{
    (void)in; (void)in_len; (void)out;
    return (int)out_cap + 1;
}

/* REQ: CHN-API-002 */
static void marshal_hooks_run_before_and_after_transfer(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH,
                                       marshal_point, 64, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH,
                                          unmarshal_point, 64, -1, &rx), 0);
    struct point p = { -300, 1234 }, q = { 0, 0 };
    assert_int_equal(shmcomm_write(tx, &p, sizeof p), (int)sizeof p);
    /* On the wire it is the 4-byte big-endian form. */
    const unsigned char *slot = (const unsigned char *)host_writer_area_rw(K_SYNC) + 64 + 24;
    assert_int_equal(slot[0], 0xFE);
    assert_int_equal(slot[1], 0xD4);
    assert_int_equal(shmcomm_read(rx, &q, sizeof q), (int)sizeof q);
    assert_int_equal(q.x, -300);
    assert_int_equal(q.y, 1234);
    /* A hook that refuses (wrong input size) sends nothing. */
    assert_int_equal(shmcomm_write(tx, &p, 3), SHMCOMM_ERR_MARSHAL);
    assert_int_equal(shmcomm_pending(rx), 0);
    /* An unmarshal that refuses leaves the message in the channel. */
    assert_int_equal(shmcomm_write(tx, &p, sizeof p), (int)sizeof p);
    assert_int_equal(shmcomm_read(rx, &q, 4), SHMCOMM_ERR_MARSHAL);
    assert_int_equal(shmcomm_pending(rx), 1);
    shmcomm_close(tx);
    /* A hook that claims more than the slot holds is caught. */
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, marshal_overflow, 64, 4, &tx), 0);
    assert_int_equal(shmcomm_write(tx, &p, sizeof p), SHMCOMM_ERR_MARSHAL);
    assert_int_equal(shmcomm_pending(rx), 1);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* ---- corruption through the API ----------------------------------------- */

/* REQ: CHN-PROT-001 */
static void corrupt_reader_page_is_quarantined_writer_carries_on(void **state)
{
    (void)state;
    shmcomm_channel_t tx, r0, r1;
    assert_int_equal(shmcomm_open_send(K_TWO, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 32, -1, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_TWO, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 32, -1, &r0), 0);
    assert_int_equal(shmcomm_open_receive(K_TWO, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 32, -1, &r1), 0);
    uint64_t v = 1, got = 0;
    assert_int_equal(shmcomm_write(tx, &v, 8), 8);
    /* Reader 1 scribbles an impossible index into its own page. */
    host_reader_ctl_rw(K_TWO, 1)->reading = 77;
    v = 2;
    assert_int_equal(shmcomm_write(tx, &v, 8), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(shmcomm_faulty_readers(tx), 2u);
    /* Nothing was written by the failed call... */
    assert_int_equal(shmcomm_read(r0, &got, 8), 8);
    assert_int_equal(got, 1);
    /* ...and the healthy reader keeps receiving. */
    assert_int_equal(shmcomm_write(tx, &v, 8), 8);
    assert_int_equal(shmcomm_read(r0, &got, 8), 8);
    assert_int_equal(got, 2);
    shmcomm_close(tx);
    shmcomm_close(r0);
    shmcomm_close(r1);
}

/* The write fast path serves a FIFO's readers with one loop over their
 * heads; once a reader is quarantined the writer must stop looking at that
 * reader's page (a corrupt head would otherwise read as "full" forever),
 * and every write must still reach the healthy reader in order. */
/* REQ: CHN-PROT-001 */
static void fifo_writer_drops_a_corrupt_reader_and_keeps_serving_the_other(void **state)
{
    (void)state;
    shmcomm_channel_t tx, r0, r1;
    assert_int_equal(shmcomm_open_send(K_SYNC2, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH,
                                       NULL, 16, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC2, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 16, -1, &r0), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC2, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 16, -1, &r1), 0);
    uint32_t v = 1, got = 0;
    assert_int_equal(shmcomm_write(tx, &v, 4), 4);
    assert_int_equal(shmcomm_read(r0, &got, 4), 4);
    assert_int_equal(shmcomm_read(r1, &got, 4), 4);
    assert_int_equal(got, 1);
    /* Four unread messages fill the FIFO for both: the fifth is refused. */
    for (v = 2; v <= 5; v++)
        assert_int_equal(shmcomm_write(tx, &v, 4), 4);
    assert_int_equal(shmcomm_write(tx, &v, 4), SHMCOMM_ERR_FULL);
    assert_int_equal(shmcomm_pending(tx), 4);
    /* Reader 1 claims to have consumed more than was ever written. */
    host_reader_ctl_rw(K_SYNC2, 1)->head = 99;
    assert_int_equal(shmcomm_write(tx, &v, 4), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(shmcomm_faulty_readers(tx), 2u);
    /* Reader 0 drains; from now on only its head limits the writer. */
    for (uint32_t want = 2; want <= 5; want++) {
        assert_int_equal(shmcomm_read(r0, &got, 4), 4);
        assert_int_equal(got, want);
    }
    for (uint32_t round = 0; round < 3; round++) {
        for (uint32_t k = 0; k < 4; k++, v++)
            assert_int_equal(shmcomm_write(tx, &v, 4), 4);
        assert_int_equal(shmcomm_write(tx, &v, 4), SHMCOMM_ERR_FULL);
        for (uint32_t k = 4; k > 0; k--) {
            assert_int_equal(shmcomm_read(r0, &got, 4), 4);
            assert_int_equal(got, v - k);
        }
    }
    assert_int_equal(shmcomm_faulty_readers(tx), 2u);
    shmcomm_close(tx);
    shmcomm_close(r0);
    shmcomm_close(r1);
}

/* The read fast path serves a receiver whose header was checked, with a
 * buffer of the declared size; everything else goes through the checked
 * path: a smaller buffer (fine while the message fits, SIZE and nothing
 * consumed when it does not), and an async writer whose sequence number
 * goes back (CORRUPT, never returned as a message). */
/* REQ: CHN-INT-001 */
static void reads_fast_and_checked_agree(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, -1, &rx), 0);
    char big[64], msg[64];
    memset(msg, 'm', sizeof msg);
    for (int round = 0; round < 3; round++) {
        assert_int_equal(shmcomm_write(tx, "hello", 6), 6);
        assert_int_equal(shmcomm_read(rx, big, 8), 6);            /* small buffer, message fits */
        assert_string_equal(big, "hello");
        assert_int_equal(shmcomm_write(tx, msg, 40), 40);
        assert_int_equal(shmcomm_read(rx, big, 8), SHMCOMM_ERR_SIZE);
        assert_int_equal(shmcomm_pending(rx), 1);                 /* still there */
        assert_int_equal(shmcomm_read(rx, big, sizeof big), 40);  /* full-size buffer */
        assert_memory_equal(big, msg, 40);
        assert_int_equal(shmcomm_read(rx, big, sizeof big), SHMCOMM_ERR_EMPTY);
    }
    shmcomm_close(tx);
    shmcomm_close(rx);

    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 4, -1, &rx), 0);
    int v = 5, got = 0;
    struct shmcomm_msg_info info = {0, 0};
    for (v = 5; v <= 6; v++) {
        assert_int_equal(shmcomm_write(tx, &v, 4), 4);
        assert_int_equal(shmcomm_read_timeout(rx, &got, 4, 0, &info), 4);
        assert_int_equal(got, v);
        assert_int_equal(info.seq, (uint64_t)(v - 4));
    }
    /* The writer's newest slot now claims an older sequence number. */
    unsigned char *area = host_writer_area_rw(K_ASYNC);
    const struct shm_fourslot_ctl *ctl = (const struct shm_fourslot_ctl *)(const void *)(area + 64);
    uint32_t k = 2u * ctl->latest + ctl->slot[ctl->latest];
    struct shm_slot_header *h = (struct shm_slot_header *)(void *)(area + 128 + k * shm_slot_stride(4));
    assert_int_equal(h->seq, 2);
    h->seq = 1;
    got = 0;
    assert_int_equal(shmcomm_read(rx, &got, 4), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(got, 0);
    h->seq = 2;
    assert_int_equal(shmcomm_read(rx, &got, 4), SHMCOMM_ERR_EMPTY);  /* nothing newer than seq 2 */
    v = 7;
    assert_int_equal(shmcomm_write(tx, &v, 4), 4);
    assert_int_equal(shmcomm_read(rx, &got, 4), 4);
    assert_int_equal(got, 7);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* REQ: CHN-INT-001 */
static void corrupt_fifo_head_and_tail_are_reported(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, -1, &rx), 0);
    char b[64] = "hello";
    assert_int_equal(shmcomm_write(tx, b, 6), 6);
    /* The writer's tail is pushed beyond anything possible. */
    struct shm_writer_header *h = host_writer_area_rw(K_SYNC);
    h->published = 1000;
    assert_int_equal(shmcomm_read(rx, b, 64), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(shmcomm_pending(rx), SHMCOMM_ERR_CORRUPT);
    h->published = 1;
    assert_int_equal(shmcomm_read(rx, b, 64), 6);
    assert_string_equal(b, "hello");
    /* The reader's head jumps ahead of the tail: the writer refuses it. */
    host_reader_ctl_rw(K_SYNC, 0)->head = 50;
    assert_int_equal(shmcomm_write(tx, b, 6), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(shmcomm_faulty_readers(tx), 1u);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* REQ: CHN-INT-001 */
static void corrupt_async_words_and_header_are_reported(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, 4, -1, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 4, -1, &rx), 0);
    int v = 5;
    assert_int_equal(shmcomm_write(tx, &v, 4), 4);
    unsigned char *area = host_writer_area_rw(K_ASYNC);
    struct shm_fourslot_ctl *ctl = (struct shm_fourslot_ctl *)(void *)(area + 64);
    ctl->latest = 9;
    assert_int_equal(shmcomm_read(rx, &v, 4), SHMCOMM_ERR_CORRUPT);
    ctl->latest = 1;
    struct shm_writer_header *h = (struct shm_writer_header *)(void *)area;
    h->msg_size = 4096;                  /* header disagrees with the description */
    assert_int_equal(shmcomm_read(rx, &v, 4), SHMCOMM_ERR_CORRUPT);
    h->msg_size = 4;
    assert_int_equal(shmcomm_read(rx, &v, 4), 4);
    assert_int_equal(v, 5);
    /* The only reader corrupts its page: refused once, then quarantined. */
    host_reader_ctl_rw(K_ASYNC, 0)->reading = 5;
    v = 6;
    assert_int_equal(shmcomm_write(tx, &v, 4), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(shmcomm_faulty_readers(tx), 1u);
    assert_int_equal(shmcomm_write(tx, &v, 4), 4);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* A synchronous channel K_SYNC (depth 4, non-blocking), its reader
   connected, messages 1, 2 and 3 written: where the restart cases start. */
static void sync_pair_with_three(shmcomm_channel_t *tx, shmcomm_channel_t *rx)
{
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, 4, tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, -1, rx), 0);
    for (int v = 1; v <= 3; v++)
        assert_int_equal(shmcomm_write(*tx, &v, sizeof v), (int)sizeof v);
}

/* REQ: CHN-API-002 */
static void restarted_reader_keeps_its_place_stale_head_restarts_at_tail(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    sync_pair_with_three(&tx, &rx);
    int v;
    assert_int_equal(shmcomm_read(rx, &v, sizeof v), (int)sizeof v);
    assert_int_equal(v, 1);
    /* The reader restarts: its page remembers where it was. */
    shmcomm_close(rx);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, -1, &rx), 0);
    assert_int_equal(shmcomm_read(rx, &v, sizeof v), (int)sizeof v);
    assert_int_equal(v, 2);
    shmcomm_close(rx);
    /* A page whose head cannot match the tail starts over at the tail. */
    host_reader_ctl_rw(K_SYNC, 0)->head = 12345;
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, -1, &rx), 0);
    assert_int_equal(host_reader_ctl_rw(K_SYNC, 0)->head, 3);
    assert_int_equal(shmcomm_read(rx, &v, sizeof v), SHMCOMM_ERR_EMPTY);
    v = 4;
    assert_int_equal(shmcomm_write(tx, &v, sizeof v), (int)sizeof v);
    assert_int_equal(shmcomm_read(rx, &v, sizeof v), (int)sizeof v);
    assert_int_equal(v, 4);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* A restarted writer (a sandbox's console channel after a restart: its
 * pages and its reader's page survive) resumes by connecting: the tail goes
 * on from the header, the reader keeps its place and loses nothing.
 * Creating the channel again instead starts the tail over behind the
 * reader's head: the first write quarantines the reader (the FIFO stops
 * waiting for it) and the reader finds the channel corrupt - what io's
 * console relay did to a restarted replica's boot lines until session 9
 * (sandbox-kernel/chan/chan_console.c now connects first). */
/* REQ: CHN-API-002 */
static void restarted_writer_resumes_by_connect_create_again_loses_the_reader(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    sync_pair_with_three(&tx, &rx);
    int v;
    for (int want = 1; want <= 2; want++) {
        assert_int_equal(shmcomm_read(rx, &v, sizeof v), (int)sizeof v);
        assert_int_equal(v, want);
    }
    /* The writer restarts and connects: 3 is still there, 4 and 5 follow. */
    shmcomm_close(tx);
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, 4, &tx), 0);
    for (v = 4; v <= 5; v++)
        assert_int_equal(shmcomm_write(tx, &v, sizeof v), (int)sizeof v);
    assert_int_equal(shmcomm_faulty_readers(tx), 0u);
    for (int want = 3; want <= 5; want++) {
        assert_int_equal(shmcomm_read(rx, &v, sizeof v), (int)sizeof v);
        assert_int_equal(v, want);
    }
    assert_int_equal(shmcomm_read(rx, &v, sizeof v), SHMCOMM_ERR_EMPTY);
    /* The same restart creating the channel again: the reader's head (5)
       is ahead of the new tail (0), the writer quarantines it and writes
       on without it, and the reader finds its channel corrupt. */
    shmcomm_close(tx);
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, 4, &tx), 0);
    v = 6;
    assert_int_equal(shmcomm_write(tx, &v, sizeof v), SHMCOMM_ERR_CORRUPT);
    assert_int_equal(shmcomm_faulty_readers(tx), 1u);
    assert_int_equal(shmcomm_write(tx, &v, sizeof v), (int)sizeof v);
    assert_int_equal(shmcomm_read(rx, &v, sizeof v), SHMCOMM_ERR_CORRUPT);
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* ---- one-way protection ------------------------------------------------- */

static int child_status(pid_t pid)
{
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

/* REQ: CHN-PROT-001 */
static void reader_writing_writer_pages_faults_writer_carries_on(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    assert_int_equal(shmcomm_open_send(K_SYNC, SHMCOMM_CREATE_CH | SHMCOMM_SYNC_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, 4, &tx), 0);
    assert_int_equal(shmcomm_open_receive(K_SYNC, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH, NULL, 64, -1, &rx), 0);
    /* The pages exactly as the backend mapped them for each end. */
    volatile uint64_t *reader_view_of_tail =
        (volatile uint64_t *)((char *)host_granted_writer_area(K_SYNC, SHMCOMM_ROLE_RECEIVE, 0) + 40);
    volatile uint64_t *writer_view_of_head =
        (volatile uint64_t *)host_granted_reader_ctl(K_SYNC, SHMCOMM_ROLE_SEND, 0);
    assert_int_equal(*reader_view_of_tail, 0);   /* readable... */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        *reader_view_of_tail = 99;       /* ...not writable: the reader faults */
        _exit(0);
    }
    int st = child_status(pid);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGSEGV);
    assert_int_equal(*writer_view_of_head, 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        *writer_view_of_head = 7;        /* the writer cannot move a reader's head */
        _exit(0);
    }
    st = child_status(pid);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGSEGV);
    /* The writer carries on. */
    char b[64] = "still here";
    assert_int_equal(shmcomm_write(tx, b, 11), 11);
    memset(b, 0, sizeof b);
    assert_int_equal(shmcomm_read(rx, b, 64), 11);
    assert_string_equal(b, "still here");
    shmcomm_close(tx);
    shmcomm_close(rx);
}

/* The library numbers the waits of each blocking call from 0, so a backend
 * can poll first and then back off; the shared backoff polls
 * SHMCOMM_POLL_ATTEMPTS times, then doubles from the minimum to the cap. */
static void blocking_waits_are_numbered_and_back_off(void **state)
{
    (void)state;
    shmcomm_channel_t tx, rx;
    host_clock_manual(1000, 1000);          /* each wait: 1 us */
    assert_int_equal(shmcomm_open_send(K_ASYNC, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, sizeof(int), -1, &tx),
                     SHMCOMM_OK);
    assert_int_equal(shmcomm_open_receive(K_ASYNC, SHMCOMM_CONNECT_CH, NULL, sizeof(int), -1, &rx), SHMCOMM_OK);
    uint32_t first, max;
    host_wait_attempts(&first, &max);
    int x;
    for (int call = 0; call < 2; call++)
        assert_int_equal(shmcomm_read_timeout(rx, &x, sizeof x, 10000, NULL), SHMCOMM_ERR_TIMEOUT);
    host_wait_attempts(&first, &max);
    assert_int_equal(first, 2);             /* each call started again at 0 */
    assert_in_range(max, 8, 11);            /* about 10 waits of 1 us in a 10 us timeout */
    shmcomm_close(rx);
    shmcomm_close(tx);
    host_clock_real();

    for (uint32_t a = 0; a < SHMCOMM_POLL_ATTEMPTS; a++)
        assert_int_equal(shmcomm_backoff_ns(a), 0);
    assert_int_equal(shmcomm_backoff_ns(SHMCOMM_POLL_ATTEMPTS), SHMCOMM_BACKOFF_MIN_NS);
    assert_int_equal(shmcomm_backoff_ns(SHMCOMM_POLL_ATTEMPTS + 1), 2 * SHMCOMM_BACKOFF_MIN_NS);
    uint64_t prev = 0;
    for (uint32_t a = 0; a < 1000; a++) {
        uint64_t ns = shmcomm_backoff_ns(a);
        assert_true(ns >= prev && ns <= SHMCOMM_BACKOFF_MAX_NS);
        prev = ns;
    }
    assert_int_equal(shmcomm_backoff_ns(UINT32_MAX), SHMCOMM_BACKOFF_MAX_NS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sdk_example_sender_writes_x_receiver_reads_it, start, stop),
        cmocka_unit_test_setup_teardown(async_read_returns_only_newer_messages, start, stop),
        cmocka_unit_test_setup_teardown(connected_sender_peeks_then_continues_the_sequence, start, stop),
        cmocka_unit_test_setup_teardown(sync_channel_is_a_fifo_with_full_and_empty, start, stop),
        cmocka_unit_test_setup_teardown(key_not_in_policy_is_refused, start, stop),
        cmocka_unit_test_setup_teardown(sizes_out_of_range_are_refused, start, stop),
        cmocka_unit_test_setup_teardown(depth_zero_is_refused, start, stop),
        cmocka_unit_test_setup_teardown(contradictory_flags_are_refused, start, stop),
        cmocka_unit_test_setup_teardown(wrong_direction_and_bad_handles_are_refused, start, stop),
        cmocka_unit_test_setup_teardown(handle_pool_exhaustion_is_reported, start, stop),
        cmocka_unit_test_setup_teardown(no_platform_is_reported, start, stop),
        cmocka_unit_test_setup_teardown(timeouts_expire_on_the_platform_clock, start, stop),
        cmocka_unit_test_setup_teardown(marshal_hooks_run_before_and_after_transfer, start, stop),
        cmocka_unit_test_setup_teardown(corrupt_reader_page_is_quarantined_writer_carries_on, start, stop),
        cmocka_unit_test_setup_teardown(reads_fast_and_checked_agree, start, stop),
        cmocka_unit_test_setup_teardown(corrupt_fifo_head_and_tail_are_reported, start, stop),
        cmocka_unit_test_setup_teardown(fifo_writer_drops_a_corrupt_reader_and_keeps_serving_the_other, start, stop),
        cmocka_unit_test_setup_teardown(corrupt_async_words_and_header_are_reported, start, stop),
        cmocka_unit_test_setup_teardown(restarted_reader_keeps_its_place_stale_head_restarts_at_tail, start, stop),
        cmocka_unit_test_setup_teardown(restarted_writer_resumes_by_connect_create_again_loses_the_reader, start, stop),
        cmocka_unit_test_setup_teardown(reader_writing_writer_pages_faults_writer_carries_on, start, stop),
        cmocka_unit_test_setup_teardown(blocking_waits_are_numbered_and_back_off, start, stop),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
