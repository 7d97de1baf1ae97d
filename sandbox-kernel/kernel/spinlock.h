/*
 * Spinlocks.  Taking one also disables interrupts on this core (the holder
 * must never be preempted by code that wants the same lock).
 */
#ifndef TRIAD_KERNEL_SPINLOCK_H
#define TRIAD_KERNEL_SPINLOCK_H
#include <stdint.h>
#include "../arch/x86_64/cpu.h"

typedef struct {
    volatile uint32_t locked;
} spinlock_t;

static inline uint64_t spin_lock_irqsave(spinlock_t *l)
{
    uint64_t flags = irq_save();
    while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
        while (l->locked)
            cpu_relax();
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    __atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
    irq_restore(flags);
}
#endif
