/*
 * udp_echo [PORT] [COUNT] [IDLE_MS]: answers every datagram on UDP PORT
 * (default 7) with the same bytes, until the datagram "quit", COUNT
 * datagrams (0, the default: no limit) or IDLE_MS without one (0, the
 * default: wait for ever); then prints the network counters.  The datagram
 * "nic-reset" re-initialises the NIC (the recovery entry point) before its
 * echo is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../net/user/triad_socket.h"
#include "../lib/triad.h"

static void print_stats(void)
{
    struct triad_netstats s;
    if (tsock_stats(&s) != 0)
        return;
    printf("udp_echo: nic rx %lu tx %lu errors %lu overruns %lu no-buffer %lu irqs %lu resets %lu; lwip drops ip %lu "
           "udp %lu udp-checksum %lu\n",
           (unsigned long)s.rx_frames, (unsigned long)s.tx_frames, (unsigned long)s.rx_errors,
           (unsigned long)s.rx_overruns, (unsigned long)s.rx_no_buffer, (unsigned long)s.irqs, (unsigned long)s.nic_resets,
           (unsigned long)s.ip_drop, (unsigned long)s.udp_drop, (unsigned long)s.udp_chkerr);
    printf("udp_echo: receive interrupt to next transmit: %lu round trips, avg %lu min %lu max %lu ticks\n",
           (unsigned long)s.rt_count, (unsigned long)s.rt_avg, (unsigned long)s.rt_min, (unsigned long)s.rt_max);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    int count = argc > 2 ? atoi(argv[2]) : 0;
    int idle_ms = argc > 3 ? atoi(argv[3]) : 0;
    int sd = tsock_socket(TRIAD_SOCK_UDP);
    if (sd < 0) {
        printf("udp_echo: socket -> %d\n", sd);
        return 1;
    }
    int r = tsock_bind(sd, (uint16_t)port);
    if (r < 0) {
        printf("udp_echo: bind %d -> %d\n", port, r);
        return 1;
    }
    tsock_set_timeout_ms(sd, (unsigned)idle_ms);
    printf("udp_echo: listening on port %d\n", port);
    static char buf[TRIAD_NET_MAX_DGRAM];
    int answered = 0;
    while (count == 0 || answered < count) {
        struct triad_sockaddr from;
        long n = tsock_recvfrom(sd, buf, sizeof buf, &from);
        if (n < 0) {
            printf("udp_echo: receive -> %ld (stopping)\n", n);
            break;
        }
        if (n == 9 && memcmp(buf, "nic-reset", 9) == 0) {
            int r = tsock_nic_reset();
            printf("udp_echo: nic reset requested -> %d\n", r);
            triad_sleep_ns(20000000ull);      /* the driver thread re-initialises the NIC meanwhile */
        }
        long s = tsock_sendto(sd, buf, (size_t)n, from.ip, from.port);
        if (s != n)
            printf("udp_echo: send -> %ld\n", s);
        answered++;
        if (n == 4 && memcmp(buf, "quit", 4) == 0)
            break;
    }
    printf("udp_echo: answered %d datagram(s)\n", answered);
    print_stats();
    tsock_close(sd);
    return 0;
}
