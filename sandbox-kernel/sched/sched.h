/*
 * Threads and VCPUs.  Every thread is bound to one VCPU; the scheduler picks
 * the highest-priority VCPU (rate-monotonic: shortest period first) that has
 * a ready thread and budget, then the best-effort VCPU, then Main VCPUs whose
 * budget is spent (background priority), then the low VCPU (vcpu_low: the
 * console's output drain), then the idle thread.  The timer is one-shot,
 * armed for the next event the choice depends on.
 */
#ifndef TRIAD_SCHED_SCHED_H
#define TRIAD_SCHED_SCHED_H
#include <stdint.h>
#include "vcpu_math.h"

#define MAX_THREADS 64
#define MAX_VCPUS   32
#define THREAD_STACK_SIZE 16384

enum thread_state { T_FREE, T_READY, T_RUNNING, T_BLOCKED, T_SLEEPING, T_DEAD };
enum vcpu_type { VCPU_BEST_EFFORT = 0, VCPU_MAIN = 1, VCPU_IO = 2, VCPU_LOW = 3 };

struct process;
struct vcpu;
struct waitq;

struct thread {
    uint64_t rsp;                       /* saved by switch_context */
    int id;
    enum thread_state state;
    char name[24];
    struct vcpu *vcpu;
    struct thread *next;                /* run queue or wait queue link */
    struct thread *sleep_next;
    uint64_t wake_at;
    uint64_t cpu_ns;                    /* CPU time consumed, ns */
    uint64_t dispatches;
    struct process *proc;               /* owning process, 0 for kernel threads */
    int exit_code;
    struct waitq *waitq;                /* the cancellable queue it blocks on (sched/waitq.h), or 0 */
    int wait_cancelled;                 /* set when wq_cancel ended that wait */
    uint8_t fx[512] __attribute__((aligned(16)));   /* user FPU/SSE state */
    uint8_t stack[THREAD_STACK_SIZE] __attribute__((aligned(16)));
};

struct vcpu {
    int id;
    int in_use;
    enum vcpu_type type;
    uint64_t C_us, T_us, U_ppb;         /* parameters as given */
    uint64_t prio_T;                    /* ns; rate-monotonic key (I/O: inherited) */
    struct sporadic_server ss;
    struct pibs_server io;
    struct thread *rq_head, *rq_tail;
    unsigned bound_threads;
    int owner_pid;                      /* process that created it (0: kernel); destroyed when it is reaped */
    uint64_t budgeted_ns, background_ns;
};

/* Parameters as programs give them (also the system-call ABI, see docs/sandbox-kernel.md). */
struct vcpu_params {
    uint32_t type;                      /* VCPU_MAIN or VCPU_IO */
    uint32_t reserved;
    uint64_t C_us, T_us;                /* Main: budget and period, microseconds */
    uint64_t U_ppm;                     /* I/O: utilization, parts per million */
};

/* Errors (negated errno values, shared with the system-call layer). */
#define E_PERM   1
#define E_NOENT  2
#define E_SRCH   3
#define E_CHILD  10
#define E_AGAIN  11
#define E_NOMEM  12
#define E_FAULT  14
#define E_BUSY   16
#define E_INVAL  22
#define E_NOEXEC 8
#define E_NOSYS  38
#define E_NAMETOOLONG 36

void sched_init(void);
/* Starts scheduling: the boot context becomes thread `init`; returns in it. */
void sched_start(void);
struct thread *thread_current(void);
/* A kernel thread running fn(arg) on `vcpu` (0 = best effort); 0 when no slot is free. */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, struct vcpu *vcpu);
/* A thread slot whose kernel stack the caller fills (user processes); not yet ready. */
struct thread *thread_alloc(const char *name, struct vcpu *vcpu);
void thread_make_ready(struct thread *t);
__attribute__((noreturn)) void thread_exit(int code);
void thread_yield(void);
void thread_sleep_until(uint64_t ns);
void thread_sleep_ns(uint64_t ns);
/* Blocks the current thread (caller holds interrupts off and has queued it somewhere). */
void thread_block(void);
/* Readies a blocked thread; safe from interrupt handlers. */
void thread_wake(struct thread *t);
struct thread *thread_by_id(int id);
struct thread *thread_slot(unsigned i);
/* Marks a dead thread's slot reusable once it no longer runs on its stack. */
void thread_release(struct thread *t);
/* Runs the scheduler (interrupts must be off). */
void schedule(void);
/* Called at the end of device interrupts: reschedule if a wake-up asked for it. */
void sched_irq_exit(void);

/* VCPUs */
struct vcpu *vcpu_best_effort(void);
/* The low VCPU: its threads run only when no other thread of this kernel
   is ready (in place of the idle thread), so they can never delay another
   VCPU's thread; a thread that never blocks elsewhere starves them.  Not a
   numbered VCPU (id VCPU_LOW_ID): no budget, not in the admission test,
   programs cannot bind to it. */
#define VCPU_LOW_ID MAX_VCPUS
struct vcpu *vcpu_low(void);
int vcpu_create(const struct vcpu_params *p);                  /* id >= 1, or -E_INVAL / -E_BUSY (bound) / -E_AGAIN */
int vcpu_destroy(int id);
/* Destroys the VCPUs process `pid` created that have no thread left; how many. */
unsigned vcpu_destroy_owned(int pid);
int vcpu_set_params(int id, const struct vcpu_params *p);
int vcpu_get_params(int id, struct vcpu_params *out);
int vcpu_bind(struct thread *t, int id);
struct vcpu *vcpu_by_id(int id);
/* I/O VCPUs inherit the period of the Main VCPU they serve. */
void vcpu_io_serve(struct vcpu *io, const struct vcpu *main);
uint64_t vcpu_load_ppb(void);

struct sched_stats {
    uint64_t timer_interrupts, context_switches, schedule_calls;
    uint64_t timer_cost_ticks, timer_cost_count;    /* handler cost of interrupts that did not switch */
};
void sched_get_stats(struct sched_stats *s);
#endif
