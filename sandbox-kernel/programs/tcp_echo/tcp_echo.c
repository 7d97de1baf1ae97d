/*
 * tcp_echo [PORT] [CONNECTIONS]: a TCP server (listen/accept, system calls
 * 54-55) that echoes every byte of each connection until the peer closes it,
 * for CONNECTIONS connections (default 1) on PORT (default 7), then prints
 * what it echoed.  The shape a sandbox service takes (e.g. TPM quotes served
 * to a verifier).
 */
#include <stdio.h>
#include <stdlib.h>
#include "../../net/user/triad_socket.h"

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    int connections = argc > 2 ? atoi(argv[2]) : 1;
    if (port < 1 || port > 65535 || connections < 1) {
        printf("usage: tcp_echo [PORT] [CONNECTIONS]\n");
        return 2;
    }
    int sd = tsock_socket(TRIAD_SOCK_TCP);
    int r = sd < 0 ? sd : tsock_bind(sd, (uint16_t)port);
    if (r == 0)
        r = tsock_listen(sd, 4);
    if (r != 0) {
        printf("tcp_echo: cannot listen on %d (%d)\n", port, r);
        return 1;
    }
    int bad = tsock_listen(sd, 0);                      /* a zero backlog is refused */
    printf("tcp_echo: listening on TCP %d (backlog 0 -> %d)\n", port, bad);
    static char buf[TRIAD_NET_MAX_DGRAM];
    for (int c = 1; c <= connections; c++) {
        int cd = tsock_accept(sd);
        if (cd < 0) {
            printf("tcp_echo: accept -> %d\n", cd);
            return 1;
        }
        unsigned long bytes = 0;
        long n;
        while ((n = tsock_recv(cd, buf, sizeof buf)) > 0) {
            if (tsock_send(cd, buf, (size_t)n) != n)
                break;
            bytes += (unsigned long)n;
        }
        printf("tcp_echo: connection %d: %lu bytes echoed, ended with %ld\n", c, bytes, n);
        tsock_close(cd);
    }
    tsock_close(sd);
    return 0;
}
