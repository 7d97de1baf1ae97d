/* User processes: an address space, its threads, a parent and an exit status. */
#ifndef TRIAD_USER_PROCESS_H
#define TRIAD_USER_PROCESS_H
#include <stdint.h>
#include "../arch/x86_64/paging.h"
#include "../arch/x86_64/trap.h"
#include "../sched/sync.h"
#include "../sched/waitq.h"

#define MAX_PROCS 32
#define MAX_ARGS 16
#define MAX_ARG_LEN 128
#define USER_STACK_PAGES 16

struct process {
    int pid;
    int in_use;
    int zombie;
    int exit_status;
    volatile int killed;        /* set by kill: exits on its next way back to user mode */
    volatile int exiting;       /* one thread is ending the process: the others end on their way out */
    int parent;                 /* pid; 0 = started by the kernel (shell, boot) */
    char name[24];
    struct address_space as;
    struct thread *thread;      /* the main thread; at exit, the thread that ended the process */
    uint64_t brk_start, brk;    /* heap for sbrk */
    struct waitq child_exited;  /* woken when one of its children exits */
    struct waitq thread_exited; /* woken when one of its threads ends (join, exit) */
};

/* The program archive module (set once at boot; 0 if none). */
void process_set_archive(const uint8_t *ar, uint64_t len);
const uint8_t *process_archive(uint64_t *len);
/* Starts program `name` as a child of `parent` (0 = kernel); its pid or a negative error. */
int process_spawn(const char *name, int argc, char *const argv[], int parent);
/* Waits for a child of `parent` (pid -1: any); returns its pid and *status, or a negative error. */
int process_wait(int parent, int pid, int *status);
int process_fork(struct trap_frame *f);
int process_exec(struct trap_frame *f, const char *name, int argc, char *const argv[]);
__attribute__((noreturn)) void process_exit(int status);
struct process *process_current(void);
struct process *process_by_pid(int pid);
struct process *process_slot(unsigned i);
/* Kills a process (shell `kill`): status 137; -E_SRCH if none. */
int process_kill(int pid);
unsigned process_count(void);

/* Called by thread_exit for every thread (kernel threads: nothing to do). */
void process_thread_exited(struct thread *t);
/* Lays a user frame and a switch frame returning through trap_return on t's kernel stack. */
void process_prepare_stack(struct thread *t, const struct trap_frame *user);
#endif
