/* health_decide / health_request_ok: the escalation ladder of issue 9 and
   the restart hypercall's policy, including bad input (kinds and actions
   outside the table, a null table, a fault during recovery). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "health.h"
#include "partition/system_table.h"
#include "abi/hypercall.h"

_Static_assert(HEALTH_KINDS == TRIAD_FAULT_KIND_COUNT, "kinds");
_Static_assert(HEALTH_ACTIONS == TRIAD_ACTION_COUNT, "actions");
_Static_assert(HEALTH_RESTART_WARM == TRIAD_ACTION_RESTART_WARM && HEALTH_SAFE_MODE == TRIAD_ACTION_SAFE_MODE &&
               HEALTH_DRIVER_REMOTE == TRIAD_ACTION_RECOVER_DRIVER_REMOTE, "action numbers");
_Static_assert(HEALTH_KIND_REPORTED == TRIAD_FAULT_REPORTED && HEALTH_KIND_IPI_VIOLATION == TRIAD_FAULT_IPI_VIOLATION &&
               HEALTH_KIND_BAD_HYPERCALL == TRIAD_FAULT_BAD_HYPERCALL, "kind numbers");
_Static_assert(TRIAD_E_INVAL == -3 && TRIAD_E_PERM == -4, "error codes");

static const uint8_t all_restart[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
static const uint8_t all_halt[8] = { 3, 3, 3, 3, 3, 3, 3, 3 };

/* REQ: REC-HM-001 */
static void restart_until_limit_then_halt(void **state)
{
    (void)state;
    uint8_t n = 0;
    for (int i = 0; i < 3; i++) {
        struct health_decision d = health_decide(all_restart, TRIAD_FAULT_EPT_VIOLATION, 3, n, 0);
        assert_int_equal(d.declared, HEALTH_RESTART_WARM);
        assert_int_equal(d.applied, HEALTH_RESTART_WARM);
        assert_int_equal(d.reason, HEALTH_R_POLICY);
        assert_int_equal(d.restarts, n + 1);
        n = d.restarts;
    }
    struct health_decision d = health_decide(all_restart, TRIAD_FAULT_EPT_VIOLATION, 3, n, 0);
    assert_int_equal(d.applied, HEALTH_HALT);
    assert_int_equal(d.reason, HEALTH_R_LIMIT);
    assert_int_equal(d.restarts, 3);
    /* limit 0: never restarted */
    d = health_decide(all_restart, TRIAD_FAULT_IO_VIOLATION, 0, 0, 0);
    assert_int_equal(d.applied, HEALTH_HALT);
    assert_int_equal(d.reason, HEALTH_R_LIMIT);
    /* a restart count past the limit (bad input) escalates too */
    d = health_decide(all_restart, TRIAD_FAULT_IO_VIOLATION, 2, 255, 0);
    assert_int_equal(d.applied, HEALTH_HALT);
}

/* REQ: REC-HM-001 */
static void escalation_to_safe_mode_where_declared(void **state)
{
    (void)state;
    const uint8_t t[8] = { 2, 2, 2, 2, 2, 2, 2, 7 };   /* watchdog -> safe_mode */
    struct health_decision d = health_decide(t, TRIAD_FAULT_EPT_VIOLATION, 1, 0, 0);
    assert_int_equal(d.applied, HEALTH_RESTART_COLD);
    d = health_decide(t, TRIAD_FAULT_EPT_VIOLATION, 1, 1, 0);
    assert_int_equal(d.applied, HEALTH_SAFE_MODE);
    assert_int_equal(d.reason, HEALTH_R_LIMIT);
    d = health_decide(t, TRIAD_FAULT_WATCHDOG, 1, 0, 0);
    assert_int_equal(d.applied, HEALTH_SAFE_MODE);
    assert_int_equal(d.reason, HEALTH_R_POLICY);
    assert_true(health_declares_safe_mode(t));
    assert_false(health_declares_safe_mode(all_restart));
}

/* REQ: REC-HM-001 */
static void fault_during_recovery_escalates(void **state)
{
    (void)state;
    struct health_decision d = health_decide(all_restart, TRIAD_FAULT_TRIPLE_FAULT, 3, 0, 1);
    assert_int_equal(d.applied, HEALTH_HALT);
    assert_int_equal(d.reason, HEALTH_R_IN_RECOVERY);
    assert_int_equal(d.restarts, 0);
}

