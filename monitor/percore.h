/*
 * Per-core monitor state.  One slot per physical core (index = LAPIC ID),
 * all in static memory: the VMXON region, the VMCS, the exit stack and the
 * guest registers saved by the exit stub, the exit counters.  A core writes
 * only its own slot; other cores only read the counters.
 */
#ifndef TRIAD_MONITOR_PERCORE_H
#define TRIAD_MONITOR_PERCORE_H

#include <stdint.h>
#include "abi/hypercall.h"

#define MAX_CORES        8u
#define CORE_STACK_BYTES 16384u
#define NO_SANDBOX       0xFFu

/* Saved by vmx/entry.S in this order (RAX at the lowest address). */
struct guest_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

enum core_run_state { CORE_OFF = 0, CORE_IDLE = 1, CORE_RUNNING = 2, CORE_HALTED = 3 };

struct core {
    uint8_t vmxon[4096];
    uint8_t vmcs[4096];
    uint8_t stack[CORE_STACK_BYTES];      /* monitor stack on this core */
    struct guest_regs regs;               /* HOST_RSP points just past regs + pad */
    uint64_t pad;
    uint32_t index;
    uint8_t sandbox;                      /* NO_SANDBOX: the core runs none */
    volatile uint8_t state;               /* enum core_run_state */
    uint64_t launch_tsc;
    uint64_t deadline_tsc;                /* preemption-timer test deadline, 0 = none */
    uint32_t window_phase;                /* steady-state window: 0 none, 1 armed, 2 open */
    uint32_t stray_inits;                 /* INIT signals ignored on this core (see vmx/exit.c) */
    volatile uint64_t total;
    volatile uint64_t count[TRIAD_EXIT_COUNTER_COUNT];
    uint64_t window_total[MAX_CORES];     /* counters of every core at window open */
    uint64_t exit_tsc;                    /* TSC at the start of the current exit's handling */
    uint8_t relaunched;                   /* recovery rebuilt the guest state in this exit */
    volatile uint8_t stop_request;        /* recovery: 1 park this core at its next NMI exit (2 parked);
                                             STOP_RESTART restart its sandbox there (a TMR voter asked) */
    volatile uint8_t sipi_wait;           /* secondary core entered in wait-for-SIPI, not yet started */
    volatile uint16_t sipi_post;          /* SVM: 0x100 | vector posted by TRIAD_HC_START_CORE, 0 none */
    uint64_t sipi_post_tsc;               /* SVM: TSC when that start was posted (start latency) */
    uint8_t tlb_flushed;                  /* recovery: translations flushed at the last reset (1 EPT, 2 VPID/ASID) */
    volatile uint8_t flush_request;       /* remote driver recovery: flush this sandbox's cached
                                             second-level translations at the next exit (handover.c) */
    volatile uint8_t revive;              /* a halted core woken by an accepted safe-mode exit
                                             (safe_exit.c): REVIVE_RESTART or REVIVE_SECONDARY */
} __attribute__((aligned(4096)));

#define REVIVE_RESTART   1u   /* core.revive: restart the sandbox cold on this core */
#define REVIVE_SECONDARY 2u   /* core.revive: wait for the fresh kernel's start-up IPI */

#define STOP_RESTART 3u   /* core.stop_request: restart_request -> restart_nmi */

extern struct core cores[MAX_CORES];

#endif
