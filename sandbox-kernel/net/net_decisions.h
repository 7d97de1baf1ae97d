/* The monitor's recovery decisions forwarded as ground-station events
   (net_decisions.c). */
#ifndef TRIAD_NET_DECISIONS_H
#define TRIAD_NET_DECISIONS_H
#include "../../monitor/abi/hypercall.h"

/* Reads new decisions from the monitor (at most once a second) and queues
   them as events.  Does nothing without the Triad monitor. */
void net_decisions_poll(void);
/* The event text of one decision (at most size - 1 characters) and its
   severity. */
void net_decision_text(const struct triad_decision *d, char *buf, unsigned size, unsigned *severity);
#endif