/* REQ: REC-HM-001 */
static void declared_actions_and_fallbacks(void **state)
{
    (void)state;
    const uint8_t t[8] = { 0, 3, 4, 5, 6, 7, 1, 2 };
    struct health_decision d = health_decide(t, 0, 3, 0, 0);
    assert_int_equal(d.applied, HEALTH_LOG);
    d = health_decide(t, 1, 3, 0, 0);
    assert_int_equal(d.applied, HEALTH_HALT);
    /* failover: applied as declared (the monitor moves a voter's channels
       to its voter-standby, then restarts it cold), counted */
    d = health_decide(t, 2, 3, 1, 0);
    assert_int_equal(d.declared, HEALTH_FAILOVER);
    assert_int_equal(d.applied, HEALTH_FAILOVER);
    assert_int_equal(d.reason, HEALTH_R_POLICY);
    assert_int_equal(d.restarts, 2);
    /* ... and escalated like any restart at the limit */
    d = health_decide(t, 2, 3, 3, 0);
    assert_int_equal(d.applied, HEALTH_SAFE_MODE);
    assert_int_equal(d.reason, HEALTH_R_LIMIT);
    /* driver local: applied as declared (the monitor hands the fault to
       the kernel's upcall), counted like a restart */
    d = health_decide(t, 3, 3, 1, 0);
    assert_int_equal(d.declared, t[3]);
    assert_int_equal(d.applied, HEALTH_DRIVER_LOCAL);
    assert_int_equal(d.reason, HEALTH_R_POLICY);
    assert_int_equal(d.restarts, 2);
    /* ... escalated at the limit, and when a second fault comes during the
       local recovery (the monitor passes in_recovery until the kernel's done) */
    d = health_decide(t, 3, 3, 3, 0);
    assert_int_equal(d.applied, HEALTH_SAFE_MODE);
    assert_int_equal(d.reason, HEALTH_R_LIMIT);
    d = health_decide(t, 3, 3, 1, 1);
    assert_int_equal(d.applied, HEALTH_SAFE_MODE);
    assert_int_equal(d.reason, HEALTH_R_IN_RECOVERY);
    /* driver remote: applied as declared (hand-over, then a cold restart), counted */
    d = health_decide(t, 4, 3, 1, 0);
    assert_int_equal(d.applied, HEALTH_DRIVER_REMOTE);
    assert_int_equal(d.reason, HEALTH_R_POLICY);
    assert_int_equal(d.restarts, 2);
    /* ... and escalated like any restart at the limit */
    d = health_decide(t, 4, 3, 3, 0);
    assert_int_equal(d.applied, HEALTH_SAFE_MODE);
    assert_int_equal(d.reason, HEALTH_R_LIMIT);
    d = health_decide(all_halt, TRIAD_FAULT_EPT_VIOLATION, 3, 0, 0);
    assert_int_equal(d.applied, HEALTH_HALT);
    assert_int_equal(d.reason, HEALTH_R_POLICY);
}

/* REQ: REC-HM-001 */
static void bad_input(void **state)
{
    (void)state;
    /* harmless kinds: logged whatever the table says, even without one */
    assert_int_equal(health_decide(all_halt, TRIAD_FAULT_REPORTED, 0, 0, 0).applied, HEALTH_LOG);
    assert_int_equal(health_decide(0, TRIAD_FAULT_BAD_HYPERCALL, 0, 0, 0).applied, HEALTH_LOG);
    assert_int_equal(health_decide(all_restart, TRIAD_FAULT_IPI_VIOLATION, 3, 0, 0).reason, HEALTH_R_HARMLESS);
    /* kinds outside the table: halt, never a restart */
    struct health_decision d = health_decide(all_restart, TRIAD_FAULT_UNEXPECTED, 3, 0, 0);
    assert_int_equal(d.applied, HEALTH_HALT);
    assert_int_equal(d.reason, HEALTH_R_BAD_KIND);
    assert_int_equal(health_decide(all_restart, TRIAD_FAULT_IMAGE_MISMATCH, 3, 0, 0).applied, HEALTH_HALT);
    assert_int_equal(health_decide(all_restart, 255, 3, 0, 0).applied, HEALTH_HALT);
    assert_int_equal(health_decide(all_restart, 8, 3, 0, 0).applied, HEALTH_HALT);
    assert_int_equal(health_decide(0, TRIAD_FAULT_EPT_VIOLATION, 3, 0, 0).reason, HEALTH_R_BAD_KIND);
    /* an action number outside the enum */
    const uint8_t t[8] = { 8, 200, 1, 1, 1, 1, 1, 1 };
    d = health_decide(t, 0, 3, 0, 0);
    assert_int_equal(d.applied, HEALTH_HALT);
    assert_int_equal(d.reason, HEALTH_R_BAD_ACTION);
    assert_int_equal(health_decide(t, 1, 3, 0, 0).applied, HEALTH_HALT);
    /* names never null */
    assert_string_equal(health_action_name(200), "halt");
    assert_string_equal(health_action_name(HEALTH_SAFE_MODE), "safe-mode");
    assert_string_equal(health_reason_name(99), "unknown");
    assert_string_equal(health_reason_name(HEALTH_R_LIMIT), "restart-limit");
    assert_string_equal(health_reason_name(HEALTH_R_SYSTEM_SAFE), "system-safe-mode");
    assert_string_equal(health_reason_name(HEALTH_R_NO_UPCALL), "no-driver-upcall");
    assert_string_equal(health_reason_name(HEALTH_R_OUTSIDE_DRIVER), "outside-driver");
    assert_string_equal(health_reason_name(HEALTH_R_EVENT_PENDING), "event-in-delivery");
}

