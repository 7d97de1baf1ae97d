/*
 * The network system calls: the ABI between the kernel (net/net_syscall.c)
 * and programs (programs include this file; docs/networking.md).  Addresses
 * are IPv4 in host order (10.0.2.2 is 0x0A000202), ports in host order.
 * Results are >= 0 or a negated errno.
 */
#ifndef TRIAD_NET_ABI_H
#define TRIAD_NET_ABI_H
#include <stdint.h>

#define SYS_NET_SOCKET   40     /* (type) -> descriptor */
#define SYS_NET_BIND     41     /* (sd, port) */
#define SYS_NET_CONNECT  42     /* (sd, const struct triad_sockaddr *) */
#define SYS_NET_SENDTO   43     /* (sd, const struct triad_dgram *) -> bytes sent */
#define SYS_NET_RECVFROM 44     /* (sd, struct triad_dgram *) -> bytes received; addr filled */
#define SYS_NET_CLOSE    45     /* (sd) */
#define SYS_NET_SETOPT   46     /* (sd, option, value) */
#define SYS_NET_STATS    47     /* (struct triad_netstats *, TRIAD_NETSTATS_*) */
#define SYS_NET_FIRST    SYS_NET_SOCKET
#define SYS_NET_LAST     SYS_NET_STATS
/* 48-50 are the channel calls (chan/chan_user_abi.h); the network goes on at 51. */
#define SYS_NET_EVENT_POST 51   /* (severity 0..7, const char *text) -> 0: an event for the ground station */
#define SYS_NET_EVENT_NEXT 52   /* (struct triad_event *) -> 1 event taken, 0 none waiting */
#define SYS_NET_NIC_RESET  53   /* () -> 0: re-initialise the NIC (e1000_reset; recovery) */
#define SYS_NET_LISTEN     54   /* (sd, backlog 1..255): a bound TCP socket accepts connections */
#define SYS_NET_ACCEPT     55   /* (sd) -> descriptor of the next connection (waits; receive timeout applies) */
#define SYS_NET_STATE_PUT  56   /* (const struct triad_flight_state *) -> 0: the newest flight state */
#define SYS_NET_STATE_GET  57   /* (struct triad_flight_state *) -> puts so far (0: none yet, *out untouched) */
#define SYS_NET_EV_FIRST SYS_NET_EVENT_POST
#define SYS_NET_EV_LAST  SYS_NET_STATE_GET

#define TRIAD_SOCK_UDP 1
#define TRIAD_SOCK_TCP 2

#define TRIAD_OPT_RCVTIMEO_MS 1     /* 0 = wait forever; a timeout gives -EAGAIN (11) */

#define TRIAD_NET_MAX_DGRAM 1472    /* one Ethernet frame; no IP fragmentation */
#define TRIAD_NET_MAX_SOCKETS 16

struct triad_sockaddr {
    uint32_t ip;
    uint16_t port;
    uint16_t reserved;
};

/* One send or receive: the buffer, its length and the peer (0.0.0.0:0 on a
   send means the connected peer). */
struct triad_dgram {
    uint64_t buf;
    uint64_t len;
    struct triad_sockaddr addr;
};

struct triad_netstats {
    uint32_t ip, netmask, gateway;  /* current address (0 before configuration) */
    uint32_t link_up;
    uint64_t rx_frames, tx_frames, rx_errors, rx_overruns;  /* the NIC */
    uint64_t rx_no_buffer;          /* frames the stack had no buffer for */
    uint64_t irqs, link_changes;
    uint64_t ip_drop, udp_drop, tcp_drop, udp_chkerr;      /* lwIP's counters */
    uint64_t latency_avg, latency_max;                     /* IRQ to driver thread, TSC ticks */
    uint64_t rt_avg, rt_min, rt_max, rt_count;            /* receive IRQ to next transmit, TSC ticks */
    uint64_t nic_resets;    /* re-initialisations of the NIC (SYS_NET_NIC_RESET) */
    uint64_t vm_exits;      /* TRIAD_NETSTATS_EXITS: this core's VM exits since the mark; ~0 unknown */
    uint64_t driver_wakeups;    /* passes of the e1000 thread (an interrupt, or a 1 ms poll) */
    uint64_t driver_ticks;      /* TSC ticks those passes took (interrupt to interrupt work only) */
};

/* Second argument of SYS_NET_STATS.  Under the monitor, MARK remembers this
   core's VM-exit counters and EXITS reports (and prints, by reason) the exits
   since the mark, less the hypercall that reads them; each costs one VMCALL,
   so a program brackets a run with them.  Without the monitor vm_exits is ~0. */
#define TRIAD_NETSTATS_PLAIN 0
#define TRIAD_NETSTATS_MARK  1
#define TRIAD_NETSTATS_EXITS 2
/* Fault and recovery events on their way to the ground station (as MAVLink
   STATUSTEXT, sent by the telemetry program).  Severity as MAV_SEVERITY:
   0 emergency .. 7 debug.  The queue keeps the newest TRIAD_NET_EVENTS; what
   an overflow pushed out is counted in `lost_before` of the next event taken. */
#define TRIAD_NET_EVENTS     32
#define TRIAD_NET_EVENT_TEXT 50     /* STATUSTEXT's text field */
struct triad_event {
    uint32_t seq;                   /* 1, 2, ...: posting order */
    uint32_t lost_before;           /* events overwritten before this one was taken */
    uint8_t severity;
    char text[TRIAD_NET_EVENT_TEXT + 1];    /* NUL-terminated */
    uint8_t reserved[2];
};

/* The flight state the voter publishes once per control period and the
   telemetry program sends as ATTITUDE, LOCAL_POSITION_NED and SYS_STATUS.
   One slot: the newest state wins (telemetry runs slower than the loop).
   The kernel copies it as bytes and never reads the fields. */
#define TRIAD_FS_ARMED     1u       /* flags: motors armed */
#define TRIAD_FS_VOTED     2u       /* the last vote had a majority */
#define TRIAD_FS_DEGRADED  4u       /* fewer than three replicas active */
struct triad_flight_state {
    uint32_t period;                /* control period k of this state, from 1 */
    uint32_t flags;                 /* TRIAD_FS_* */
    uint64_t time_us;               /* flight time: k / rate */
    float    roll, pitch, yaw;      /* rad */
    float    rollspeed, pitchspeed, yawspeed;   /* rad/s */
    float    x, y, z;               /* local NED, m (z down) */
    float    vx, vy, vz;            /* NED, m/s */
    uint8_t  replicas_active;       /* replicas voting (a, b, c or the promoted standby) */
    uint8_t  phase;                 /* 0 disarmed, 1 flying, 2 landing */
    uint16_t disagreements;         /* replicas failed so far */
    uint32_t reserved;
};
_Static_assert(sizeof(struct triad_flight_state) == 72, "flight state layout");
#endif
