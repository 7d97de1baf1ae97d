/* Thread dispatch and VCPU budget enforcement: see sched.h. */
#include "sched.h"
#include "../kernel/percpu.h"
#include "../kernel/time.h"
#include "../kernel/string.h"
#include "../kernel/printk.h"
#include "../kernel/panic.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/lapic.h"
#include "../arch/x86_64/trap.h"
#include "../arch/x86_64/paging.h"
#include "../user/process.h"

void switch_context(uint64_t *save_rsp, uint64_t next_rsp);
void thread_first_entry(void);

static struct thread threads[MAX_THREADS];
static struct vcpu vcpus[MAX_VCPUS];
static struct vcpu low_vcpu;              /* below everything but idle: vcpu_low() */
static struct thread *sleepers;           /* sorted by wake_at */
static int next_thread_id = 1;
static uint64_t schedule_calls;
/* FPU state right after fninit: every user thread starts from it. */
static uint8_t fx_initial[512] __attribute__((aligned(16)));

#define BEST_EFFORT_QUANTUM_NS 10000000ull

struct vcpu *vcpu_best_effort(void) { return &vcpus[0]; }
struct vcpu *vcpu_low(void) { return &low_vcpu; }
struct thread *thread_current(void) { return this_cpu()->current; }
struct thread *thread_slot(unsigned i) { return i < MAX_THREADS ? &threads[i] : 0; }

struct vcpu *vcpu_by_id(int id)
{
    if (id < 0 || id >= MAX_VCPUS || !vcpus[id].in_use)
        return 0;
    return &vcpus[id];
}

struct thread *thread_by_id(int id)
{
    for (unsigned i = 0; i < MAX_THREADS; i++)
        if (threads[i].state != T_FREE && threads[i].id == id)
            return &threads[i];
    return 0;
}

static void enqueue(struct thread *t)
{
    struct vcpu *v = t->vcpu;
    t->next = 0;
    t->state = T_READY;
    if (v->rq_tail)
        v->rq_tail->next = t;
    else
        v->rq_head = t;
    v->rq_tail = t;
}

static struct thread *dequeue(struct vcpu *v)
{
    struct thread *t = v->rq_head;
    if (t) {
        v->rq_head = t->next;
        if (!v->rq_head)
            v->rq_tail = 0;
        t->next = 0;
    }
    return t;
}

static void remove_from_rq(struct thread *t)
{
    struct vcpu *v = t->vcpu;
    struct thread **pp = &v->rq_head, *prev = 0;
    while (*pp && *pp != t) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (*pp) {
        *pp = t->next;
        if (v->rq_tail == t)
            v->rq_tail = prev;
        t->next = 0;
    }
}

static uint64_t vcpu_budget(const struct vcpu *v, uint64_t now)
{
    switch (v->type) {
    case VCPU_MAIN:
        return ss_budget(&v->ss, now);
    case VCPU_IO:
        return pibs_budget(&v->io, now);
    default:
        return 0;
    }
}

static uint64_t vcpu_next_budget_time(const struct vcpu *v, uint64_t now)
{
    if (v->type == VCPU_MAIN)
        return ss_next_replenishment(&v->ss, now);
    if (v->type == VCPU_IO)
        return v->io.eligible_at > now ? v->io.eligible_at : UINT64_MAX;
    return UINT64_MAX;
}

/* Charges the time the current thread ran since its dispatch to it and its VCPU. */
static void charge_current(struct percpu *cpu, uint64_t now)
{
    struct thread *cur = cpu->current;
    if (cur == cpu->idle || cpu->current_vcpu == 0)
        return;
    uint64_t used = now - cpu->run_start_ns;
    cur->cpu_ns += used;
    struct vcpu *v = cpu->current_vcpu;
    if (cpu->dispatch_budgeted) {
        v->budgeted_ns += used;
        if (v->type == VCPU_MAIN)
            ss_charge(&v->ss, cpu->run_start_ns, used, now);
        else if (v->type == VCPU_IO)
            pibs_charge(&v->io, cpu->run_start_ns, used, cur->state != T_RUNNING || v->rq_head == 0);
    } else {
        v->background_ns += used;
    }
}

