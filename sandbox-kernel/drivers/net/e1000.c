#include "e1000.h"
#include "e1000_regs.h"
#include "pci.h"
#include "../../kernel/printk.h"
#include "../../kernel/string.h"
#include "../../kernel/spinlock.h"
#include "../../arch/x86_64/cpu.h"
#include "../../arch/x86_64/pit.h"
#include "../../arch/x86_64/lapic.h"
#include "../../arch/x86_64/trap.h"
#include "../../arch/x86_64/paging.h"
#include "../../sched/sync.h"
#include "../../../recovery/driver_watchdog.h"

#define RX_COUNT 32                 /* multiples of 8: the ring length must be a multiple of 128 bytes */
#define TX_COUNT 32
#define BUF_SIZE 2048
#define POLL_NS  1000000ull         /* without an interrupt line: 1 ms */

/* The kernel maps its image 1:1, so these addresses are also what the NIC uses. */
static struct e1000_rx_desc rx_ring[RX_COUNT] __attribute__((aligned(128)));
static struct e1000_tx_desc tx_ring[TX_COUNT] __attribute__((aligned(128)));
static uint8_t rx_buf[RX_COUNT][BUF_SIZE] __attribute__((aligned(16)));
static uint8_t tx_buf[TX_COUNT][BUF_SIZE] __attribute__((aligned(16)));

static struct pci_function nic;
/* What the NIC must add to a kernel address to reach the same byte: 0
   standalone; under the monitor the sandbox's host-physical base (EPT maps
   its RAM at guest-physical 0, but a device without an IOMMU sees host
   addresses). */
static uint64_t dma_offset;
static volatile uint8_t *mmio;
static uint8_t mac_addr[6];
static unsigned irq_line = 0xFF;
/* Under the monitor: the vector the monitor routed the NIC's line to
   through the I/O APIC (triad.irq-vector, monitor/irq_route.h); 0 = none. */
static unsigned apic_vector;
static int polling;
static unsigned rx_next, tx_next;
static spinlock_t tx_lock;
static struct semaphore irq_sem;
static struct e1000_stats stats;
static volatile uint64_t irq_tsc;
static volatile int rt_armed;       /* an interrupt came; the next transmit closes a round trip */
static e1000_rx_fn rx_cb;
static e1000_link_fn link_cb;
static void *cb_ctx;
static int link_state;
static volatile int reset_requested;
/* The first interrupt's console line, said once the network is up rather
   than at the interrupt: a console line costs ~10 ms of UART time under
   Bochs, and a standby taking a device over printed it in the middle of its
   start (remote recovery 69.6 ms instead of 55.8 ms, docs/recovery.md).
   HELD until net_start asks, DUE until an interrupt has come, then SAID by
   whichever of the two threads wins the exchange. */
enum { FIRST_IRQ_HELD, FIRST_IRQ_DUE, FIRST_IRQ_SAID };
static int first_irq_state = FIRST_IRQ_HELD;
static char description[96];

/* Under the Triad monitor (CPUID hypervisor leaf signature "Tria") the legacy
   PIC is emulated and wired to nothing of ours: the NIC interrupts through
   the I/O APIC when the monitor routed its line (e1000_use_vector), else
   the driver polls. */
static int under_triad_monitor(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 31)))
        return 0;
    cpuid(0x40000000u, 0, r);
    return r[1] == 0x61697254u;
}

static uint32_t rd(unsigned reg) { return *(volatile uint32_t *)(mmio + reg); }
static void wr(unsigned reg, uint32_t v) { *(volatile uint32_t *)(mmio + reg) = v; }

static uint16_t eeprom_word(unsigned addr)
{
    wr(REG_EERD, EERD_START | addr << 8);
    for (unsigned i = 0; i < 100000; i++) {          /* bounded: a missing EEPROM gives 0 */
        uint32_t v = rd(REG_EERD);
        if (v & EERD_DONE)
            return (uint16_t)(v >> 16);
    }
    return 0;
}

static void read_mac(void)
{
    uint32_t ral = rd(REG_RAL0), rah = rd(REG_RAH0);
    if (rah & RAH_AV) {         /* the firmware (or the emulator) already loaded it */
        for (unsigned i = 0; i < 4; i++)
            mac_addr[i] = (uint8_t)(ral >> (8 * i));
        mac_addr[4] = (uint8_t)rah;
        mac_addr[5] = (uint8_t)(rah >> 8);
        return;
    }
    for (unsigned i = 0; i < 3; i++) {
        uint16_t w = eeprom_word(i);
        mac_addr[2 * i] = (uint8_t)w;
        mac_addr[2 * i + 1] = (uint8_t)(w >> 8);
    }
    wr(REG_RAL0, (uint32_t)mac_addr[0] | (uint32_t)mac_addr[1] << 8 | (uint32_t)mac_addr[2] << 16 |
                 (uint32_t)mac_addr[3] << 24);
    wr(REG_RAH0, (uint32_t)mac_addr[4] | (uint32_t)mac_addr[5] << 8 | RAH_AV);
}

