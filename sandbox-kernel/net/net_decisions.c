/*
 * The monitor's recovery decisions as ground-station events (issue 7).
 * The monitor keeps a ring of its decisions (monitor/decision_log.h); the
 * I/O sandbox reads the new ones with TRIAD_HC_DECISION_LOG at most once a
 * second of kernel time (one VM exit per read), and at once after a program
 * posted an event (the voter's fault and rejoin events: a decision about
 * them may have just been taken), when the telemetry program asks for its
 * next event (only with the boot word triad.decisions=1), and
 * queues each as a `recovery: <action> <sandbox> ...` event, which telemetry
 * sends as STATUSTEXT.  A refusal by the monitor (no device: TRIAD_E_PERM)
 * stops the polling for good; records
 * overwritten before a read show as a gap and are reported once.
 */
#include "net_decisions.h"
#include "net_events.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "arch/x86_64/hypercall.h"
#include "../../monitor/abi/hypercall.h"

#define POLL_NS 1000000000ull

static uint64_t next_seq;        /* the first decision not read yet */
static uint64_t next_poll_ns;
static uint64_t last_poll_ns;    /* when the log was last read */
#define SOON_NS 100000000ull     /* after a program's event: at most 10 reads a second */
static int stopped = 1;          /* until triad.decisions=1 */

/* Far outside any sandbox's RAM (at most TRIAD_MAX_SANDBOX_RAM): the
   monitor's buffer check must refuse it. */
#define PROBE_OUTSIDE_RAM 0x7F000000000ull

/* triad.decisions=probe (a test's sandbox without a device): what hypercall
   11 answers it, with a buffer of its own RAM (TRIAD_E_PERM: only a device
   owner reads the decisions) and with one outside it (TRIAD_E_FAULT, and a
   bad-hypercall fault record); nothing is read either way. */
static void probe_refusals(void)
{
    static struct triad_decision rec;
    rec.seq = 0x5EEDull;
    int64_t perm = hypercall(TRIAD_HC_DECISION_LOG, 0, (uint64_t)(uintptr_t)&rec, sizeof rec);
    int64_t fault = hypercall(TRIAD_HC_DECISION_LOG, 0, PROBE_OUTSIDE_RAM, sizeof rec);
    printk("net: decisions probe without a device: hypercall %u -> %ld, buffer outside RAM -> %ld, "
           "record %s\n", (unsigned)TRIAD_HC_DECISION_LOG, (long)perm, (long)fault,
           rec.seq == 0x5EEDull ? "untouched" : "written");
}

void net_decisions_configure(const char *cmdline)
{
    char v[8];
    int given = cmdline_get(cmdline, "triad.decisions", v, sizeof v);
    /* The monitor's presence is asked once (CPUID: one VM exit each time). */
    stopped = !(given && v[0] == '1' && v[1] == '\0') || !triad_monitor_present();
    if (given && v[0] == 'p' && v[1] == 'r' && v[2] == 'o' && v[3] == 'b' && v[4] == 'e' && v[5] == '\0' &&
        triad_monitor_present())
        probe_refusals();
}

static const char *action_name(uint8_t a)
{
    static const char *const names[] = {
        "log", "restart-warm", "restart-cold", "halt", "failover",
        "driver-local", "driver-remote", "safe-mode",
    };
    return a < sizeof names / sizeof names[0] ? names[a] : "halt";
}

static const char *kind_name(uint8_t k)
{
    static const char *const low[] = {
        "ept-violation", "io-violation", "msr-violation", "triple-fault",
        "vmx-instruction", "bad-hypercall", "deadline-miss", "watchdog",
    };
    if (k < sizeof low / sizeof low[0])
        return low[k];
    switch (k) {
    case TRIAD_FAULT_REPORTED: return "reported";
    case TRIAD_FAULT_UNEXPECTED: return "unexpected-exit";
    case TRIAD_FAULT_IMAGE_MISMATCH: return "image-mismatch";
    case TRIAD_FAULT_IPI_VIOLATION: return "ipi-violation";
    default: return "unknown";
    }
}

