/* System-call dispatch: every argument from ring 3 is checked before use. */
#include "syscall.h"
#include "process.h"
#include "usercopy.h"
#include "uthread.h"
#include "../sched/sched.h"
#include "../kernel/printk.h"
#include "../kernel/serial.h"
#include "../kernel/time.h"
#include "../kernel/string.h"
#include "../kernel/console.h"
#include "../net/net.h"
#include "../chan/chan_user.h"
#include "../arch/x86_64/hypercall.h"
#include "../chan/chan_platform.h"
#include "../chan/chan_console.h"
#include "../../monitor/abi/hypercall.h"

/* The heap stops below the channel pages (chan/chan_user_abi.h). */
#define USER_HEAP_LIMIT TRIAD_CHAN_USER_BASE
#define SELF_RESTART_DRAIN_NS 20000000ull   /* bound of the console drain before a self-restart */

static long sys_write(struct process *p, uint64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 1 && fd != 2)
        return -9;          /* EBADF */
    if (len > (1u << 20))
        return -E_INVAL;
    char chunk[256];
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (copy_from_user(&p->as, chunk, buf + done, n) != 0)
            return done ? (long)done : -E_FAULT;
        console_write(chunk, n);
        done += n;
    }
    return (long)done;
}

static long sys_read(struct process *p, uint64_t fd, uint64_t buf, uint64_t len)
{
    if (fd != 0)
        return -9;
    char chunk[128];
    if (len > sizeof chunk)
        len = sizeof chunk;
    long n = console_read(chunk, len);
    if (n > 0 && copy_to_user(&p->as, buf, chunk, (size_t)n) != 0)
        return -E_FAULT;
    return n;
}

static long sys_sbrk(struct process *p, int64_t incr)
{
    uint64_t old = p->brk, want = (uint64_t)((int64_t)old + incr);
    if (want < p->brk_start || want > USER_HEAP_LIMIT)
        return -E_NOMEM;
    for (uint64_t va = (old + 4095) & ~4095ull; va < want; va += 4096)
        if (as_map_new(&p->as, va, 1) == 0)
            return -E_NOMEM;
    p->brk = want;
    return (long)old;
}

/* Copies a program name and argv[] (NULL-terminated) from user memory. */
static int args_from_user(struct process *p, uint64_t uname, uint64_t uargv, char name[MAX_ARG_LEN],
                          char store[MAX_ARGS][MAX_ARG_LEN], char *argv[MAX_ARGS + 1])
{
    int r = string_from_user(&p->as, name, uname, MAX_ARG_LEN);
    if (r < 0)
        return r;
    int argc = 0;
    for (; uargv != 0; argc++) {
        uint64_t ptr;
        if (copy_from_user(&p->as, &ptr, uargv + (uint64_t)argc * 8, 8) != 0)
            return -E_FAULT;
        if (ptr == 0)
            break;
        if (argc == MAX_ARGS)
            return -7;      /* E2BIG */
        r = string_from_user(&p->as, store[argc], ptr, MAX_ARG_LEN);
        if (r < 0)
            return r;
        argv[argc] = store[argc];
    }
    if (argc == 0) {        /* argv[0] defaults to the program name */
        strlcpy_k(store[0], name, MAX_ARG_LEN);
        argv[0] = store[0];
        argc = 1;
    }
    argv[argc] = 0;
    return argc;
}

static long sys_vcpu_params(struct process *p, uint64_t nr, uint64_t a0, uint64_t a1)
{
    struct vcpu_params params;
    switch (nr) {
    case SYS_VCPU_CREATE:
        if (copy_from_user(&p->as, &params, a0, sizeof params) != 0)
            return -E_FAULT;
        return vcpu_create(&params);
    case SYS_VCPU_SETPARAMS:
        if (copy_from_user(&p->as, &params, a1, sizeof params) != 0)
            return -E_FAULT;
        return vcpu_set_params((int)a0, &params);
    default: {  /* SYS_VCPU_GETPARAMS */
        int r = vcpu_get_params((int)a0, &params);
        if (r == 0 && copy_to_user(&p->as, a1, &params, sizeof params) != 0)
            return -E_FAULT;
        return r;
    }
    }
}

