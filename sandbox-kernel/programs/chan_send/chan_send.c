/* The Quest SDK example, sending side, from user mode: X = 10 on an
 * asynchronous channel (usage: chan_send KEY). */
#include <stdio.h>
#include <stdlib.h>
#include "../chan_lib/uchan.h"

int main(int argc, char **argv)
{
    uint32_t key = argc > 1 ? (uint32_t)strtoul(argv[1], 0, 0) : 153;
    if (uchan_init() != 0) {
        printf("chan_send: no channel clock\n");
        return 1;
    }
    shmcomm_channel_t ch;
    int rc = shmcomm_open_send(key, SHMCOMM_CREATE_CH | SHMCOMM_ASYNC_CH, NULL, sizeof(int), -1, &ch);
    if (rc != SHMCOMM_OK) {
        printf("chan_send: open of channel %u: %d (%s), kernel said %ld\n", (unsigned)key, rc,
               shmcomm_strerror(rc), uchan_last_map_error());
        return 1;
    }
    int x = 10;
    rc = shmcomm_write(ch, &x, sizeof x);
    printf("chan_send: sent X = %d on channel %u (%d bytes) from user mode\n", x, (unsigned)key, rc);
    shmcomm_close(ch);
    return rc == (int)sizeof x ? 0 : 1;
}
