/* The health monitor's decision logic (see health.h). */
#include "health.h"

int health_is_restart(uint8_t a)
{
    return a == HEALTH_RESTART_WARM || a == HEALTH_RESTART_COLD || a == HEALTH_FAILOVER ||
           a == HEALTH_DRIVER_LOCAL || a == HEALTH_DRIVER_REMOTE;
}

int health_declares_safe_mode(const uint8_t *actions)
{
    int found = 0;
    /*@ loop assigns k, found; loop variant HEALTH_KINDS - k; */
    for (uint32_t k = 0; k < HEALTH_KINDS; k++)
        if (actions[k] == HEALTH_SAFE_MODE)
            found = 1;
    return found;
}

int health_can_restart(const uint8_t *actions)
{
    int found = 0;
    /*@ loop assigns k, found; loop variant HEALTH_KINDS - k; */
    for (uint32_t k = 0; k < HEALTH_KINDS; k++)
        if (health_is_restart(actions[k]))
            found = 1;
    return found;
}

struct health_decision health_decide(const uint8_t *actions, uint8_t kind, uint8_t limit,
                                     uint8_t restarts, int in_recovery)
{
    struct health_decision d = { HEALTH_HALT, HEALTH_HALT, HEALTH_R_POLICY, restarts };
    if (kind == HEALTH_KIND_REPORTED || kind == HEALTH_KIND_BAD_HYPERCALL || kind == HEALTH_KIND_IPI_VIOLATION) {
        d.declared = HEALTH_LOG;
        d.applied = HEALTH_LOG;
        d.reason = HEALTH_R_HARMLESS;
        return d;
    }
    if (actions == 0 || kind >= HEALTH_KINDS) {
        d.reason = HEALTH_R_BAD_KIND;
        return d;
    }
    const uint8_t a = actions[kind];
    if (a >= HEALTH_ACTIONS) {
        d.reason = HEALTH_R_BAD_ACTION;
        return d;
    }
    d.declared = a;
    if (!health_is_restart(a)) {
        d.applied = a;
        return d;
    }
    if (in_recovery || restarts >= limit) {
        d.applied = health_declares_safe_mode(actions) ? HEALTH_SAFE_MODE : HEALTH_HALT;
        d.reason = in_recovery ? HEALTH_R_IN_RECOVERY : HEALTH_R_LIMIT;
        return d;
    }
    /* Remote driver recovery is applied as declared: the monitor hands the
       device to its standby, then restarts the sandbox cold (monitor/handover.c;
       it restarts without a hand-over when the sandbox holds no device with a
       standby any more). */
    /* So is failover: the monitor moves a voter's channels to its
       voter-standby, then restarts it cold (monitor/failover.c; a sandbox
       without a voter-standby, such as a replica, is restarted cold with a
       RECOVERY line saying why there was no failover). */
    /* And local driver recovery: the monitor hands the fault to the
       sandbox's kernel, which restarts its driver (monitor/driver_local.c);
       it becomes a cold restart there when the kernel cannot take it
       (health_driver_local_check).  Counted like a restart, so a driver
       that keeps faulting reaches the limit and escalates. */
    d.applied = a;
    d.reason = HEALTH_R_POLICY;
    d.restarts = (uint8_t)(restarts + 1u);
    return d;
}

uint8_t health_driver_local_check(int registered, uint64_t lo, uint64_t hi, uint64_t rip, int event_pending)
{
    if (!registered)
        return HEALTH_R_NO_UPCALL;
    if (rip < lo || rip >= hi)
        return HEALTH_R_OUTSIDE_DRIVER;
    if (event_pending)
        return HEALTH_R_EVENT_PENDING;
    return HEALTH_R_POLICY;
}

int health_request_ok(uint32_t caller, uint64_t target, uint32_t sandbox_count,
                      const uint8_t *actions, uint8_t limit, uint8_t restarts, int supervised)
{
    if (target != HEALTH_HC_SELF && target >= sandbox_count)
        return -3;
    if (target != HEALTH_HC_SELF && target != caller && !supervised)
        return -4;
    if (actions == 0 || !health_can_restart(actions) || restarts >= limit)
        return -4;
    return 0;
}

uint8_t health_safe_exit_check(int in_safe_mode, uint32_t caller, uint8_t exit_by, uint64_t ack_tsc,
                               uint64_t safe_tsc, uint64_t vehicle, uint64_t now_tsc, uint64_t hold_ticks)
{
    if (!in_safe_mode)
        return HEALTH_EXIT_NOT_IN_SAFE_MODE;
    /* Nobody named: nobody may leave (the description's default). */
    if (exit_by == HEALTH_EXIT_NOBODY || caller != exit_by)
        return HEALTH_EXIT_NOT_PERMITTED;
    if (ack_tsc != safe_tsc)
        return HEALTH_EXIT_STALE_ACK;
    /* Exactly the two bits: a word with unknown bits is not a statement. */
    if (vehicle != HEALTH_VEHICLE_SAFE)
        return HEALTH_EXIT_VEHICLE_NOT_SAFE;
    /* A clock before the entry (another core's TSC behind) has not held. */
    if (now_tsc < safe_tsc || now_tsc - safe_tsc < hold_ticks)
        return HEALTH_EXIT_HOLD_NOT_ELAPSED;
    return HEALTH_EXIT_OK;
}

const char *health_exit_name(uint8_t verdict)
{
    static const char *const names[HEALTH_EXIT_COUNT] = {
        "accepted", "not-in-safe-mode", "not-permitted", "stale-ack", "vehicle-not-safe", "hold-not-elapsed",
    };
    return verdict < HEALTH_EXIT_COUNT ? names[verdict] : "unknown";
}

const char *health_action_name(uint8_t a)
{
    static const char *const names[HEALTH_ACTIONS] = {
        "log", "restart-warm", "restart-cold", "halt", "failover",
        "recover-driver-local", "recover-driver-remote", "safe-mode",
    };
    return a < HEALTH_ACTIONS ? names[a] : "halt";
}

const char *health_reason_name(uint8_t r)
{
    static const char *const names[HEALTH_R_COUNT] = {
        "policy", "harmless", "kind-outside-table", "bad-action", "restart-limit",
        "fault-during-recovery", "fallback-not-implemented", "system-safe-mode",
        "no-driver-upcall", "outside-driver", "event-in-delivery",
    };
    return r < HEALTH_R_COUNT ? names[r] : "unknown";
}
