/*
 * Leaving system safe mode (issue 9, docs/recovery.md).  The exit is an
 * operator's decision the monitor checks, never the system's own: the fault
 * that caused safe mode is still unexplained, so nothing automatic undoes
 * it.  The check itself is recovery/health.c's health_safe_exit_check
 * (pure, host-tested); here it is applied under the console lock, logged,
 * and an accepted exit wakes the halted sandboxes' cores, each of which
 * restarts its sandbox cold on itself (restart_revived), so the asking
 * core goes back to its work at once.
 */
#include "safe_exit.h"
#include "abi/hypercall.h"
#include "console.h"
#include "cpu.h"
#include "decision_log.h"
#include "monitor.h"
#include "restart.h"
#include "virt.h"
#include "recovery/health.h"

/* A revived core takes its request (clears core.revive) as soon as the NMI
   ends its HLT; an NMI that came just before the HLT is lost, so it is
   sent again (bounded), as restart.c's voter requests are. */
#define REVIVE_SENDS 4u
#define REVIVE_SPINS 2000000u

/* Bit k of a sandbox or core mask (k < 32), as a right shift: a left shift of 1
   has an unsigned-overflow check WP cannot bound (ipi.c's core_bit). */
/*@ requires k < 32;
    assigns \nothing; */
static uint32_t sandbox_bit(uint32_t k)
{
    return 0x80000000u >> (31u - k);
}

/* The TRIAD_E_* answer to a verdict (docs/recovery.md). */
/*@ assigns \nothing;
    ensures \result == 0 || \result == -3 || \result == -4 || \result == -9; */
static int64_t verdict_code(uint8_t verdict)
{
    switch (verdict) {
    case HEALTH_EXIT_OK:               return 0;
    case HEALTH_EXIT_NOT_PERMITTED:    return TRIAD_E_PERM;
    case HEALTH_EXIT_VEHICLE_NOT_SAFE:
    case HEALTH_EXIT_HOLD_NOT_ELAPSED: return TRIAD_E_BUSY;   /* may succeed later */
    default:                           return TRIAD_E_INVAL;   /* not in safe mode, stale ack */
    }
}

/* One decision record for the ground station (the caller holds the
   console lock): SAFE_MODE_LEFT when accepted, else REFUSED with the
   verdict as its reason. */
/*@ requires sb < TRIAD_MAX_SANDBOXES && \valid_read(sys);
    assigns monitor_decisions; */
static void keep(uint32_t sb, uint8_t verdict, uint64_t now)
{
    struct triad_decision r = { .tsc = now, .sandbox = (uint8_t)sb, .kind = TRIAD_DECISION_KIND_SAFE_EXIT,
                                .event = (verdict == (uint8_t)HEALTH_EXIT_OK) ? TRIAD_DECISION_SAFE_MODE_LEFT
                                                                     : TRIAD_DECISION_REFUSED,
                                .declared = HEALTH_SAFE_MODE, .applied = HEALTH_SAFE_MODE,
                                .reason = verdict };
    /*@ loop assigns i, r.name[0 .. TRIAD_DECISION_NAME - 1]; loop variant TRIAD_DECISION_NAME - i; */
    for (uint32_t i = 0; (i < (uint32_t)TRIAD_DECISION_NAME) && (sys->sandboxes[sb].name[i] != '\0'); i++) {
        r.name[i] = sys->sandboxes[sb].name[i];
    }
    /* The sequence number never wraps: the 2^64-th record would be dropped
       (decision_log_add's precondition; unreachable at one per event). */
    if (monitor_decisions.next < 0xFFFFFFFFFFFFFFFFull) {
        decision_log_add(&monitor_decisions, &r);
    }
}

/* Wakes core k with request how; 1 when it took it, 0 when it never did
   (the request is withdrawn: the core stays halted). */
/*@ requires k < MAX_CORES;
    assigns cores[k].revive;
    ensures \result == 0 || \result == 1; */
static int wake(uint32_t k, uint8_t how)
{
    cores[k].revive = how;
    /*@ loop assigns send; loop variant REVIVE_SENDS - send; */
    for (uint32_t send = 0u; (send < REVIVE_SENDS) && (cores[k].revive != 0u); send++) {
        restart_send_nmi(k);
        uint32_t spins = 0u;
        /*@ loop assigns spins; loop variant REVIVE_SPINS - spins; */
        while ((cores[k].revive != 0u) && (spins < REVIVE_SPINS)) {
            cpu_pause();
            spins++;
        }
    }
    return (cpu_cas8_seqcst(&cores[k].revive, how, 0u) != 0) ? 0 : 1;
}

/* Revives sandbox sb: its boot core restarts it cold, its other halted
   cores wait for the fresh kernel's start-up IPI.  Returns the cores woken. */
/*@ requires sb < TRIAD_MAX_SANDBOXES && \valid_read(sys);
    assigns cores[0 .. MAX_CORES - 1].revive; */
static uint32_t revive_sandbox(uint32_t sb)
{
    uint32_t woken = 0u;
    /*@ loop invariant k <= MAX_CORES && woken <= k;
        loop assigns k, woken, cores[0 .. MAX_CORES - 1].revive;
        loop variant MAX_CORES - k; */
    for (uint32_t k = 0u; k < MAX_CORES; k++) {
        if (((sys->sandboxes[sb].core_mask & sandbox_bit(k)) == 0u) || ((uint32_t)cores[k].sandbox != sb) ||
            ((uint32_t)cores[k].state != (uint32_t)CORE_HALTED)) {
            continue;
        }
        const uint8_t how = (k == sandboxes[sb].boot_core) ? (uint8_t)REVIVE_RESTART : (uint8_t)REVIVE_SECONDARY;
        woken += (uint32_t)wake(k, how);
    }
    return woken;
}

