/*
 * ARINC 653 ports from user mode, across sandboxes (usage:
 * chan_apex send|recv SAMPLING_KEY QUEUING_KEY N).
 *
 * The program is one partition's side of two APEX ports that ride on the
 * channels the system description declares: the sampling port "attitude"
 * on an async (four-slot) channel and the queuing port "commands" on a sync
 * (FIFO) channel.  The description binds the names to channel keys through
 * the program's arguments (the monitor's boot tag carries no names).
 *
 * send: creates both ports as sources, then writes N attitude samples and
 * sends N commands, one each per millisecond, then stops writing.
 * recv: creates both ports as destinations, receives the N commands in order
 * with a time-out, reads the attitude port along the way (validity from its
 * refresh period), then waits until the writer's silence makes the sample
 * stale.  Both sides first check the bad requests APEX must refuse, each
 * with its return code; every check prints one line and counts failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../chan_lib/uchan.h"
#include "../lib/triad.h"
#include "../../../channels/arinc653.h"

#define SAMPLE_BYTES   32u
#define COMMAND_BYTES  16u
#define COMMAND_DEPTH  8u                 /* as declared for the queuing channel */
#define REFRESH_NS     50000000           /* 50 ms */
#define MS             1000000ll

struct sample {
    uint32_t seq, not_seq;
    uint8_t fill[SAMPLE_BYTES - 8];       /* every byte = seq & 0xFF: a torn sample shows */
};

struct command {
    uint32_t n, not_n;
    uint64_t sent_ns;
};

static const char *code_name(apex_return_code_t rc)
{
    static const char *const names[] = { "NO_ERROR", "NO_ACTION", "NOT_AVAILABLE", "INVALID_PARAM",
                                         "INVALID_CONFIG", "INVALID_MODE", "TIMED_OUT" };
    return (unsigned)rc < sizeof names / sizeof names[0] ? names[rc] : "?";
}

static unsigned failures;

/* One line per check: what was asked, the code APEX returned. */
static void expect(const char *what, apex_return_code_t got, apex_return_code_t want)
{
    if (got == want) {
        printf("chan_apex: %s: %s (as expected)\n", what, code_name(got));
    } else {
        printf("chan_apex: %s: %s, expected %s: FAILED\n", what, code_name(got), code_name(want));
        failures++;
    }
}

static void configure(uint32_t sampling_key, uint32_t queuing_key)
{
    static struct apex_port_config table[2];
    table[0] = (struct apex_port_config){ "attitude", sampling_key };
    table[1] = (struct apex_port_config){ "commands", queuing_key };
    apex_configure_ports(table, 2);
}

