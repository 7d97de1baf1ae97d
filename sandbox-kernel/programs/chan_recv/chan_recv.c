/* The Quest SDK example, receiving side, from user mode: waits for X on an
 * asynchronous channel and prints it (usage: chan_recv KEY [TIMEOUT_MS]). */
#include <stdio.h>
#include <stdlib.h>
#include "../chan_lib/uchan.h"

int main(int argc, char **argv)
{
    uint32_t key = argc > 1 ? (uint32_t)strtoul(argv[1], 0, 0) : 153;
    uint64_t timeout_ms = argc > 2 ? strtoull(argv[2], 0, 0) : 10000;
    if (uchan_init() != 0) {
        printf("chan_recv: no channel clock\n");
        return 1;
    }
    shmcomm_channel_t ch;
    int rc = shmcomm_open_receive(key, SHMCOMM_CONNECT_CH, NULL, sizeof(int), -1, &ch);
    if (rc != SHMCOMM_OK) {
        printf("chan_recv: open of channel %u: %d (%s), kernel said %ld\n", (unsigned)key, rc,
               shmcomm_strerror(rc), uchan_last_map_error());
        return 1;
    }
    int x = 0;
    struct shmcomm_msg_info info = { 0, 0 };
    rc = shmcomm_read_timeout(ch, &x, sizeof x, timeout_ms * 1000000ull, &info);
    if (rc == (int)sizeof x)
        printf("chan_recv: received X = %d on channel %u (seq %llu) in user mode\n", x, (unsigned)key,
               (unsigned long long)info.seq);
    else
        printf("chan_recv: read on channel %u: %d (%s)\n", (unsigned)key, rc, shmcomm_strerror(rc));
    shmcomm_close(ch);
    return rc == (int)sizeof x ? 0 : 1;
}
