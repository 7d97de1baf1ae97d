/*
 * lwIP's sys_arch on the sandbox kernel (declarations in lwip/sys.h).
 *
 * Timed waits (the tcpip thread waiting for a message or its next lwIP
 * timer, a receive with a timeout) block on the semaphore itself, so a post
 * wakes them at once; a deadline is kept by the `lwip-timer` thread, which
 * posts the semaphore when it passes and marks the wait as timed out.  The
 * kernel's sem_wait_until polls each millisecond instead: used that way, a
 * frame waited up to 1 ms for the tcpip thread's next poll (the bench's UDP
 * round trip measured ~970,000 instructions; see docs/networking.md).
 */
#include "lwip/sys.h"
#include "lwip/opt.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "arch/x86_64/cpu.h"
#include <stdarg.h>

static struct vcpu *stack_vcpu;     /* where lwIP's threads run (net_init chooses) */
static void lwip_timer_thread(void *arg);
static struct semaphore timer_kick;
static spinlock_t waiters_lock;
static int timer_started;

void sys_arch_set_vcpu(struct vcpu *v) { stack_vcpu = v; }

/* Starts the deadline keeper (before lwIP's own threads). */
void sys_arch_start_timer(void)
{
    sem_init(&timer_kick, 0);
    if (!thread_create("lwip-timer", lwip_timer_thread, 0, stack_vcpu ? stack_vcpu : vcpu_best_effort()))
        panic("lwip: no thread slot for the timer thread");
    uint64_t f = spin_lock_irqsave(&waiters_lock);
    timer_started = 1;
    spin_unlock_irqrestore(&waiters_lock, f);
}

void sys_init(void) {}

u32_t sys_now(void) { return (u32_t)(now_ns() / 1000000ull); }

sys_prot_t sys_arch_protect(void) { return irq_save(); }
void sys_arch_unprotect(sys_prot_t flags) { irq_restore(flags); }

/* ---- deadlines of timed waits ------------------------------------------ */
#define TIMED_WAITERS   32          /* the tcpip thread, socket receives with a timeout, netconn calls */
#define TIMER_SLICE_NS  2000000ull  /* the timer thread looks at new deadlines at least this often */

struct timed_waiter {
    struct semaphore *sem;          /* 0: free entry */
    uint64_t deadline;
    int fired;                      /* the timer posted `sem` for this waiter */
};

static struct timed_waiter waiters[TIMED_WAITERS];

static void lwip_timer_thread(void *arg)
{
    (void)arg;
    for (;;) {
        uint64_t now = now_ns(), earliest = ~0ull;
        uint64_t f = spin_lock_irqsave(&waiters_lock);
        for (unsigned i = 0; i < TIMED_WAITERS; i++) {
            struct timed_waiter *w = &waiters[i];
            if (!w->sem || w->fired)
                continue;
            if (w->deadline <= now) {
                w->fired = 1;
                sem_post_from_irq(w->sem);      /* no reschedule under the lock */
            } else if (w->deadline < earliest) {
                earliest = w->deadline;
            }
        }
        spin_unlock_irqrestore(&waiters_lock, f);
        if (earliest == ~0ull) {
            sem_wait(&timer_kick);              /* nothing to time: sleep until a deadline comes */
            continue;
        }
        uint64_t wait = earliest - now;
        thread_sleep_ns(wait < TIMER_SLICE_NS ? wait : TIMER_SLICE_NS);
    }
}

/* The kernel's polling timed wait (plain semaphores: a timer post can only
   be told from a real one by a mailbox, see mbox_wait). */
static u32_t timed_wait(struct semaphore *s, u32_t timeout_ms)
{
    uint64_t start = now_ns();
    if (timeout_ms == 0)
        sem_wait(s);
    else if (!sem_wait_until(s, start + (uint64_t)timeout_ms * 1000000ull))
        return SYS_ARCH_TIMEOUT;
    return (u32_t)((now_ns() - start) / 1000000ull);
}

/* Waits on a mailbox's `items` for at most `timeout_ms` (0 = forever), woken
   at once by a post: milliseconds waited, or SYS_ARCH_TIMEOUT. */
static u32_t mbox_timed_wait(struct semaphore *s, u32_t timeout_ms)
{
    uint64_t start = now_ns();
    if (timeout_ms == 0) {
        sem_wait(s);
        return (u32_t)((now_ns() - start) / 1000000ull);
    }
    struct timed_waiter *w = 0;
    int kick = 0;
    uint64_t f = spin_lock_irqsave(&waiters_lock);
    if (timer_started) {
        kick = 1;
        for (unsigned i = 0; i < TIMED_WAITERS; i++) {
            if (!waiters[i].sem) {
                if (w)
                    continue;
                w = &waiters[i];
                *w = (struct timed_waiter){ s, start + (uint64_t)timeout_ms * 1000000ull, 0 };
            } else if (!waiters[i].fired) {
                kick = 0;               /* the timer thread is already awake for someone */
            }
            if (w && !kick)
                break;
        }
    }
    spin_unlock_irqrestore(&waiters_lock, f);
    if (!w) {
        /* No timer thread yet, or every entry in use: the kernel's polling wait. */
        if (!sem_wait_until(s, start + (uint64_t)timeout_ms * 1000000ull))
            return SYS_ARCH_TIMEOUT;
        return (u32_t)((now_ns() - start) / 1000000ull);
    }
    if (kick)
        sem_post(&timer_kick);
    sem_wait(s);
    /* Woken by a post or by the timer.  Whichever unit was taken, the count
       stays right: a real post that raced the timer leaves its unit (and its
       mailbox message) for the next wait. */
    f = spin_lock_irqsave(&waiters_lock);
    int fired = w->fired;
    w->sem = 0;
    spin_unlock_irqrestore(&waiters_lock, f);
    if (fired)
        return SYS_ARCH_TIMEOUT;
    return (u32_t)((now_ns() - start) / 1000000ull);
}

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    sem_init(&sem->sem, count);
    sem->valid = 1;
    return ERR_OK;
}
void sys_sem_free(sys_sem_t *sem) { sem->valid = 0; }
void sys_sem_signal(sys_sem_t *sem) { sem_post(&sem->sem); }
u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout) { return timed_wait(&sem->sem, timeout); }