static void wake_sleepers(uint64_t now)
{
    while (sleepers && sleepers->wake_at <= now) {
        struct thread *t = sleepers;
        sleepers = t->sleep_next;
        t->sleep_next = 0;
        enqueue(t);
    }
}

/* Highest-priority choice; sets *budgeted and *budget. */
static struct vcpu *pick_vcpu(uint64_t now, int *budgeted, uint64_t *budget)
{
    struct vcpu *best = 0;
    uint64_t best_budget = 0;
    for (unsigned i = 1; i < MAX_VCPUS; i++) {
        struct vcpu *v = &vcpus[i];
        if (!v->in_use || !v->rq_head)
            continue;
        uint64_t b = vcpu_budget(v, now);
        if (b == 0)
            continue;
        if (!best || v->prio_T < best->prio_T) {
            best = v;
            best_budget = b;
        }
    }
    if (best) {
        *budgeted = 1;
        *budget = best_budget;
        return best;
    }
    *budgeted = 0;
    *budget = 0;
    if (vcpus[0].rq_head)
        return &vcpus[0];
    for (unsigned i = 1; i < MAX_VCPUS; i++) {      /* background: spent Main VCPUs */
        struct vcpu *v = &vcpus[i];
        if (v->in_use && v->rq_head && v->type == VCPU_MAIN && (!best || v->prio_T < best->prio_T))
            best = v;
    }
    if (!best && low_vcpu.rq_head)
        best = &low_vcpu;           /* nothing else wants the core */
    return best;
}

static void arm_timer(uint64_t now, struct vcpu *chosen, int budgeted, uint64_t budget)
{
    uint64_t when = UINT64_MAX;
    if (budgeted)
        when = now + budget;
    else if (chosen && chosen != &low_vcpu)   /* the low VCPU's one thread needs no quantum */
        when = now + BEST_EFFORT_QUANTUM_NS;
    if (sleepers && sleepers->wake_at < when)
        when = sleepers->wake_at;
    for (unsigned i = 1; i < MAX_VCPUS; i++) {
        struct vcpu *v = &vcpus[i];
        if (!v->in_use || !v->rq_head || (chosen && v->prio_T >= chosen->prio_T && budgeted))
            continue;
        uint64_t t = vcpu_next_budget_time(v, now);
        if (t < when)
            when = t;
    }
    if (when != UINT64_MAX)
        timer_arm_at(when);
}

void schedule(void)
{
    struct percpu *cpu = this_cpu();
    uint64_t now = now_ns();
    struct thread *cur = cpu->current;
    schedule_calls++;
    charge_current(cpu, now);
    wake_sleepers(now);
    if (cur->state == T_RUNNING && cur != cpu->idle)
        enqueue(cur);
    else if (cur == cpu->idle)
        cur->state = T_READY;
    int budgeted;
    uint64_t budget;
    struct vcpu *v = pick_vcpu(now, &budgeted, &budget);
    struct thread *next = v ? dequeue(v) : cpu->idle;
    next->state = T_RUNNING;
    cpu->current_vcpu = v;
    cpu->dispatch_budgeted = budgeted;
    arm_timer(now, v, budgeted, budget);
    cpu->run_start_ns = now_ns();
    cpu->need_resched = 0;
    if (next == cur)
        return;
    next->dispatches++;
    cpu->context_switches++;
    if (cur->proc)
        __asm__ volatile("fxsave64 %0" : "=m"(cur->fx));
    if (next->proc) {
        __asm__ volatile("fxrstor64 %0" : : "m"(next->fx));
        as_activate(&next->proc->as);
    } else {
        as_activate(0);
    }
    tss_set_kernel_stack((uint64_t)next->stack + THREAD_STACK_SIZE);
    cpu->current = next;
    switch_context(&cur->rsp, next->rsp);
}

/* Cost of timer interrupts that end without a switch (C handler entry to exit, TSC ticks). */
static uint64_t timer_cost_ticks, timer_cost_count;

static void timer_interrupt(struct trap_frame *f)
{
    (void)f;
    uint64_t t0 = rdtsc();
    struct percpu *cpu = this_cpu();
    uint64_t switches = cpu->context_switches;
    cpu->timer_interrupts++;
    lapic_eoi();
    schedule();
    if (cpu->context_switches == switches) {
        timer_cost_ticks += rdtsc() - t0;
        timer_cost_count++;
    }
}

