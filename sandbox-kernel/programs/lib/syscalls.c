/*
 * newlib's system-call layer on top of the sandbox kernel (newlib is built
 * with --disable-newlib-supplied-syscalls, so these are the only way out).
 * Files other than the console do not exist: open fails with ENOENT.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/time.h>
#include "triad.h"

#undef errno
extern int errno;
char *__env[1] = { 0 };
char **environ = __env;

long triad_syscall(long nr, long a0, long a1, long a2)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "memory", "rcx", "r11");
    return r;
}

static int result(long r)
{
    if (r < 0) {
        errno = (int)-r;
        return -1;
    }
    return (int)r;
}

int main(int argc, char **argv);
void triad_start(int argc, char **argv);
void triad_start(int argc, char **argv) { exit(main(argc, argv)); }

void _exit(int status)
{
    for (;;)
        triad_syscall(0, status, 0, 0);
}

int write(int fd, const void *buf, size_t n) { return result(triad_syscall(1, fd, (long)buf, (long)n)); }
int read(int fd, void *buf, size_t n) { return result(triad_syscall(2, fd, (long)buf, (long)n)); }

void *sbrk(ptrdiff_t incr)
{
    long r = triad_syscall(3, incr, 0, 0);
    if (r < 0) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)r;
}

int getpid(void) { return (int)triad_syscall(4, 0, 0, 0); }
int fork(void) { return result(triad_syscall(5, 0, 0, 0)); }
int execve(const char *name, char *const argv[], char *const envp[])
{
    (void)envp;
    return result(triad_syscall(6, (long)name, (long)argv, 0));
}
int triad_exec(const char *name, char *const argv[]) { return result(triad_syscall(6, (long)name, (long)argv, 0)); }
int triad_spawn(const char *name, char *const argv[]) { return result(triad_syscall(16, (long)name, (long)argv, 0)); }
int waitpid(int pid, int *status, int options)
{
    (void)options;
    return result(triad_syscall(7, pid, (long)status, 0));
}

int wait(int *status) { return waitpid(-1, status, 0); }
int close(int fd) { return fd <= 2 ? 0 : result(-EBADF); }
int open(const char *name, int flags, int mode)
{
    (void)name; (void)flags; (void)mode;
    return result(-ENOENT);
}
int fstat(int fd, struct stat *st)
{
    if (fd > 2)
        return result(-EBADF);
    st->st_mode = S_IFCHR;
    return 0;
}
int isatty(int fd) { return fd <= 2; }
long lseek(int fd, long off, int whence) { (void)fd; (void)off; (void)whence; return 0; }
int kill(int pid, int sig) { (void)pid; (void)sig; return result(-EINVAL); }
int link(const char *a, const char *b) { (void)a; (void)b; return result(-EMLINK); }
int unlink(const char *a) { (void)a; return result(-ENOENT); }
clock_t times(struct tms *t)
{
    clock_t ticks = (clock_t)(triad_syscall(13, 0, 0, 0) / 1000);
    if (t)
        t->tms_utime = ticks, t->tms_stime = 0, t->tms_cutime = 0, t->tms_cstime = 0;
    return ticks;
}
int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    uint64_t ns = (uint64_t)triad_syscall(13, 0, 0, 0);
    tv->tv_sec = (time_t)(ns / 1000000000u);
    tv->tv_usec = (suseconds_t)(ns % 1000000000u / 1000);
    return 0;
}

int vcpu_create(const struct sched_param *p) { return (int)triad_syscall(8, (long)p, 0, 0); }
int vcpu_destroy(int v) { return (int)triad_syscall(9, v, 0, 0); }
int vcpu_getparams(int v, struct sched_param *p) { return (int)triad_syscall(10, v, (long)p, 0); }
int vcpu_setparams(int v, const struct sched_param *p) { return (int)triad_syscall(11, v, (long)p, 0); }
int vcpu_bind_task(int v, int pid) { return (int)triad_syscall(12, v, pid, 0); }
int vcpu_self(void) { return (int)triad_syscall(17, 0, 0, 0); }
uint64_t triad_time_ns(void) { return (uint64_t)triad_syscall(13, 0, 0, 0); }
void triad_sleep_ns(uint64_t ns) { triad_syscall(15, (long)ns, 0, 0); }
long triad_null(void) { return triad_syscall(18, 0, 0, 0); }
long triad_sandbox_restart(unsigned long target) { return triad_syscall(19, (long)target, 0, 0); }
long triad_system_state(void) { return triad_syscall(29, 0, 0, 0); }
long triad_shadow_channels(void) { return triad_syscall(29, 1, 0, 0); }
long triad_safe_tsc(void) { return triad_syscall(29, 2, 0, 0); }
long triad_safe_mode_exit(unsigned long ack, unsigned long vehicle) { return triad_syscall(30, (long)ack, (long)vehicle, 0); }

/* A new thread starts here, on its own stack, with the record the creator left at the stack's top. */
struct thread_start { int (*fn)(void *); void *arg; };
static void thread_trampoline(struct thread_start *st)
{
    triad_thread_exit(st->fn(st->arg));
}
int triad_thread_create(int (*fn)(void *), void *arg, void *stack, unsigned long size)
{
    unsigned long top = ((unsigned long)stack + size) & ~15ul;
    if (stack == 0 || size < sizeof(struct thread_start) + 16)
        return -EINVAL;
    struct thread_start *st = (struct thread_start *)(top - 16);
    st->fn = fn;
    st->arg = arg;
    return (int)triad_syscall(20, (long)thread_trampoline, (long)(top - 16), (long)st);
}
/* The raw call, for programs that test the kernel's checks on entry and stack. */
long triad_thread_create_raw(unsigned long entry, unsigned long stack_top, unsigned long arg)
{
    return triad_syscall(20, (long)entry, (long)stack_top, (long)arg);
}
int triad_thread_join(int tid, int *status) { return (int)triad_syscall(21, tid, (long)status, 0); }
void triad_thread_exit(int status)
{
    for (;;)
        triad_syscall(22, status, 0, 0);
}
int triad_thread_self(void) { return (int)triad_syscall(23, 0, 0, 0); }
int triad_sem_create(int count) { return (int)triad_syscall(24, count, 0, 0); }
int triad_sem_wait(int sem) { return (int)triad_syscall(25, sem, 0, 0); }
int triad_sem_post(int sem) { return (int)triad_syscall(26, sem, 0, 0); }
int triad_sem_destroy(int sem) { return (int)triad_syscall(27, sem, 0, 0); }
int triad_thread_bind(int tid, int vcpu) { return (int)triad_syscall(28, tid, vcpu, 0); }