/* REQ: REC-HC-001 */
static void restart_request_policy(void **state)
{
    (void)state;
    assert_int_equal(health_request_ok(1, 1, 3, all_restart, 3, 0, 0), 0);
    assert_int_equal(health_request_ok(1, HEALTH_HC_SELF, 3, all_restart, 3, 2, 0), 0);
    assert_int_equal(health_request_ok(1, 0, 3, all_restart, 3, 0, 0), -4);           /* another sandbox */
    assert_int_equal(health_request_ok(1, 3, 3, all_restart, 3, 0, 0), -3);           /* no such sandbox */
    assert_int_equal(health_request_ok(1, 0xFFFFFFFEull, 3, all_restart, 3, 0, 0), -3);
    /* "self" is TRIAD_HC_SELF as RDI carries it (32 bits of ones); a 64-bit
       all-ones id is just an id past the table */
    assert_int_equal(HEALTH_HC_SELF, 0xFFFFFFFFull);
    assert_int_equal(health_request_ok(1, 0xFFFFFFFFull, 3, all_restart, 3, 0, 0), 0);
    assert_int_equal(health_request_ok(1, 0xFFFFFFFFFFFFFFFFull, 3, all_restart, 3, 0, 0), -3);
    assert_int_equal(health_request_ok(1, 1, 3, all_halt, 3, 0, 0), -4);              /* policy has no restart */
    assert_int_equal(health_request_ok(1, 1, 3, all_restart, 3, 3, 0), -4);           /* limit reached */
    assert_int_equal(health_request_ok(1, 1, 3, all_restart, 0, 0, 0), -4);
    assert_int_equal(health_request_ok(1, 1, 3, 0, 3, 0, 0), -4);                     /* no table */
    /* the voter of a TMR group for a member (supervised, issue 8): the
       target's policy and limit decide; an id past the table stays INVAL */
    assert_int_equal(health_request_ok(0, 2, 3, all_restart, 3, 0, 1), 0);
    assert_int_equal(health_request_ok(0, 2, 3, all_restart, 3, 3, 1), -4);           /* target at its limit */
    assert_int_equal(health_request_ok(0, 2, 3, all_halt, 3, 0, 1), -4);              /* target restarts never */
    assert_int_equal(health_request_ok(0, 2, 3, 0, 3, 0, 1), -4);
    assert_int_equal(health_request_ok(0, 3, 3, all_restart, 3, 0, 1), -3);
    assert_true(health_can_restart(all_restart));
    assert_false(health_can_restart(all_halt));
    const uint8_t fo[8] = { 3, 3, 3, 3, 3, 3, 3, 4 };
    assert_true(health_can_restart(fo));
    assert_false(health_is_restart(HEALTH_SAFE_MODE));
    assert_false(health_is_restart(255));
}

/* Leaving system safe mode: the monitor-side check (the hypercall is a
   design, docs/recovery.md).  Each refusal alone, their order, the accept,
   and bad input: a vehicle word with unknown bits, a clock behind the entry,
   nobody named, an out-of-range verdict's name. */
