#ifndef TRIAD_KERNEL_HEARTBEAT_H
#define TRIAD_KERNEL_HEARTBEAT_H
/* With `triad.heartbeat=<ms>`, a thread prints `kernel: alive <n>` every <ms> of kernel time. */
void heartbeat_start(const char *cmdline);
#endif
