/*
 * Console over a channel: writer side (queue + flusher thread) and the I/O
 * sandbox's reader thread.  See chan_console.h.
 */
#include "chan_console.h"
#include "chan_platform.h"
#include "../arch/x86_64/hypercall.h"
#include "../kernel/cmdline.h"
#include "../kernel/printk.h"
#include "../kernel/console.h"
#include "../kernel/string.h"
#include "../kernel/time.h"
#include "../sched/sched.h"
#include "../arch/x86_64/cpu.h"
#include "../../monitor/abi/hypercall.h"

/* Code of the fault record a sandbox reports when its console channel cannot open. */
#define CHAN_CONSOLE_FAULT 0xC0C0u

#define QUEUE 8192u                 /* bytes of console output waiting to be sent */
#define LINE_MAX_BYTES 512u         /* longest message any console channel may declare */
#define CONSOLE_MAX_IN 8u           /* console channels one I/O sandbox reads */

static char queue[QUEUE];
static volatile uint64_t q_head, q_tail;   /* free-running: head written by put, tail by flusher */
static volatile int mode = 1;              /* 1 undecided/channel: queue; 0: not a channel console */
static volatile uint64_t dropped;          /* writes lost whole because the queue was full */

void chan_console_put(const char *buf, size_t n)
{
    if (!mode)
        return;
    /* All or nothing: a write that does not fit is dropped whole and
       counted (the flusher says how many), never cut into a torn line. */
    if (n > QUEUE - (q_head - __atomic_load_n(&q_tail, __ATOMIC_ACQUIRE))) {
        dropped++;
        return;
    }
    for (size_t i = 0; i < n; i++)
        queue[(q_head + i) % QUEUE] = buf[i];
    __atomic_store_n(&q_head, q_head + n, __ATOMIC_RELEASE);
}

/* Sends queued bytes: one message per line, or per msg_size bytes of a
 * line longer than a message.  A partial line waits for its end unless the
 * queue is half full. */
/* What the flusher says about losses, once each (a line of its own, sent
   like any other): writes dropped whole at a full queue since the last
   report, and readers the channel stopped waiting for (a reader whose
   control page says something impossible is skipped from then on: lines
   may then be overwritten before it reads them). */
static void report_losses(shmcomm_channel_t ch)
{
    static uint64_t reported;
    static uint32_t faulty_said;
    const uint64_t d = dropped;
    /* Only with room for the report: it must not be lost itself. */
    if (d != reported && QUEUE - (q_head - q_tail) >= 2 * LINE_MAX_BYTES) {
        printk("console: %lu writes lost (channel console queue full)\n", (unsigned long)(d - reported));
        reported = d;
    }
    const uint32_t f = shmcomm_faulty_readers(ch);
    if (f != faulty_said) {
        printk("console: channel console readers 0x%x no longer waited for (their control page is corrupt)\n",
               (unsigned)f);
        faulty_said = f;
    }
}

static void flusher(void *arg)
{
    shmcomm_channel_t ch = arg;
    char line[LINE_MAX_BYTES];
    const struct triad_boot_channel *c = &chan_boot_info.ch[chan_boot_info.console_channel];
    uint32_t cap = c->msg_size < LINE_MAX_BYTES ? c->msg_size : LINE_MAX_BYTES;
    for (;;) {
        report_losses(ch);
        uint64_t head = __atomic_load_n(&q_head, __ATOMIC_ACQUIRE);
        uint32_t n = 0, consumed = 0;
        int complete = 0;
        for (uint64_t p = q_tail; p < head && n < cap; p++) {
            char b = queue[p % QUEUE];
            consumed++;
            if (b == '\n') {
                complete = 1;
                break;
            }
            line[n++] = b;
        }
        if (!complete && n < cap && head - q_tail < QUEUE / 2) {
            thread_sleep_ns(2000000);
            continue;
        }
        if (n == 0)
            line[n++] = ' ';        /* an empty line is still a line */
        /* Blocking with a timeout: the I/O sandbox drains at its own pace;
           on a timeout the queue still holds the line, try again. */
        if (shmcomm_write_timeout(ch, line, n, 100000000ull) < 0)
            continue;
        q_tail += consumed;
    }
}

/* Polled in steps of DRAIN_STEP_NS: the flusher sends a complete line as
 * soon as it runs (it sleeps 2 ms at most while the queue is empty), so a
 * self-restart waits about that long, not a fixed 20 ms (issue 9). */
#define DRAIN_STEP_NS 100000ull

int chan_console_drain(uint64_t max_ns)
{
    const uint64_t deadline = now_ns() + max_ns;
    while (mode && __atomic_load_n(&q_tail, __ATOMIC_ACQUIRE) != __atomic_load_n(&q_head, __ATOMIC_ACQUIRE)) {
        if (now_ns() >= deadline)
            return 0;
        thread_sleep_ns(DRAIN_STEP_NS);
    }
    return 1;
}

struct console_in {
    char name[TRIAD_BOOT_NAME_LEN];
    shmcomm_channel_t ch;
    uint32_t key;
    uint32_t tries;
};
static struct console_in inputs[CONSOLE_MAX_IN];
static unsigned input_count;