void sched_irq_exit(void)
{
    if (this_cpu()->need_resched)
        schedule();
}

static void idle_loop(void *arg)
{
    (void)arg;
    for (;;)
        __asm__ volatile("sti; hlt; cli");
}

/* First C code of a new kernel thread (from thread_first_entry). */
__attribute__((noreturn)) void thread_start(void (*fn)(void *), void *arg);
void thread_start(void (*fn)(void *), void *arg)
{
    __asm__ volatile("sti");
    fn(arg);
    thread_exit(0);
}

struct thread *thread_alloc(const char *name, struct vcpu *vcpu)
{
    uint64_t flags = irq_save();
    struct thread *t = 0;
    for (unsigned i = 0; i < MAX_THREADS && !t; i++)
        if (threads[i].state == T_FREE)
            t = &threads[i];
    if (t) {
        t->state = T_BLOCKED;
        t->id = next_thread_id++;
        strlcpy_k(t->name, name, sizeof t->name);
        t->vcpu = vcpu ? vcpu : &vcpus[0];
        t->vcpu->bound_threads++;
        t->next = t->sleep_next = 0;
        t->cpu_ns = t->dispatches = 0;
        t->proc = 0;
        t->exit_code = 0;
        t->waitq = 0;
        t->wait_cancelled = 0;
        memcpy(t->fx, fx_initial, sizeof t->fx);
    }
    irq_restore(flags);
    return t;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, struct vcpu *vcpu)
{
    struct thread *t = thread_alloc(name, vcpu);
    if (!t)
        return 0;
    uint64_t *sp = (uint64_t *)(t->stack + THREAD_STACK_SIZE);
    *--sp = 0;                                  /* keeps the entry's stack 16-byte aligned */
    *--sp = (uint64_t)thread_first_entry;
    *--sp = 0;                                  /* rbp */
    *--sp = 0;                                  /* rbx */
    *--sp = (uint64_t)fn;                       /* r12 */
    *--sp = (uint64_t)arg;                      /* r13 */
    *--sp = 0;                                  /* r14 */
    *--sp = 0;                                  /* r15 */
    t->rsp = (uint64_t)sp;
    thread_make_ready(t);
    return t;
}

void thread_make_ready(struct thread *t)
{
    uint64_t flags = irq_save();
    enqueue(t);
    this_cpu()->need_resched = 1;
    irq_restore(flags);
}

void thread_release(struct thread *t)
{
    uint64_t flags = irq_save();
    if (t->state == T_DEAD && t != this_cpu()->current)
        t->state = T_FREE;
    irq_restore(flags);
}

void thread_exit(int code)
{
    __asm__ volatile("cli");
    struct thread *t = thread_current();
    t->exit_code = code;
    t->vcpu->bound_threads--;
    t->state = T_DEAD;
    if (t->proc == 0)
        t->state = T_DEAD;      /* kernel threads: the slot is reused once we switch away */
    process_thread_exited(t);
    schedule();
    panic("dead thread scheduled");
}

void thread_yield(void)
{
    uint64_t flags = irq_save();
    schedule();
    irq_restore(flags);
}

void thread_block(void)
{
    thread_current()->state = T_BLOCKED;
    schedule();
}

void thread_wake(struct thread *t)
{
    uint64_t flags = irq_save();
    if (t->state == T_BLOCKED || t->state == T_SLEEPING) {
        if (t->state == T_SLEEPING) {
            struct thread **pp = &sleepers;
            while (*pp && *pp != t)
                pp = &(*pp)->sleep_next;
            if (*pp)
                *pp = t->sleep_next;
        }
        enqueue(t);
        /* A low VCPU thread (the console's drain) runs after every other
           one anyway: waking it (every printk into an empty ring) preempts
           nobody.  A reschedule asked for it would only end the running
           thread's segment at the next device interrupt, and an I/O VCPU's
           run that ends makes it wait C_actual / U (PIBS). */
        if (t->vcpu != &low_vcpu)
            this_cpu()->need_resched = 1;
    }
    irq_restore(flags);
}

