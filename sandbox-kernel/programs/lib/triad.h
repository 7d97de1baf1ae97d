/*
 * The Triad sandbox-kernel API for user programs: raw system calls and the
 * VCPU interface.  Numbers and structures match sandbox-kernel/user/syscall.h
 * and sched/sched.h (struct vcpu_params); docs/sandbox-kernel.md describes them.
 */
#ifndef TRIAD_USER_API_H
#define TRIAD_USER_API_H
#include <stdint.h>

#define MAIN_VCPU 1
#define IO_VCPU   2

struct sched_param {
    uint32_t type;          /* MAIN_VCPU or IO_VCPU */
    uint32_t reserved;
    uint64_t C;             /* Main: budget, microseconds */
    uint64_t T;             /* Main: period, microseconds */
    uint64_t U;             /* I/O: utilization, parts per million */
};

long triad_syscall(long nr, long a0, long a1, long a2);

/* Each returns >= 0 on success or -errno (EINVAL bad parameters, EBUSY over the utilization bound). */
int vcpu_create(const struct sched_param *p);
int vcpu_destroy(int vcpu);
int vcpu_getparams(int vcpu, struct sched_param *p);
int vcpu_setparams(int vcpu, const struct sched_param *p);
int vcpu_bind_task(int vcpu, int pid);          /* pid 0: the caller */
int vcpu_self(void);
uint64_t triad_time_ns(void);
void triad_sleep_ns(uint64_t ns);
int triad_spawn(const char *name, char *const argv[]);
int triad_exec(const char *name, char *const argv[]);
long triad_null(void);
#endif
