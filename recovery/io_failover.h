/*
 * I/O sandbox failover (issue 9, docs/recovery.md): the plan for moving a
 * TMR voter's role to its voter-standby.  Pure, portable C over the
 * validated system table, host-tested (tests/unit/recovery/test_io_failover.c);
 * the monitor applies it (monitor/failover.c).
 *
 * Every channel the voter writes names the standby as its shadow writer
 * (system.bin: channels[i].shadow_writer = index + 1, sysgen's
 * voter-standby rule).  The pair {writer, shadow writer} of such a channel
 * swaps roles at each failover; `swapped` bit i says the shadow writes
 * channel i now.  The plan for a failed sandbox is the set of channels it
 * writes now that have a shadow, and the sandbox that takes them: one
 * sandbox for all of them, running and not being restarted.
 */
#ifndef TRIAD_RECOVERY_IO_FAILOVER_H
#define TRIAD_RECOVERY_IO_FAILOVER_H

#include <stdint.h>
#include "partition/system_table.h"

enum failover_result {
    FO_OK = 0,
    FO_E_SANDBOX = -1,          /* the failed sandbox is outside the table */
    FO_E_NOT_DECLARED = -2,     /* it writes no channel with a shadow writer: no voter-standby */
    FO_E_INCONSISTENT = -3,     /* its channels name different shadows */
    FO_E_STANDBY_HALTED = -4,   /* the standby does not run (halted, failed, safe mode) */
    FO_E_STANDBY_RECOVERING = -5, /* the standby is being restarted itself */
    FO_E_NOT_STANDBY = -6,      /* a request for a voter's failover from a sandbox that is not its shadow */
    FO_E_NOT_CURRENT = -7,      /* a request for the failover of a voter pair's member that does not vote now */
    FO_POLICY = 1,              /* the target is in no voter pair: the TMR restart policy decides */
};

struct failover_plan {
    uint8_t from;
    uint8_t to;
    uint8_t channel_count;
    uint8_t channels[TRIAD_MAX_CHANNELS];    /* indices: writer area read-only in from, read-write in to */
};

/* The sandbox that writes channel i now: the table's writer, or its shadow
   writer once a failover swapped them.  TRIAD_NONE for a bad index. */
/*@ requires \valid_read(b) && b->channel_count <= TRIAD_MAX_CHANNELS;
    assigns \nothing; */
uint32_t failover_writer_now(const struct triad_table_body *b, uint32_t swapped, uint32_t i);

/* Bit i: sb is channel i's writer or shadow writer and does not write it
   now (it runs in shadow: what TRIAD_HC_SANDBOX_INFO tells the voter). */
/*@ requires \valid_read(b) && b->channel_count <= TRIAD_MAX_CHANNELS;
    assigns \nothing; */
uint32_t failover_shadowed(const struct triad_table_body *b, uint32_t swapped, uint32_t sb);

/* The plan for `failed`'s failover; halted and recovering are sandbox
   bit masks of the monitor's state.  *out is filled on FO_OK only (from
   and to always). */
/*@ requires \valid_read(b) && \valid(out);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->channel_count <= TRIAD_MAX_CHANNELS;
    assigns *out;
    ensures \result == FO_OK || \result == FO_E_SANDBOX || \result == FO_E_NOT_DECLARED ||
            \result == FO_E_INCONSISTENT || \result == FO_E_STANDBY_HALTED || \result == FO_E_STANDBY_RECOVERING;
    ensures \result == FO_OK ==> out->from == failed && out->to != failed && out->to < b->sandbox_count &&
            1 <= out->channel_count <= TRIAD_MAX_CHANNELS; */
int failover_plan(const struct triad_table_body *b, uint32_t swapped, uint32_t failed, uint32_t halted,
                  uint32_t recovering, struct failover_plan *out);

/* A restart request (hypercall 6) from `caller` naming `target` (issue 9,
   the hung voter): a voter that hangs without faulting is seen only by its
   shadow (the published command stops), which asks for the voter's
   failover.  FO_OK: target writes channels now whose shadow writer is
   caller (the monitor then moves them as for a fault and restarts target);
   FO_E_NOT_STANDBY: target votes now but caller is not its shadow;
   FO_E_NOT_CURRENT: target is a voter pair's member in shadow now;
   FO_POLICY: target is in no pair (a replica...): the TMR restart policy
   decides, with the voter of each group as it is now
   (failover_voter_now).  Out-of-table ids: FO_E_SANDBOX. */
/*@ requires \valid_read(b);
    requires b->sandbox_count <= TRIAD_MAX_SANDBOXES && b->channel_count <= TRIAD_MAX_CHANNELS;
    assigns \nothing;
    ensures \result == FO_OK || \result == FO_E_SANDBOX || \result == FO_E_NOT_STANDBY ||
            \result == FO_E_NOT_CURRENT || \result == FO_POLICY; */
int failover_request_check(const struct triad_table_body *b, uint32_t swapped, uint32_t caller, uint32_t target);

/* The sandbox that holds TMR group g's voter role now: the table's voter,
   or its voter-standby once a failover moved the group's sensor channel
   (input_channel, which the voter writes) to it.  TRIAD_NONE for a bad
   group index. */
/*@ requires \valid_read(b) && b->channel_count <= TRIAD_MAX_CHANNELS;
    assigns \nothing; */
uint32_t failover_voter_now(const struct triad_table_body *b, uint32_t swapped, uint32_t g);

/*@ assigns \nothing; ensures \result != \null; */
const char *failover_result_name(int r);

#endif