/* The HEALTH line's end: what the request stated.  Split from say_verdict
   so that each print's obligation carries few facts (con_string of
   " vehicle=" was not proved late in one function of 11 prints). */
/*@ assigns \nothing; */
static void say_request(uint64_t ack, uint64_t vehicle)
{
    const char *s = " ack=";
    /*@ assert s[5] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(ack);
    s = " vehicle=";
    /*@ assert s[9] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(vehicle);
    s = "\n";
    /*@ assert s[1] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
}

/* The HEALTH line of a decision (the caller holds the console lock).  The
   prints are split from safe_exit_request so that each print's proof
   obligation carries few facts (fault.c's halves, session 6). */
/*@ requires sb < TRIAD_MAX_SANDBOXES && fault_sys_names;
    assigns \nothing; */
static void say_verdict(uint32_t core, uint32_t sb, uint8_t verdict, uint64_t now, uint64_t ack, uint64_t vehicle)
{
    /* Each literal through `s`, its terminator asserted: the provers find
       con_string's witness for a literal only then (fault.c's names). */
    const char *s = "HEALTH t=";
    /*@ assert s[9] == '\0'; */
    /*@ assert con_string(s); */
    con_line(s);
    con_dec(now);
    s = " core=";
    /*@ assert s[6] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(core);
    s = " sandbox=";
    /*@ assert s[9] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(sb);
    s = " name=";
    /*@ assert s[6] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_puts(sys->sandboxes[sb].name);
    /* Literals of at most 20 characters: con_string of a 44-character
       literal took the provers past their step limits (the witness's
       quantifier over every character), 6 to 9 characters take 20-55 k
       steps.  Each printed in its own branch (no join of two literals). */
    s = " kind=safe-mode-exit";
    /*@ assert s[20] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    if (verdict == (uint8_t)HEALTH_EXIT_OK) {
        s = " action=accepted";
        /*@ assert s[16] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
    } else {
        s = " action=refused";
        /*@ assert s[15] == '\0'; */
        /*@ assert con_string(s); */
        con_puts(s);
    }
    s = " reason=";
    /*@ assert s[8] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_puts(health_exit_name(verdict));
    say_request(ack, vehicle);
}

/* The SAFE-MODE line of an accepted exit (the caller holds the console lock). */
/*@ requires sb < TRIAD_MAX_SANDBOXES && fault_sys_names;
    assigns \nothing; */
static void say_left(uint32_t sb, uint64_t now, uint64_t ack, uint64_t held, uint32_t revive_mask)
{
    const char *s = "SAFE-MODE system";
    /*@ assert s[16] == '\0'; */
    /*@ assert con_string(s); */
    con_line(s);
    s = " left t=";
    /*@ assert s[8] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(now);
    s = " by=";
    /*@ assert s[4] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_puts(sys->sandboxes[sb].name);
    s = " ack=";
    /*@ assert s[5] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(ack);
    s = " held=";
    /*@ assert s[6] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(held);
    s = " restart-mask=";
    /*@ assert s[14] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
    con_dec(revive_mask);
    s = "\n";
    /*@ assert s[1] == '\0'; */
    /*@ assert con_string(s); */
    con_puts(s);
}

int64_t safe_exit_request(struct core *c, uint64_t ack, uint64_t vehicle)
{
    const uint32_t sb = c->sandbox;
    if ((sb >= TRIAD_MAX_SANDBOXES) || (sb >= sys->sandbox_count)) {
        return TRIAD_E_INVAL;
    }
    const uint64_t hold = ms_to_tsc(sys->safe_exit_hold_ms);
    uint32_t state = 0u;
    uint32_t cause = 0xFFu;
    uint64_t entry = 0u;
    con_lock();
    restart_system_info(&state, &cause, &entry);
    const int on = restart_safe_state(&entry);
    const uint64_t now = cpu_rdtsc();
    const uint8_t verdict = health_safe_exit_check(on, sb, sys->safe_exit_by, ack, entry, vehicle, now, hold);
    uint32_t revive = 0u;
    if (verdict == (uint8_t)HEALTH_EXIT_OK) {
        revive = restart_safe_leave();
    }
    say_verdict(c->index, sb, verdict, now, ack, vehicle);
    if (verdict == (uint8_t)HEALTH_EXIT_OK) {
        say_left(sb, now, ack, now - entry, revive);
    }
    keep(sb, verdict, now);
    con_unlock();
    if (verdict == (uint8_t)HEALTH_EXIT_NOT_PERMITTED) {
        /* a policy violation is a fault of the asker (logged only: kind reported) */
        (void)fault_raise(c, TRIAD_FAULT_REPORTED, ack, virt_guest_rip(c), TRIAD_HC_SAFE_MODE_EXIT);
    }
    if (verdict != (uint8_t)HEALTH_EXIT_OK) {
        return verdict_code(verdict);
    }
    /* The cause first, then the sandboxes the entry halted, in index order. */
    if ((cause < TRIAD_MAX_SANDBOXES) && ((revive & sandbox_bit(cause)) != 0u)) {
        (void)revive_sandbox(cause);
        revive &= ~sandbox_bit(cause);
    }
    /*@ loop assigns k, cores[0 .. MAX_CORES - 1].revive; loop variant TRIAD_MAX_SANDBOXES - k; */
    for (uint32_t k = 0u; (k < sys->sandbox_count) && (k < TRIAD_MAX_SANDBOXES); k++) {
        if ((revive & sandbox_bit(k)) != 0u) {
            (void)revive_sandbox(k);
        }
    }
    return 0;
}
