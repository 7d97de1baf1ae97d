/* Console input (output: console_out.c). */
#include "console.h"
#include "serial.h"
#include "../arch/x86_64/io.h"
#include "../arch/x86_64/pit.h"
#include "../arch/x86_64/trap.h"
#include "../arch/x86_64/hypercall.h"
#include "../sched/sync.h"

#define RING 256
static char ring[RING];
static volatile unsigned head, tail;
static struct semaphore rx_irq, rx_data;
static struct vcpu *rx_vcpu;

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