void thread_sleep_until(uint64_t ns)
{
    uint64_t flags = irq_save();
    struct thread *t = thread_current();
    if (ns > now_ns()) {
        t->wake_at = ns;
        t->state = T_SLEEPING;
        struct thread **pp = &sleepers;
        while (*pp && (*pp)->wake_at <= ns)
            pp = &(*pp)->sleep_next;
        t->sleep_next = *pp;
        *pp = t;
    }
    schedule();
    irq_restore(flags);
}

void thread_sleep_ns(uint64_t ns) { thread_sleep_until(now_ns() + ns); }

/* ---- VCPUs ---------------------------------------------------------------- */

static uint64_t load_of(const struct vcpu *v)
{
    return v->type == VCPU_MAIN ? util_main_ppb(v->C_us, v->T_us) : util_io_ppb(v->U_ppb);
}

/* Load of every VCPU in use, replacing `skip` by `add` (either may be 0). */
static int admits(const struct vcpu *skip, const struct vcpu *add)
{
    struct vcpu_set_load l = { 0, 0 };
    for (unsigned i = 1; i < MAX_VCPUS; i++) {
        const struct vcpu *v = &vcpus[i];
        if (!v->in_use || v == skip)
            continue;
        l.mains += v->type == VCPU_MAIN;
        l.load_ppb += load_of(v);
    }
    if (add) {
        l.mains += add->type == VCPU_MAIN;
        l.load_ppb += load_of(add);
    }
    return admission_ok(&l);
}

uint64_t vcpu_load_ppb(void)
{
    uint64_t sum = 0;
    for (unsigned i = 1; i < MAX_VCPUS; i++)
        if (vcpus[i].in_use)
            sum += load_of(&vcpus[i]);
    return sum;
}

/* Validates user-supplied parameters into a candidate VCPU. */
static int fill(struct vcpu *v, const struct vcpu_params *p)
{
    memset(v, 0, sizeof *v);
    if (p->type == VCPU_MAIN) {
        if (vcpu_params_valid_main(p->C_us, p->T_us) != 0)
            return -E_INVAL;
        v->C_us = p->C_us;
        v->T_us = p->T_us;
    } else if (p->type == VCPU_IO) {
        if (p->U_ppm == 0 || p->U_ppm > 1000000)
            return -E_INVAL;
        v->U_ppb = p->U_ppm * 1000;
        v->T_us = p->T_us ? p->T_us : 10000;     /* until it serves a Main VCPU */
        if (v->T_us > 1000000000ull)
            return -E_INVAL;
    } else {
        return -E_INVAL;
    }
    v->type = (enum vcpu_type)p->type;
    return 0;
}

static void start_servers(struct vcpu *v, uint64_t now)
{
    v->prio_T = v->T_us * 1000;
    if (v->type == VCPU_MAIN)
        ss_init(&v->ss, v->C_us * 1000, v->T_us * 1000, now);
    else
        pibs_init(&v->io, v->U_ppb, v->T_us * 1000);
}

int vcpu_create(const struct vcpu_params *p)
{
    struct vcpu cand;
    int err = fill(&cand, p);
    if (err)
        return err;
    uint64_t flags = irq_save();
    int id = -E_AGAIN;
    if (!admits(0, &cand)) {
        id = -E_BUSY;
    } else {
        for (int i = 1; i < MAX_VCPUS; i++)
            if (!vcpus[i].in_use) {
                vcpus[i] = cand;
                vcpus[i].id = i;
                vcpus[i].in_use = 1;
                vcpus[i].owner_pid = thread_current() && thread_current()->proc ? thread_current()->proc->pid : 0;
                start_servers(&vcpus[i], now_ns());
                id = i;
                break;
            }
    }
    irq_restore(flags);
    return id;
}

int vcpu_destroy(int id)
{
    if (id == 0)
        return -E_PERM;                 /* the best-effort VCPU always exists */
    uint64_t flags = irq_save();
    struct vcpu *v = vcpu_by_id(id);
    int r = -E_INVAL;
    if (v && v->bound_threads > 0)
        r = -E_BUSY;
    else if (v) {
        v->in_use = 0;
        r = 0;
    }
    irq_restore(flags);
    return r;
}

