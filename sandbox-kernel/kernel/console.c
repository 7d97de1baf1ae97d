#include "console.h"
#include "serial.h"
#include "spinlock.h"
#include "printk.h"
#include "../arch/x86_64/io.h"
#include "../arch/x86_64/pit.h"
#include "../arch/x86_64/trap.h"
#include "../arch/x86_64/hypercall.h"
#include "../sched/sync.h"
#include "../chan/chan_console.h"
#include "console_ring.h"
#include "../arch/x86_64/cpu.h"

#define RING 256
static char ring[RING];
static volatile unsigned head, tail;
static struct semaphore rx_irq, rx_data;
static struct vcpu *rx_vcpu;

/*
 * Output.  Until the writer thread runs (early boot), and after
 * console_flush_sync (panic, exit), a write goes straight to the UART.
 * Otherwise a write only copies into the ring, whole (console_ring.h), and
 * wakes the writer thread, which sends the ring to the UART with
 * interrupts on.  The UART's transmit interrupt cannot drain it: under the
 * monitor the legacy PIC is left alone and no device interrupt of the UART
 * reaches the sandbox (Bochs/VMX and QEMU/SVM alike), so a thread does.
 * out_lock guards the ring, the mode and the UART; it is held for copies
 * and for one burst into an empty FIFO, never while the UART is waited for
 * (except on the synchronous paths).
 */
static struct console_ring out;
static spinlock_t out_lock;
static volatile int buffered;           /* 1: writes go to the ring */
static int writer_idle;                 /* the writer waits on out_ready (under out_lock) */
static struct semaphore out_ready;
static struct thread *writer;
static uint64_t full_waits;             /* writes that waited for room (back-pressure) */

/* Bytes of the ring the UART takes at once: its 16-byte transmit FIFO, of
   which a '\n' costs two ("\r\n"). */
#define TX_CHUNK 8u
/* The longest write put in the ring whole; longer ones go in pieces. */
#define WRITE_PIECE 1024u

/* Sends what the ring holds, waiting on the UART: only with out_lock held
   and interrupts off, on the paths that must not wait for the thread. */
static void drain_sync_locked(void)
{
    char chunk[64];
    size_t n;
    while ((n = console_ring_take(&out, chunk, sizeof chunk)) != 0)
        serial_write(chunk, n);
}

static void write_piece(const char *buf, size_t n)
{
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&out_lock);
        if (!buffered) {
            drain_sync_locked();        /* what was queued goes first: order kept */
            serial_write(buf, n);
            chan_console_put(buf, n);   /* kept only while a channel console may need it */
            spin_unlock_irqrestore(&out_lock, flags);
            return;
        }
        if (console_ring_put(&out, buf, n) == 0) {
            chan_console_put(buf, n);
            int wake = writer_idle;
            writer_idle = 0;
            spin_unlock_irqrestore(&out_lock, flags);
            if (wake) {
                if (flags & 0x200)
                    sem_post(&out_ready);
                else
                    sem_post_from_irq(&out_ready);
            }
            return;
        }
        /* Full.  A thread waits for room with interrupts on (back-pressure,
           nothing is dropped); an interrupt handler or a caller with
           interrupts off cannot wait: it sends the ring itself. */
        if (!(flags & 0x200) || thread_current() == writer) {
            drain_sync_locked();
            spin_unlock_irqrestore(&out_lock, flags);
            continue;
        }
        full_waits++;
        spin_unlock_irqrestore(&out_lock, flags);
        thread_sleep_ns(1000000);
    }
}

void console_write(const char *buf, size_t n)
{
    while (n > 0) {
        size_t piece = n < WRITE_PIECE ? n : WRITE_PIECE;
        write_piece(buf, piece);
        buf += piece;
        n -= piece;
    }
}

static void writer_thread(void *arg)
{
    (void)arg;
    char chunk[TX_CHUNK];
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&out_lock);
        if (console_ring_used(&out) == 0) {
            writer_idle = 1;
            spin_unlock_irqrestore(&out_lock, flags);
            sem_wait(&out_ready);
            continue;
        }
        /* The FIFO is empty when THRE is set: until then let anything
           else that is ready run (this is the best-effort VCPU). */
        if (!serial_tx_empty()) {
            spin_unlock_irqrestore(&out_lock, flags);
            thread_yield();
            continue;
        }
        /* Taken and sent under the lock (at most 16 writes into an empty
           FIFO, no waiting): a synchronous flush can never send later bytes
           before these. */
        int line_end;
        size_t n = console_ring_take_line(&out, chunk, sizeof chunk, &line_end);
        serial_tx_burst(chunk, n);
        spin_unlock_irqrestore(&out_lock, flags);
        /* Between lines, let the others run (where the UART is not paced,
           QEMU, a line goes out in one go: a reader that stops the run at
           a marker sees the whole line). */
        if (line_end)
            thread_yield();
    }
}

