/*
 * Processes: spawn from the program archive, fork (copy-on-write), exec,
 * exit and wait.  A process may hold several threads (user/uthread.c); exit
 * by any of them ends them all before the address space goes.  A process's kernel stack holds, at its top,
 * the trap frame of its user context; a new or forked process starts by
 * "returning" from that frame through trap_return.
 */
#include "process.h"
#include "elf.h"
#include "progar.h"
#include "usercopy.h"
#include "../sched/sched.h"
#include "../kernel/string.h"
#include "../kernel/printk.h"
#include "../kernel/pmem.h"
#include "../kernel/percpu.h"
#include "uthread.h"

static struct process procs[MAX_PROCS];
static int next_pid = 1;
static const uint8_t *archive;
static uint64_t archive_len;
static struct waitq kernel_child_exited;        /* the kernel (pid 0) as a parent */

void process_set_archive(const uint8_t *ar, uint64_t len)
{
    archive = ar;
    archive_len = len;
}

const uint8_t *process_archive(uint64_t *len)
{
    *len = archive_len;
    return archive;
}

struct process *process_slot(unsigned i) { return i < MAX_PROCS ? &procs[i] : 0; }

struct process *process_current(void)
{
    struct thread *t = thread_current();
    return t ? t->proc : 0;
}

struct process *process_by_pid(int pid)
{
    for (unsigned i = 0; i < MAX_PROCS; i++)
        if (procs[i].in_use && procs[i].pid == pid)
            return &procs[i];
    return 0;
}

unsigned process_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < MAX_PROCS; i++)
        n += procs[i].in_use;
    return n;
}

static struct waitq *exit_wq_of(int parent)
{
    struct process *pp = parent ? process_by_pid(parent) : 0;
    return pp ? &pp->child_exited : &kernel_child_exited;
}

static struct process *alloc_proc(const char *name, int parent)
{
    uint64_t flags = irq_save();
    struct process *p = 0;
    for (unsigned i = 0; i < MAX_PROCS && !p; i++)
        if (!procs[i].in_use)
            p = &procs[i];
    if (p) {
        memset(p, 0, sizeof *p);
        p->in_use = 1;
        p->pid = next_pid++;
        p->parent = parent;
        strlcpy_k(p->name, name, sizeof p->name);
    }
    irq_restore(flags);
    return p;
}

/* Loads program `name` into a fresh address space with its arguments on the stack. */
static int load_image(const char *name, int argc, char *const argv[], struct address_space *as, uint64_t *entry,
                      uint64_t *sp, uint64_t *argv_va, uint64_t *brk)
{
    const uint8_t *file;
    size_t size;
    if (!archive)
        return -E_NOENT;
    if (progar_find(archive, archive_len, name, &file, &size) != PROGAR_OK)
        return -E_NOENT;
    struct elf_image img;
    int r = elf_parse(file, size, USER_BASE, USER_TOP - USER_STACK_PAGES * 4096, &img);
    if (r != ELF_OK) {
        printk("kernel: %s: %s\n", name, elf_error(r));
        return -E_NOEXEC;
    }
    if (as_create(as) != 0)
        return -E_NOMEM;
    uint64_t top = 0;
    for (unsigned i = 0; i < img.count; i++) {
        const struct elf_segment *s = &img.seg[i];
        for (uint64_t va = s->vaddr & ~0xFFFull; va < s->vaddr + s->memsz; va += 4096) {
            uint64_t pa = as_map_new(as, va, s->writable);
            if (pa == 0) {
                as_destroy(as);
                return -E_NOMEM;
            }
            /* Copy the part of the file that falls in this page. */
            uint64_t lo = va > s->vaddr ? va : s->vaddr, hi = va + 4096;
            if (hi > s->vaddr + s->filesz)
                hi = s->vaddr + s->filesz;
            if (hi > lo)
                memcpy((void *)(uintptr_t)(pa + (lo - va)), file + s->offset + (lo - s->vaddr), hi - lo);
        }
        if (s->vaddr + s->memsz > top)
            top = s->vaddr + s->memsz;
    }
    for (uint64_t va = USER_TOP - USER_STACK_PAGES * 4096; va < USER_TOP; va += 4096)
        if (as_map_new(as, va, 1) == 0) {
            as_destroy(as);
            return -E_NOMEM;
        }
    /* Arguments: the strings at the top of the stack, then the argv array. */
    uint64_t p = USER_TOP, ptrs[MAX_ARGS + 1];
    for (int i = argc - 1; i >= 0; i--) {
        size_t n = strlen(argv[i]) + 1;
        p -= n;
        copy_to_user(as, p, argv[i], n);
        ptrs[i] = p;
    }
    ptrs[argc] = 0;
    p &= ~15ull;
    p -= (uint64_t)(argc + 1) * 8;
    p &= ~15ull;
    copy_to_user(as, p, ptrs, (uint64_t)(argc + 1) * 8);
    *argv_va = p;
    *sp = p - 8;            /* as if `call main`: keeps the ABI's stack alignment */
    *entry = img.entry;
    *brk = (top + 4095) & ~4095ull;
    return 0;
}

