/*
 * lwIP's operating-system layer on the sandbox kernel: semaphores and
 * mutexes are kernel semaphores, a mailbox is a bounded ring guarded by two
 * counting semaphores (items, free slots), threads are kernel threads.
 */
#ifndef TRIAD_NET_ARCH_SYS_ARCH_H
#define TRIAD_NET_ARCH_SYS_ARCH_H
#include "sched/sync.h"

#define SYS_MBOX_CAPACITY 64        /* at least every *_MBOX_SIZE in lwipopts.h */

typedef struct {
    struct semaphore sem;
    int valid;
} sys_sem_t;

typedef sys_sem_t sys_mutex_t;

typedef struct {
    void *msg[SYS_MBOX_CAPACITY];
    unsigned head, tail;
    spinlock_t lock;
    struct semaphore items, slots;
    int valid;
} sys_mbox_t;

typedef struct thread *sys_thread_t;
typedef uint64_t sys_prot_t;

#define sys_sem_valid(s)          ((s)->valid)
#define sys_sem_set_invalid(s)    ((s)->valid = 0)
#define sys_mutex_valid(m)        ((m)->valid)
#define sys_mutex_set_invalid(m)  ((m)->valid = 0)
#define sys_mbox_valid(m)         ((m)->valid)
#define sys_mbox_set_invalid(m)   ((m)->valid = 0)
#endif
