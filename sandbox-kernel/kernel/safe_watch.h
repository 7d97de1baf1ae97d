/* Watching for the monitor's system safe mode (triad.watch_safe=1). */
#ifndef TRIAD_KERNEL_SAFE_WATCH_H
#define TRIAD_KERNEL_SAFE_WATCH_H

/* Reads triad.watch_safe from the command line (only under the monitor). */
void safe_watch_configure(const char *cmdline);

/* Called at every heartbeat: reports the first safe-mode state it reads. */
void safe_watch_tick(void);

#endif
