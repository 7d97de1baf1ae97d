/*
 * Sockets for programs: thin wrappers over the network system calls
 * (net/net_abi.h).  Each returns >= 0 or a negated errno: -ENOENT (2) no
 * network in this sandbox, -EBADF (9) bad descriptor, -EAGAIN (11) receive
 * timeout, -EFAULT (14) bad pointer, -EINVAL (22) bad argument.
 */
#ifndef TRIAD_NET_USER_SOCKET_H
#define TRIAD_NET_USER_SOCKET_H
#include <stdint.h>
#include <stddef.h>
#include "../net_abi.h"

long triad_syscall(long nr, long a0, long a1, long a2);

#define TRIAD_IPV4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static inline int tsock_socket(int type) { return (int)triad_syscall(SYS_NET_SOCKET, type, 0, 0); }
static inline int tsock_bind(int sd, uint16_t port) { return (int)triad_syscall(SYS_NET_BIND, sd, port, 0); }
static inline int tsock_close(int sd) { return (int)triad_syscall(SYS_NET_CLOSE, sd, 0, 0); }
static inline int tsock_set_timeout_ms(int sd, unsigned ms)
{
    return (int)triad_syscall(SYS_NET_SETOPT, sd, TRIAD_OPT_RCVTIMEO_MS, ms);
}
static inline int tsock_connect(int sd, uint32_t ip, uint16_t port)
{
    struct triad_sockaddr a = { .ip = ip, .port = port };
    return (int)triad_syscall(SYS_NET_CONNECT, sd, (long)&a, 0);
}
static inline long tsock_sendto(int sd, const void *buf, size_t len, uint32_t ip, uint16_t port)
{
    struct triad_dgram d = { .buf = (uint64_t)(uintptr_t)buf, .len = len, .addr = { .ip = ip, .port = port } };
    return triad_syscall(SYS_NET_SENDTO, sd, (long)&d, 0);
}
static inline long tsock_send(int sd, const void *buf, size_t len) { return tsock_sendto(sd, buf, len, 0, 0); }
static inline long tsock_recvfrom(int sd, void *buf, size_t len, struct triad_sockaddr *from)
{
    struct triad_dgram d = { .buf = (uint64_t)(uintptr_t)buf, .len = len };
    long r = triad_syscall(SYS_NET_RECVFROM, sd, (long)&d, 0);
    if (from)
        *from = d.addr;
    return r;
}
static inline long tsock_recv(int sd, void *buf, size_t len) { return tsock_recvfrom(sd, buf, len, 0); }
static inline int tsock_stats(struct triad_netstats *s) { return (int)triad_syscall(SYS_NET_STATS, (long)s, 0, 0); }
/* TCP server: listen on a bound socket, then accept connections (each a new descriptor). */
static inline int tsock_listen(int sd, unsigned backlog) { return (int)triad_syscall(SYS_NET_LISTEN, sd, (long)backlog, 0); }
static inline int tsock_accept(int sd) { return (int)triad_syscall(SYS_NET_ACCEPT, sd, 0, 0); }
/* Re-initialises the NIC (the driver's recovery entry point): 0 when requested. */
static inline int tsock_nic_reset(void) { return (int)triad_syscall(SYS_NET_NIC_RESET, 0, 0, 0); }
/* what: TRIAD_NETSTATS_MARK / _EXITS (VM exits of a run, under the monitor). */
static inline int tsock_stats_ex(struct triad_netstats *s, unsigned what)
{
    return (int)triad_syscall(SYS_NET_STATS, (long)s, (long)what, 0);
}
/* Events for the ground station (STATUSTEXT): post one (severity 0..7, at most
   50 characters: -EINVAL, -ENAMETOOLONG (36) otherwise); take the oldest
   (1 taken, 0 none waiting).  Both work without a network. */
static inline int tnet_event_post(unsigned severity, const char *text)
{
    return (int)triad_syscall(SYS_NET_EVENT_POST, (long)severity, (long)text, 0);
}
static inline int tnet_event_next(struct triad_event *e) { return (int)triad_syscall(SYS_NET_EVENT_NEXT, (long)e, 0, 0); }
static inline int tnet_state_put(const struct triad_flight_state *s)
{
    return (int)triad_syscall(SYS_NET_STATE_PUT, (long)s, 0, 0);
}
static inline long tnet_state_get(struct triad_flight_state *s) { return triad_syscall(SYS_NET_STATE_GET, (long)s, 0, 0); }
#endif