static int sender(uint32_t n)
{
    apex_port_id_t s = 0, q = 0, again = 0;
    apex_return_code_t rc;
    apex_create_sampling_port("nosuch", SAMPLE_BYTES, APEX_SOURCE, REFRESH_NS, &again, &rc);
    expect("create of a port the configuration does not name", rc, APEX_INVALID_CONFIG);
    apex_create_sampling_port("attitude", SAMPLE_BYTES, APEX_SOURCE, 0, &again, &rc);
    expect("sampling port with refresh period 0", rc, APEX_INVALID_CONFIG);
    apex_create_sampling_port("attitude", SAMPLE_BYTES, APEX_SOURCE, REFRESH_NS, &s, &rc);
    expect("create sampling source attitude", rc, APEX_NO_ERROR);
    apex_create_sampling_port("attitude", SAMPLE_BYTES, APEX_SOURCE, REFRESH_NS, &again, &rc);
    expect("create attitude again", again == s ? rc : APEX_INVALID_PARAM, APEX_NO_ACTION);
    apex_create_queuing_port("commands", COMMAND_BYTES, COMMAND_DEPTH, APEX_SOURCE, APEX_FIFO, &q, &rc);
    expect("create queuing source commands", rc, APEX_NO_ERROR);
    apex_set_partition_mode(APEX_NORMAL);
    apex_create_queuing_port("commands", COMMAND_BYTES, COMMAND_DEPTH, APEX_SOURCE, APEX_FIFO, &again, &rc);
    expect("create in NORMAL mode", rc, APEX_INVALID_MODE);

    struct sample smp;
    apex_message_size_t len = 0;
    apex_validity_t valid;
    apex_read_sampling_message(s, &smp, &len, &valid, &rc);
    expect("read of a source port", rc, APEX_INVALID_MODE);
    uint8_t big[SAMPLE_BYTES + 1] = {0};
    apex_write_sampling_message(s, big, sizeof big, &rc);
    expect("sample longer than the port's maximum", rc, APEX_INVALID_CONFIG);
    struct command c = { 0, 0, 0 };
    apex_send_queuing_message(q, &c, 0, 0, &rc);
    expect("command of length 0", rc, APEX_INVALID_PARAM);
    apex_send_queuing_message(q, &c, sizeof c, -5, &rc);
    expect("negative time-out other than infinite", rc, APEX_INVALID_PARAM);

    uint32_t sent = 0, errors = 0;
    for (uint32_t i = 1; i <= n; i++) {
        smp.seq = i;
        smp.not_seq = ~i;
        memset(smp.fill, (int)(i & 0xFF), sizeof smp.fill);
        apex_write_sampling_message(s, &smp, sizeof smp, &rc);
        errors += rc != APEX_NO_ERROR;
        c = (struct command){ i, ~i, uchan_now_ns() };
        apex_send_queuing_message(q, &c, sizeof c, 5000 * MS, &rc);
        if (rc == APEX_NO_ERROR)
            sent++;
        else
            errors++;
        triad_sleep_ns(1000000);
    }
    struct apex_queuing_port_status qs;
    apex_get_queuing_port_status(q, &qs, &rc);
    printf("chan_apex: sent %u commands and %u samples from user mode, %u errors; "
           "queue max %u x %u bytes, %s\n", (unsigned)sent, (unsigned)n, (unsigned)errors,
           (unsigned)qs.max_nb_message, (unsigned)qs.max_message_size, code_name(rc));
    printf("chan_apex: attitude writer stops at seq %u\n", (unsigned)n);
    printf("chan_apex: %u failures\n", failures);
    return errors || failures;
}

/* Reads the attitude port; counts what it saw. */
struct sampling_seen {
    uint32_t reads, valid, torn, backwards, newest;
};

static apex_validity_t read_attitude(apex_port_id_t s, struct sampling_seen *seen)
{
    struct sample smp;
    apex_message_size_t len = 0;
    apex_validity_t valid = APEX_INVALID;
    apex_return_code_t rc;
    apex_read_sampling_message(s, &smp, &len, &valid, &rc);
    if (rc != APEX_NO_ERROR)
        return APEX_INVALID;              /* nothing written yet */
    seen->reads++;
    seen->valid += valid == APEX_VALID;
    int torn = len != SAMPLE_BYTES || smp.not_seq != ~smp.seq;
    for (unsigned k = 0; k < sizeof smp.fill && !torn; k++)
        torn = smp.fill[k] != (uint8_t)(smp.seq & 0xFF);
    seen->torn += torn;
    seen->backwards += smp.seq < seen->newest;
    if (smp.seq > seen->newest)
        seen->newest = smp.seq;
    return valid;
}

