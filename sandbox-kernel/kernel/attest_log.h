#ifndef TRIAD_KERNEL_ATTEST_LOG_H
#define TRIAD_KERNEL_ATTEST_LOG_H
#include <stdint.h>
/* With `triad.attest=log` on the command line and under the Triad monitor:
   reads the measured-launch event log through hypercall 8 and prints it on
   this sandbox's console for the host verifier (docs/attestation.md). */
void attest_log_run(const char *cmdline, uint64_t ram_top);
#endif
