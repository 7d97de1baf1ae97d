/* Counting semaphores for threads (spinlocks are in kernel/spinlock.h). */
#ifndef TRIAD_SCHED_SYNC_H
#define TRIAD_SCHED_SYNC_H
#include "sched.h"
#include "../kernel/spinlock.h"

struct semaphore {
    spinlock_t lock;
    int count;
    struct thread *head, *tail;     /* waiters, FIFO */
};

void sem_init(struct semaphore *s, int count);
void sem_wait(struct semaphore *s);
/* 1 if taken before the absolute deadline `ns`, 0 on timeout. */
int sem_wait_until(struct semaphore *s, uint64_t ns);
void sem_post(struct semaphore *s);
/* For interrupt handlers: wakes a waiter without rescheduling at once. */
void sem_post_from_irq(struct semaphore *s);
#endif
