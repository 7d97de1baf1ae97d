/* The network of a sandbox: the e1000, lwIP and the program socket calls. */
#ifndef TRIAD_NET_NET_H
#define TRIAD_NET_NET_H
#include <stdint.h>
#include "net_abi.h"

/* Brings the network up when the command line has `triad.net=` (dhcp or a
   static address, see net_config.h); otherwise does nothing.  Called by the
   init thread before programs start. */
void net_start(const char *cmdline);
int net_is_up(void);
/* `what` is TRIAD_NETSTATS_PLAIN, _MARK or _EXITS (net_abi.h). */
void net_get_stats(struct triad_netstats *out, unsigned what);
/* Network system calls (SYS_NET_FIRST..SYS_NET_LAST and SYS_NET_EV_FIRST..SYS_NET_EV_LAST), from user/syscall.c. */
long net_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
#endif
