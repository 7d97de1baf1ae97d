/*
 * The event queue behind STATUSTEXT (net_events.h).  A ring of the newest
 * TRIAD_NET_EVENTS events: a full ring overwrites its oldest entry and counts
 * it, so a burst of faults never blocks the poster (a TMR voter must not wait
 * on the ground link) and the reader learns how many it missed.
 */
#include "net_events.h"
#include "net_decisions.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "user/process.h"
#include "user/usercopy.h"
#include "sched/sched.h"

static struct triad_event ring[TRIAD_NET_EVENTS];
static uint32_t posted;         /* events ever posted; the next gets seq posted + 1 */
static uint32_t taken;          /* events taken or overwritten */
static uint32_t lost;           /* overwritten since the last take */
static spinlock_t lock;

int net_event_post(unsigned severity, const char *text)
{
    if (severity > 7 || !text || !text[0])
        return -E_INVAL;
    uint64_t flags = spin_lock_irqsave(&lock);
    if (posted - taken == TRIAD_NET_EVENTS) {
        taken++;                /* the oldest goes */
        lost++;
    }
    struct triad_event *e = &ring[posted % TRIAD_NET_EVENTS];
    *e = (struct triad_event){ .seq = posted + 1, .severity = (uint8_t)severity };
    for (unsigned i = 0; i < TRIAD_NET_EVENT_TEXT && text[i]; i++)
        e->text[i] = text[i];
    posted++;
    spin_unlock_irqrestore(&lock, flags);
    return 0;
}

int net_event_peek(struct triad_event *out)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    int got = posted != taken;
    if (got) {
        *out = ring[taken % TRIAD_NET_EVENTS];
        out->lost_before = lost;
    }
    spin_unlock_irqrestore(&lock, flags);
    return got;
}

void net_event_done(uint32_t seq)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    /* Only if it is still the oldest: an overflow since the peek removed it
       already (and counted it as lost). */
    if (posted != taken && ring[taken % TRIAD_NET_EVENTS].seq == seq) {
        taken++;
        lost = 0;
    }
    spin_unlock_irqrestore(&lock, flags);
}

long net_event_syscall(uint64_t nr, uint64_t a0, uint64_t a1)
{
    struct process *p = process_current();
    if (nr == SYS_NET_EVENT_POST) {
        char text[TRIAD_NET_EVENT_TEXT + 1];
        if (a0 > 7)
            return -E_INVAL;
        int n = string_from_user(&p->as, text, a1, sizeof text);
        if (n < 0)
            return n;           /* -E_FAULT, or -E_NAMETOOLONG for more than 50 characters */
        net_decisions_soon();   /* a program's event (the voter's) is when the monitor decides */
        return net_event_post((unsigned)a0, text);
    }
    struct triad_event e;
    net_decisions_poll();       /* the monitor's decisions join the queue (1 Hz) */
    if (!net_event_peek(&e))
        return 0;
    if (copy_to_user(&p->as, a0, &e, sizeof e) != 0)
        return -E_FAULT;        /* the event stays queued for a correct call */
    net_event_done(e.seq);
    return 1;
}

/* The flight state slot: the voter puts, telemetry gets.  Copied under the
   lock, so a reader never sees half of one state and half of the next. */
static struct triad_flight_state state;
static uint32_t state_puts;

long net_state_syscall(uint64_t nr, uint64_t a0)
{
    struct process *p = process_current();
    struct triad_flight_state fs;
    if (nr == SYS_NET_STATE_PUT) {
        if (copy_from_user(&p->as, &fs, a0, sizeof fs) != 0)
            return -E_FAULT;
        uint64_t flags = spin_lock_irqsave(&lock);
        state = fs;
        state_puts++;
        spin_unlock_irqrestore(&lock, flags);
        return 0;
    }
    uint64_t flags = spin_lock_irqsave(&lock);
    fs = state;
    uint32_t n = state_puts;
    spin_unlock_irqrestore(&lock, flags);
    if (n == 0)
        return 0;
    return copy_to_user(&p->as, a0, &fs, sizeof fs) != 0 ? -E_FAULT : (long)n;
}
