/*
 * Bringing the network up: the e1000 becomes an lwIP netif, the tcpip thread
 * runs on its own Main VCPU, the driver thread hands frames to the stack and
 * the address comes from `triad.net=` (DHCP or static).
 */
#include "net_decisions.h"
#include "net.h"
#include "net_config.h"
#include "lwip/tcpip.h"
#include "lwip/netif.h"
#include "lwip/dhcp.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/etharp.h"
#include "netif/ethernet.h"
#include "drivers/net/e1000.h"
#include "drivers/net/pci.h"
#include "nic_watchdog.h"
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "sched/sync.h"
#include "chan/chan_exits.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/paging.h"
#include "../../monitor/abi/hypercall.h"

void sys_arch_set_vcpu(struct vcpu *v);
void sys_arch_start_timer(void);

#define TCPIP_C_US    2000      /* the stack's Main VCPU: 2 ms every 10 ms */
#define TCPIP_T_US    10000
#define DRIVER_U_PPM  50000     /* the driver's I/O VCPU: 5% */
#define DHCP_WAIT_NS  10000000000ull

static struct netif nic_if;
static int up;
static uint64_t rx_no_buffer;
static uint8_t tx_frame[E1000_MAX_FRAME];

static err_t link_output(struct netif *n, struct pbuf *p)
{
    (void)n;
    if (p->tot_len > sizeof tx_frame)
        return ERR_BUF;
    /* Callers hold the core lock, so one frame buffer is enough. */
    pbuf_copy_partial(p, tx_frame, p->tot_len, 0);
    return e1000_transmit(tx_frame, p->tot_len) == 0 ? ERR_OK : ERR_IF;
}

static err_t nic_netif_init(struct netif *n)
{
    n->name[0] = 'e';
    n->name[1] = 'n';
    n->output = etharp_output;
    n->linkoutput = link_output;
    n->mtu = 1500;
    n->hwaddr_len = 6;
    e1000_mac(n->hwaddr);
    n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    return ERR_OK;
}

/* From the driver thread: one received frame into a pool buffer, then to the tcpip thread. */
static void frame_in(const uint8_t *frame, unsigned len, void *ctx)
{
    struct netif *n = ctx;
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
    if (!p) {
        rx_no_buffer++;
        return;
    }
    pbuf_take(p, frame, (u16_t)len);
    if (n->input(p, n) != ERR_OK) {
        pbuf_free(p);
        rx_no_buffer++;
    }
}

static void link_changed(int link_up, void *ctx)
{
    struct netif *n = ctx;
    printk("net: link %s\n", link_up ? "up" : "down");
    LOCK_TCPIP_CORE();
    if (link_up)
        netif_set_link_up(n);
    else
        netif_set_link_down(n);
    UNLOCK_TCPIP_CORE();
}

static void stack_ready(void *arg) { sem_post(arg); }

/* Remote driver recovery (issue 9, docs/recovery.md): a sandbox that is a
   device's declared standby (triad.net-standby=1) holds no device at boot;
   it asks its monitor every STANDBY_POLL_NS (one VM exit each) until the
   monitor has handed the NIC over (its owner faulted), then brings the
   driver and the network up as an owner would.  0 when the device is ours,
   -1 when the monitor names us the standby of nothing. */
#define STANDBY_POLL_NS 10000000ull
static uint64_t standby_seen_tsc;

static int standby_wait(void)
{
    static struct triad_hc_info info;   /* the kernel image is mapped 1:1: guest-physical */
    int announced = 0;
    for (;;) {
        if (hypercall(TRIAD_HC_SANDBOX_INFO, (uint64_t)(uintptr_t)&info, sizeof info, 0) < (int64_t)sizeof info)
            return -1;
        if (info.devices_held != 0 && !announced) {
            /* ours already: the table's owner at boot (a voter pair's NIC,
               triad.net-standby=thread), nothing was handed over */
            printk("net: standby: the device is ours (devices %x)\n", info.devices_held);
            return 0;
        }
        if (info.devices_held != 0) {
            standby_seen_tsc = rdtsc();
            printk("net: standby: device handed over by the monitor (devices %x) t=%lu\n", info.devices_held,
                   (unsigned long)standby_seen_tsc);
            return 0;
        }
        if (info.devices_awaited == 0)
            return -1;
        if (!announced++)
            printk("net: standby: waiting for the NIC (devices %x), polling every %lu ms\n", info.devices_awaited,
                   (unsigned long)(STANDBY_POLL_NS / 1000000ull));
        thread_sleep_ns(STANDBY_POLL_NS);
    }
}