static void syscall_entry(struct trap_frame *f)
{
    struct process *p = process_current();
    uint64_t nr = f->rax, a0 = f->rdi, a1 = f->rsi;
    long r;
    if (!p) {
        f->rax = (uint64_t)-E_PERM;
        return;
    }
    __asm__ volatile("sti");        /* system calls are preemptible */
    if (nr >= TRIAD_SYS_CHAN_MAP && nr <= TRIAD_SYS_CHAN_CLOCK) {
        f->rax = (uint64_t)chan_user_syscall(p, nr, a0, a1, f->rdx);
        return;
    }
    if ((nr >= SYS_NET_FIRST && nr <= SYS_NET_LAST) || (nr >= SYS_NET_EV_FIRST && nr <= SYS_NET_EV_LAST)) {
        f->rax = (uint64_t)net_syscall(nr, a0, a1, f->rdx);
        return;
    }
    if (nr >= SYS_THREAD_FIRST && nr <= SYS_THREAD_LAST) {
        f->rax = (uint64_t)uthread_syscall(p, nr, a0, a1, f->rdx);
        return;
    }
    switch (nr) {
    case SYS_EXIT:
        process_exit((int)a0);
    case SYS_WRITE:
        r = sys_write(p, a0, a1, f->rdx);
        break;
    case SYS_READ:
        r = sys_read(p, a0, a1, f->rdx);
        break;
    case SYS_SBRK:
        r = sys_sbrk(p, (int64_t)a0);
        break;
    case SYS_GETPID:
        r = p->pid;
        break;
    case SYS_FORK:
        r = process_fork(f);
        break;
    case SYS_EXEC:
    case SYS_SPAWN: {
        static char name[MAX_ARG_LEN], store[MAX_ARGS][MAX_ARG_LEN];   /* big: not on the kernel stack */
        static struct semaphore lock = { { 0 }, 1, 0, 0 };
        char *argv[MAX_ARGS + 1];
        sem_wait(&lock);
        int argc = args_from_user(p, a0, a1, name, store, argv);
        if (argc < 0)
            r = argc;
        else if (nr == SYS_EXEC)
            r = process_exec(f, name, argc, argv);
        else
            r = process_spawn(name, argc, argv, p->pid);
        sem_post(&lock);
        if (nr == SYS_EXEC && r == 0)
            return;         /* the frame now starts the new image */
        break;
    }
    case SYS_WAITPID: {
        int status = 0;
        if (f->rsi != 0 && copy_to_user(&p->as, f->rsi, &status, sizeof status) != 0) {
            r = -E_FAULT;   /* check the pointer before reaping anything */
            break;
        }
        r = process_wait(p->pid, (int)a0, &status);
        if (r > 0 && f->rsi != 0)
            copy_to_user(&p->as, f->rsi, &status, sizeof status);
        break;
    }
    case SYS_VCPU_CREATE:
    case SYS_VCPU_GETPARAMS:
    case SYS_VCPU_SETPARAMS:
        r = sys_vcpu_params(p, nr, a0, a1);
        break;
    case SYS_VCPU_DESTROY:
        r = vcpu_destroy((int)a0);
        break;
    case SYS_VCPU_BIND_TASK: {
        struct process *target = a1 == 0 ? p : process_by_pid((int)a1);
        r = target && !target->zombie && !target->exiting ? vcpu_bind(target->thread, (int)a0) : -E_SRCH;
        break;
    }
    case SYS_TIME_NS:
        r = (long)now_ns();
        break;
    case SYS_YIELD:
        thread_yield();
        r = 0;
        break;
    case SYS_SLEEP_NS:
        thread_sleep_ns(a0 > 100000000000ull ? 100000000000ull : a0);
        r = 0;
        break;
    case SYS_GETVCPU:
        r = thread_current()->vcpu->id;
        break;
    case SYS_SYSTEM_STATE: {
        /* The monitor's system state (TRIAD_HC_SANDBOX_INFO, one exit): the
           I/O sandbox's voter commands the safe actuator value in system
           safe mode (docs/recovery.md). */
        static struct triad_hc_info info;   /* the kernel image is mapped 1:1 */
        if (!triad_monitor_present())
            r = -E_NOSYS;
        else if (hypercall(TRIAD_HC_SANDBOX_INFO, (uint64_t)(uintptr_t)&info, sizeof info, 0) < (int64_t)sizeof info)
            r = -E_INVAL;
        else if (a0 == 1)
            r = (long)info.shadow_channels;   /* I/O failover: the channels the caller's voter shadows */
        else if (a0 == 2)
            r = (long)(info.safe_tsc & 0x7FFFFFFFFFFFFFFFull);   /* the entry a safe-mode exit acknowledges */
        else
            r = (long)info.system_state;
        break;
    }
    case SYS_SAFE_MODE_EXIT: {
        /* The operator's safe-mode exit, typed on io_voter's console: the
           monitor checks who asks, the acknowledged entry, the vehicle word
           and the hold (health_safe_exit_check); the kernel only passes it. */
        if (!triad_monitor_present()) {
            r = -E_NOSYS;
            break;
        }
        const int64_t v = hypercall(TRIAD_HC_SAFE_MODE_EXIT, a0, a1, 0);
        r = v == 0 ? 0 : v == TRIAD_E_PERM ? -E_PERM : v == TRIAD_E_BUSY ? -E_BUSY : -E_INVAL;
        break;
    }
    case SYS_NULL:
        r = 0;
        break;
    case SYS_SANDBOX_RESTART: {
        /* A replica declared failed by its voter restarts itself, or the
           voter restarts a member that cannot (hung) (issue 8): the monitor
           checks the policy on the target's health record.  Self is the
           sandbox's own id from its boot block; other ids go as they are
           (an id past 32 bits can name no sandbox: refused here). */
        if (!triad_monitor_present() || !chan_boot_info.present) {
            r = -E_NOSYS;
            break;
        }
        const uint64_t target = a0 == SYS_RESTART_SELF ? chan_boot_info.sandbox_id : a0;
        /* A self-restart scrubs this RAM and the console queue in it: let
           the flusher send what is queued first (the program's last lines,
           e.g. why it restarts), 20 ms at most.  Was a fixed 20 ms sleep in
           fc_replica, 2 control periods of its restart to rejoin.  A
           line still queued at the bound is lost with the restart (a line
           saying so would be queued behind it). */
        if (a0 == SYS_RESTART_SELF)
            (void)chan_console_drain(SELF_RESTART_DRAIN_NS);
        const int64_t v = target > 0xFFFFFFFEull ? TRIAD_E_INVAL : hypercall(TRIAD_HC_RESTART, target, 0, 0);
        r = v == 0 ? 0 : v == TRIAD_E_PERM ? -E_PERM : v == TRIAD_E_BUSY ? -E_BUSY : -E_INVAL;
        break;
    }
    default:
        r = -E_NOSYS;
        break;
    }
    f->rax = (uint64_t)r;
}

void syscall_init(void) { trap_set_handler(VECTOR_SYSCALL, syscall_entry); }
