#include "sync.h"
#include "../kernel/time.h"

void sem_init(struct semaphore *s, int count)
{
    s->lock.locked = 0;
    s->count = count;
    s->head = s->tail = 0;
}

void sem_wait(struct semaphore *s)
{
    uint64_t flags = spin_lock_irqsave(&s->lock);
    if (s->count > 0) {
        s->count--;
        spin_unlock_irqrestore(&s->lock, flags);
        return;
    }
    struct thread *t = thread_current();
    t->next = 0;
    if (s->tail)
        s->tail->next = t;
    else
        s->head = t;
    s->tail = t;
    /* Single core: the lock is released with interrupts still off, so no post can slip in. */
    s->lock.locked = 0;
    thread_block();             /* sem_post hands the count to us directly */
    irq_restore(flags);
}

static int unlink_waiter(struct semaphore *s, struct thread *t)
{
    struct thread **pp = &s->head, *prev = 0;
    while (*pp && *pp != t) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return 0;
    *pp = t->next;
    if (s->tail == t)
        s->tail = prev;
    return 1;
}

int sem_wait_until(struct semaphore *s, uint64_t ns)
{
    for (;;) {
        uint64_t flags = spin_lock_irqsave(&s->lock);
        if (s->count > 0) {
            s->count--;
            spin_unlock_irqrestore(&s->lock, flags);
            return 1;
        }
        spin_unlock_irqrestore(&s->lock, flags);
        if (now_ns() >= ns)
            return 0;
        thread_sleep_ns(1000000);   /* polls each millisecond: used off the fast path only */
    }
}

static struct thread *take_waiter(struct semaphore *s)
{
    struct thread *t = s->head;
    if (t)
        unlink_waiter(s, t);
    else
        s->count++;
    return t;
}

void sem_post(struct semaphore *s)
{
    uint64_t flags = spin_lock_irqsave(&s->lock);
    struct thread *t = take_waiter(s);
    s->lock.locked = 0;
    if (t) {
        thread_wake(t);
        schedule();
    }
    irq_restore(flags);
}

void sem_post_from_irq(struct semaphore *s)
{
    uint64_t flags = spin_lock_irqsave(&s->lock);
    struct thread *t = take_waiter(s);
    s->lock.locked = 0;
    if (t)
        thread_wake(t);
    irq_restore(flags);
}
