/*
 * Socket system calls over lwIP netconns.  The calling program's thread runs
 * the netconn call itself and blocks in the kernel until lwIP answers (the
 * tcpip thread does the protocol work).  A descriptor belongs to the process
 * that opened it; descriptors of processes that are gone are reclaimed when
 * a new socket is asked for.
 */
#include "net.h"
#include "net_events.h"
#include "drivers/net/e1000.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "lwip/api.h"
#include "lwip/netbuf.h"
#include "user/process.h"
#include "user/usercopy.h"
#include "kernel/string.h"
#include "sched/sync.h"

#ifndef E_BADF
#define E_BADF 9
#endif

struct sock {
    struct netconn *conn;
    int pid;
    int type;
    struct pbuf *pending;       /* TCP: bytes received but not yet read */
    uint16_t pending_off;
};

static struct sock socks[TRIAD_NET_MAX_SOCKETS];
static struct semaphore table_lock = { { 0 }, 1, 0, 0 };

static void sock_release(struct sock *s)
{
    if (s->pending)
        pbuf_free(s->pending);
    netconn_delete(s->conn);
    *s = (struct sock){ 0 };
}

static long from_err(err_t e)
{
    switch (e) {
    case ERR_OK: return 0;
    case ERR_MEM: case ERR_BUF: return -E_NOMEM;
    case ERR_TIMEOUT: case ERR_WOULDBLOCK: return -E_AGAIN;
    case ERR_USE: return -E_BUSY;
    case ERR_ARG: case ERR_VAL: return -E_INVAL;
    default: return -E_PERM;        /* connection reset, closed, routing: the peer is not there */
    }
}

/* A free slot (reclaiming those of exited processes) for `conn`, or -E_NOMEM.
   With conn 0 a new netconn of `type` is made. */
static long alloc_sock(int pid, int type, struct netconn *conn)
{
    sem_wait(&table_lock);
    long sd = -E_NOMEM;
    for (unsigned i = 0; i < TRIAD_NET_MAX_SOCKETS; i++) {
        struct sock *s = &socks[i];
        if (s->conn) {
            struct process *owner = process_by_pid(s->pid);
            if (owner && !owner->zombie)
                continue;
            sock_release(s);
        }
        if (sd < 0) {
            s->conn = conn ? conn : netconn_new(type == TRIAD_SOCK_UDP ? NETCONN_UDP : NETCONN_TCP);
            if (!s->conn)
                break;
            s->pid = pid;
            s->type = type;
            sd = i;
        }
    }
    sem_post(&table_lock);
    return sd;
}

static long sys_socket(int pid, uint64_t type)
{
    if (type != TRIAD_SOCK_UDP && type != TRIAD_SOCK_TCP)
        return -E_INVAL;
    return alloc_sock(pid, (int)type, 0);
}

static void nagle_off(struct netconn *c)
{
    /* Control links send small messages and wait for the answer: Nagle's
       coalescing would hold each one back until the previous ACK. */
    LOCK_TCPIP_CORE();
    tcp_nagle_disable(c->pcb.tcp);
    UNLOCK_TCPIP_CORE();
}

/* A TCP server: the listening socket's next connection as a new descriptor. */
static long sys_accept(int pid, struct sock *s)
{
    if (s->type != TRIAD_SOCK_TCP)
        return -E_INVAL;
    struct netconn *nc;
    err_t e = netconn_accept(s->conn, &nc);
    if (e != ERR_OK)
        return from_err(e);
    nagle_off(nc);
    long sd = alloc_sock(pid, TRIAD_SOCK_TCP, nc);
    if (sd < 0)
        netconn_delete(nc);     /* no descriptor left: the peer sees the connection closed */
    return sd;
}

static struct sock *lookup(int pid, uint64_t sd)
{
    if (sd >= TRIAD_NET_MAX_SOCKETS || !socks[sd].conn || socks[sd].pid != pid)
        return 0;
    return &socks[sd];
}

static void to_ip(const struct triad_sockaddr *a, ip_addr_t *ip) { ip_addr_set_ip4_u32(ip, lwip_htonl(a->ip)); }

static long sys_sendto(struct process *p, struct sock *s, uint64_t udgram)
{
    struct triad_dgram d;
    uint8_t data[TRIAD_NET_MAX_DGRAM];
    if (copy_from_user(&p->as, &d, udgram, sizeof d) != 0)
        return -E_FAULT;
    if (d.len == 0 || d.len > sizeof data)
        return -E_INVAL;
    if (copy_from_user(&p->as, data, d.buf, d.len) != 0)
        return -E_FAULT;
    if (s->type == TRIAD_SOCK_TCP) {
        err_t e = netconn_write(s->conn, data, d.len, NETCONN_COPY);
        return e == ERR_OK ? (long)d.len : from_err(e);
    }
    struct netbuf *nb = netbuf_new();
    if (!nb)
        return -E_NOMEM;
    void *payload = netbuf_alloc(nb, (u16_t)d.len);
    if (!payload) {
        netbuf_delete(nb);
        return -E_NOMEM;
    }
    memcpy(payload, data, d.len);
    err_t e;
    if (d.addr.ip == 0 && d.addr.port == 0) {
        e = netconn_send(s->conn, nb);
    } else {
        ip_addr_t to;
        to_ip(&d.addr, &to);
        e = netconn_sendto(s->conn, nb, &to, d.addr.port);
    }
    netbuf_delete(nb);
    return e == ERR_OK ? (long)d.len : from_err(e);
}

