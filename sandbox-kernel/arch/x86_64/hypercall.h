/*
 * The one instruction that calls the monitor (monitor/abi/hypercall.h):
 * RAX = number, RDI/RSI/RDX = arguments, result in RAX.  Issue it only when
 * running_under_hypervisor(): on bare metal VMCALL/VMMCALL raise #UD.
 */
#ifndef TRIAD_KERNEL_HYPERCALL_H
#define TRIAD_KERNEL_HYPERCALL_H
#include <stdint.h>
#include "cpu.h"

/* The instruction depends on the processor: VMMCALL on AMD (the monitor's
   SVM backend), VMCALL on Intel (VMX).  Chosen once per file by the CPUID
   vendor string (one CPUID, i.e. one exit, at the first hypercall). */
static int hypercall_amd = -1;

static inline int64_t hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    int64_t r;
    if (hypercall_amd < 0) {
        uint32_t v[4];
        cpuid(0, 0, v);
        hypercall_amd = v[1] == 0x68747541u;     /* "Auth"enticAMD */
    }
    if (hypercall_amd)
        __asm__ volatile("vmmcall" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "memory");
    else
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
