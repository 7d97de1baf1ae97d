/*
 * The health monitor's decision logic (issue 9): pure, portable C with no
 * state of its own, linked into the monitor and host-tested
 * (tests/unit/recovery/test_health.c).  The monitor keeps the per-sandbox
 * restart count and applies the decision (monitor/recovery.c).
 *
 * The ladder for a fault of kind k in a sandbox whose system.bin entry
 * declares action A = health_action[k]:
 *   - reported faults, bad hypercalls, refused IPIs: log (nothing happened);
 *   - a kind outside the table (unexpected exit, image mismatch, unknown)
 *     or an action number outside the enum: halt;
 *   - log, halt, safe_mode: as declared;
 *   - restart_warm / restart_cold: a restart while restarts < restart_limit;
 *   - failover (I/O failover, then a cold restart) and recover_driver_remote:
 *     applied as declared while restarts < restart_limit;
 *   - recover_driver_local: not implemented yet: applied
 *     as restart_cold (same limit), reason "fallback" (hooks for later);
 *   - a restart-class action with the limit reached, or a fault while the
 *     sandbox is already being recovered: escalation, to safe_mode when the
 *     sandbox declares safe_mode for some kind, else to halt.
 */
#ifndef TRIAD_RECOVERY_HEALTH_H
#define TRIAD_RECOVERY_HEALTH_H

#include <stdint.h>

#define HEALTH_KINDS   8u      /* TRIAD_FAULT_KIND_COUNT */
#define HEALTH_ACTIONS 8u      /* TRIAD_ACTION_COUNT */

/* Action numbers (enum triad_health_action in system_table.h). */
#define HEALTH_LOG           0u
#define HEALTH_RESTART_WARM  1u
#define HEALTH_RESTART_COLD  2u
#define HEALTH_HALT          3u
#define HEALTH_FAILOVER      4u
#define HEALTH_DRIVER_LOCAL  5u
#define HEALTH_DRIVER_REMOTE 6u
#define HEALTH_SAFE_MODE     7u

/* Fault kinds that did no harm (hypercall.h / system_table.h numbers). */
#define HEALTH_KIND_BAD_HYPERCALL 5u
#define HEALTH_KIND_REPORTED      16u
#define HEALTH_KIND_IPI_VIOLATION 19u

enum health_reason {
    HEALTH_R_POLICY = 0,      /* the declared action, applied as declared */
    HEALTH_R_HARMLESS = 1,    /* a kind that is only logged */
    HEALTH_R_BAD_KIND = 2,    /* kind outside the table: halt */
    HEALTH_R_BAD_ACTION = 3,  /* action number outside the enum: halt */
    HEALTH_R_LIMIT = 4,       /* restart limit reached: escalated */
    HEALTH_R_IN_RECOVERY = 5, /* a second fault during recovery: escalated */
    HEALTH_R_FALLBACK = 6,    /* no longer produced (sessions 1-6: driver-local fell back to a restart) */
    HEALTH_R_SYSTEM_SAFE = 7, /* the system is in safe mode: no restart, halted (monitor/restart.c) */
    HEALTH_R_NO_UPCALL = 8,   /* recover-driver-local, but the kernel registered no upcall: cold restart */
    HEALTH_R_OUTSIDE_DRIVER = 9, /* recover-driver-local, but the fault is outside the driver's code: cold restart */
    HEALTH_R_EVENT_PENDING = 10, /* recover-driver-local, but the fault hit an event's delivery: cold restart */
    HEALTH_R_COUNT = 11
};

struct health_decision {
    uint8_t declared;   /* the system.bin entry (HEALTH_HALT when none) */
    uint8_t applied;    /* what the monitor does */
    uint8_t reason;     /* enum health_reason */
    uint8_t restarts;   /* restarts including this one when applied restarts */
};

/*@ predicate restart_class(integer a) =
        a == HEALTH_RESTART_WARM || a == HEALTH_RESTART_COLD || a == HEALTH_FAILOVER ||
        a == HEALTH_DRIVER_LOCAL || a == HEALTH_DRIVER_REMOTE; */