/* Ticks the caller of a printk of a 40-byte line pays. */
static uint64_t printk_cost(void)
{
    uint64_t t0 = rdtsc();
    printk("console: a 40-byte line, timed........\n");
    return rdtsc() - t0;
}

void console_output_start(void)
{
    if (!serial_present())
        return;                 /* a channel console or none: chan_console queues */
    uint64_t sync_ticks = printk_cost();
    sem_init(&out_ready, 0);
    writer = thread_create("con-out", writer_thread, 0, vcpu_best_effort());
    if (!writer) {
        printk("console: no thread for the output writer: printing synchronously\n");
        return;
    }
    uint64_t flags = spin_lock_irqsave(&out_lock);
    buffered = 1;
    spin_unlock_irqrestore(&out_lock, flags);
    uint64_t buffered_ticks = printk_cost();
    printk("console: buffered (%u-byte ring, writer thread on the best-effort VCPU); "
           "a 40-byte printk costs the caller %lu ticks, %lu synchronously\n",
           CONSOLE_RING_SIZE, (unsigned long)buffered_ticks, (unsigned long)sync_ticks);
}

void console_flush_sync(void)
{
    uint64_t flags = spin_lock_irqsave(&out_lock);
    buffered = 0;
    drain_sync_locked();
    spin_unlock_irqrestore(&out_lock, flags);
}

void console_flush(void)
{
    uint64_t flags = spin_lock_irqsave(&out_lock);
    drain_sync_locked();
    spin_unlock_irqrestore(&out_lock, flags);
}

unsigned long console_output_waits(void)
{
    return (unsigned long)full_waits;
}

long console_read(char *buf, size_t n)
{
    size_t got = 0;
    uint64_t flags = irq_save();
    while (got < n && tail != head) {
        buf[got++] = ring[tail % RING];
        tail++;
    }
    irq_restore(flags);
    return (long)got;
}

int console_getc(void)
{
    char c;
    while (console_read(&c, 1) == 0)
        sem_wait(&rx_data);
    return (unsigned char)c;
}

/* IRQ 4: silence the UART's interrupt and hand the work to the thread. */
static void uart_irq(struct trap_frame *f)
{
    (void)f;
    serial_rx_irq(0);
    pic_eoi(4);
    sem_post_from_irq(&rx_irq);
    sched_irq_exit();
}

/* Without a usable interrupt line (under the monitor the legacy PIC is
   left alone) the thread polls the UART every POLL_NS instead. */
#define POLL_NS 10000000ull
static int rx_polling;
static int rx_running;

static void rx_thread(void *arg)
{
    (void)arg;
    for (;;) {
        if (rx_polling)
            thread_sleep_ns(POLL_NS);
        else
            sem_wait(&rx_irq);
        int c, any = 0;
        while ((c = serial_getc_nowait()) >= 0) {
            uint64_t flags = irq_save();
            if (head - tail < RING) {
                ring[head % RING] = (char)c;
                head++;
            }
            irq_restore(flags);
            any = 1;
        }
        if (!rx_polling)
            serial_rx_irq(1);     /* polling: the UART must never raise its line */
        if (any)
            sem_post(&rx_data);
    }
}

void console_input_start(void)
{
    sem_init(&rx_irq, 0);
    sem_init(&rx_data, 0);
    struct vcpu_params p = { .type = VCPU_IO, .U_ppm = 10000 };
    int id = vcpu_create(&p);
    rx_vcpu = id > 0 ? vcpu_by_id(id) : vcpu_best_effort();
    rx_polling = triad_monitor_present();
    if (!thread_create("serial-rx", rx_thread, 0, rx_vcpu))
        return;
    rx_running = 1;
    if (rx_polling)
        return;
    trap_set_handler(VECTOR_PIC_BASE + 4, uart_irq);
    pic_unmask(4);
    serial_rx_irq(1);
}

int console_input_running(void)
{
    return rx_running;
}
