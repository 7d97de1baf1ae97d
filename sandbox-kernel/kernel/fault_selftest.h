#ifndef TRIAD_KERNEL_FAULT_SELFTEST_H
#define TRIAD_KERNEL_FAULT_SELFTEST_H
#include <stdint.h>
/* Runs the fault named by `triad.test=` on the command line, if any. */
void fault_selftest_run(const char *cmdline, uint64_t ram_top);
/* `triad.test_early=write-monitor`: the same fault before the kernel's
   first hypercall (recovery: a restarted kernel that faults before it
   reported back is a second fault during recovery). */
void fault_selftest_early(const char *cmdline, uint64_t ram_top);
/* `triad.test_late_beat=N`: write-monitor at heartbeat N (heartbeat.c
   calls the tick); configured at boot with the RAM top it writes past. */
void fault_selftest_late_configure(const char *cmdline, uint64_t ram_top);
void fault_selftest_late_tick(uint64_t beat);
#endif
