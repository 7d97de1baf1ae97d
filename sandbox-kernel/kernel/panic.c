#include "panic.h"
#include "printk.h"
#include "../arch/x86_64/io.h"

void kernel_exit(unsigned status)
{
    __asm__ volatile("cli");
    printk("TRIAD-EXIT %u\n", status);
    __asm__ volatile("outl %0, %1" : : "a"(status), "Nd"((uint16_t)0xF4));
    __asm__ volatile("xchg %bx, %bx");
    for (;;)
        __asm__ volatile("hlt");
}

void panic(const char *why)
{
    printk("kernel: panic: %s\n", why);
    kernel_exit(3);
}
