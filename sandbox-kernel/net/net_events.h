/* Fault and recovery events for the ground station: a small queue that
 * kernel code and programs post to (SYS_NET_EVENT_POST) and the telemetry
 * program drains (SYS_NET_EVENT_NEXT) into MAVLink STATUSTEXT.  It works with
 * or without a network: events wait in the queue. */
#ifndef TRIAD_NET_EVENTS_H
#define TRIAD_NET_EVENTS_H
#include "net_abi.h"

/* Queues one event (text cut at TRIAD_NET_EVENT_TEXT characters).  Safe from
   any thread and with interrupts off.  0, or -E_INVAL (severity > 7, empty text). */
int net_event_post(unsigned severity, const char *text);
/* The oldest waiting event, left in the queue: 1 with *out filled (and the
   count lost before it), 0 when none waits.  net_event_done(seq) then takes
   it out, so a reader that fails to deliver it loses nothing. */
int net_event_peek(struct triad_event *out);
void net_event_done(uint32_t seq);
/* The two system calls. */
long net_event_syscall(uint64_t nr, uint64_t a0, uint64_t a1);
/* SYS_NET_STATE_PUT / _GET: the one-slot flight state (net_abi.h). */
long net_state_syscall(uint64_t nr, uint64_t a0);
#endif
