#include "waitq.h"
#include "../arch/x86_64/cpu.h"

static void unlink(struct waitq *q, struct thread *t)
{
    struct thread **pp = &q->head, *prev = 0;
    while (*pp && *pp != t) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = t->next;
    if (q->tail == t)
        q->tail = prev;
    t->next = 0;
}

int wq_block(struct waitq *q)
{
    struct thread *t = thread_current();
    t->next = 0;
    if (q->tail)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
    t->waitq = q;
    t->wait_cancelled = 0;
    thread_block();
    int r = t->wait_cancelled ? -1 : 0;
    t->wait_cancelled = 0;
    return r;
}

static void wake(struct waitq *q, struct thread *t, int cancelled)
{
    unlink(q, t);
    t->waitq = 0;
    t->wait_cancelled = cancelled;
    thread_wake(t);
}

int wq_wake_one(struct waitq *q)
{
    uint64_t flags = irq_save();
    struct thread *t = q->head;
    if (t)
        wake(q, t, 0);
    irq_restore(flags);
    return t != 0;
}

void wq_wake_all(struct waitq *q)
{
    uint64_t flags = irq_save();
    while (q->head)
        wake(q, q->head, 0);
    irq_restore(flags);
}

void wq_cancel(struct thread *t)
{
    uint64_t flags = irq_save();
    if (t->state == T_BLOCKED && t->waitq)
        wake(t->waitq, t, 1);
    else if (t->state == T_SLEEPING)
        thread_wake(t);
    irq_restore(flags);
}