static void print_address(const char *how)
{
    uint32_t ip = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&nic_if)));
    uint32_t gw = lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(&nic_if)));
    uint32_t mask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(&nic_if)));
    unsigned prefix = 0;
    while (prefix < 32 && (mask & (0x80000000u >> prefix)))
        prefix++;
    printk("net: address %u.%u.%u.%u/%u gateway %u.%u.%u.%u (%s)\n", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
           ip & 255, prefix, gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255, gw & 255, how);
}

/* A static address learns the gateway's MAC before any program sends: the
   first datagrams of a program that starts at once (telemetry's first
   burst) were lost while the ARP request was out (seen under QEMU's slirp).
   Bounded: 1 s at most, then programs start anyway (under QEMU -icount
   with sleep=off an idle guest's clock jumps ahead while the emulator's
   slirp answers in host time: 100 ms of guest time was not enough). */
static void resolve_gateway(struct netif *n, const ip4_addr_t *gw)
{
    LOCK_TCPIP_CORE();
    etharp_request(n, gw);
    UNLOCK_TCPIP_CORE();
    for (int i = 0; i < 500; i++) {
        struct eth_addr *eth;
        const ip4_addr_t *ip;
        LOCK_TCPIP_CORE();
        ssize_t found = etharp_find_addr(n, gw, &eth, &ip);
        UNLOCK_TCPIP_CORE();
        if (found >= 0)
            return;
        thread_sleep_ns(2000000);
    }
    printk("net: the gateway did not answer ARP within 1 s\n");
}

static struct net_config up_cfg;
static uint64_t up_dma_offset;
static const char *up_cmdline;
static void bring_up(void);

static void standby_thread(void *arg)
{
    (void)arg;
    if (standby_wait() != 0) {
        printk("net: standby: the monitor names this sandbox the standby of no device: network off\n");
        return;
    }
    bring_up();
}

void net_start(const char *cmdline)
{
    char value[64];
    struct net_config cfg;
    net_decisions_configure(cmdline);
    if (!cmdline_get(cmdline, "triad.net", value, sizeof value))
        return;
    if (!net_config_parse(value, &cfg)) {
        printk("net: triad.net='%s' is neither 'dhcp' nor A.B.C.D/P[,GATEWAY]: network off\n", value);
        return;
    }
    /* triad.dma-offset: the sandbox's host-physical base, for the NIC's DMA
       under the monitor, which adds the word for a sandbox owning a device
       (monitor/bootinfo.c).  Standalone there is none: offset 0. */
    uint64_t dma_offset = 0;
    if (cmdline_get_u64(cmdline, "triad.dma-offset", 0, &dma_offset) < 0) {
        printk("net: triad.dma-offset is not a number: network off\n");
        return;
    }
    /* triad.irq-vector: the monitor routed the NIC's line to this core at
       that vector (monitor/irq_route.h); without it the driver polls under
       the monitor.  Before the standby's wait: a NIC handed over may
       interrupt before the driver has it. */
    uint64_t vector = 0;
    if (cmdline_get_u64(cmdline, "triad.irq-vector", 1, &vector) < 0 || vector > 0xFF) {
        printk("net: triad.irq-vector is not a vector: network off\n");
        return;
    }
    /* triad.nic-poll=1: poll even so (bench 60 compares the two modes). */
    char poll[4];
    if (cmdline_get(cmdline, "triad.nic-poll", poll, sizeof poll) && poll[0] == '1')
        vector = 0;
    if (vector != 0)
        e1000_use_vector((unsigned)vector);
    char probe[16];
    if (cmdline_get(cmdline, "triad.pci-probe", probe, sizeof probe))
        pci_probe_report(probe);        /* tests: what the configuration ports show */
    /* triad.net-standby=1: wait for the NIC before the programs start (a
       spare); =thread: wait in a kernel thread while they run (the I/O
       failover's voter pair: the voter in shadow must vote meanwhile, and
       the device follows the voter role, docs/recovery.md) */
    char standby[8];
    up_cfg = cfg;
    up_dma_offset = dma_offset;
    up_cmdline = cmdline;
    if (cmdline_get(cmdline, "triad.net-standby", standby, sizeof standby) && strcmp(standby, "thread") == 0) {
        if (!thread_create("net-standby", standby_thread, 0, vcpu_best_effort()))
            printk("net: standby: no thread to wait in: network off\n");
        return;
    }
    if (cmdline_get(cmdline, "triad.net-standby", standby, sizeof standby) && standby[0] == '1' &&
        standby_wait() != 0) {
        printk("net: standby: the monitor names this sandbox the standby of no device: network off\n");
        return;
    }
    bring_up();
}