/* 1 when action a restarts the sandbox (directly or as the fallback). */
/*@ assigns \nothing;
    ensures \result == 1 <==> restart_class(a);
    ensures \result == 0 || \result == 1; */
int health_is_restart(uint8_t a);

/* 1 when some kind's action is safe_mode (the escalation target). */
/*@ requires \valid_read(actions + (0 .. HEALTH_KINDS - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1; */
int health_declares_safe_mode(const uint8_t *actions);

/* 1 when some kind's action restarts the sandbox (the monitor then keeps
   the image's boot digest for the reload check). */
/*@ requires \valid_read(actions + (0 .. HEALTH_KINDS - 1));
    assigns \nothing;
    ensures \result == 0 || \result == 1; */
int health_can_restart(const uint8_t *actions);

/* The decision for one fault (see the ladder above).  actions may be null
   (no table entry: halt). */
/*@ requires actions == \null || \valid_read(actions + (0 .. HEALTH_KINDS - 1));
    assigns \nothing;
    ensures \result.applied < HEALTH_ACTIONS;
    ensures \result.reason < HEALTH_R_COUNT;
    ensures restart_class(\result.applied) ==> restarts < limit && !in_recovery &&
            \result.restarts == restarts + 1;
    ensures !restart_class(\result.applied) ==> \result.restarts == restarts; */
struct health_decision health_decide(const uint8_t *actions, uint8_t kind, uint8_t limit,
                                     uint8_t restarts, int in_recovery);

/* Monitor-applied local driver recovery (docs/recovery.md): may a fault
   whose decision is recover-driver-local be handed to the sandbox's own
   kernel (the monitor injects the kernel's registered upcall, a #VE, and
   the kernel restarts its driver) instead of restarting the sandbox?
   registered: the kernel registered its upcall (TRIAD_HC_DRIVER_RECOVERY);
   [lo, hi): the driver's code as it registered it; rip: where the fault
   happened; event_pending: the fault interrupted the delivery of an event
   (an injected exception on top would lose it).  HEALTH_R_POLICY when it
   may, else the cold restart's reason, the first failing condition in the
   order of the arguments. */
/*@ assigns \nothing;
    ensures \result == HEALTH_R_POLICY || \result == HEALTH_R_NO_UPCALL ||
            \result == HEALTH_R_OUTSIDE_DRIVER || \result == HEALTH_R_EVENT_PENDING;
    ensures \result == HEALTH_R_POLICY ==> registered != 0 && lo <= rip && rip < hi && event_pending == 0; */
uint8_t health_driver_local_check(int registered, uint64_t lo, uint64_t hi, uint64_t rip, int event_pending);

/* The restart hypercall: may sandbox caller restart sandbox target?
   Decision (docs/recovery.md): a sandbox may ask for its own restart
   (target == caller, or TRIAD_HC_SELF), and the voter of a TMR group for
   the restart of that group's members (supervised = tmr_restart_allowed(),
   monitor/tmr_restart.h: a hung replica cannot ask for itself); either only
   when the TARGET's policy declares a restart-class action and the target
   is below its restart limit (actions, limit, restarts are the target's).
   Returns 0 (allowed), or a TRIAD_E_* code: -3 INVAL (no such sandbox),
   -4 PERM (another sandbox not supervised, no restart in its policy, limit
   reached). */
#define HEALTH_HC_SELF 0xFFFFFFFFull   /* TRIAD_HC_SELF, as RDI carries it */
/*@ requires actions == \null || \valid_read(actions + (0 .. HEALTH_KINDS - 1));
    assigns \nothing;
    ensures \result == 0 || \result == -3 || \result == -4;
    ensures \result == 0 ==> actions != \null && restarts < limit;
    ensures \result == 0 && target != HEALTH_HC_SELF && target != caller ==> supervised != 0; */
int health_request_ok(uint32_t caller, uint64_t target, uint32_t sandbox_count,
                      const uint8_t *actions, uint8_t limit, uint8_t restarts, int supervised);

