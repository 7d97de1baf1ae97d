/*
 * net_event_check [COUNT]: exercises the event queue behind STATUSTEXT
 * (system calls 51-52): bad posts are refused with their error and queue
 * nothing (severity 8, 51 characters, empty text, a pointer into the kernel),
 * then COUNT events (default 40, more than the queue's 32) are posted at
 * once; the telemetry program forwards what the queue kept and reports the
 * overwritten ones as "events: N lost (queue full)".
 */
#include <stdio.h>
#include <stdlib.h>
#include "../../net/user/triad_socket.h"

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 40;
    char long_text[52];
    for (int i = 0; i < 51; i++)
        long_text[i] = 'x';
    long_text[51] = '\0';
    printf("net_event_check: severity 8 -> %d, 51 characters -> %d, empty -> %d, kernel pointer -> %d\n",
           tnet_event_post(8, "bad severity"), tnet_event_post(4, long_text), tnet_event_post(4, ""),
           (int)triad_syscall(SYS_NET_EVENT_POST, 4, 0x100000, 0));
    int posted = 0;
    for (int i = 1; i <= count; i++) {
        char text[32];
        snprintf(text, sizeof text, "check event %d of %d", i, count);
        if (tnet_event_post(6, text) == 0)
            posted++;
    }
    printf("net_event_check: posted %d of %d events\n", posted, count);
    return 0;
}
