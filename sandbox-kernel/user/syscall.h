/*
 * System calls: `int $0x80` with the number in RAX and arguments in RDI,
 * RSI, RDX, RCX; the result comes back in RAX (>= 0, or a negated errno).
 * The numbers are the ABI with user programs (programs/lib/triad.h mirrors
 * them; see docs/sandbox-kernel.md).
 */
#ifndef TRIAD_USER_SYSCALL_H
#define TRIAD_USER_SYSCALL_H

#define SYS_EXIT           0    /* (status) */
#define SYS_WRITE          1    /* (fd 1|2, buf, len) -> bytes */
#define SYS_READ           2    /* (fd 0, buf, len) -> bytes (0 = no input) */
#define SYS_SBRK           3    /* (increment) -> old break */
#define SYS_GETPID         4
#define SYS_FORK           5    /* -> child pid in the parent, 0 in the child */
#define SYS_EXEC           6    /* (name, argv) -> only on error */
#define SYS_WAITPID        7    /* (pid or -1, int *status) -> pid */
#define SYS_VCPU_CREATE    8    /* (struct sched_param *) -> vcpu id */
#define SYS_VCPU_DESTROY   9    /* (id) */
#define SYS_VCPU_GETPARAMS 10   /* (id, struct sched_param *) */
#define SYS_VCPU_SETPARAMS 11   /* (id, const struct sched_param *) */
#define SYS_VCPU_BIND_TASK 12   /* (id, pid; 0 = caller) */
#define SYS_TIME_NS        13   /* -> kernel time in ns */
#define SYS_YIELD          14
#define SYS_SLEEP_NS       15   /* (ns) */
#define SYS_SPAWN          16   /* (name, argv) -> pid of a new child */
#define SYS_GETVCPU        17   /* -> id of the caller's VCPU */
#define SYS_NULL           18   /* does nothing: measures the system-call path */
#define SYS_SANDBOX_RESTART 19  /* (target) asks the monitor to restart a sandbox from its pristine
                                   image (TRIAD_HC_RESTART): target SYS_RESTART_SELF = this
                                   sandbox (no return when accepted), else a sandbox id (a TMR
                                   voter for its group's member: 0 once the member's core took
                                   it); -EPERM refused by the policy, -EINVAL no such sandbox,
                                   -EBUSY the member's core did not take it, -ENOSYS on bare metal */
#define SYS_RESTART_SELF   (~0ul)
#define SYS_THREAD_CREATE  20   /* (entry, stack top, arg) -> thread id (user/uthread.h) */
#define SYS_THREAD_JOIN    21   /* (thread id, int *status) */
#define SYS_THREAD_EXIT    22   /* (status); the last thread's exit ends the process */
#define SYS_THREAD_SELF    23   /* -> the caller's thread id */
#define SYS_SEM_CREATE     24   /* (count) -> semaphore id */
#define SYS_SEM_WAIT       25   /* (id); -EINTR when the process is ending */
#define SYS_SEM_POST       26   /* (id) */
#define SYS_SEM_DESTROY    27   /* (id); -EBUSY while threads wait */
#define SYS_THREAD_BIND    28   /* (thread id or 0, vcpu id) */
#define SYS_SYSTEM_STATE   29   /* -> enum triad_system_state (monitor/abi/hypercall.h): 1 once the
                                   monitor is in system safe mode; -ENOSYS on bare metal.
                                   (1): the channels the caller writes in shadow (I/O failover:
                                   struct triad_hc_info's shadow_channels; 0 = it is the writer)
                                   (2): in safe mode, the entry's safe_tsc (what an exit acknowledges) */
#define SYS_SAFE_MODE_EXIT 30   /* (ack = safe_tsc, vehicle word TRIAD_VEHICLE_*) asks the monitor to
                                   leave system safe mode (TRIAD_HC_SAFE_MODE_EXIT): 0 accepted;
                                   -EINVAL not in safe mode or stale ack, -EPERM not the sandbox the
                                   description names, -EBUSY vehicle not safe or hold not elapsed,
                                   -ENOSYS on bare metal */
#define SYS_THREAD_FIRST   SYS_THREAD_CREATE
#define SYS_THREAD_LAST    SYS_THREAD_BIND
#define SYS_COUNT          31
/* 40-47: sockets (net/net_abi.h); 48-50: channels (chan/chan_user_abi.h). */

void syscall_init(void);
#endif