/* Leaving system safe mode: the monitor-side check of an operator's request
   (docs/recovery.md, "Leaving system safe mode").  Only the check is built:
   the hypercall that would call it (and restart what the entry halted) is a
   design.  The request comes from sandbox `caller`; the description names
   the one sandbox that may ask (`exit_by`, HEALTH_EXIT_NOBODY: nobody); the
   caller acknowledges the entry it means (`ack_tsc`, the entry time it read
   from SANDBOX_INFO, so a request made for an earlier entry never ends a
   later one) and states the vehicle (`vehicle`: exactly on the ground and
   disarmed, no other bit); the safe command must have been applied for
   `hold_ticks` since the entry (`now_tsc` before `safe_tsc`: not elapsed).
   The first condition that fails is the verdict, in the enum's order. */
#define HEALTH_EXIT_NOBODY       0xFFu
#define HEALTH_VEHICLE_ON_GROUND 0x1u
#define HEALTH_VEHICLE_DISARMED  0x2u
#define HEALTH_VEHICLE_SAFE      (HEALTH_VEHICLE_ON_GROUND | HEALTH_VEHICLE_DISARMED)
enum health_exit_verdict {
    HEALTH_EXIT_OK = 0,
    HEALTH_EXIT_NOT_IN_SAFE_MODE = 1,   /* nothing to leave */
    HEALTH_EXIT_NOT_PERMITTED = 2,      /* caller is not the sandbox the description names */
    HEALTH_EXIT_STALE_ACK = 3,          /* acknowledges another entry than the current one */
    HEALTH_EXIT_VEHICLE_NOT_SAFE = 4,   /* not stated on the ground and disarmed */
    HEALTH_EXIT_HOLD_NOT_ELAPSED = 5,   /* the safe command held for less than hold_ticks */
    HEALTH_EXIT_COUNT = 6
};
/*@ assigns \nothing;
    ensures \result < HEALTH_EXIT_COUNT;
    ensures \result == HEALTH_EXIT_OK <==>
            (in_safe_mode != 0 && exit_by != HEALTH_EXIT_NOBODY && caller == exit_by &&
             ack_tsc == safe_tsc && vehicle == HEALTH_VEHICLE_SAFE &&
             now_tsc >= safe_tsc && now_tsc - safe_tsc >= hold_ticks);
    ensures in_safe_mode == 0 ==> \result == HEALTH_EXIT_NOT_IN_SAFE_MODE;
    ensures in_safe_mode != 0 && (exit_by == HEALTH_EXIT_NOBODY || caller != exit_by) ==>
            \result == HEALTH_EXIT_NOT_PERMITTED; */
uint8_t health_safe_exit_check(int in_safe_mode, uint32_t caller, uint8_t exit_by, uint64_t ack_tsc,
                               uint64_t safe_tsc, uint64_t vehicle, uint64_t now_tsc, uint64_t hold_ticks);

/* HEALTH_EXIT_NAME_STRING: what the monitor's HEALTH line needs to print
   the name (console.h's con_string), as health_action_name's. */
/*@ assigns \nothing;
    ensures \result != \null;
    ensures HEALTH_EXIT_NAME_STRING: \exists integer n; 0 <= n < 32 &&
      \valid_read(\result + (0 .. n)) && \result[n] == '\0' &&
      (\forall integer k; 0 <= k < n ==> \result[k] != '\0'); */
const char *health_exit_name(uint8_t verdict);

/* Names for the log line (never null): a readable string of under 32
   characters (the longest is "recover-driver-remote"), which is what the
   monitor's fault line needs to print it (console.h's con_string). */
/*@ assigns \nothing;
    ensures \result != \null;
    ensures HEALTH_ACTION_NAME_STRING: \exists integer n; 0 <= n < 32 &&
      \valid_read(\result + (0 .. n)) && \result[n] == '\0' &&
      (\forall integer k; 0 <= k < n ==> \result[k] != '\0'); */
const char *health_action_name(uint8_t a);
/*@ assigns \nothing; ensures \result != \null; */
const char *health_reason_name(uint8_t r);

#endif
