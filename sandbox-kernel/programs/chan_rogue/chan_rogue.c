/*
 * A process that writes where its sandbox may only read (usage: chan_rogue
 * KEY recv | chan_rogue KEY send).  As a receiver it stores into the
 * writer's area; as the sender, into the reader's control page.  The page
 * is mapped read-only in this process, so the store is a page fault: the
 * kernel kills this process, and its sandbox and the channel's other side
 * carry on.  The line after the store must never be printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../chan_lib/uchan.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("usage: chan_rogue KEY recv|send\n");
        return 2;
    }
    uint32_t key = (uint32_t)strtoul(argv[1], 0, 0);
    int send = strcmp(argv[2], "send") == 0;
    struct triad_chan_map m;
    long r = uchan_map(key, send ? TRIAD_CHAN_ROLE_SEND : TRIAD_CHAN_ROLE_RECEIVE, &m);
    if (r != 0) {
        printf("chan_rogue: map of channel %u: %ld\n", (unsigned)key, r);
        return 1;
    }
    /* Past the header and the first index: a word the other side uses. */
    volatile uint32_t *target = send ? (volatile uint32_t *)(uintptr_t)m.reader_ctl[0]
                                     : (volatile uint32_t *)(uintptr_t)(m.writer_area + 64);
    uint32_t before = *target;      /* reading is allowed */
    printf("chan_rogue: read %u, now writing to %llx (%s, read-only here)\n", (unsigned)before,
           (unsigned long long)(uintptr_t)target, send ? "reader control page" : "writer area");
    fflush(stdout);
    *target = before + 0x5A5A;
    printf("chan_rogue: protection broken: the store to %llx completed\n",
           (unsigned long long)(uintptr_t)target);
    return 3;
}