err_t sys_mutex_new(sys_mutex_t *m) { return sys_sem_new(m, 1); }
void sys_mutex_free(sys_mutex_t *m) { m->valid = 0; }
void sys_mutex_lock(sys_mutex_t *m) { sem_wait(&m->sem); }
void sys_mutex_unlock(sys_mutex_t *m) { sem_post(&m->sem); }

err_t sys_mbox_new(sys_mbox_t *mb, int size)
{
    if (size <= 0 || size > SYS_MBOX_CAPACITY)
        size = SYS_MBOX_CAPACITY;
    mb->head = mb->tail = 0;
    mb->lock.locked = 0;
    sem_init(&mb->items, 0);
    sem_init(&mb->slots, size);
    mb->valid = 1;
    return ERR_OK;
}
void sys_mbox_free(sys_mbox_t *mb) { mb->valid = 0; }

static void put(sys_mbox_t *mb, void *msg)
{
    uint64_t f = spin_lock_irqsave(&mb->lock);
    mb->msg[mb->head % SYS_MBOX_CAPACITY] = msg;
    mb->head++;
    spin_unlock_irqrestore(&mb->lock, f);
    sem_post(&mb->items);
}

static void *take(sys_mbox_t *mb)
{
    uint64_t f = spin_lock_irqsave(&mb->lock);
    void *msg = mb->msg[mb->tail % SYS_MBOX_CAPACITY];
    mb->tail++;
    spin_unlock_irqrestore(&mb->lock, f);
    sem_post(&mb->slots);
    return msg;
}

void sys_mbox_post(sys_mbox_t *mb, void *msg)
{
    sem_wait(&mb->slots);
    put(mb, msg);
}

/* A deadline already past makes sem_wait_until a non-blocking try. */
err_t sys_mbox_trypost(sys_mbox_t *mb, void *msg)
{
    if (!sem_wait_until(&mb->slots, 0))
        return ERR_MEM;
    put(mb, msg);
    return ERR_OK;
}
err_t sys_mbox_trypost_fromisr(sys_mbox_t *mb, void *msg) { return sys_mbox_trypost(mb, msg); }

u32_t sys_arch_mbox_fetch(sys_mbox_t *mb, void **msg, u32_t timeout)
{
    uint64_t start = now_ns();
    for (;;) {
        u32_t waited = (u32_t)((now_ns() - start) / 1000000ull);
        if (timeout && waited >= timeout)
            return SYS_ARCH_TIMEOUT;
        if (mbox_timed_wait(&mb->items, timeout ? timeout - waited : 0) == SYS_ARCH_TIMEOUT)
            return SYS_ARCH_TIMEOUT;
        uint64_t f = spin_lock_irqsave(&mb->lock);
        int empty = mb->head == mb->tail;
        spin_unlock_irqrestore(&mb->lock, f);
        if (!empty)
            break;
        /* The unit was a timer's post for another thread waiting on this
           mailbox (FIFO wake-up): hand it on, it is that thread's timeout. */
        sem_post(&mb->items);
        thread_yield();         /* that thread may not be blocked yet: let it take the unit */
    }
    void *m = take(mb);
    if (msg)
        *msg = m;
    return (u32_t)((now_ns() - start) / 1000000ull);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mb, void **msg)
{
    if (!sem_wait_until(&mb->items, 0))
        return SYS_MBOX_EMPTY;
    void *m = take(mb);
    if (msg)
        *msg = m;
    return 0;
}

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
    (void)stacksize;
    (void)prio;
    struct thread *t = thread_create(name, fn, arg, stack_vcpu ? stack_vcpu : vcpu_best_effort());
    if (!t)
        panic("lwip: no thread slot left for one of its threads");
    return t;
}

void net_platform_diag(const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintk(line, sizeof line, fmt, ap);
    va_end(ap);
    printk("lwip: %s", line);
}

void net_platform_assert(const char *msg, const char *file, int line)
{
    static char why[160];
    snprintk(why, sizeof why, "lwip assertion '%s' at %s:%d", msg, file, line);
    panic(why);
}

uint32_t net_platform_rand(void)
{
    uint64_t t = rdtsc();
    return (uint32_t)(t ^ (t >> 29) ^ (t >> 47)) * 2654435761u;
}
