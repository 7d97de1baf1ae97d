/*
 * threads: user threads on kernel threads.
 *   threads [N [K]]     N threads (default 4) each add 1 to a shared counter K times
 *                       (default 1000) under a mutex; the final count must be N*K
 *   threads race N K    the same without the mutex, to show what the mutex prevents
 *   threads bad         bad arguments to the thread system calls, each refused
 *   threads hang        threads blocked on a semaphore, asleep and spinning when
 *                       main exits: the exit must end them all
 *   threads spin        threads that spin until killed (shell kill)
 *   threads vcpu        one thread bound to its own Main VCPU (C=20 ms, T=100 ms)
 * newlib's stdio is not thread-safe, so threads print with snprintf + write
 * under a print lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../lib/triad.h"

#define MAX_N 16
#define STACK_SIZE 16384

static unsigned char stacks[MAX_N][STACK_SIZE] __attribute__((aligned(16)));
static volatile long counter;
static int mutex = -1, print_lock;
static long per_thread;

static void say(const char *fmt, long a, long b)
{
    char line[128];
    int n = snprintf(line, sizeof line, fmt, a, b);
    triad_sem_wait(print_lock);
    write(1, line, (size_t)n);
    triad_sem_post(print_lock);
}

static void yield(void) { triad_syscall(14, 0, 0, 0); }

/* Read, let the others run, write back: without the mutex, updates are lost. */
static int adder(void *arg)
{
    long idx = (long)arg;
    say("threads: thread %ld has id %ld\n", idx, triad_thread_self());
    for (long i = 0; i < per_thread; i++) {
        if (mutex > 0)
            triad_sem_wait(mutex);
        long c = counter;
        if (i % 64 == 0)
            yield();
        counter = c + 1;
        if (mutex > 0)
            triad_sem_post(mutex);
    }
    return (int)(100 + idx);
}

static int run_adders(int n, long k, int with_mutex)
{
    int tids[MAX_N];
    per_thread = k;
    counter = 0;
    mutex = with_mutex ? triad_sem_create(1) : 0;
    for (int i = 0; i < n; i++) {
        tids[i] = triad_thread_create(adder, (void *)(long)i, stacks[i], STACK_SIZE);
        if (tids[i] < 0) {
            say("threads: create %ld failed (%ld)\n", i, tids[i]);
            return 1;
        }
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        int status = -1, r = triad_thread_join(tids[i], &status);
        if (r != 0 || status != 100 + i)
            bad++;
        say("threads: joined id %ld, status %ld\n", tids[i], r == 0 ? status : r);
    }
    if (with_mutex) {
        say("threads: final count %ld, expected %ld\n", counter, (long)n * k);
        long first = triad_sem_destroy(mutex);
        say("threads: mutex destroy -> %ld, again -> %ld\n", first, triad_sem_destroy(mutex));
        return counter == (long)n * k && bad == 0 ? 0 : 1;
    }
    say("threads: without the mutex: count %ld of %ld\n", counter, (long)n * k);
    return 0;
}

static int quick(void *arg) { return (int)(long)arg; }
static int waiter(void *arg) { return triad_sem_wait((int)(long)arg); }

static void check(const char *what, long got, long want, int *fails)
{
    char line[128];
    snprintf(line, sizeof line, "threads: %s -> %ld%s\n", what, got, got == want ? "" : " (UNEXPECTED)");
    write(1, line, strlen(line));
    *fails += got != want;
}

