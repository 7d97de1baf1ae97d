/*
 * lwIP 2.1.3 configuration for the sandbox kernel: the threaded stack (the
 * tcpip thread owns the core; programs reach it through netconns from their
 * system calls), IPv4 with ARP, ICMP, UDP, TCP and DHCP, static pools sized
 * for a flight computer's telemetry and simulator links.
 */
#ifndef TRIAD_NET_LWIPOPTS_H
#define TRIAD_NET_LWIPOPTS_H

#define NO_SYS                    0
#define SYS_LIGHTWEIGHT_PROT      1
#define LWIP_TCPIP_CORE_LOCKING   1
#define LWIP_NETCONN              1
#define LWIP_SOCKET               0     /* programs get their own socket calls: net/net_syscall.c */
#define LWIP_NETIF_API            0
#define LWIP_SO_RCVTIMEO          1
#define LWIP_IPV4                 1
#define LWIP_IPV6                 0
#define LWIP_ARP                  1
#define ARP_QUEUEING              1     /* keep every datagram sent before the first ARP reply */
#define MEMP_NUM_ARP_QUEUE        32
#define ARP_QUEUE_LEN             16    /* past it lwIP drops the oldest: the first telemetry burst is 5 */
#define LWIP_ICMP                 1
#define LWIP_RAW                  0
#define LWIP_UDP                  1
#define LWIP_TCP                  1
#define LWIP_DHCP                 1
#define DHCP_DOES_ARP_CHECK       0     /* slirp's lease is ours alone; saves a second at boot */
#define LWIP_DNS                  0
#define LWIP_IGMP                 0
#define IP_REASSEMBLY             0
#define IP_FRAG                   0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK  1

#define MEM_ALIGNMENT             8
#define MEM_SIZE                  (128 * 1024)
#define MEMP_NUM_PBUF             32
#define MEMP_NUM_UDP_PCB          8
#define MEMP_NUM_TCP_PCB          8
#define MEMP_NUM_TCP_PCB_LISTEN   4
#define MEMP_NUM_NETCONN          16
#define MEMP_NUM_NETBUF           32
#define MEMP_NUM_TCPIP_MSG_INPKT  32
#define PBUF_POOL_SIZE            64
#define TCP_MSS                   1460
#define TCP_WND                   (4 * TCP_MSS)
#define TCP_SND_BUF               (4 * TCP_MSS)

#define TCPIP_MBOX_SIZE           32
#define DEFAULT_UDP_RECVMBOX_SIZE 16
#define DEFAULT_TCP_RECVMBOX_SIZE 16
#define DEFAULT_ACCEPTMBOX_SIZE   4
#define TCPIP_THREAD_NAME         "tcpip"
#define TCPIP_THREAD_STACKSIZE    0     /* kernel threads have fixed stacks */
#define TCPIP_THREAD_PRIO         0

#define LWIP_STATS                1
#define LWIP_STATS_DISPLAY        0
#define MIB2_STATS                0
#define LWIP_PROVIDE_ERRNO        1
#endif
