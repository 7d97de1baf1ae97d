/*
 * The one instruction that calls the monitor (monitor/abi/hypercall.h):
 * RAX = number, RDI/RSI/RDX = arguments, result in RAX.  Issue it only when
 * running_under_hypervisor(): on bare metal VMCALL raises #UD.
 */
#ifndef TRIAD_KERNEL_HYPERCALL_H
#define TRIAD_KERNEL_HYPERCALL_H
#include <stdint.h>
#include "cpu.h"

static inline int64_t hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    int64_t r;
    __asm__ volatile("vmcall" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "memory");
    return r;
}

/* The hypervisor bit and the monitor's name in CPUID leaf 0x40000000
   (EBX = "Tria"): hypercalls mean something only to the Triad monitor. */
static inline int triad_monitor_present(void)
{
    return running_under_hypervisor();
}

#endif