static int bad_arguments(void)
{
    int fails = 0, status;
    unsigned long top = ((unsigned long)stacks[0] + STACK_SIZE) & ~15ul;
    check("entry 0", triad_thread_create_raw(0, top, 0), -EFAULT, &fails);
    check("entry in the kernel", triad_thread_create_raw(0x100000, top, 0), -EFAULT, &fails);
    check("entry unmapped", triad_thread_create_raw(0x7f000000, top, 0), -EFAULT, &fails);
    check("stack in the kernel", triad_thread_create_raw((unsigned long)quick, 0x200000, 0), -EFAULT, &fails);
    check("stack unmapped", triad_thread_create_raw((unsigned long)quick, 0x7f000000, 0), -EFAULT, &fails);
    check("stack read-only (program text)", triad_thread_create_raw((unsigned long)quick, 0x40002000, 0), -EFAULT, &fails);
    check("stack misaligned", triad_thread_create_raw((unsigned long)quick, top - 4, 0), -EINVAL, &fails);
    check("library: no stack", triad_thread_create(quick, 0, 0, 4096), -EINVAL, &fails);
    int t = triad_thread_create(quick, (void *)7, stacks[1], STACK_SIZE);
    check("join a good thread", triad_thread_join(t, &status), 0, &fails);
    check("its status", status, 7, &fails);
    check("join it again", triad_thread_join(t, &status), -ESRCH, &fails);
    check("join a nonexistent thread", triad_thread_join(9999, 0), -ESRCH, &fails);
    check("join a kernel thread", triad_thread_join(1, 0), -ESRCH, &fails);
    check("join oneself", triad_thread_join(triad_thread_self(), 0), -EDEADLK, &fails);
    t = triad_thread_create(quick, (void *)8, stacks[1], STACK_SIZE);
    check("join with status into the kernel", triad_thread_join(t, (int *)0x1000), -EFAULT, &fails);
    check("the thread is still joinable", triad_thread_join(t, &status), 0, &fails);
    check("semaphore: wait on a bad id", triad_sem_wait(0), -EINVAL, &fails);
    check("semaphore: post to a bad id", triad_sem_post(12345), -EINVAL, &fails);
    check("semaphore: negative count", triad_sem_create(-1), -EINVAL, &fails);
    int s = triad_sem_create(0);
    t = triad_thread_create(waiter, (void *)(long)s, stacks[2], STACK_SIZE);
    yield();
    check("semaphore: destroy while a thread waits", triad_sem_destroy(s), -EBUSY, &fails);
    triad_sem_post(s);
    check("semaphore: the waiter got it", triad_thread_join(t, &status) == 0 ? status : -1, 0, &fails);
    check("semaphore: destroy", triad_sem_destroy(s), 0, &fails);
    check("semaphore: use after destroy", triad_sem_post(s), -EINVAL, &fails);
    /* Up to the per-process cap (16 with main); these stay blocked until main returns. */
    int hold = triad_sem_create(0), n = 0, last = 0;
    while (n < MAX_N && (last = triad_thread_create(waiter, (void *)(long)hold, stacks[n], STACK_SIZE)) > 0)
        n++;
    check("threads past the per-process cap (EAGAIN)", last, -EAGAIN, &fails);
    printf("threads: %s (%d threads left waiting; exit ends them)\n", fails ? "bad arguments NOT all refused" : "bad arguments refused", n);
    return fails;
}

static int blocker(void *arg) { return triad_sem_wait((int)(long)arg); }
static int sleeper(void *arg) { (void)arg; triad_sleep_ns(60ull * 1000000000ull); return 0; }
static int spinner(void *arg) { (void)arg; for (;;) ; return 0; }

static int hang(int spin_only)
{
    printf("threads: %s\n", spin_only ? "1 other thread spinning; main waits to be killed"
                                       : "4 other threads blocked, asleep or spinning; main exits with status 5");
    fflush(stdout);
    int s = triad_sem_create(0);
    triad_thread_create(spinner, 0, stacks[0], STACK_SIZE);
    if (!spin_only) {
        triad_thread_create(blocker, (void *)(long)s, stacks[1], STACK_SIZE);
        triad_thread_create(blocker, (void *)(long)s, stacks[2], STACK_SIZE);
        triad_thread_create(sleeper, 0, stacks[3], STACK_SIZE);
    }
    if (spin_only)
        for (;;)
            triad_sleep_ns(1000000000ull);
    triad_sleep_ns(30000000ull);
    return 5;       /* exit while the others still run */
}

static int on_vcpu(void *arg)
{
    (void)arg;
    long before = vcpu_self();
    long r = triad_thread_bind(0, (int)(long)arg);
    say("threads: thread bound to vcpu %ld, now on vcpu %ld\n", r == 0 ? (long)arg : r, vcpu_self());
    return (int)before;
}

static int vcpu_demo(void)
{
    struct sched_param sp = { MAIN_VCPU, 0, 20000, 100000, 0 };
    int v = vcpu_create(&sp), status = -1;
    int t = triad_thread_create(on_vcpu, (void *)(long)v, stacks[0], STACK_SIZE);
    triad_thread_join(t, &status);
    say("threads: main still on vcpu %ld; bind of a foreign thread -> %ld\n", vcpu_self(), triad_thread_bind(1, v));
    return 0;
}

int main(int argc, char **argv)
{
    print_lock = triad_sem_create(1);
    if (argc > 1 && strcmp(argv[1], "bad") == 0)
        return bad_arguments();
    if (argc > 1 && strcmp(argv[1], "hang") == 0)
        return hang(0);
    if (argc > 1 && strcmp(argv[1], "spin") == 0)
        return hang(1);
    if (argc > 1 && strcmp(argv[1], "vcpu") == 0)
        return vcpu_demo();
    int race = argc > 1 && strcmp(argv[1], "race") == 0;
    int first = race ? 2 : 1;
    int n = argc > first ? atoi(argv[first]) : 4;
    long k = argc > first + 1 ? atol(argv[first + 1]) : 1000;
    if (n < 1 || n > MAX_N || k < 1) {
        printf("threads: usage: threads [race] [N 1..%d [K >= 1]] | bad | hang | spin | vcpu\n", MAX_N);
        return 2;
    }
    return run_adders(n, k, !race);
}