unsigned vcpu_destroy_owned(int pid)
{
    unsigned n = 0;
    for (int i = 1; i < MAX_VCPUS; i++)
        if (vcpus[i].in_use && pid != 0 && vcpus[i].owner_pid == pid && vcpu_destroy(i) == 0)
            n++;
    return n;
}

int vcpu_set_params(int id, const struct vcpu_params *p)
{
    struct vcpu cand;
    int err = fill(&cand, p);
    if (err)
        return err;
    uint64_t flags = irq_save();
    struct vcpu *v = vcpu_by_id(id);
    int r = 0;
    if (!v || id == 0 || v->type != cand.type)
        r = -E_INVAL;
    else if (!admits(v, &cand))
        r = -E_BUSY;
    else {
        v->C_us = cand.C_us;
        v->T_us = cand.T_us;
        v->U_ppb = cand.U_ppb;
        start_servers(v, now_ns());
    }
    irq_restore(flags);
    return r;
}

int vcpu_get_params(int id, struct vcpu_params *out)
{
    struct vcpu *v = vcpu_by_id(id);
    if (!v)
        return -E_INVAL;
    out->type = v->type;
    out->reserved = 0;
    out->C_us = v->C_us;
    out->T_us = v->T_us;
    out->U_ppm = v->U_ppb / 1000;
    return 0;
}

int vcpu_bind(struct thread *t, int id)
{
    struct vcpu *v = vcpu_by_id(id);
    if (!v)
        return -E_INVAL;
    uint64_t flags = irq_save();
    struct vcpu *old = t->vcpu;
    int queued = t->state == T_READY;
    if (queued)
        remove_from_rq(t);
    old->bound_threads--;
    t->vcpu = v;
    v->bound_threads++;
    if (queued)
        enqueue(t);
    if (t == thread_current()) {
        /* Close the running segment on the old VCPU and rerun the choice on the new one. */
        this_cpu()->need_resched = 1;
        schedule();
    }
    irq_restore(flags);
    return 0;
}

void vcpu_io_serve(struct vcpu *io, const struct vcpu *main)
{
    if (io->type != VCPU_IO || !main || main->type != VCPU_MAIN)
        return;
    pibs_inherit(&io->io, main->T_us * 1000);
    io->prio_T = main->T_us * 1000;
}

void sched_get_stats(struct sched_stats *s)
{
    struct percpu *cpu = this_cpu();
    s->timer_interrupts = cpu->timer_interrupts;
    s->context_switches = cpu->context_switches;
    s->schedule_calls = schedule_calls;
    s->timer_cost_ticks = timer_cost_ticks;
    s->timer_cost_count = timer_cost_count;
}

void sched_init(void)
{
    struct percpu *cpu = this_cpu();
    vcpus[0].in_use = 1;
    vcpus[0].type = VCPU_BEST_EFFORT;
    vcpus[0].prio_T = UINT64_MAX;
    low_vcpu.id = VCPU_LOW_ID;
    low_vcpu.in_use = 1;
    low_vcpu.type = VCPU_LOW;
    low_vcpu.prio_T = UINT64_MAX;
    /* User threads get SSE: enable FXSAVE and SSE exceptions, and record a clean state. */
    write_cr0((read_cr0() & ~(1ull << 2)) | (1ull << 1));
    write_cr4(read_cr4() | (1ull << 9) | (1ull << 10));
    __asm__ volatile("fninit; fxsave64 %0" : "=m"(fx_initial));
    /* The boot context becomes thread "init" (its stack is the boot stack). */
    struct thread *init = thread_alloc("init", &vcpus[0]);
    init->state = T_RUNNING;
    cpu->current = init;
    cpu->current_vcpu = &vcpus[0];
    cpu->idle = thread_create("idle", idle_loop, 0, &vcpus[0]);
    /* The idle thread is never queued on a VCPU: it runs when nothing else can. */
    remove_from_rq(cpu->idle);
    cpu->idle->vcpu->bound_threads--;
    cpu->idle->state = T_READY;
    trap_set_handler(VECTOR_TIMER, timer_interrupt);
}

void sched_start(void)
{
    uint64_t flags = irq_save();
    this_cpu()->run_start_ns = now_ns();
    schedule();
    irq_restore(flags);
    __asm__ volatile("sti");
}
