/*
 * Trap dispatch: exceptions get a clear report (vector, error code, RIP, CR2);
 * a fault in ring 3 ends only the faulting process, a fault in the kernel
 * halts it unless a self-test armed a recovery point.
 */
#include "trap.h"
#include "cpu.h"
#include "paging.h"
#include "../../kernel/printk.h"
#include "../../kernel/panic.h"

static trap_handler_t handlers[256];
volatile uint64_t trap_recover_rip;
volatile unsigned trap_recovered_count;

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 error", "alignment check", "machine check", "SIMD error", "virtualization",
    "control protection",
};

void trap_set_handler(unsigned vector, trap_handler_t h)
{
    if (vector < 256)
        handlers[vector] = h;
}

/* Weak so the kernel links before user mode exists: the process layer overrides it. */
__attribute__((weak)) int process_fault(struct trap_frame *f)
{
    (void)f;
    return 0;
}

static void report(const struct trap_frame *f)
{
    const char *name = f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] : "exception";
    printk("kernel: exception %lu (%s) error 0x%lx at rip %lx cr2 %lx in %s mode\n",
           (unsigned long)f->vector, name, (unsigned long)f->error, (unsigned long)f->rip,
           (unsigned long)read_cr2(), frame_from_user(f) ? "user" : "kernel");
}

/* Weak like process_fault: a killed process exits on its way back to ring 3. */
__attribute__((weak)) void process_return_to_user(struct trap_frame *f)
{
    (void)f;
}

void trap_dispatch(struct trap_frame *f)
{
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        if (frame_from_user(f))
            process_return_to_user(f);
        return;
    }
    if (f->vector >= 32) {
        printk("kernel: unexpected interrupt vector %lu\n", (unsigned long)f->vector);
        return;
    }
    /* A user write (error bits P|W) to a copy-on-write page is not an error. */
    if (f->vector == 14 && frame_from_user(f) && (f->error & 3) == 3 && as_cow_fault(read_cr2()))
        return;
    report(f);
    if (frame_from_user(f) && process_fault(f))
        return;
    if (!frame_from_user(f) && trap_recover_rip != 0) {
        f->rip = trap_recover_rip;
        trap_recover_rip = 0;
        trap_recovered_count++;
        return;
    }
    panic("unhandled exception");
}
