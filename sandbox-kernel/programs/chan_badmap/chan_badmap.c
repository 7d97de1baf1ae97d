/*
 * The channel system calls refusing bad requests (usage: chan_badmap KEY
 * recv|send UNDECLARED_KEY): KEY must be granted to this sandbox in that
 * role.  Each check prints its result; the last line counts the failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "../chan_lib/uchan.h"
#include "../lib/triad.h"

static int failures;

static void expect(const char *what, long got, long want)
{
    printf("chan_badmap: %s: %ld (%s)\n", what, got, got == want ? "as expected" : "WRONG");
    if (got != want)
        failures++;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        printf("usage: chan_badmap KEY recv|send UNDECLARED_KEY\n");
        return 2;
    }
    uint32_t key = (uint32_t)strtoul(argv[1], 0, 0), bad = (uint32_t)strtoul(argv[3], 0, 0);
    int role = strcmp(argv[2], "send") == 0 ? TRIAD_CHAN_ROLE_SEND : TRIAD_CHAN_ROLE_RECEIVE;
    int other = role == TRIAD_CHAN_ROLE_SEND ? TRIAD_CHAN_ROLE_RECEIVE : TRIAD_CHAN_ROLE_SEND;
    struct triad_chan_map m;
    if (uchan_init() != 0)
        failures++;

    expect("undeclared key", uchan_map(bad, role, &m), -ENOENT);
    expect("the other end of a granted key", uchan_map(key, other, &m), -EPERM);
    expect("null result pointer", uchan_map(key, role, NULL), -EFAULT);
    expect("kernel address as result pointer", uchan_map(key, role, (struct triad_chan_map *)0x100000), -EFAULT);
    expect("role 7", uchan_map(key, 7, &m), -EINVAL);
    expect("unmap of an end never mapped", uchan_unmap(key, role), -EINVAL);
    expect("first map", uchan_map(key, role, &m), 0);
    struct triad_chan_map first = m;    /* a refused map may clear *out */
    expect("double map", uchan_map(key, role, &m), -EBUSY);
    m = first;
    shmcomm_channel_t ch;
    int rc = role == TRIAD_CHAN_ROLE_SEND
                 ? shmcomm_open_send(key, SHMCOMM_CONNECT_CH, NULL, 1, -1, &ch)
                 : shmcomm_open_receive(key, SHMCOMM_CONNECT_CH, NULL, 1, -1, &ch);
    expect("shmcomm open of the mapped end", rc, SHMCOMM_ERR_KEY);
    /* A channel page is no system-call buffer: the kernel does not reach it. */
    expect("write() from a channel page", triad_syscall(1, 1, (long)m.writer_area, 4), -EFAULT);
    expect("unmap", uchan_unmap(key, role), 0);
    /* Mapped again through the library: a message larger than declared. */
    rc = role == TRIAD_CHAN_ROLE_SEND
             ? shmcomm_open_send(key, SHMCOMM_CONNECT_CH, NULL, m.msg_size + 1, -1, &ch)
             : shmcomm_open_receive(key, SHMCOMM_CONNECT_CH, NULL, m.msg_size + 1, -1, &ch);
    expect("open with a message larger than declared", rc, SHMCOMM_ERR_SIZE);
    rc = role == TRIAD_CHAN_ROLE_SEND
             ? shmcomm_open_send(key, SHMCOMM_CONNECT_CH, NULL, m.msg_size, -1, &ch)
             : shmcomm_open_receive(key, SHMCOMM_CONNECT_CH, NULL, m.msg_size, -1, &ch);
    expect("open as declared", rc, SHMCOMM_OK);
    if (rc == SHMCOMM_OK)
        expect("close", shmcomm_close(ch), SHMCOMM_OK);
    printf("chan_badmap: %d failures\n", failures);
    return failures != 0;
}