void net_decision_text(const struct triad_decision *d, char *buf, unsigned size, unsigned *severity)
{
    char name[TRIAD_DECISION_NAME + 1];
    for (unsigned i = 0; i < TRIAD_DECISION_NAME; i++)
        name[i] = d->name[i];
    name[TRIAD_DECISION_NAME] = '\0';
    if (d->event == TRIAD_DECISION_SAFE_MODE_LEFT) {
        /* an operator's exit accepted: the halted sandboxes restart */
        *severity = 2;
        snprintk(buf, size, "recovery: safe mode left (by %s)", name);
    } else if (d->event == TRIAD_DECISION_REFUSED && d->kind == TRIAD_DECISION_KIND_SAFE_EXIT) {
        /* reason: recovery/health.h's enum health_exit_verdict */
        static const char *const why[] = { "accepted", "not in safe mode", "not permitted", "stale ack",
                                           "vehicle not safe", "hold not elapsed" };
        *severity = 3;
        snprintk(buf, size, "recovery: refused safe-mode exit (%s)",
                 d->reason < sizeof why / sizeof why[0] ? why[d->reason] : "unknown");
    } else if (d->event == TRIAD_DECISION_SAFE_MODE) {
        /* the whole system: no restarts any more, the voter commands the
           safe actuator value (docs/recovery.md, system safe mode) */
        *severity = 2;
        /* 47 characters for a 4-letter name: STATUSTEXT holds 50 */
        snprintk(buf, size, "recovery: SYSTEM SAFE MODE (%s %s)", name, kind_name(d->kind));
    } else if (d->event == TRIAD_DECISION_RESTARTED) {
        *severity = 5;
        snprintk(buf, size, "recovery: restarted %s (%u/%u)", name, d->restarts, d->limit);
    } else if (d->event == TRIAD_DECISION_REFUSED) {
        *severity = 3;
        /* reason 7 (recovery/health.h): refused in system safe mode */
        snprintk(buf, size, "recovery: refused %s %s%s", name,
                 d->kind == TRIAD_DECISION_KIND_REQUEST ? "restart request" : "restart",
                 d->reason == 7 ? " (safe mode)" : "");
    } else if (d->kind == TRIAD_DECISION_KIND_REQUEST) {
        *severity = 5;
        snprintk(buf, size, "recovery: %s %s requested (%u/%u)", action_name(d->applied), name,
                 d->restarts + 1u, d->limit);
    } else {
        /* reasons 4 and 5 (recovery/health.h): restart limit, fault during recovery */
        const int escalated = d->reason == 4 || d->reason == 5;
        *severity = escalated || d->applied == 3 || d->applied == 7 ? 3 : 4;
        snprintk(buf, size, "recovery: %s %s %s%s", action_name(d->applied), name,
                 escalated ? "escalated " : "", kind_name(d->kind));
    }
}

void net_decisions_soon(void)
{
    if (next_poll_ns > last_poll_ns + SOON_NS)
        next_poll_ns = last_poll_ns + SOON_NS;
}

void net_decisions_poll(void)
{
    if (stopped)
        return;
    const uint64_t now = now_ns();
    if (now < next_poll_ns)
        return;
    next_poll_ns = now + POLL_NS;
    last_poll_ns = now;
    static struct triad_decision recs[4];
    static int probed;
    if (!probed) {
        /* The monitor's refusals, once, where a test can see them: room for
           less than one record, a sequence past the newest (nothing copied). */
        probed = 1;
        int64_t shortbuf = hypercall(TRIAD_HC_DECISION_LOG, 0, (uint64_t)(uintptr_t)recs, sizeof recs[0] - 1);
        int64_t future = hypercall(TRIAD_HC_DECISION_LOG, ~0ull, (uint64_t)(uintptr_t)recs, sizeof recs);
        printk("net: monitor decisions read at 1 Hz (hypercall %u); refused: short buffer %ld, future sequence %ld\n",
               (unsigned)TRIAD_HC_DECISION_LOG, (long)shortbuf, (long)future);
    }
    int64_t n = hypercall(TRIAD_HC_DECISION_LOG, next_seq, (uint64_t)(uintptr_t)recs, sizeof recs);
    if (n < 0) {
        stopped = 1;
        printk("net: monitor decisions not readable (error %ld): not forwarded\n", (long)n);
        return;
    }
    for (int64_t i = 0; i < n && i < 4; i++) {
        char text[TRIAD_NET_EVENT_TEXT + 1];
        unsigned severity;
        if (recs[i].seq > next_seq) {
            snprintk(text, sizeof text, "recovery: %lu decisions lost (log full)",
                     (unsigned long)(recs[i].seq - next_seq));
            net_event_post(4, text);
        }
        net_decision_text(&recs[i], text, sizeof text, &severity);
        net_event_post(severity, text);
        next_seq = recs[i].seq + 1;
    }
    if (n == 4)
        next_poll_ns = now;      /* more may wait: read again at the next call */
}
