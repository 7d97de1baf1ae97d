/* Threads in a process and the semaphores they share: see uthread.h. */
#include "uthread.h"
#include "syscall.h"
#include "usercopy.h"
#include "../sched/sched.h"
#include "../sched/waitq.h"
#include "../arch/x86_64/cpu.h"
#include "../kernel/string.h"

#define E_INTR   4
#define E_DEADLK 45         /* newlib's number (Linux uses 35) */

struct user_sem {
    int owner;                  /* pid; 0 = free */
    int count;
    struct waitq waiters;
};

static struct user_sem sems[MAX_USER_SEMS];

static int live(const struct thread *t) { return t->state != T_FREE && t->state != T_DEAD; }

unsigned uthread_live_count(const struct process *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        struct thread *t = thread_slot(i);
        n += t->proc == p && live(t);
    }
    return n;
}

/* Every thread slot p holds, dead (not yet joined) or alive. */
static unsigned slots_of(const struct process *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_THREADS; i++)
        n += thread_slot(i)->proc == p && thread_slot(i)->state != T_FREE;
    return n;
}

void uthread_interrupt_all(struct process *p)
{
    struct thread *self = thread_current();
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        struct thread *t = thread_slot(i);
        if (t != self && t->proc == p && live(t))
            wq_cancel(t);
    }
}

void uthread_end_others(struct process *p)
{
    struct thread *self = thread_current();
    for (;;) {
        /* Each one leaves at its next return towards user mode (process_return_to_user). */
        uthread_interrupt_all(p);
        if (uthread_live_count(p) <= 1)
            break;
        wq_block(&p->thread_exited);
    }
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        struct thread *t = thread_slot(i);
        if (t != self && t->proc == p && t->state == T_DEAD) {
            t->proc = 0;
            thread_release(t);
        }
    }
}

/* A user address range is usable as a new thread's stack: the page below
   the top is writable (a copy-on-write page is made private now). */
static int stack_ok(struct process *p, uint64_t top)
{
    if (top < USER_BASE + USER_STACK_MIN || top > USER_TOP)
        return -E_FAULT;
    if (top & 15)
        return -E_INVAL;            /* the ABI wants 16-byte alignment at the call */
    for (uint64_t va = (top - USER_STACK_MIN) & ~4095ull; va < top; va += 4096)
        if (as_lookup_write(&p->as, va) == 0)
            return -E_FAULT;
    return 0;
}

static long thread_create_user(struct process *p, uint64_t entry, uint64_t stack_top, uint64_t arg)
{
    int writable;
    if (entry < USER_BASE || entry >= USER_TOP || as_lookup(&p->as, entry, &writable) == 0)
        return -E_FAULT;
    int r = stack_ok(p, stack_top);
    if (r != 0)
        return r;
    if (slots_of(p) >= MAX_THREADS_PER_PROC)
        return -E_AGAIN;
    /* A zero return address: a thread function that returns without thread_exit faults cleanly. */
    uint64_t zero = 0;
    if (copy_to_user(&p->as, stack_top - 8, &zero, 8) != 0)
        return -E_FAULT;
    struct thread *t = thread_alloc(p->name, thread_current()->vcpu);
    if (!t)
        return -E_AGAIN;
    t->proc = p;
    struct trap_frame f;
    memset(&f, 0, sizeof f);
    f.rip = entry;
    f.cs = USER_CS;
    f.rflags = 0x202;
    f.rsp = stack_top - 8;          /* as if called: RSP + 8 is 16-byte aligned */
    f.ss = USER_DS;
    f.rdi = arg;
    process_prepare_stack(t, &f);
    int id = t->id;
    thread_make_ready(t);
    return id;
}

static long thread_join(struct process *p, int tid, uint64_t ustatus)
{
    int code = 0;
    if (ustatus != 0 && copy_to_user(&p->as, ustatus, &code, sizeof code) != 0)
        return -E_FAULT;            /* checked before anything is reaped */
    struct thread *self = thread_current();
    long r;
    uint64_t flags = irq_save();
    for (;;) {
        struct thread *t = thread_by_id(tid);
        if (!t || t->proc != p) {
            r = -E_SRCH;            /* no such thread here, or already joined */
            break;
        }
        if (t == self) {
            r = -E_DEADLK;
            break;
        }
        if (t->state == T_DEAD) {
            code = t->exit_code;
            if (p->thread == t)
                p->thread = self;   /* the main thread's slot is about to be reused */
            t->proc = 0;
            thread_release(t);
            r = 0;
            break;
        }
        if (p->killed || p->exiting || wq_block(&p->thread_exited) != 0) {
            r = -E_INTR;
            break;
        }
    }
    irq_restore(flags);
    if (r == 0 && ustatus != 0)
        copy_to_user(&p->as, ustatus, &code, sizeof code);
    return r;
}