void process_prepare_stack(struct thread *t, const struct trap_frame *user)
{
    uint8_t *top = t->stack + THREAD_STACK_SIZE;
    struct trap_frame *f = (struct trap_frame *)(top - sizeof *f);
    *f = *user;
    uint64_t *sp = (uint64_t *)f;
    *--sp = (uint64_t)trap_return;
    for (int i = 0; i < 6; i++)
        *--sp = 0;              /* rbp rbx r12 r13 r14 r15 */
    t->rsp = (uint64_t)sp;
}

int process_spawn(const char *name, int argc, char *const argv[], int parent)
{
    if (argc < 0 || argc > MAX_ARGS)
        return -E_INVAL;
    struct process *p = alloc_proc(name, parent);
    if (!p)
        return -E_AGAIN;
    uint64_t entry, sp, argv_va, brk;
    int r = load_image(name, argc, argv, &p->as, &entry, &sp, &argv_va, &brk);
    if (r != 0) {
        p->in_use = 0;
        return r;
    }
    p->brk_start = p->brk = brk;
    struct thread *caller = thread_current();
    struct vcpu *v = caller && caller->proc ? caller->vcpu : vcpu_best_effort();
    struct thread *t = thread_alloc(name, v);
    if (!t) {
        as_destroy(&p->as);
        p->in_use = 0;
        return -E_AGAIN;
    }
    t->proc = p;
    p->thread = t;
    struct trap_frame f;
    memset(&f, 0, sizeof f);
    f.rip = entry;
    f.cs = USER_CS;
    f.rflags = 0x202;
    f.rsp = sp;
    f.ss = USER_DS;
    f.rdi = (uint64_t)argc;
    f.rsi = argv_va;
    process_prepare_stack(t, &f);
    thread_make_ready(t);
    return p->pid;
}

int process_fork(struct trap_frame *f)
{
    struct process *parent = process_current();
    struct process *c = alloc_proc(parent->name, parent->pid);
    if (!c)
        return -E_AGAIN;
    if (as_create(&c->as) != 0 || as_clone(&c->as, &parent->as) != 0) {
        as_destroy(&c->as);
        c->in_use = 0;
        return -E_NOMEM;
    }
    c->brk_start = parent->brk_start;
    c->brk = parent->brk;
    struct thread *t = thread_alloc(parent->name, thread_current()->vcpu);
    if (!t) {
        as_destroy(&c->as);
        c->in_use = 0;
        return -E_AGAIN;
    }
    memcpy(t->fx, thread_current()->fx, sizeof t->fx);
    __asm__ volatile("fxsave64 %0" : "=m"(t->fx));      /* the parent's live FPU state */
    t->proc = c;
    c->thread = t;
    struct trap_frame child = *f;
    child.rax = 0;
    process_prepare_stack(t, &child);
    thread_make_ready(t);
    return c->pid;
}

