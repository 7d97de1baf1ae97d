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
/* The monitor's services, through the kernel (-ENOSYS on bare metal).
   triad_sandbox_restart: TRIAD_RESTART_SELF restarts this sandbox from its
   pristine image (no return when accepted), a sandbox id restarts that
   sandbox (a TMR voter for its group's members: 0 once the member's core took
   it); -EPERM refused by the policy, -EINVAL no such sandbox, -EBUSY the
   member's core did not take it.  triad_system_state: 1 once the monitor is
   in system safe mode, else 0. */
#define TRIAD_RESTART_SELF (~0ul)
long triad_sandbox_restart(unsigned long target);
long triad_system_state(void);
/* I/O failover (docs/recovery.md): bit i set when the caller is channel i's
   writer or voter-standby and does not write it now (its voter runs in
   shadow); 0 when it writes every channel it may; -ENOSYS on bare metal. */
long triad_shadow_channels(void);
/* Leaving system safe mode (docs/recovery.md): triad_safe_tsc is the entry's
   time (TRIAD_HC_SANDBOX_INFO's safe_tsc, 0 when not in safe mode), which
   triad_safe_mode_exit acknowledges with the vehicle word (TRIAD_VEHICLE_ON_GROUND
   1 | TRIAD_VEHICLE_DISARMED 2).  0 accepted; -EINVAL not in safe mode or a
   stale ack, -EPERM not the sandbox the description names, -EBUSY vehicle
   not safe or the hold not elapsed; -ENOSYS on bare metal. */
long triad_safe_tsc(void);
long triad_safe_mode_exit(unsigned long ack, unsigned long vehicle);

/* Threads in the calling process (kernel threads sharing its memory).  The
   caller gives each its stack; fn's return value becomes its exit status.
   Each returns >= 0 or -errno: EFAULT bad entry or stack, EINVAL misaligned
   stack, ESRCH no such thread (or already joined), EDEADLK joining oneself,
   EINTR the process is ending, EAGAIN no thread slot. */
int triad_thread_create(int (*fn)(void *), void *arg, void *stack, unsigned long size);
/* The system call itself: starts at `entry` with RSP = stack_top - 8 and RDI = arg. */
long triad_thread_create_raw(unsigned long entry, unsigned long stack_top, unsigned long arg);
int triad_thread_join(int tid, int *status);
void triad_thread_exit(int status) __attribute__((noreturn));
int triad_thread_self(void);
int triad_thread_bind(int tid, int vcpu);       /* tid 0: the caller */
/* Counting semaphores shared by the threads of one process; a mutex is a semaphore of count 1. */
int triad_sem_create(int count);
int triad_sem_wait(int sem);
int triad_sem_post(int sem);
int triad_sem_destroy(int sem);
#endif