static uint64_t bus(const void *p) { return (uint64_t)(uintptr_t)p + dma_offset; }

static void rings_init(void)
{
    for (unsigned i = 0; i < RX_COUNT; i++) {
        rx_ring[i].addr = bus(rx_buf[i]);
        rx_ring[i].status = 0;
    }
    for (unsigned i = 0; i < TX_COUNT; i++) {
        tx_ring[i].addr = bus(tx_buf[i]);
        tx_ring[i].status = TXD_DD;     /* free */
        tx_ring[i].cmd = 0;
    }
    uint64_t rx = bus(rx_ring), tx = bus(tx_ring);
    wr(REG_RDBAL, (uint32_t)rx);
    wr(REG_RDBAH, (uint32_t)(rx >> 32));
    wr(REG_RDLEN, sizeof rx_ring);
    wr(REG_RDH, 0);
    wr(REG_RDT, RX_COUNT - 1);          /* every buffer but one belongs to the NIC */
    rx_next = 0;
    wr(REG_TDBAL, (uint32_t)tx);
    wr(REG_TDBAH, (uint32_t)(tx >> 32));
    wr(REG_TDLEN, sizeof tx_ring);
    wr(REG_TDH, 0);
    wr(REG_TDT, 0);
    tx_next = 0;
    for (unsigned i = 0; i < 128; i++)
        wr(REG_MTA + 4 * i, 0);
    wr(REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
    wr(REG_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
    wr(REG_TIPG, TIPG_82540);
}

/* The device from scratch: masked, reset, link forced up, MAC, empty rings.
   Frames in the rings are lost (counted by the caller). */
static void hw_reset(void)
{
    wr(REG_IMC, 0xFFFFFFFFu);
    wr(REG_CTRL, rd(REG_CTRL) | CTRL_RST);
    for (unsigned i = 0; i < 100000 && (rd(REG_CTRL) & CTRL_RST); i++)
        cpu_relax();
    wr(REG_IMC, 0xFFFFFFFFu);
    (void)rd(REG_ICR);
    wr(REG_CTRL, rd(REG_CTRL) | CTRL_SLU | CTRL_ASDE);
    read_mac();
    rings_init();
}

static int init_device(uint64_t host_offset);
static void set_task_priority(unsigned cls);

int e1000_init(uint64_t host_offset)
{
    int r = init_device(host_offset);
    if (r != 0 && apic_vector)
        set_task_priority(0);   /* no NIC of ours: nothing to hold the vector back for */
    return r;
}

static int init_device(uint64_t host_offset)
{
    dma_offset = host_offset;
    if (!pci_find(E1000_VENDOR_INTEL, E1000_DEV_82540EM, 0, &nic))
        return -E_NOENT;
    uint32_t bar = pci_read32(&nic, PCI_BAR0);
    uint64_t base = bar & ~0xFull;
    if ((bar & 1) || base == 0)
        return -E_NOENT;        /* BAR0 of an 82540EM is memory; anything else is not ours */
    if ((bar & 0x6) == 0x4)
        base |= (uint64_t)pci_read32(&nic, PCI_BAR0 + 4) << 32;
    if (!paging_kernel_map(base) || !paging_kernel_map(base + 0x1FFFF))
        return -E_NOMEM;
    mmio = (volatile uint8_t *)(uintptr_t)base;
    uint32_t cmd = pci_read32(&nic, PCI_COMMAND);
    pci_write32(&nic, PCI_COMMAND, (cmd | PCI_CMD_MEMORY | PCI_CMD_BUS_MASTER) & ~(uint32_t)PCI_CMD_INTX_OFF);
    irq_line = pci_read32(&nic, PCI_INTERRUPT_LINE) & 0xFF;

    hw_reset();
    link_state = e1000_link_up();
    if (under_triad_monitor())
        polling = apic_vector == 0;
    else
        polling = irq_line == 0 || irq_line >= 16;
    int n = snprintk(description, sizeof description, "pci %02x:%02x.%x mmio %lx %s %u", nic.bus, nic.dev, nic.fn,
                     (unsigned long)base, polling ? "polled, irq" : "irq", irq_line);
    if (!polling && apic_vector && n > 0 && (size_t)n < sizeof description)
        n += snprintk(description + n, sizeof description - (size_t)n, " vector 0x%x (ioapic)", apic_vector);
    if (dma_offset && n > 0 && (size_t)n < sizeof description)
        snprintk(description + n, sizeof description - (size_t)n, " dma +%lx", (unsigned long)dma_offset);
    return 0;
}

const char *e1000_describe(void) { return description; }
void e1000_mac(uint8_t mac[6]) { memcpy(mac, mac_addr, 6); }
int e1000_link_up(void) { return mmio && (rd(REG_STATUS) & STATUS_LU) != 0; }

int e1000_transmit(const void *frame, unsigned len)
{
    if (len == 0 || len > E1000_MAX_FRAME) {
        stats.tx_too_long++;
        return -E_INVAL;
    }
    uint64_t flags = spin_lock_irqsave(&tx_lock);
    struct e1000_tx_desc *d = &tx_ring[tx_next];
    if (!(d->status & TXD_DD)) {
        stats.tx_ring_full++;
        spin_unlock_irqrestore(&tx_lock, flags);
        return -E_AGAIN;
    }
    memcpy(tx_buf[tx_next], frame, len);
    d->length = (uint16_t)len;
    d->status = 0;
    d->cmd = TXD_EOP | TXD_IFCS | TXD_RS;
    tx_next = (tx_next + 1) % TX_COUNT;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* descriptor before the doorbell */
    wr(REG_TDT, tx_next);
    if (rt_armed) {
        /* Receive interrupt to this doorbell: an echo's whole path through
           the driver, lwIP, the program and back (the bench's figure). */
        uint64_t rt = rdtsc() - irq_tsc;
        rt_armed = 0;
        stats.rt_sum += rt;
        stats.rt_count++;
        if (rt > stats.rt_max)
            stats.rt_max = rt;
        if (stats.rt_min == 0 || rt < stats.rt_min)
            stats.rt_min = rt;
    }
    stats.tx_frames++;
    stats.tx_bytes += len;
    spin_unlock_irqrestore(&tx_lock, flags);
    return 0;
}

/* Hands every completed receive buffer to the stack and gives it back to the NIC. */
static void receive_all(void)
{
    for (unsigned n = 0; n < RX_COUNT; n++) {
        struct e1000_rx_desc *d = &rx_ring[rx_next];
        if (!(d->status & RXD_DD))
            return;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if ((d->status & RXD_EOP) && d->errors == 0 && d->length > 0 && d->length <= BUF_SIZE) {
            stats.rx_frames++;
            stats.rx_bytes += d->length;
            if (rx_cb)
                rx_cb(rx_buf[rx_next], d->length, cb_ctx);
        } else {
            stats.rx_errors++;      /* errored or multi-buffer frame: larger than we accept */
        }
        d->status = 0;
        wr(REG_RDT, rx_next);
        rx_next = (rx_next + 1) % RX_COUNT;
    }
}

static void service(uint32_t icr)
{
    if (icr & ICR_RXO)
        stats.rx_overruns++;
    receive_all();
    if (icr & ICR_LSC) {
        int up = e1000_link_up();
        if (up != link_state) {
            link_state = up;
            stats.link_changes++;
            if (link_cb)
                link_cb(up, cb_ctx);
        }
    }
}

#define IRQ_CAUSES (ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC)

/* On the driver thread, so no receive runs meanwhile; transmitters wait on
   the lock.  The stack sees a link change down and up again. */
static void do_reset(void)
{
    const uint64_t t0 = rdtsc();
    uint64_t flags = spin_lock_irqsave(&tx_lock);
    reset_requested = 0;
    hw_reset();
    spin_unlock_irqrestore(&tx_lock, flags);
    const uint64_t t1 = rdtsc();
    const uint64_t number = stats.resets + 1;
    const int was_up = link_state;
    /* the console is buffered: these lines cost the reset a copy each */
    printk("net: e1000 re-initialised (reset %lu)\n", (unsigned long)number);
    if (link_cb && was_up)
        link_cb(0, cb_ctx);
    link_state = e1000_link_up();
    if (link_cb && link_state)
        link_cb(1, cb_ctx);
    stats.reset_hw_ticks = t1 - t0;
    stats.reset_netif_ticks = rdtsc() - t1;
    __atomic_add_fetch(&stats.resets, 1, __ATOMIC_SEQ_CST);   /* done: the watchdog waits for this */
}

void e1000_health(struct drv_wd_sample *out)
{
    *out = (struct drv_wd_sample){ .now = rdtsc() };
    if (!mmio)
        return;
    out->rx_enabled = (rd(REG_RCTL) & RCTL_EN) != 0;
    out->tx_enabled = (rd(REG_TCTL) & TCTL_EN) != 0;
    out->tx_head = rd(REG_TDH);
    out->tx_tail = rd(REG_TDT);
}

void e1000_inject_wedge(void)
{
    if (!mmio)
        return;
    wr(REG_RCTL, rd(REG_RCTL) & ~RCTL_EN);
    wr(REG_TCTL, rd(REG_TCTL) & ~TCTL_EN);
}

int e1000_reset(void)
{
    if (!mmio)
        return -E_NOENT;
    reset_requested = 1;
    if (!polling)
        sem_post(&irq_sem);     /* wake the thread now rather than at the next frame */
    return 0;
}

/* The line is level-triggered: masking the causes at the NIC drops it, so the
   handler needs no PIC mask and the thread re-enables them when done.
   Routed by the monitor (apic_vector), the EOI goes to this core's LAPIC,
   whose broadcast re-arms the I/O APIC's level-triggered line: no VM exit
   (the 8259's ports would exit). */
static void nic_irq(struct trap_frame *f)
{
    (void)f;
    if (!mmio) {                /* before e1000_init (a standby): nothing to mask */
        stats.spurious_irqs++;
        lapic_eoi();
        return;
    }
    irq_tsc = rdtsc();
    rt_armed = 1;
    wr(REG_IMC, 0xFFFFFFFFu);
    stats.irqs++;
    if (apic_vector)
        lapic_eoi();
    else
        pic_eoi(irq_line);
    sem_post_from_irq(&irq_sem);
    sched_irq_exit();
}

/* 64-bit mode's CR8 is the LAPIC's task priority (bits 7:4 of TPR): while it
   is the NIC vector's priority class, that class and the ones below wait in
   the LAPIC instead of being delivered.  Neither backend exits on CR8. */
static void set_task_priority(unsigned cls)
{
    uint64_t v = cls;
    __asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

void e1000_use_vector(unsigned vector)
{
    if (vector < 0x20 || vector > 0xEF)
        return;
    apic_vector = vector;
    /* Held back until e1000_start: a standby can be handed a NIC whose line
       its failed owner left asserted, and until e1000_init has mapped and
       reset the device the handler could only EOI, and the line would fire
       again at once. */
    set_task_priority(vector >> 4);
    trap_set_handler(vector, nic_irq);
}

/* Once: tests see the driver is interrupt-driven. */
static void say_first_interrupt_if_due(void)
{
    int due = FIRST_IRQ_DUE;
    if (stats.irqs == 0 ||
        !__atomic_compare_exchange_n(&first_irq_state, &due, FIRST_IRQ_SAID, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return;
    if (apic_vector)
        printk("e1000: first interrupt on vector 0x%x (routed by the monitor's I/O APIC entry)\n", apic_vector);
    else
        printk("e1000: first interrupt on irq %u (8259)\n", irq_line);
}

void e1000_report_first_interrupt(void)
{
    int held = FIRST_IRQ_HELD;
    if (!__atomic_compare_exchange_n(&first_irq_state, &held, FIRST_IRQ_DUE, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return;
    say_first_interrupt_if_due();   /* it may have come already: the driver thread then waits for the next */
}

static void driver_thread(void *arg)
{
    (void)arg;
    for (;;) {
        if (polling) {
            thread_sleep_ns(POLL_NS);
        } else {
            sem_wait(&irq_sem);
            say_first_interrupt_if_due();
            uint64_t lat = rdtsc() - irq_tsc;
            stats.latency_sum += lat;
            stats.latency_count++;
            if (lat > stats.latency_max)
                stats.latency_max = lat;
        }
        const uint64_t pass_start = rdtsc();
        stats.wakeups++;
        if (reset_requested)
            do_reset();
        uint32_t icr = rd(REG_ICR);     /* reading clears the causes */
        service(icr);
        if (!polling)
            wr(REG_IMS, IRQ_CAUSES);
        stats.thread_ticks += rdtsc() - pass_start;
    }
}

int e1000_start(e1000_rx_fn rx, e1000_link_fn link, void *ctx, uint64_t u_ppm)
{
    if (!mmio)
        return -E_NOENT;
    rx_cb = rx;
    link_cb = link;
    cb_ctx = ctx;
    sem_init(&irq_sem, 0);
    struct vcpu_params p = { .type = VCPU_IO, .U_ppm = u_ppm };
    int id = vcpu_create(&p);
    struct vcpu *v = id > 0 ? vcpu_by_id(id) : vcpu_best_effort();
    if (!thread_create("e1000", driver_thread, 0, v))
        return -E_AGAIN;
    if (!polling && apic_vector) {
        wr(REG_IMS, IRQ_CAUSES);
        set_task_priority(0);   /* the NIC is ours and reset: its vector may come */
    } else if (!polling) {
        trap_set_handler(VECTOR_PIC_BASE + irq_line, nic_irq);
        if (irq_line >= 8)
            pic_unmask(2);      /* the slave PIC cascades through line 2 */
        pic_unmask(irq_line);
        wr(REG_IMS, IRQ_CAUSES);
    }
    return 0;
}

void e1000_get_stats(struct e1000_stats *out)
{
    uint64_t flags = irq_save();
    *out = stats;
    irq_restore(flags);
}
