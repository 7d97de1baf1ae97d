/* The monitor's recovery decisions forwarded as ground-station events
   (net_decisions.c). */
#ifndef TRIAD_NET_DECISIONS_H
#define TRIAD_NET_DECISIONS_H
#include "../../monitor/abi/hypercall.h"

/* triad.decisions=1 turns the forwarding on (the default system's
   description has it); without it the kernel never asks, so a network run
   costs no VM exit (tests 53, bench 60's Bochs run). */
void net_decisions_configure(const char *cmdline);
/* Reads new decisions from the monitor (at most once a second) and queues
   them as events.  Does nothing without the Triad monitor. */
void net_decisions_poll(void);
/* The next net_decisions_poll reads at once, whatever the 1 Hz pace: a
   program posted an event (the voter's fault and rejoin events come with
   the monitor's decisions about them). */
void net_decisions_soon(void);
/* The event text of one decision (at most size - 1 characters) and its
   severity. */
void net_decision_text(const struct triad_decision *d, char *buf, unsigned size, unsigned *severity);
#endif