/* The driver and the interface up, the NIC being ours (net_start's
   configuration). */
static void bring_up(void)
{
    const struct net_config cfg = up_cfg;
    const uint64_t dma_offset = up_dma_offset;
    const char *cmdline = up_cmdline;
    int r = e1000_init(dma_offset);
    const uint64_t init_done = rdtsc();
    if (r != 0) {
        printk("net: no e1000 (82540EM) for this sandbox (error %d): network off\n", r);
        return;
    }
    uint8_t mac[6];
    e1000_mac(mac);
    printk("net: e1000 at %s, mac %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", e1000_describe(), mac[0], mac[1],
           mac[2], mac[3], mac[4], mac[5], e1000_link_up() ? "up" : "down");

    struct vcpu_params p = { .type = VCPU_MAIN, .C_us = TCPIP_C_US, .T_us = TCPIP_T_US };
    int id = vcpu_create(&p);
    sys_arch_set_vcpu(id > 0 ? vcpu_by_id(id) : vcpu_best_effort());
    sys_arch_start_timer();
    struct semaphore ready;
    sem_init(&ready, 0);
    tcpip_init(stack_ready, &ready);
    sem_wait(&ready);

    ip4_addr_t ip, mask, gw;
    ip4_addr_set_u32(&ip, lwip_htonl(cfg.ip));
    ip4_addr_set_u32(&mask, lwip_htonl(cfg.netmask));
    ip4_addr_set_u32(&gw, lwip_htonl(cfg.gateway));
    LOCK_TCPIP_CORE();
    netif_add(&nic_if, &ip, &mask, &gw, 0, nic_netif_init, tcpip_input);
    netif_set_default(&nic_if);
    netif_set_up(&nic_if);
    if (e1000_link_up())
        netif_set_link_up(&nic_if);
    UNLOCK_TCPIP_CORE();
    r = e1000_start(frame_in, link_changed, &nic_if, DRIVER_U_PPM);
    if (r != 0) {
        printk("net: driver thread not started (error %d): network off\n", r);
        return;
    }
    nic_watchdog_start(cmdline);     /* local driver recovery (issue 9) */
    if (cfg.mode == NET_DHCP) {
        LOCK_TCPIP_CORE();
        dhcp_start(&nic_if);
        UNLOCK_TCPIP_CORE();
        uint64_t deadline = now_ns() + DHCP_WAIT_NS;
        while (!dhcp_supplied_address(&nic_if) && now_ns() < deadline)
            thread_sleep_ns(10000000);
        if (!dhcp_supplied_address(&nic_if)) {
            printk("net: no DHCP answer within 10 s: still asking in the background\n");
            up = 1;
            e1000_report_first_interrupt();
            return;
        }
    }
    if (cfg.mode != NET_DHCP && cfg.gateway)
        resolve_gateway(&nic_if, &gw);
    up = 1;
    print_address(cfg.mode == NET_DHCP ? "dhcp" : "static");
    if (standby_seen_tsc) {
        /* the remote recovery's phases on this side: driver initialisation
           (device reset, rings, MAC) and network interface up (lwIP netif,
           tcpip thread, address) */
        const uint64_t now = rdtsc();
        printk("net: RECOVERY driver=e1000 remote t=%lu reinit=%lu netif=%lu total=%lu total_us=%lu\n",
               (unsigned long)now, (unsigned long)(init_done - standby_seen_tsc), (unsigned long)(now - init_done),
               (unsigned long)(now - standby_seen_tsc),
               (unsigned long)(tsc_hz ? (now - standby_seen_tsc) * 1000000ull / tsc_hz : 0));
    }
    e1000_report_first_interrupt();     /* after the phases above: its console line is not theirs */
}