int process_exec(struct trap_frame *f, const char *name, int argc, char *const argv[])
{
    struct process *p = process_current();
    if (uthread_live_count(p) > 1)
        return -E_BUSY;     /* the other threads would run on in the new image */
    struct address_space fresh;
    uint64_t entry, sp, argv_va, brk;
    int r = load_image(name, argc, argv, &fresh, &entry, &sp, &argv_va, &brk);
    if (r != 0)
        return r;       /* the old image is untouched */
    struct address_space old = p->as;
    uint64_t flags = irq_save();
    p->as = fresh;
    as_activate(&p->as);
    irq_restore(flags);
    as_destroy(&old);
    p->brk_start = p->brk = brk;
    strlcpy_k(p->name, name, sizeof p->name);
    strlcpy_k(thread_current()->name, name, sizeof thread_current()->name);
    memset(f, 0, sizeof *f);
    f->rip = entry;
    f->cs = USER_CS;
    f->rflags = 0x202;
    f->rsp = sp;
    f->ss = USER_DS;
    f->rdi = (uint64_t)argc;
    f->rsi = argv_va;
    return 0;
}

void process_exit(int status)
{
    struct process *p = process_current();
    __asm__ volatile("cli");
    if (p->exiting)
        thread_exit(status);    /* another thread is ending the process: just go */
    p->exiting = 1;
    p->exit_status = status;
    p->thread = thread_current();   /* the thread process_wait reaps */
    /* Every other thread ends before the address space it runs in goes. */
    uthread_end_others(p);
    as_activate(0);
    as_destroy(&p->as);
    uthread_free_semaphores(p->pid);
    p->zombie = 1;
    for (unsigned i = 0; i < MAX_PROCS; i++)     /* orphans are handed to the kernel */
        if (procs[i].in_use && procs[i].parent == p->pid)
            procs[i].parent = 0;
    wq_wake_all(exit_wq_of(p->parent));
    thread_exit(status);
}

void process_thread_exited(struct thread *t)
{
    if (t->proc)
        wq_wake_all(&t->proc->thread_exited);
}

int process_wait(int parent, int pid, int *status)
{
    for (;;) {
        int children = 0;
        /* Interrupts stay off from the scan to the sleep: no exit slips between. */
        uint64_t flags = irq_save();
        for (unsigned i = 0; i < MAX_PROCS; i++) {
            struct process *c = &procs[i];
            if (!c->in_use || c->parent != parent || (pid != -1 && c->pid != pid))
                continue;
            children++;
            if (c->zombie && c->thread->state == T_DEAD) {
                int cpid = c->pid;
                if (status)
                    *status = c->exit_status;
                thread_release(c->thread);
                vcpu_destroy_owned(cpid);
                c->in_use = 0;
                irq_restore(flags);
                return cpid;
            }
        }
        struct process *self = process_current();
        int r = children == 0 || (self && self->killed) ? -1 : wq_block(exit_wq_of(parent));
        irq_restore(flags);
        if (r != 0)
            return -E_CHILD;    /* no child, or killed while waiting */
    }
}

int process_kill(int pid)
{
    struct process *p = process_by_pid(pid);
    if (!p || p->zombie)
        return -E_SRCH;
    p->killed = 1;
    uthread_interrupt_all(p);   /* each comes back to the user boundary and ends there */
    return 0;
}

/* A ring-3 exception ends the process (the report is already printed). */
int process_fault(struct trap_frame *f)
{
    struct process *p = process_current();
    if (!p)
        return 0;
    printk("kernel: process %d (%s) killed by exception %lu\n", p->pid, p->name, (unsigned long)f->vector);
    process_exit(128 + 11);
}

void process_return_to_user(struct trap_frame *f)
{
    (void)f;
    struct process *p = process_current();
    if (p && p->exiting)
        thread_exit(0);         /* a sibling is ending the process */
    if (p && p->killed)
        process_exit(128 + 9);
}
