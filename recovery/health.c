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
    d.applied = a == HEALTH_RESTART_WARM || a == HEALTH_DRIVER_REMOTE ? a : HEALTH_RESTART_COLD;
    d.reason = a == HEALTH_RESTART_WARM || a == HEALTH_RESTART_COLD || a == HEALTH_DRIVER_REMOTE
                   ? HEALTH_R_POLICY : HEALTH_R_FALLBACK;
    d.restarts = (uint8_t)(restarts + 1u);
    return d;
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
    };
    return r < HEALTH_R_COUNT ? names[r] : "unknown";
}
