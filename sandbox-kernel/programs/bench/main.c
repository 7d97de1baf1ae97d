/*
 * Kernel costs measured from user mode with the TSC.  Under QEMU with
 * -icount shift=0 every guest instruction advances virtual time (and the
 * TSC) by exactly 1 ns, so the differences printed here are instruction
 * counts; they repeat exactly from run to run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "../lib/triad.h"

int fork(void);
int waitpid(int pid, int *status, int options);

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

int main(int argc, char **argv)
{
    long forks = argc > 1 ? atol(argv[1]) : 40000;
    const long calls = 10000, yields = 10000;
    uint64_t t0 = tsc();
    for (long i = 0; i < calls; i++)
        triad_null();
    uint64_t t1 = tsc();
    printf("bench: null system call: %lu ticks per call over %ld calls\n", (unsigned long)((t1 - t0) / calls), calls);

    /* Two processes yielding to each other on the best-effort VCPU: each yield is a system call plus one switch. */
    int pid = fork();
    t0 = tsc();
    for (long i = 0; i < yields; i++)
        triad_syscall(14, 0, 0, 0);
    t1 = tsc();
    if (pid == 0)
        exit(0);
    waitpid(pid, 0, 0);
    printf("bench: yield with a context switch: %lu ticks per switch over %ld yields in 2 processes\n",
           (unsigned long)((t1 - t0) / (2 * yields)), yields);

    /* Spin 100 ms of kernel time alone on the best-effort VCPU: the 10 ms quantum
       timer fires and re-picks us, which the kernel's `stats` command reports.
       Kernel time, not TSC ticks: under Bochs the TSC rate is the emulated ips. */
    for (uint64_t s0 = triad_time_ns(); triad_time_ns() - s0 < 100000000;)
        ;

    t0 = tsc();
    for (long i = 0; i < forks; i++) {
        int c = fork();
        if (c == 0)
            exit(0);
        if (c < 0 || waitpid(c, 0, 0) != c) {
            printf("bench: forkwait failed at cycle %ld\n", i);
            return 1;
        }
    }
    t1 = tsc();
    printf("bench: forkwait: %ld fork/exit/wait cycles in %lu ticks, %lu per cycle\n", forks,
           (unsigned long)(t1 - t0), (unsigned long)((t1 - t0) / (uint64_t)forks));
    return 0;
}