/* Prints every line waiting on every console channel; sleeps 1 ms when idle. */
static void reader(void *arg)
{
    (void)arg;
    char line[LINE_MAX_BYTES + 1];
    char out[LINE_MAX_BYTES + TRIAD_BOOT_NAME_LEN + 8];
    for (;;) {
        int any = 0;
        for (unsigned i = 0; i < input_count; i++) {
            const struct triad_boot_channel *c = chan_boot_find(&chan_boot_info, inputs[i].key);
            size_t size = c && c->msg_size < LINE_MAX_BYTES ? c->msg_size : LINE_MAX_BYTES;
            if (!inputs[i].ch &&
                kchan_open_receive(inputs[i].key, SHMCOMM_CONNECT_CH | SHMCOMM_NONBLOCK_CH,
                                   size, -1, &inputs[i].ch) != SHMCOMM_OK) {
                inputs[i].ch = 0;   /* writer not up yet: try again later */
                if (++inputs[i].tries == 5000)
                    printk("chan: console channel %u from %s still not open after 5000 tries\n",
                           inputs[i].key, inputs[i].name);
                continue;
            }
            int n = shmcomm_read(inputs[i].ch, line, LINE_MAX_BYTES);
            if (n == SHMCOMM_ERR_EMPTY)
                continue;
            if (n < 0) {
                printk("chan: console channel %u from %s: %s\n", inputs[i].key, inputs[i].name,
                       shmcomm_strerror(n));
                shmcomm_close(inputs[i].ch);
                inputs[i].ch = 0;
                continue;
            }
            any = 1;
            size_t k = 0, nl = strlen(inputs[i].name);
            out[k++] = '[';
            memcpy(out + k, inputs[i].name, nl);
            k += nl;
            out[k++] = ']';
            out[k++] = ' ';
            for (int j = 0; j < n; j++)     /* untrusted bytes: printable only */
                out[k++] = (line[j] >= 0x20 && line[j] < 0x7F) ? line[j] : '?';
            out[k++] = '\n';
            console_write(out, k);
        }
        if (!any)
            thread_sleep_ns(1000000);
    }
}

/* "name:key,name:key" -> inputs[]; a malformed entry is reported and skipped. */
static void parse_inputs(const char *v)
{
    while (*v && input_count < CONSOLE_MAX_IN) {
        const char *colon = v;
        while (*colon && *colon != ':' && *colon != ',')
            colon++;
        const char *end = colon;
        uint64_t key = 0;
        int ok = *colon == ':' && colon > v && (size_t)(colon - v) < TRIAD_BOOT_NAME_LEN;
        if (ok) {
            end = colon + 1;
            for (; *end >= '0' && *end <= '9'; end++)
                key = key * 10 + (uint64_t)(*end - '0');
            ok = end > colon + 1 && key > 0 && key <= 0xFFFFFFFFull && (*end == ',' || *end == 0);
        }
        while (*end && *end != ',')
            end++;
        if (ok) {
            struct console_in *in = &inputs[input_count++];
            memcpy(in->name, v, (size_t)(colon - v));
            in->name[colon - v] = 0;
            in->key = (uint32_t)key;
        } else {
            printk("chan: bad triad.console_in entry ignored\n");
        }
        v = *end ? end + 1 : end;
    }
}

void chan_console_start(const char *cmdline)
{
    if (chan_boot_info.console_kind == 2 && chan_boot_info.console_channel < chan_boot_info.count) {
        const struct triad_boot_channel *c = &chan_boot_info.ch[chan_boot_info.console_channel];
        shmcomm_channel_t ch;
        const uint32_t kind = c->kind ? SHMCOMM_SYNC_CH : SHMCOMM_ASYNC_CH;
        const int depth = c->kind ? (int)c->depth : -1;
        /* Resume the channel a previous run of this sandbox created (a
           restart: the channel pages are not the sandbox's RAM and are not
           scrubbed), else create it.  Creating it again would start the
           FIFO over at 0 while io's reader page still holds its place in
           the old run: the first write then finds that place impossible and
           stops waiting for io for good (shmcomm's quarantine), and io,
           finding the tail behind its head, reopens at the tail.  Both
           lose the fresh kernel's first lines (its boot banner), which is
           what io's relay did to a restarted replica until session 9. */
        int r = kchan_open_send(c->key, SHMCOMM_CONNECT_CH | kind, c->msg_size, depth, &ch);
        if (r != SHMCOMM_OK)
            r = kchan_open_send(c->key, SHMCOMM_CREATE_CH | kind, c->msg_size, depth, &ch);
        if (r == SHMCOMM_OK && thread_create("con-chan", flusher, ch, vcpu_best_effort()))
            return;                 /* the queue since boot goes out first */
        /* No console left to say it on: tell the monitor (a "reported" fault
           record), once: a report is a VM exit, and steady state has none. */
        mode = 0;
        static int reported;
        if (running_under_hypervisor() && !reported) {
            reported = 1;
            hypercall(TRIAD_HC_REPORT_FAULT, CHAN_CONSOLE_FAULT, c->key, 0);
        }
        return;
    } else {
        mode = 0;
        q_tail = q_head;
    }
    char v[160];
    if (cmdline_get(cmdline, "triad.console_in", v, sizeof v)) {
        parse_inputs(v);
        if (input_count && !thread_create("con-in", reader, 0, vcpu_best_effort()))
            printk("chan: no thread for the console reader\n");
        else if (input_count)
            printk("chan: printing %u console channels\n", input_count);
    }
}
