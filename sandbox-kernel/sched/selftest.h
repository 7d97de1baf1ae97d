#ifndef TRIAD_SCHED_SELFTEST_H
#define TRIAD_SCHED_SELFTEST_H
/* `triad.selftest=<name>` runs an in-kernel scenario that prints measured numbers and ends the run. */
void selftest_run(const char *cmdline);
#endif
