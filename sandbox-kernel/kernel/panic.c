#include "panic.h"
#include "printk.h"
#include "console.h"
#include "../arch/x86_64/io.h"
#include "../arch/x86_64/hypercall.h"

void kernel_exit(unsigned status)
{
    __asm__ volatile("cli");
    console_flush_sync();       /* the queued lines, then this one, synchronously */
    printk("TRIAD-EXIT %u\n", status);
    /* A sandbox ends only itself: under the monitor the exit port is another
       partition's business (an I/O violation) and the magic breakpoint would
       stop every sandbox; the test runner reads the line above instead. */
    if (!triad_monitor_present()) {
        __asm__ volatile("outl %0, %1" : : "a"(status), "Nd"((uint16_t)0xF4));
        __asm__ volatile("xchg %bx, %bx");
    }
    for (;;)
        __asm__ volatile("hlt");
}

void panic(const char *why)
{
    console_flush_sync();
    printk("kernel: panic: %s\n", why);
    kernel_exit(3);
}