/* REQ: REC-SAFE-002 */
static void safe_mode_exit_check(void **state)
{
    (void)state;
    const uint8_t io = 0;
    const uint64_t entry = 1000000, hold = 5000, later = entry + hold;
    const uint64_t safe = HEALTH_VEHICLE_SAFE;
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, safe, later, hold), HEALTH_EXIT_OK);
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, safe, later + 1, hold), HEALTH_EXIT_OK);
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, safe, entry, 0), HEALTH_EXIT_OK);
    /* each condition alone */
    assert_int_equal(health_safe_exit_check(0, io, io, entry, entry, safe, later, hold), HEALTH_EXIT_NOT_IN_SAFE_MODE);
    assert_int_equal(health_safe_exit_check(1, 3, io, entry, entry, safe, later, hold), HEALTH_EXIT_NOT_PERMITTED);
    assert_int_equal(health_safe_exit_check(1, HEALTH_EXIT_NOBODY, HEALTH_EXIT_NOBODY, entry, entry, safe, later, hold),
                     HEALTH_EXIT_NOT_PERMITTED);                      /* nobody named: nobody, not even id 0xFF */
    assert_int_equal(health_safe_exit_check(1, io, io, entry - 1, entry, safe, later, hold), HEALTH_EXIT_STALE_ACK);
    assert_int_equal(health_safe_exit_check(1, io, io, 0, entry, safe, later, hold), HEALTH_EXIT_STALE_ACK);
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, HEALTH_VEHICLE_ON_GROUND, later, hold),
                     HEALTH_EXIT_VEHICLE_NOT_SAFE);                   /* armed on the ground */
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, HEALTH_VEHICLE_DISARMED, later, hold),
                     HEALTH_EXIT_VEHICLE_NOT_SAFE);                   /* disarmed in the air */
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, safe | 0x4u, later, hold),
                     HEALTH_EXIT_VEHICLE_NOT_SAFE);                   /* unknown bit */
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, ~0ull, later, hold), HEALTH_EXIT_VEHICLE_NOT_SAFE);
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, safe, later - 1, hold), HEALTH_EXIT_HOLD_NOT_ELAPSED);
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, safe, entry - 1, 0), HEALTH_EXIT_HOLD_NOT_ELAPSED);
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, safe, 0, hold), HEALTH_EXIT_HOLD_NOT_ELAPSED);
    /* the order: the first failing condition is the answer */
    assert_int_equal(health_safe_exit_check(0, 3, io, 0, entry, 0, 0, hold), HEALTH_EXIT_NOT_IN_SAFE_MODE);
    assert_int_equal(health_safe_exit_check(1, 3, io, 0, entry, 0, 0, hold), HEALTH_EXIT_NOT_PERMITTED);
    assert_int_equal(health_safe_exit_check(1, io, io, 0, entry, 0, 0, hold), HEALTH_EXIT_STALE_ACK);
    assert_int_equal(health_safe_exit_check(1, io, io, entry, entry, 0, 0, hold), HEALTH_EXIT_VEHICLE_NOT_SAFE);
    /* names for the log line */
    assert_string_equal(health_exit_name(HEALTH_EXIT_OK), "accepted");
    assert_string_equal(health_exit_name(HEALTH_EXIT_NOT_PERMITTED), "not-permitted");
    assert_string_equal(health_exit_name(HEALTH_EXIT_HOLD_NOT_ELAPSED), "hold-not-elapsed");
    assert_string_equal(health_exit_name(HEALTH_EXIT_COUNT), "unknown");
    /* HEALTH_EXIT_NAME_STRING (health.h, assumed by the monitor's proof):
       every verdict's name, and an out-of-range one's, ends before 32 */
    for (unsigned v = 0; v <= 0xFFu; v++) {
        const char *name = health_exit_name((uint8_t)v);
        assert_non_null(name);
        assert_true(strnlen(name, 32) < 32);
        assert_true(name[0] != '\0');
    }
}

/* Monitor-applied local driver recovery: the kernel takes the fault only
   when it registered its upcall, the fault is inside the driver's code
   [lo, hi), and no event was being delivered; otherwise the cold restart's
   reason, the first failing condition. */
static void driver_local_check(void **state)
{
    (void)state;
    assert_int_equal(health_driver_local_check(1, 0x1000, 0x2000, 0x1000, 0), HEALTH_R_POLICY);
    assert_int_equal(health_driver_local_check(1, 0x1000, 0x2000, 0x1FFF, 0), HEALTH_R_POLICY);
    /* bad input: nothing registered (a zero range too), outside at both ends, an event in delivery */
    assert_int_equal(health_driver_local_check(0, 0x1000, 0x2000, 0x1800, 0), HEALTH_R_NO_UPCALL);
    assert_int_equal(health_driver_local_check(0, 0, 0, 0, 1), HEALTH_R_NO_UPCALL);
    assert_int_equal(health_driver_local_check(1, 0x1000, 0x2000, 0x0FFF, 0), HEALTH_R_OUTSIDE_DRIVER);
    assert_int_equal(health_driver_local_check(1, 0x1000, 0x2000, 0x2000, 0), HEALTH_R_OUTSIDE_DRIVER);
    assert_int_equal(health_driver_local_check(1, 0x2000, 0x1000, 0x1800, 0), HEALTH_R_OUTSIDE_DRIVER);
    assert_int_equal(health_driver_local_check(1, 0x1000, 0x2000, 0x1800, 1), HEALTH_R_EVENT_PENDING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(restart_until_limit_then_halt),
        cmocka_unit_test(escalation_to_safe_mode_where_declared),
        cmocka_unit_test(fault_during_recovery_escalates),
        cmocka_unit_test(declared_actions_and_fallbacks),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(driver_local_check),
        cmocka_unit_test(restart_request_policy),
        cmocka_unit_test(safe_mode_exit_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
