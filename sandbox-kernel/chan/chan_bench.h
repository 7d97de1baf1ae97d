/*
 * Cross-sandbox channel benchmark (tests/bench/31-channels-xsandbox.sh), in
 * the manner of the Quest-V message-passing experiment: a sender streams
 * numbered messages on a FIFO channel; the receiver runs on a Main VCPU
 * that has a higher (prio 1) or a lower (prio 0) priority than a CPU-bound
 * competitor VCPU in its sandbox.  Times are on the shared TSC clock (virtual
 * time under Bochs); VM exits are read from the monitor before and after.
 */
#ifndef TRIAD_KERNEL_CHAN_BENCH_H
#define TRIAD_KERNEL_CHAN_BENCH_H
#include <stdint.h>
/* pace_us 0: as fast as the FIFO takes them (throughput); else one message
 * every pace_us (one-way latency without queueing). */
void chan_bench_send(uint32_t key, uint32_t n, uint32_t pace_us);
void chan_bench_recv(uint32_t key, uint32_t n, uint32_t high_priority);
#endif
