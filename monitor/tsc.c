/*
 * TSC calibration against the PIT (channel 2, gate through port 0x61), so
 * virtual time in fault records and test windows converts to milliseconds.
 * In Bochs the TSC counts emulated instructions and the PIT follows the
 * same virtual clock, so the result repeats exactly run after run.
 */
#include "tsc.h"
#include "cpu.h"

#define PIT_HZ        1193182u
#define CALIBRATE_MS  10u
#define MAX_POLLS     100000000u

uint64_t tsc_calibrate_khz(void)
{
    const uint32_t ticks = PIT_HZ * CALIBRATE_MS / 1000u;
    uint8_t gate = cpu_inb(0x61);
    cpu_outb(0x61, (uint8_t)((gate & ~0x02u) | 0x01u));   /* gate on, speaker off */
    cpu_outb(0x43, 0xB0);                                  /* ch2, lo/hi, mode 0 */
    cpu_outb(0x42, (uint8_t)ticks);
    cpu_outb(0x42, (uint8_t)(ticks >> 8));
    const uint64_t start = cpu_rdtsc();
    uint32_t polls = 0;
    /*@ loop assigns polls; loop variant MAX_POLLS - polls; */
    while ((cpu_inb(0x61) & 0x20u) == 0 && polls < MAX_POLLS)
        polls++;
    const uint64_t end = cpu_rdtsc();
    cpu_outb(0x61, gate);
    if (polls >= MAX_POLLS)
        return 0;
    return (end - start) / CALIBRATE_MS;
}