int net_is_up(void) { return up; }

/* VM exits of this core during a network run (bench and the Bochs test). */
static struct chan_exits exits_mark;

static uint64_t vm_exits(unsigned what)
{
    if (what == TRIAD_NETSTATS_MARK) {
        chan_exits_snapshot(&exits_mark);
        return exits_mark.have ? 0 : ~0ull;
    }
    if (what != TRIAD_NETSTATS_EXITS)
        return ~0ull;
    struct chan_exits now;
    char text[192];
    chan_exits_snapshot(&now);
    long n = chan_exits_between(&exits_mark, &now, text, sizeof text);
    printk("net: VM exits on this core since the mark: %s\n", text);
    return n < 0 ? ~0ull : (uint64_t)n;
}

void net_get_stats(struct triad_netstats *out, unsigned what)
{
    struct e1000_stats s;
    e1000_get_stats(&s);
    *out = (struct triad_netstats){ 0 };
    out->vm_exits = vm_exits(what);
    if (up) {
        out->ip = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&nic_if)));
        out->netmask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(&nic_if)));
        out->gateway = lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(&nic_if)));
        out->link_up = netif_is_link_up(&nic_if);
    }
    out->rx_frames = s.rx_frames;
    out->tx_frames = s.tx_frames;
    out->rx_errors = s.rx_errors;
    out->rx_overruns = s.rx_overruns;
    out->rx_no_buffer = rx_no_buffer;
    out->irqs = s.irqs;
    out->link_changes = s.link_changes;
    out->nic_resets = s.resets;
    out->rt_avg = s.rt_count ? s.rt_sum / s.rt_count : 0;
    out->rt_min = s.rt_min;
    out->rt_max = s.rt_max;
    out->rt_count = s.rt_count;
    out->ip_drop = lwip_stats.ip.drop;
    out->udp_drop = lwip_stats.udp.drop;
    out->tcp_drop = lwip_stats.tcp.drop;
    out->udp_chkerr = lwip_stats.udp.chkerr;
    out->latency_avg = s.latency_count ? s.latency_sum / s.latency_count : 0;
    out->latency_max = s.latency_max;
    out->driver_wakeups = s.wakeups;
    out->driver_ticks = s.thread_ticks;
}

/* Here, not in nic_watchdog.c: this file is outside the driver's code that
   kernel.ld gathers and the kernel registers with the monitor, so the
   monitor must answer this fault with a restart (outside-driver). */
void net_test_write_outside_driver(uint64_t gpa)
{
    struct e1000_stats st;
    e1000_get_stats(&st);
    printk("net: test: a write outside the driver's code (net.c) at %lx, tx frames %lu\n", (unsigned long)gpa,
           (unsigned long)st.tx_frames);
    if (!paging_kernel_map(gpa)) {
        printk("net: test: %lx cannot be mapped: no fault injected\n", (unsigned long)gpa);
        return;
    }
    console_flush();    /* the monitor stops this sandbox at the write: the queued lines first */
    *(volatile uint64_t *)(uintptr_t)gpa = 0x5452494144ull;
    printk("net: test: the write outside the driver was not stopped (no monitor?)\n");
}