static long recv_tcp(struct process *p, struct sock *s, struct triad_dgram *d)
{
    if (!s->pending) {
        err_t e = netconn_recv_tcp_pbuf(s->conn, &s->pending);
        if (e != ERR_OK)
            return e == ERR_CLSD ? 0 : from_err(e);
        s->pending_off = 0;
    }
    uint8_t data[TRIAD_NET_MAX_DGRAM];
    u16_t left = (u16_t)(s->pending->tot_len - s->pending_off);
    u16_t n = (u16_t)(d->len < left ? d->len : left);
    if (n > sizeof data)
        n = sizeof data;
    pbuf_copy_partial(s->pending, data, n, s->pending_off);
    if (copy_to_user(&p->as, d->buf, data, n) != 0)
        return -E_FAULT;        /* the bytes stay pending for a correct retry */
    s->pending_off = (u16_t)(s->pending_off + n);
    if (s->pending_off >= s->pending->tot_len) {
        pbuf_free(s->pending);
        s->pending = 0;
    }
    return n;
}

static long sys_recvfrom(struct process *p, struct sock *s, uint64_t udgram)
{
    struct triad_dgram d;
    if (copy_from_user(&p->as, &d, udgram, sizeof d) != 0)
        return -E_FAULT;
    if (d.len == 0)
        return -E_INVAL;
    if (s->type == TRIAD_SOCK_TCP)
        return recv_tcp(p, s, &d);
    struct netbuf *nb;
    err_t e = netconn_recv(s->conn, &nb);
    if (e != ERR_OK)
        return from_err(e);
    uint8_t data[TRIAD_NET_MAX_DGRAM];
    u16_t n = netbuf_copy(nb, data, (u16_t)(d.len < sizeof data ? d.len : sizeof data));
    d.addr.ip = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(netbuf_fromaddr(nb))));
    d.addr.port = netbuf_fromport(nb);
    netbuf_delete(nb);
    if (copy_to_user(&p->as, d.buf, data, n) != 0 || copy_to_user(&p->as, udgram, &d, sizeof d) != 0)
        return -E_FAULT;
    return n;
}

long net_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct process *p = process_current();
    if (nr == SYS_NET_EVENT_POST || nr == SYS_NET_EVENT_NEXT)
        return net_event_syscall(nr, a0, a1);       /* with or without a network */
    if (nr == SYS_NET_STATE_PUT || nr == SYS_NET_STATE_GET)
        return net_state_syscall(nr, a0);
    if (nr == SYS_NET_STATS) {
        struct triad_netstats st;
        if (a1 > TRIAD_NETSTATS_EXITS)
            return -E_INVAL;
        net_get_stats(&st, (unsigned)a1);
        return copy_to_user(&p->as, a0, &st, sizeof st) != 0 ? -E_FAULT : 0;
    }
    if (!net_is_up())
        return -E_NOENT;        /* no network in this sandbox (no triad.net= or no NIC) */
    if (nr == SYS_NET_SOCKET)
        return sys_socket(p->pid, a0);
    if (nr == SYS_NET_NIC_RESET)
        return e1000_reset();
    struct sock *s = lookup(p->pid, a0);
    if (!s)
        return -E_BADF;
    switch (nr) {
    case SYS_NET_BIND:
        return a1 > 65535 ? -E_INVAL : from_err(netconn_bind(s->conn, IP_ADDR_ANY, (u16_t)a1));
    case SYS_NET_CONNECT: {
        struct triad_sockaddr a;
        ip_addr_t to;
        if (copy_from_user(&p->as, &a, a1, sizeof a) != 0)
            return -E_FAULT;
        to_ip(&a, &to);
        long r = from_err(netconn_connect(s->conn, &to, a.port));
        if (r == 0 && s->type == TRIAD_SOCK_TCP)
            nagle_off(s->conn);
        return r;
    }
    case SYS_NET_LISTEN: {
        if (s->type != TRIAD_SOCK_TCP || a1 == 0 || a1 > 255)
            return -E_INVAL;
        return from_err(netconn_listen_with_backlog(s->conn, (u8_t)a1));
    }
    case SYS_NET_ACCEPT:
        return sys_accept(p->pid, s);
    case SYS_NET_SENDTO:
        return sys_sendto(p, s, a1);
    case SYS_NET_RECVFROM:
        return sys_recvfrom(p, s, a1);
    case SYS_NET_CLOSE:
        sem_wait(&table_lock);
        sock_release(s);
        sem_post(&table_lock);
        return 0;
    case SYS_NET_SETOPT:
        if (a1 != TRIAD_OPT_RCVTIMEO_MS || a2 > 3600000)
            return -E_INVAL;
        netconn_set_recvtimeout(s->conn, (int)a2);
        return 0;
    default:
        return -E_NOSYS;
    }
}
