/*
 * Console output (console.h).  Until console_output_start (early boot) and
 * after console_flush_sync (panic, exit) a write goes straight to the UART.
 * In between a write only copies its bytes into the ring, whole
 * (console_ring.h), and the drain thread sends them on: a writer never
 * waits on the UART, whatever it holds and whatever VCPU it runs on.
 *
 * Why a thread and not the UART's transmit interrupt: under the monitor
 * the legacy PIC is left alone and no interrupt of the UART reaches the
 * sandbox (Bochs/VMX and QEMU/SVM alike; input is polled for the same
 * reason).  Why the low VCPU (sched.h): the drain runs only when nothing
 * else of this kernel is ready, so it cannot delay a flight program's
 * thread; session 8's drain shared the best-effort VCPU with io_voter and,
 * spinning on QEMU's UART, held it up (test 82).  Why one byte per check
 * with a bounded wait: QEMU paces a FIFO holding several bytes at the baud
 * rate but sends a lone byte at once, Bochs paces every byte (115200 baud:
 * 87 us); a UART that is still busy after TX_POLLS reads of its status
 * makes the drain sleep, never spin.
 *
 * out_lock guards the ring, the mode, the drain's state and the UART's
 * transmitter; it is held for a copy or for one byte, and waits on the
 * UART only on the synchronous paths.
 */
#include "console.h"
#include "console_ring.h"
#include "serial.h"
#include "spinlock.h"
#include "printk.h"
#include "../arch/x86_64/cpu.h"
#include "../sched/sync.h"
#include "../chan/chan_console.h"

/* The longest write put in the ring whole; a longer one goes in pieces. */
#define WRITE_PIECE 1024u
/* Status reads per byte before the drain gives up the core (about 2 us of
   a QEMU or Bochs core), and how long it then sleeps: half a byte's time
   at 115200 baud, so a paced UART is not left idle for long. */
#define TX_POLLS 64u
#define TX_RETRY_NS 40000ull
/* Bytes sent under one hold of the lock (interrupts off): 16 of QEMU's
   unpaced bytes are about 20 us of its virtual time at -icount 5. */
#define TX_BURST 16u
/* A synchronous byte's bounded wait (the old serial_write's bound). */
#define SYNC_POLLS 100000u

static struct console_ring out;
static spinlock_t out_lock;
static volatile int buffered;           /* 1: writes go to the ring */
static int drain_idle;                  /* the drain waits on out_ready */
static int cr_sent;                     /* the '\r' of the '\n' at the ring's tail is out */
static struct semaphore out_ready;
static uint64_t lines_lost;             /* writes dropped whole: the ring was full */
static uint64_t lost_said;              /* of which reported in the output */

/* The line that reports writes dropped since the last report, built into
   `line`; its length, 0 when there is nothing to report. */
static size_t lost_line(char *line, size_t cap)
{
    if (lines_lost == lost_said)
        return 0;
    int n = snprintk(line, cap, "console: %lu lines lost (output ring full)\n",
                       (unsigned long)(lines_lost - lost_said));
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* Sends what the ring holds, waiting (bounded) on the UART for each byte:
   only with out_lock held, on the paths that must not wait for the drain. */
static void drain_sync_locked(void)
{
    char chunk[64];
    size_t n;
    if (cr_sent && console_ring_take(&out, chunk, 1) == 1) {
        (void)serial_tx_ready(SYNC_POLLS);          /* the '\n' whose '\r' is out */
        serial_tx_byte(chunk[0]);
    }
    cr_sent = 0;
    while ((n = console_ring_take(&out, chunk, sizeof chunk)) != 0)
        serial_write(chunk, n);
    char line[64];
    n = lost_line(line, sizeof line);
    if (n) {
        serial_write(line, n);
        lost_said = lines_lost;
    }
}

static void write_piece(const char *buf, size_t n)
{
    int wake = 0;
    uint64_t flags = spin_lock_irqsave(&out_lock);
    if (!buffered) {
        drain_sync_locked();                        /* what was queued goes first: order kept */
        serial_write(buf, n);
    } else {
        /* A loss is reported where it happened, before the next line
           that fits (with it, or not at all). */
        char line[64];
        size_t k = lost_line(line, sizeof line);
        if (k + n <= console_ring_free(&out)) {
            if (k) {
                (void)console_ring_put(&out, line, k);
                lost_said = lines_lost;
            }
            (void)console_ring_put(&out, buf, n);
            wake = drain_idle;
            drain_idle = 0;
        } else {
            lines_lost++;                           /* whole: never a torn line */
        }
    }
    chan_console_put(buf, n);       /* kept only while a channel console may need it */
    spin_unlock_irqrestore(&out_lock, flags);
    if (wake)
        sem_post_from_irq(&out_ready);              /* no reschedule: the drain is the lowest */
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

/* One byte of the ring to the UART (whose THRE was just seen): a '\n'
   takes two turns, its '\r' first. */
static void send_one_locked(void)
{
    char c;
    if (console_ring_peek(&out, &c) == 0)
        return;
    if (c == '\n' && !cr_sent) {
        serial_tx_byte('\r');
        cr_sent = 1;
        return;
    }
    (void)console_ring_take(&out, &c, 1);
    serial_tx_byte(c);
    cr_sent = 0;
}

static void drain_thread(void *arg)
{
    (void)arg;
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&out_lock);
        if (!buffered || console_ring_used(&out) == 0) {
            drain_idle = 1;
            spin_unlock_irqrestore(&out_lock, flags);
            sem_wait(&out_ready);
            continue;
        }
        spin_unlock_irqrestore(&out_lock, flags);
        if (!serial_tx_ready(TX_POLLS)) {
            thread_sleep_ns(TX_RETRY_NS);           /* a paced UART still sending */
            continue;
        }
        /* A burst of at most TX_BURST bytes under one lock, each after its
           own THRE check: where the UART takes bytes at once (QEMU) this
           saves a lock round trip per byte, where it is paced (Bochs) the
           second check fails and the burst is one byte. */
        flags = spin_lock_irqsave(&out_lock);
        for (unsigned sent = 0; buffered && sent < TX_BURST && console_ring_used(&out) != 0 &&
                                (sent == 0 || serial_tx_ready(TX_POLLS)); sent++)
            send_one_locked();
        spin_unlock_irqrestore(&out_lock, flags);
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
    if (!thread_create("con-out", drain_thread, 0, vcpu_low())) {
        printk("console: no thread for the output drain: printing synchronously\n");
        return;
    }
    uint64_t flags = spin_lock_irqsave(&out_lock);
    buffered = 1;
    spin_unlock_irqrestore(&out_lock, flags);
    uint64_t buffered_ticks = printk_cost();
    printk("console: buffered (%u-byte ring, drain on the low VCPU); "
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

unsigned long console_lines_lost(void)
{
    return (unsigned long)lines_lost;
}
