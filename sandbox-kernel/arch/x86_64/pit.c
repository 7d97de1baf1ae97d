/* The 8254 PIT as a calibration reference and the 8259 PIC kept out of the way. */
#include "pit.h"
#include "io.h"
#include "trap.h"

#define PIT_HZ 1193182u

void pit_wait_us(uint32_t us)
{
    if (us > 50000)
        us = 50000;
    uint32_t count = (uint32_t)(((uint64_t)PIT_HZ * us) / 1000000u);
    uint8_t gate = inb(0x61);
    outb(0x61, (uint8_t)((gate & ~0x03) | 0x01));   /* gate on, speaker off */
    outb(0x43, 0xB0);                                /* channel 2, lo/hi, mode 0 */
    outb(0x42, (uint8_t)count);
    outb(0x42, (uint8_t)(count >> 8));
    /* Bounded: an absent PIT must not hang the boot. */
    for (uint32_t spins = 0; !(inb(0x61) & 0x20) && spins < 100000000u; spins++)
        ;
    outb(0x61, gate);
}

static uint8_t pic_mask[2] = { 0xFF, 0xFF };

void pic_init(void)
{
    outb(0x20, 0x11);
    outb(0xA0, 0x11);
    outb(0x21, VECTOR_PIC_BASE);
    outb(0xA1, VECTOR_PIC_BASE + 8);
    outb(0x21, 4);
    outb(0xA1, 2);
    outb(0x21, 1);
    outb(0xA1, 1);
    pic_mask[0] = 0xFB;                 /* cascade line open, every device closed */
    pic_mask[1] = 0xFF;
    outb(0x21, pic_mask[0]);
    outb(0xA1, pic_mask[1]);
}

void pic_unmask(unsigned irq)
{
    if (irq < 8) {
        pic_mask[0] &= (uint8_t)~(1u << irq);
        outb(0x21, pic_mask[0]);
    } else if (irq < 16) {
        pic_mask[1] &= (uint8_t)~(1u << (irq - 8));
        outb(0xA1, pic_mask[1]);
    }
}

void pic_eoi(unsigned irq)
{
    if (irq >= 8)
        outb(0xA0, 0x20);
    outb(0x20, 0x20);
}
