/*
 * lwIP's sys_arch on the sandbox kernel (declarations in lwip/sys.h).
 * Timed waits use sem_wait_until, which polls each millisecond: cheap enough
 * for the tcpip thread's timer waits, and no new kernel primitive is needed.
 */
#include "lwip/sys.h"
#include "lwip/opt.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/time.h"
#include "arch/x86_64/cpu.h"
#include <stdarg.h>

static struct vcpu *stack_vcpu;     /* where lwIP's threads run (net_init chooses) */

void sys_arch_set_vcpu(struct vcpu *v) { stack_vcpu = v; }

void sys_init(void) {}

u32_t sys_now(void) { return (u32_t)(now_ns() / 1000000ull); }

sys_prot_t sys_arch_protect(void) { return irq_save(); }
void sys_arch_unprotect(sys_prot_t flags) { irq_restore(flags); }

/* Waits on `s` for at most `timeout_ms` (0 = forever): milliseconds waited, or SYS_ARCH_TIMEOUT. */
static u32_t timed_wait(struct semaphore *s, u32_t timeout_ms)
{
    uint64_t start = now_ns();
    if (timeout_ms == 0)
        sem_wait(s);
    else if (!sem_wait_until(s, start + (uint64_t)timeout_ms * 1000000ull))
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
    u32_t waited = timed_wait(&mb->items, timeout);
    if (waited == SYS_ARCH_TIMEOUT)
        return SYS_ARCH_TIMEOUT;
    void *m = take(mb);
    if (msg)
        *msg = m;
    return waited;
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
