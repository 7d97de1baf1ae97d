/*
 * Per-core data, reached through GS (the kernel's GS base points at the
 * core's own block; user GS is swapped out on every entry from ring 3).
 */
#ifndef TRIAD_KERNEL_PERCPU_H
#define TRIAD_KERNEL_PERCPU_H

#include <stdint.h>

struct thread;
struct vcpu;

struct tss {
    uint32_t reserved0;
    uint64_t rsp0, rsp1, rsp2;
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct percpu {
    struct percpu *self;            /* first: %gs:0 gives the block's address */
    unsigned id;
    struct thread *current;
    struct thread *idle;
    struct vcpu *current_vcpu;
    uint64_t run_start_ns;          /* when `current` was last dispatched */
    uint64_t timer_interrupts;
    uint64_t context_switches;
    int need_resched;
    int dispatch_budgeted;          /* `current` runs on its VCPU's budget (not background) */
    uint64_t gdt[7];
    struct tss tss;
};

#define MAX_CPUS 8
extern struct percpu percpu_blocks[MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(p));
    return p;
}

void percpu_init(unsigned id);

#endif