static __attribute__((noreturn)) void thread_exit_user(int status)
{
    __asm__ volatile("cli");
    if (uthread_live_count(process_current()) <= 1)
        process_exit(status);       /* the last thread: the process ends with its status */
    thread_exit(status);            /* stays dead until joined or until the process ends */
}

static long thread_bind(struct process *p, int tid, int vcpu)
{
    struct thread *t = tid == 0 ? thread_current() : thread_by_id(tid);
    if (!t || t->proc != p || !live(t))
        return -E_SRCH;
    return vcpu_bind(t, vcpu);
}

/* ---- semaphores ---------------------------------------------------------- */

static struct user_sem *sem_of(const struct process *p, uint64_t id)
{
    if (id < 1 || id > MAX_USER_SEMS || sems[id - 1].owner != p->pid)
        return 0;
    return &sems[id - 1];
}

static long sem_create(struct process *p, int64_t count)
{
    if (count < 0 || count > USER_SEM_MAX)
        return -E_INVAL;
    long r = -E_AGAIN;
    uint64_t flags = irq_save();
    for (unsigned i = 0; i < MAX_USER_SEMS; i++)
        if (sems[i].owner == 0) {
            sems[i].owner = p->pid;
            sems[i].count = (int)count;
            sems[i].waiters.head = sems[i].waiters.tail = 0;
            r = (long)i + 1;
            break;
        }
    irq_restore(flags);
    return r;
}

static long sem_wait_user(struct process *p, uint64_t id)
{
    long r;
    uint64_t flags = irq_save();
    for (;;) {
        struct user_sem *s = sem_of(p, id);
        if (!s) {
            r = -E_INVAL;
            break;
        }
        if (s->count > 0) {
            s->count--;
            r = 0;
            break;
        }
        if (p->killed || p->exiting || wq_block(&s->waiters) != 0) {
            r = -E_INTR;
            break;
        }
    }
    irq_restore(flags);
    return r;
}

static long sem_post_user(struct process *p, uint64_t id)
{
    long r = 0;
    uint64_t flags = irq_save();
    struct user_sem *s = sem_of(p, id);
    if (!s)
        r = -E_INVAL;
    else if (s->count >= USER_SEM_MAX)
        r = -E_INVAL;
    else {
        s->count++;
        wq_wake_one(&s->waiters);   /* it takes the count when it runs (or someone else does first) */
    }
    irq_restore(flags);
    return r;
}

static long sem_destroy(struct process *p, uint64_t id)
{
    long r = 0;
    uint64_t flags = irq_save();
    struct user_sem *s = sem_of(p, id);
    if (!s)
        r = -E_INVAL;
    else if (s->waiters.head)
        r = -E_BUSY;
    else
        s->owner = 0;
    irq_restore(flags);
    return r;
}

void uthread_free_semaphores(int pid)
{
    uint64_t flags = irq_save();
    for (unsigned i = 0; i < MAX_USER_SEMS; i++)
        if (sems[i].owner == pid && pid != 0) {
            /* Its threads are gone by now; anything still queued is woken, not kept. */
            for (struct thread *t = sems[i].waiters.head, *next; t; t = next) {
                next = t->next;
                wq_cancel(t);
            }
            sems[i].waiters.head = sems[i].waiters.tail = 0;
            sems[i].owner = 0;
        }
    irq_restore(flags);
}

unsigned uthread_semaphores_in_use(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_USER_SEMS; i++)
        n += sems[i].owner != 0;
    return n;
}

long uthread_syscall(struct process *p, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    switch (nr) {
    case SYS_THREAD_CREATE:
        return thread_create_user(p, a0, a1, a2);
    case SYS_THREAD_JOIN:
        return thread_join(p, (int)a0, a1);
    case SYS_THREAD_EXIT:
        thread_exit_user((int)a0);
    case SYS_THREAD_SELF:
        return thread_current()->id;
    case SYS_THREAD_BIND:
        return thread_bind(p, (int)a0, (int)a1);
    case SYS_SEM_CREATE:
        return sem_create(p, (int64_t)a0);
    case SYS_SEM_WAIT:
        return sem_wait_user(p, a0);
    case SYS_SEM_POST:
        return sem_post_user(p, a0);
    case SYS_SEM_DESTROY:
        return sem_destroy(p, a0);
    default:
        return -E_NOSYS;
    }
}