static int receiver(uint32_t n)
{
    apex_port_id_t s = 0, q = 0, bad = 0;
    apex_return_code_t rc;
    apex_create_queuing_port("commands", COMMAND_BYTES, COMMAND_DEPTH + 1, APEX_DESTINATION, APEX_FIFO,
                             &bad, &rc);
    expect("queuing port deeper than the description's channel", rc, APEX_INVALID_CONFIG);
    apex_create_sampling_port("attitude", SAMPLE_BYTES, APEX_DESTINATION, REFRESH_NS, &s, &rc);
    expect("create sampling destination attitude", rc, APEX_NO_ERROR);
    apex_create_queuing_port("commands", COMMAND_BYTES, COMMAND_DEPTH, APEX_DESTINATION, APEX_FIFO, &q, &rc);
    expect("create queuing destination commands", rc, APEX_NO_ERROR);
    apex_set_partition_mode(APEX_NORMAL);
    struct command c = { 1, ~1u, 0 };
    apex_send_queuing_message(q, &c, sizeof c, 0, &rc);
    expect("send on a destination port", rc, APEX_INVALID_MODE);
    apex_message_size_t len = 0;
    apex_receive_queuing_message(99, 0, &c, &len, &rc);
    expect("receive on port id 99", rc, APEX_INVALID_PARAM);

    struct sampling_seen seen = { 0, 0, 0, 0, 0 };
    uint32_t got = 0, disorder = 0, torn = 0, last = 0;
    uint64_t latency_ns = 0;
    while (got < n) {
        /* the sender may still be busy with the earlier programs */
        apex_receive_queuing_message(q, got == 0 ? 5000 * MS : 2000 * MS, &c, &len, &rc);
        if (rc != APEX_NO_ERROR) {
            printf("chan_apex: receive after %u commands: %s\n", (unsigned)got, code_name(rc));
            break;
        }
        got++;
        torn += len != sizeof c || c.not_n != ~c.n;
        disorder += c.n != last + 1;
        last = c.n;
        latency_ns = uchan_now_ns() - c.sent_ns;
        read_attitude(s, &seen);
    }
    uint64_t last_command_ns = uchan_now_ns();
    printf("chan_apex: received %u of %u commands in user mode: %u out of order, %u torn, last %u, "
           "last latency %llu ns\n", (unsigned)got, (unsigned)n, (unsigned)disorder, (unsigned)torn,
           (unsigned)last, (unsigned long long)latency_ns);
    /* The writer has stopped: the newest sample turns stale about one
     * refresh period after it was written.  Poll every 5 ms for at most 1 s. */
    apex_validity_t first = read_attitude(s, &seen), v = first;
    for (int i = 0; i < 200 && v == APEX_VALID; i++) {
        triad_sleep_ns(5000000);
        v = read_attitude(s, &seen);
    }
    printf("chan_apex: attitude read %u times: %u valid, %u torn, %u went backwards, newest seq %u\n",
           (unsigned)seen.reads, (unsigned)seen.valid, (unsigned)seen.torn, (unsigned)seen.backwards,
           (unsigned)seen.newest);
    printf("chan_apex: attitude %s right after the last command, %s %llu ms after it, seq %u\n",
           first == APEX_VALID ? "valid" : "already stale", v == APEX_VALID ? "still valid" : "stale",
           (unsigned long long)((uchan_now_ns() - last_command_ns) / 1000000), (unsigned)seen.newest);
    apex_receive_queuing_message(q, 0, &c, &len, &rc);
    expect("receive with time-out 0 on an empty queue", rc, APEX_NOT_AVAILABLE);
    apex_receive_queuing_message(q, 20 * MS, &c, &len, &rc);
    expect("receive with time-out 20 ms on an empty queue", rc, APEX_TIMED_OUT);
    struct apex_sampling_port_status ss;
    apex_get_sampling_port_status(s, &ss, &rc);
    expect("sampling status", rc, APEX_NO_ERROR);
    printf("chan_apex: sampling status: refresh %lld ns, max %u bytes, last validity %s\n",
           (long long)ss.refresh_period, (unsigned)ss.max_message_size,
           ss.last_msg_validity == APEX_VALID ? "VALID" : "INVALID");
    struct apex_queuing_port_status qs;
    apex_get_queuing_port_status(q, &qs, &rc);
    expect("queuing status", rc, APEX_NO_ERROR);
    printf("chan_apex: queuing status: %u of %u messages waiting\n", (unsigned)qs.nb_message,
           (unsigned)qs.max_nb_message);
    printf("chan_apex: %u failures\n", failures);
    return got != n || disorder || torn || seen.torn || seen.backwards || v == APEX_VALID || failures;
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "recv") != 0)) {
        printf("usage: chan_apex send|recv SAMPLING_KEY QUEUING_KEY N\n");
        return 2;
    }
    if (uchan_init() != 0) {
        printf("chan_apex: no channel clock\n");
        return 1;
    }
    configure((uint32_t)strtoul(argv[2], 0, 0), (uint32_t)strtoul(argv[3], 0, 0));
    uint32_t n = (uint32_t)strtoul(argv[4], 0, 0);
    return argv[1][0] == 's' ? sender(n) : receiver(n);
}
