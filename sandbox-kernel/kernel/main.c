/*
 * Sandbox kernel entry in C.  Foundation skeleton: a banner on the serial
 * console, then the core idles.  The kernel issue grows it into the
 * Quest-style real-time kernel.
 */
#include <stdint.h>
#include "printk.h"
#include "serial.h"

#define MB2_BOOTLOADER_MAGIC 0x36D76289u
#define TRIAD_KERNEL_VERSION "0.1"

void kernel_main(uint32_t magic, uint32_t info_phys);

void kernel_main(uint32_t magic, uint32_t info_phys)
{
    serial_init(0x3F8);
    printk("Triad sandbox kernel " TRIAD_KERNEL_VERSION "\n");
    if (magic != MB2_BOOTLOADER_MAGIC) {
        printk("kernel: not started by a multiboot2 loader (magic %x): halting\n", magic);
        return;
    }
    printk("kernel: boot information at %x\n", info_phys);
    printk("kernel: ready, idle\n");
}
