/*
 * Channel scenarios run by kernel threads, chosen by `triad.chan=` (a
 * comma-separated list, run in order by one thread):
 *   sdk-send:K           the Quest SDK example, sender: X = 10 on channel K
 *   sdk-recv:K           its receiver: prints "chan: sdk received X = 10"
 *   fifo-send:K:N        N numbered messages on the FIFO channel K
 *   fifo-recv:K:N        reads N messages, checks order/loss/duplicates, prints a summary
 *   guard-send:K         writes a counter on K forever, prints the count every 100 messages
 *   rogue:K              opens K as its reader, then writes into the writer's page
 *   badkey:K             tries to create the undeclared channel K; prints the refusal
 *   bench-send:K:N, bench-recv:K:N:PRIO   the cross-sandbox benchmark (chan_bench.c)
 */
#ifndef TRIAD_KERNEL_CHAN_SELFTEST_H
#define TRIAD_KERNEL_CHAN_SELFTEST_H
void chan_selftest_start(const char *cmdline);
#endif
