/*
 * Threads inside a process: more kernel threads sharing the process's
 * address space, each on a user stack the program provides, plus counting
 * semaphores those threads share (a mutex is a semaphore of count 1).
 * System calls 20-28 (user/syscall.h); docs/sandbox-kernel.md gives the ABI.
 */
#ifndef TRIAD_USER_UTHREAD_H
#define TRIAD_USER_UTHREAD_H
#include <stdint.h>
#include "process.h"

#define MAX_THREADS_PER_PROC 16
#define MAX_USER_SEMS 32
#define USER_SEM_MAX 1000000        /* highest count a post may reach */
#define USER_STACK_MIN 4096         /* the page below a new thread's stack top must be writable */

/* Dispatch for SYS_THREAD_FIRST..SYS_THREAD_LAST; a negated errno on error. */
long uthread_syscall(struct process *p, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
/* Threads of p that have not ended. */
unsigned uthread_live_count(const struct process *p);
/* Breaks the cancellable waits and sleeps of p's threads other than the caller. */
void uthread_interrupt_all(struct process *p);
/* Process exit (interrupts off): ends every other thread of p, waits for
   them, and frees their slots (joined or not). */
void uthread_end_others(struct process *p);
/* Frees the semaphores process `pid` created. */
void uthread_free_semaphores(int pid);
/* Semaphores in use, for the shell's `stats` (leak checks). */
unsigned uthread_semaphores_in_use(void);
#endif
