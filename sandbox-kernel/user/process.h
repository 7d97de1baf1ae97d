/* User processes: an address space, a main thread, a parent and an exit status. */
#ifndef TRIAD_USER_PROCESS_H
#define TRIAD_USER_PROCESS_H
#include <stdint.h>
#include "../arch/x86_64/paging.h"
#include "../arch/x86_64/trap.h"
#include "../sched/sync.h"

#define MAX_PROCS 32

struct process {
    int pid;
    int in_use;
    int zombie;
    int exit_status;
    int parent;                 /* pid, 0 for none (started by the kernel) */
    char name[24];
    struct address_space as;
    struct thread *thread;
    uint64_t brk_start, brk;    /* heap for _sbrk */
    struct semaphore child_exited;  /* posted to the parent when a child exits */
};

/* Called by thread_exit for every thread (kernel threads: nothing to do). */
void process_thread_exited(struct thread *t);
#endif
