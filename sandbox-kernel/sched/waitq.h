/*
 * Wait queues whose waits can be cancelled.  A semaphore wait is not
 * cancellable (its waker hands over a count); these are for waits a dying
 * process must break: user semaphores, thread joins, waitpid.  Callers keep
 * interrupts off from checking their condition to wq_block, so no wake-up
 * falls between the check and the sleep.
 */
#ifndef TRIAD_SCHED_WAITQ_H
#define TRIAD_SCHED_WAITQ_H
#include "sched.h"

struct waitq {
    struct thread *head, *tail;         /* FIFO through thread.next */
};

/* Blocks the current thread on q (interrupts off).  0 when woken by
   wq_wake_one/wq_wake_all, -1 when wq_cancel took it off the queue. */
int wq_block(struct waitq *q);
/* Wakes the oldest waiter; 1 if there was one. */
int wq_wake_one(struct waitq *q);
void wq_wake_all(struct waitq *q);
/* If t waits on a queue, takes it off and wakes it with the cancel mark;
   if it sleeps, wakes it.  Other blocked states are left alone. */
void wq_cancel(struct thread *t);
#endif
