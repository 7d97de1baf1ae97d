/*
 * Sandbox restart (issue 9).  Runs on the faulting (or requesting) core of
 * the sandbox, inside its exit handler; other sandboxes' cores are never
 * touched.  Phases, each timed in TSC ticks (Bochs: instructions):
 *   detect   exit handler entered -> fault record and decision logged
 *   stop     other cores of the sandbox signalled by NMI and parked
 *   scrub    the sandbox's RAM zeroed
 *   reload   pristine image's SHA-256 checked against the boot value, ELF
 *            segments copied, boot block rebuilt (triad.restart=<n>)
 *   relaunch VMCS controls and guest state rebuilt for the entry state
 *   back     relaunch -> the new kernel's first hypercall (logged later)
 */
#include "restart.h"
#include "attest/sha256.h"
#include "attest/launch.h"
#include "bootinfo.h"
#include "console.h"
#include "console_text.h"
#include "cpu.h"
#include "elf.h"
#include "fault.h"
#include "monitor.h"
#include "sandbox.h"
#include "abi/sandbox_boot.h"
#include "abi/hypercall.h"
#include "virt.h"
#include "decision_log.h"
#include "tmr_restart.h"
#include "driver_local.h"
#include "failover.h"
#include "recovery/io_failover.h"

#define PARK_SPINS 200000000u
#define STOP_SPINS 50000000u
#define STOP_RESEND_SPINS 200000u   /* stop_others: NMI sent again after this many pauses */
/* A voter's request handed to the target's core: NMIs sent, and pauses
   waited after each for the core to take it (restart_request). */
#define REQUEST_SENDS 4u
#define REQUEST_SPINS 2000000u

struct restart_rt {
    uint64_t image, image_size;           /* the pristine copy (GRUB module) */
    uint8_t digest[32];                   /* its SHA-256 at boot */
    uint8_t have_digest;
    uint8_t restarts;                     /* restarts done so far */
    volatile uint8_t phase;               /* enum recovery_phase */
    volatile uint8_t abort;               /* a second fault escalated during the restart */
    uint8_t restarter;                    /* the core that claimed the restart */
    volatile uint32_t generation;         /* bumped when a relaunch is ready */
    volatile uint8_t failed;              /* the last restart was refused */
    uint64_t relaunch_tsc;                /* 0 once `back` was logged */
};

/* A recovery lasts from the decision to restart until the fresh kernel's
   first hypercall: a fault of the sandbox inside that window (another core
   faulting while its sandbox is being restarted, or the fresh kernel
   faulting before it came back) is a second fault during recovery, which
   escalates instead of restarting again. */
enum recovery_phase { PHASE_IDLE = 0, PHASE_RESTARTING = 1, PHASE_RELAUNCHED = 2 };

static struct restart_rt rr[TRIAD_MAX_SANDBOXES];

/* System safe mode (docs/recovery.md): entered when a sandbox's ladder ends
   in safe_mode, never left during the run.  From then on no sandbox is
   restarted (a fault's restart becomes a halt, a request is refused), the
   sandboxes whose description says system-safe-mode="halt" are stopped, the
   others keep running, and the I/O sandbox reads the state through
   TRIAD_HC_SANDBOX_INFO to command the safe actuator value.  Written once,
   under the console lock. */
struct system_safe_rt {
    volatile uint8_t on;
    uint8_t cause;                        /* the sandbox whose ladder ended there */
    uint64_t tsc;                         /* virtual time of the entry */
    uint32_t halted;                      /* sandboxes the entry stopped: the cause and the halt-mask */
};
static struct system_safe_rt safe_rt;

/* The little-endian value of the n bytes at p[at] (indexing, no pointer
   arithmetic: MISRA C:2012 rule 18.4). */
/*@ assigns \nothing; */
static uint64_t rd_le(const uint8_t *p, uint64_t at, uint32_t n)
{
    uint64_t v = 0;
    /*@ loop assigns i, v; loop variant i; */
    for (uint32_t i = n; i > 0u; i--) {
        v = (v << 8) | p[at + i - 1u];
    }
    return v;
}

#define ELF_PT_LOAD 1u

/* The load digest: SHA-256 over what a reload takes from the image and
   nothing else - the ELF header (entry point), the program header table and
   every PT_LOAD segment's file bytes, in table order.  The kernel ELF's
   debug sections and symbol tables (about 80 % of a 1.1 MB image) never
   reach the sandbox, so hashing them on every restart bought no safety.
   Returns 0, or -1 when the headers do not describe the image (the caller
   then falls back to the whole image; elf_load refuses such an image too). */
/*@ assigns \nothing; */
static int load_digest(uint64_t start, uint64_t size, uint8_t out[32])
{
    const uint8_t *img = (const uint8_t *)(uintptr_t)start;
    if (size < 64u) {
        return -1;
    }
    const uint64_t phoff = rd_le(img, 32u, 8);
    const uint64_t phentsize = rd_le(img, 54u, 2);
    const uint64_t phnum = rd_le(img, 56u, 2);
    if ((phentsize < 56u) || (phnum == 0u) || (phnum > 32u) || (phoff > size) || ((phentsize * phnum) > (size - phoff))) {
        return -1;
    }
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, img, 64);
    sha256_update(&ctx, &img[phoff], (size_t)(phentsize * phnum));
    /*@ loop assigns i, ctx; loop variant phnum - i; */
    for (uint64_t i = 0; i < phnum; i++) {
        const uint64_t ph = phoff + (i * phentsize);   /* program header i's offset */
        if (rd_le(img, ph, 4) != ELF_PT_LOAD) {
            continue;
        }
        const uint64_t off = rd_le(img, ph + 8u, 8);
        const uint64_t filesz = rd_le(img, ph + 32u, 8);
        if ((off > size) || (filesz > (size - off))) {
            return -1;
        }
        sha256_update(&ctx, &img[off], (size_t)filesz);
    }
    sha256_final(&ctx, out);
    return 0;
}

/* The digest a restart checks: the load digest, or the whole image's when
   the headers are unusable. */
/*@ assigns \nothing; */
static void digest_of(uint64_t start, uint64_t size, uint8_t out[32])
{
    if (load_digest(start, size, out) == 0) {
        return;
    }
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, (const void *)(uintptr_t)start, (size_t)size);
    sha256_final(&ctx, out);
}

/* Test only: the offset of a byte that a reload copies (the middle of the
   first PT_LOAD's file bytes), so a corruption there must be caught. */
/*@ assigns \nothing; */
static uint64_t loaded_byte(uint64_t start, uint64_t size)
{
    const uint8_t *img = (const uint8_t *)(uintptr_t)start;
    if (size < 64u) {
        return size / 2u;
    }
    const uint64_t phoff = rd_le(img, 32u, 8);
    const uint64_t phentsize = rd_le(img, 54u, 2);
    const uint64_t phnum = rd_le(img, 56u, 2);
    if ((phentsize < 56u) || (phnum == 0u) || (phnum > 32u) || (phoff > size) || ((phentsize * phnum) > (size - phoff))) {
        return size / 2u;
    }
    /*@ loop assigns i; loop variant phnum - i; */
    for (uint64_t i = 0; i < phnum; i++) {
        const uint64_t ph = phoff + (i * phentsize);   /* program header i's offset */
        const uint64_t off = rd_le(img, ph + 8u, 8);
        const uint64_t filesz = rd_le(img, ph + 32u, 8);
        if ((rd_le(img, ph, 4) == ELF_PT_LOAD) && (filesz > 0u) && (off <= size) && (filesz <= (size - off))) {
            return off + (filesz / 2u);
        }
    }
    return size / 2u;
}

/* Whether an accepted safe-mode exit may restart sandbox sb although its
   own policy never does: a description that lets safe mode be left
   (<safe-mode exit-by=>) revives the sandboxes the entry halted, those
   marked system-safe-mode="halt" and a cause whose table ends in safe_mode.
   Their image digest is taken at boot like a restartable sandbox's. */
/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \nothing; */
static int safe_exit_may_revive(uint32_t sb)
{
    if (sys->safe_exit_by == TRIAD_NONE) {
        return 0;
    }
    int may = 0;
    if (sys->sandboxes[sb].safe_mode_policy == (uint8_t)TRIAD_SAFE_MODE_HALT) {
        may = 1;
    }
    /*@ loop assigns k, may; loop variant TRIAD_FAULT_KIND_COUNT - k; */
    for (uint32_t k = 0u; k < (uint32_t)TRIAD_FAULT_KIND_COUNT; k++) {
        if (sys->sandboxes[sb].health_action[k] == (uint8_t)TRIAD_ACTION_SAFE_MODE) {
            may = 1;
        }
    }
    return may;
}

void restart_note_image(uint32_t sb, uint64_t start, uint64_t size)
{
    if (sb >= TRIAD_MAX_SANDBOXES)
        return;
    rr[sb].image = start;
    rr[sb].image_size = size;
    if ((health_can_restart(sys->sandboxes[sb].health_action) == 0) && (safe_exit_may_revive(sb) == 0)) {
        return;
    }
    /* Taken now, before any sandbox runs, from the bytes the measured
       launch has just checked against their golden digest (or, without a
       golden value, measured as they are): the value measured at boot, of
       exactly what a restart reloads (load_digest). */
    digest_of(start, size, rr[sb].digest);
    rr[sb].have_digest = 1;
    if (options.corrupt_pristine == sb && size > 0) {
        /* test only: the pristine copy no longer matches its boot digest
           (a byte that a reload would copy) */
        ((volatile uint8_t *)(uintptr_t)start)[loaded_byte(start, size)] ^= 0x01u;
        con_line("test: pristine image of sandbox ");
        con_dec(sb);
        con_puts(" corrupted after its boot digest\n");
    }
}

/*@ requires \valid(c);
    assigns \nothing; */
static void halt_sandbox_cores(struct core *c);

/*@ assigns \nothing; */
static uint64_t stop_others(const struct core *c, uint32_t mask);

/*@ assigns \nothing; */
static void phase(const char *name, uint64_t ticks);

/* Keeps a decision for the ground station (decision_log.h); the caller
   holds the console lock. */
/*@ assigns monitor_decisions; */
static void keep_decision(uint8_t sb, uint8_t kind, uint8_t event, struct health_decision d)
{
    const int known = sb < TRIAD_MAX_SANDBOXES && sb < sys->sandbox_count;
    struct triad_decision r = { .tsc = cpu_rdtsc(), .sandbox = sb, .kind = kind, .event = event,
                                .declared = d.declared, .applied = d.applied, .reason = d.reason,
                                .restarts = known ? rr[sb].restarts : 0u,
                                .limit = known ? sys->sandboxes[sb].restart_limit : 0u };
    /*@ loop assigns i, r.name[0 .. TRIAD_DECISION_NAME - 1]; loop variant TRIAD_DECISION_NAME - i; */
    for (uint32_t i = 0; (known != 0) && (i < (uint32_t)TRIAD_DECISION_NAME) && (sys->sandboxes[sb].name[i] != '\0'); i++) {
        r.name[i] = sys->sandboxes[sb].name[i];
    }
    decision_log_add(&monitor_decisions, &r);
}

/* Enters system safe mode for sandbox sb's decision d: one SAFE-MODE line
   with the virtual time, one decision record (it reaches the ground
   station as STATUSTEXT).  The caller holds the console lock. */
/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns safe_rt, monitor_decisions; */
static void system_safe_enter(uint8_t sb, uint8_t kind, struct health_decision d)
{
    safe_rt.cause = sb;
    safe_rt.tsc = cpu_rdtsc();
    safe_rt.on = 1;
    uint32_t halt_mask = 0;
    /*@ loop assigns k, halt_mask; loop variant TRIAD_MAX_SANDBOXES - k; */
    for (uint32_t k = 0; (k < sys->sandbox_count) && (k < TRIAD_MAX_SANDBOXES); k++) {
        if ((k != sb) && (sys->sandboxes[k].safe_mode_policy == (uint8_t)TRIAD_SAFE_MODE_HALT)) {
            halt_mask |= 1u << k;
        }
    }
    con_line("SAFE-MODE system t=");
    con_dec(safe_rt.tsc);
    con_puts(" cause=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(sys->sandboxes[sb].name);
    con_puts(" kind=");
    con_puts(fault_kind_name(kind));
    con_puts(" reason=");
    con_puts(health_reason_name(d.reason));
    safe_rt.halted = halt_mask | (1u << sb);
    con_puts(" restarts=off halt-mask=");
    con_dec(halt_mask);
    con_puts("\n");
    keep_decision(sb, kind, TRIAD_DECISION_SAFE_MODE, d);
}

/* Stops the sandboxes described system-safe-mode="halt" (other than c's,
   which its own decision halts): their running cores by NMI, parked, then
   halted (restart_nmi sees the sandbox failed).  A sandbox being restarted
   meanwhile is refused by restart_sandbox (no restart in safe mode). */
/*@ requires \valid(c);
    assigns \nothing; */
static void system_safe_halt_others(struct core *c)
{
    /*@ loop assigns k; loop variant TRIAD_MAX_SANDBOXES - k; */
    for (uint32_t k = 0; (k < sys->sandbox_count) && (k < TRIAD_MAX_SANDBOXES); k++) {
        if ((k == c->sandbox) || (sys->sandboxes[k].safe_mode_policy != (uint8_t)TRIAD_SAFE_MODE_HALT) ||
            (rr[k].phase == (uint8_t)PHASE_RESTARTING)) {
            continue;
        }
        const uint64_t t0 = cpu_rdtsc();
        const uint64_t parked = stop_others(c, sys->sandboxes[k].core_mask);
        const uint64_t t1 = cpu_rdtsc();
        rr[k].failed = 1;
        rr[k].relaunch_tsc = 0;
        rr[k].phase = PHASE_IDLE;
        (void)cpu_add32_seqcst(&rr[k].generation, 1u);   /* parked cores halt */
        con_lock();
        con_line("SAFE-MODE sandbox=");
        con_dec(k);
        con_puts(" name=");
        con_puts(sys->sandboxes[k].name);
        con_puts(" halted cores-stopped=");
        con_dec(parked);
        con_puts(" t=");
        con_dec(t1);
        phase("stop", t1 - t0);
        con_puts("\n");
        con_unlock();
    }
}

void restart_system_info(uint32_t *state, uint32_t *cause, uint64_t *tsc)
{
    if (safe_rt.on != 0u) {
        *state = (uint32_t)TRIAD_SYSTEM_SAFE_MODE;
        *cause = safe_rt.cause;
        *tsc = safe_rt.tsc;
    } else {
        *state = (uint32_t)TRIAD_SYSTEM_NORMAL;
        *cause = 0xFFu;
        *tsc = 0u;
    }
}

int restart_safe_state(uint64_t *tsc)
{
    *tsc = safe_rt.tsc;
    return (safe_rt.on != 0u) ? 1 : 0;
}

uint32_t restart_safe_leave(void)
{
    uint32_t revive = 0u;
    /*@ loop assigns k, revive, rr[0 .. TRIAD_MAX_SANDBOXES - 1]; loop variant TRIAD_MAX_SANDBOXES - k; */
    for (uint32_t k = 0u; (k < sys->sandbox_count) && (k < TRIAD_MAX_SANDBOXES); k++) {
        if ((safe_rt.halted & (1u << k)) != 0u) {
            rr[k].restarts = 0u;         /* the operator acknowledged the cause */
            rr[k].abort = 0u;            /* the escalation that halted it is over */
            rr[k].phase = PHASE_IDLE;
            revive |= 1u << k;
        }
    }
    safe_rt.on = 0u;
    safe_rt.cause = 0xFFu;
    safe_rt.tsc = 0u;
    safe_rt.halted = 0u;
    return revive;
}

int restart_revived(struct core *c)
{
    const uint8_t how = c->revive;
    c->revive = 0u;
    if (c->sandbox >= TRIAD_MAX_SANDBOXES) {
        return -1;
    }
    c->state = CORE_RUNNING;
    sandboxes[c->sandbox].state = CORE_RUNNING;
    con_lock();
    con_line("SAFE-MODE sandbox=");
    con_dec(c->sandbox);
    con_puts(" name=");
    con_puts(sys->sandboxes[c->sandbox].name);
    con_puts((how == (uint8_t)REVIVE_SECONDARY) ? " revived core=" : " revived, restarting cold on core=");
    con_dec(c->index);
    con_puts(" t=");
    con_dec(cpu_rdtsc());
    con_puts("\n");
    con_unlock();
    if (how == (uint8_t)REVIVE_SECONDARY) {
        /* the fresh sandbox starts this core itself (wait-for-SIPI, as at boot) */
        if (virt_reset(c, 1) != 0) {
            return -1;
        }
        c->sipi_wait = 1u;
        c->relaunched = RELAUNCH_DONE;
        return 0;
    }
    c->exit_tsc = cpu_rdtsc();           /* detect: from the revival, not the old fault */
    return restart_sandbox(c, 3);
}

/* The restart hypercall in system safe mode: refused, one HEALTH line and
   one decision record (reason system-safe-mode).  Returns 1 when refused. */
/*@ requires \valid_read(c) && sb < TRIAD_MAX_SANDBOXES;
    assigns monitor_decisions; */
static int safe_mode_refuses(const struct core *c, uint32_t sb, uint64_t target)
{
    if (safe_rt.on == 0u) {
        return 0;
    }
    con_lock();
    con_line("HEALTH t=");
    con_dec(cpu_rdtsc());
    con_puts(" core=");
    con_dec(c->index);
    con_puts(" sandbox=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(sys->sandboxes[sb].name);
    con_puts(" kind=restart-request target=");
    if (target == HEALTH_HC_SELF) {
        con_puts("self");
    } else {
        con_dec(target);
    }
    con_puts(" action=refused reason=system-safe-mode\n");
    const struct health_decision no = { .applied = HEALTH_LOG, .reason = HEALTH_R_SYSTEM_SAFE };
    keep_decision((uint8_t)sb, TRIAD_DECISION_KIND_REQUEST, TRIAD_DECISION_REFUSED, no);
    con_unlock();
    return 1;
}

struct health_decision restart_decide(uint32_t core, uint8_t sb, uint8_t kind)
{
    const int known = sb < TRIAD_MAX_SANDBOXES && sb < sys->sandbox_count;
    const struct triad_sandbox *s = known ? &sys->sandboxes[sb] : 0;
    /* Decided and claimed under the console lock: two cores of one sandbox
       faulting together cannot both start a restart.  Taken without the
       flush: a local driver recovery's line is queued, not printed. */
    con_lock_quiet();
    /* a local driver recovery under way counts as a recovery (monitor/driver_local.c) */
    uint8_t restarts_now = 0u;
    int in_recovery = 0;
    if (known != 0) {
        restarts_now = rr[sb].restarts;
        if ((rr[sb].phase != (uint8_t)PHASE_IDLE) || (driver_local_active(sb) != 0)) {
            in_recovery = 1;
        }
    }
    struct health_decision d = health_decide(s ? s->health_action : 0, kind, s ? s->restart_limit : 0,
                                             restarts_now, in_recovery);
    /* Local driver recovery goes to the kernel's upcall when it can take
       the fault (monitor/driver_local.c), counted like a restart; else a
       cold restart with the reason. */
    if (known && (d.applied == (uint8_t)HEALTH_DRIVER_LOCAL)) {
        const uint8_t why = driver_local_claim(sb, core);
        if (why != (uint8_t)HEALTH_R_POLICY) {
            d.applied = HEALTH_RESTART_COLD;
            d.reason = why;
        } else {
            rr[sb].restarts = d.restarts;
        }
    }
    if ((safe_rt.on != 0u) && (health_is_restart(d.applied) != 0)) {
        d.applied = HEALTH_HALT;         /* no restart anywhere in system safe mode */
        d.reason = HEALTH_R_SYSTEM_SAFE;
    }
    int enter_safe = 0;                  /* this decision puts the system in safe mode */
    if ((known != 0) && (d.applied == (uint8_t)HEALTH_SAFE_MODE) && (safe_rt.on == 0u)) {
        enter_safe = 1;
    }
    if (known && health_is_restart(d.applied) && (d.applied != (uint8_t)HEALTH_DRIVER_LOCAL)) {
        rr[sb].phase = PHASE_RESTARTING;
        rr[sb].restarter = (uint8_t)core;
        rr[sb].abort = 0;
    }
    if (known && d.reason == HEALTH_R_IN_RECOVERY)
        rr[sb].abort = 1;
    /* The HEALTH line holds the decision's time, built in memory and
       queued on a local driver recovery's path (the #VE goes in without
       waiting on the UART), else printed now after anything queued
       (console_text.h).  Anything else printed under this lock below
       (safe mode) comes after the flush. */
    int defer = 0;
    if (d.applied == (uint8_t)HEALTH_DRIVER_LOCAL) {
        defer = 1;
    }
    struct con_text line;
    ct_init(&line);
    ct_puts(&line, "HEALTH t=");
    ct_dec(&line, cpu_rdtsc());
    ct_puts(&line, " core=");
    ct_dec(&line, core);
    ct_puts(&line, " sandbox=");
    ct_dec(&line, sb);
    ct_puts(&line, " name=");
    ct_puts(&line, s ? s->name : "-");
    ct_puts(&line, " kind=");
    ct_puts(&line, fault_kind_name(kind));
    ct_puts(&line, " declared=");
    ct_puts(&line, health_action_name(d.declared));
    ct_puts(&line, " action=");
    ct_puts(&line, health_action_name(d.applied));
    ct_puts(&line, " restarts=");
    ct_dec(&line, health_is_restart(d.applied) ? d.restarts : (known ? rr[sb].restarts : 0u));
    ct_puts(&line, "/");
    ct_dec(&line, s ? s->restart_limit : 0u);
    ct_puts(&line, " reason=");
    ct_puts(&line, health_reason_name(d.reason));
    con_text_emit(core, &line, defer);
    keep_decision(sb, kind, TRIAD_DECISION_TAKEN, d);
    if (enter_safe != 0) {
        system_safe_enter(sb, kind, d);
    }
    con_unlock();
    /* The sandbox stops here (halt, safe mode): so do its other cores. */
    if (known && core < MAX_CORES && (d.applied == HEALTH_HALT || d.applied == HEALTH_SAFE_MODE))
        halt_sandbox_cores(&cores[core]);
    if ((enter_safe != 0) && (core < MAX_CORES)) {
        system_safe_halt_others(&cores[core]);
    }
    return d;
}

/* The core that restarts sandbox sb for its TMR voter (restart_request):
   the first of its cores that runs guest code, MAX_CORES when none does
   (halted, or every core still waiting for its SIPI). */
/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \nothing;
    ensures \result <= MAX_CORES; */
static uint32_t restarting_core(uint32_t sb)
{
    uint32_t found = MAX_CORES;
    /*@ loop assigns k, found; loop variant k; */
    for (uint32_t k = MAX_CORES; k > 0u; k--) {
        const uint32_t j = k - 1u;
        if (((sys->sandboxes[sb].core_mask & (1u << j)) != 0u) && ((uint32_t)cores[j].sandbox == sb) &&
            ((uint32_t)cores[j].state == (uint32_t)CORE_RUNNING) && (cores[j].sipi_wait == 0u)) {
            found = j;
        }
    }
    return found;
}

/* Hands an accepted voter's request to the target's core k: the request
   flag, then an NMI; the target's monitor takes it in restart_nmi.  An NMI
   that reaches k while it is in its monitor (not in the guest) is lost, so
   it is sent again (bounded) until k takes the request.  Returns 0 when k
   took it, -1 when it never did (the request is withdrawn). */
/*@ requires k < MAX_CORES;
    assigns cores[k].stop_request; */
static int hand_over_request(uint32_t k)
{
    int taken = 0;
    cores[k].stop_request = STOP_RESTART;
    /*@ loop assigns send, taken; loop variant REQUEST_SENDS - send; */
    for (uint32_t send = 0u; (send < REQUEST_SENDS) && (taken == 0); send++) {
        restart_send_nmi(k);
        uint32_t spins = 0u;
        /*@ loop assigns spins; loop variant REQUEST_SPINS - spins; */
        while ((cores[k].stop_request == STOP_RESTART) && (spins < REQUEST_SPINS)) {
            cpu_pause();
            spins++;
        }
        if (cores[k].stop_request != STOP_RESTART) {
            taken = 1;
        }
    }
    if (taken == 0) {
        /* k may take it at this very moment: only one of the two wins */
        const int withdrawn = cpu_cas8_seqcst(&cores[k].stop_request, (uint8_t)STOP_RESTART, 0u);
        if (withdrawn != 0) {
            taken = -1;
        }
    }
    return (taken < 0) ? -1 : 0;
}

int64_t restart_request(struct core *c, uint64_t target)
{
    const uint32_t sb = c->sandbox;
    if (sb >= TRIAD_MAX_SANDBOXES || sb >= sys->sandbox_count)
        return TRIAD_E_INVAL;
    const struct triad_sandbox *s = &sys->sandboxes[sb];
    if (safe_mode_refuses(c, sb, target) != 0) {
        return TRIAD_E_PERM;
    }
    /* The target's record decides (health_request_ok): the caller's own,
       or a member's of the TMR group the caller votes for (issue 8: a hung
       replica cannot ask for itself). */
    uint32_t tgt = TRIAD_MAX_SANDBOXES;           /* past the table: INVAL below */
    if (target == HEALTH_HC_SELF) {
        tgt = sb;
    } else if ((target < sys->sandbox_count) && (target < TRIAD_MAX_SANDBOXES)) {
        tgt = (uint32_t)target;
    } else {
        /* no such sandbox */
    }
    const uint8_t *actions = s->health_action;    /* replaced below; unused when tgt is unknown */
    uint8_t limit = 0u;
    uint8_t restarts = 0u;
    int supervised = 0;
    int remote = 0;
    uint32_t groups = sys->tmr_group_count;
    if (groups > TRIAD_MAX_TMR_GROUPS) {
        groups = TRIAD_MAX_TMR_GROUPS;
    }
    /* The roles of now (issue 9): failovers move them under this lock. */
    con_lock();
    int pair = FO_POLICY;
    if (tgt < TRIAD_MAX_SANDBOXES) {
        uint8_t voters[TRIAD_MAX_TMR_GROUPS] = { 0 };
        failover_voters_now(voters);
        actions = sys->sandboxes[tgt].health_action;
        limit = sys->sandboxes[tgt].restart_limit;
        restarts = rr[tgt].restarts;
        supervised = tmr_restart_allowed(sb, tgt, sys->tmr_groups, voters, groups);
        pair = failover_request(sb, tgt);
        if (tgt != sb) {
            remote = 1;
        }
    }
    int verdict;
    const char *why;
    if (pair == (int)FO_POLICY) {
        verdict = health_request_ok(sb, target, sys->sandbox_count, actions, limit, restarts, supervised);
        why = (verdict == (int)TRIAD_E_INVAL) ? "no-such-sandbox" : "not-permitted";
    } else if ((uint32_t)rr[tgt].phase != (uint32_t)PHASE_IDLE) {
        verdict = TRIAD_E_PERM;          /* a voter pair's member being recovered (a repeated request) */
        why = "in-recovery";
    } else if (pair == (int)FO_OK) {
        /* the hung voter's standby: the voter's own policy must allow a restart */
        verdict = health_request_ok(sb, target, sys->sandbox_count, actions, limit, restarts, 1);
        why = "not-permitted";
    } else {
        verdict = TRIAD_E_PERM;          /* not its standby, or not the voter of now */
        why = failover_result_name(pair);
    }
    if ((verdict == 0) && ((uint32_t)rr[tgt].phase != (uint32_t)PHASE_IDLE)) {
        verdict = TRIAD_E_PERM;          /* already being recovered: refused */
        why = "in-recovery";
    }
    uint32_t k = MAX_CORES;
    if ((verdict == 0) && (remote != 0)) {
        k = restarting_core(tgt);
        if (k >= MAX_CORES) {
            verdict = TRIAD_E_PERM;      /* no core of it runs: nothing to restart from */
            why = "not-running";
        }
    }
    if (verdict == 0) {
        why = (pair == (int)FO_OK) ? "voter-hung" : ((remote != 0) ? "tmr-voter" : "request");
        rr[tgt].phase = PHASE_RESTARTING;
        rr[tgt].restarter = (uint8_t)((remote != 0) ? k : c->index);
        rr[tgt].abort = 0;
    }
    con_line("HEALTH t=");
    con_dec(cpu_rdtsc());
    con_puts(" core=");
    con_dec(c->index);
    con_puts(" sandbox=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(s->name);
    con_puts(" kind=restart-request target=");
    if (target == HEALTH_HC_SELF)
        con_puts("self");
    else
        con_dec(target);
    con_puts((verdict != 0) ? " action=refused reason="
             : ((pair == (int)FO_OK) ? " action=failover reason=" : " action=restart-cold reason="));
    con_puts(why);
    if (remote != 0) {
        con_puts(" target-name=");
        con_puts(sys->sandboxes[tgt].name);
    }
    con_puts("\n");
    const struct health_decision asked = { .applied = (verdict == 0) ? HEALTH_RESTART_COLD : HEALTH_LOG };
    const uint32_t whose = (verdict == 0) ? tgt : sb;   /* an accepted request: the target's record */
    keep_decision((uint8_t)whose, TRIAD_DECISION_KIND_REQUEST,
                  (verdict == 0) ? TRIAD_DECISION_TAKEN : TRIAD_DECISION_REFUSED, asked);
    con_unlock();
    if (verdict != 0)
        return verdict;
    if (remote != 0) {
        /* The restart runs on the target's own core (its VMCS, its RAM
           scrubbed there): the voter's core goes back to voting at once.
           A hung voter's too: its core is stopped first (it takes the
           request in its monitor and writes nothing more), then its
           channels move to the caller - a voter that was only slow and
           wrote after a flip would fault on a read-only page. */
        if (hand_over_request(k) == 0) {
            if ((pair == (int)FO_OK) && (failover_move(c, tgt, 1) == 0)) {
                return TRIAD_E_PERM;     /* its line says why; the voter restarts and votes again */
            }
            return 0;
        }
        con_lock();
        if (((uint32_t)rr[tgt].phase == (uint32_t)PHASE_RESTARTING) && ((uint32_t)rr[tgt].restarter == k)) {
            rr[tgt].phase = PHASE_IDLE;
        }
        con_line("RECOVERY sandbox=");
        con_dec(tgt);
        con_puts(" name=");
        con_puts(sys->sandboxes[tgt].name);
        con_puts(" refused: its core did not take the voter's request\n");
        con_unlock();
        return TRIAD_E_BUSY;
    }
    if (restart_sandbox(c, 1) != 0)
        c->relaunched = RELAUNCH_HALT;   /* refused after its cores stopped: halted */
    return 0;                            /* not seen: the caller was relaunched */
}

/* NMI to core k through the monitor's LAPIC (x2APIC when the guest of this
   core switched it, else xAPIC MMIO). */
void restart_send_nmi(uint32_t k)
{
    if (cpu_rdmsr(0x1Bu) & (1u << 10)) {
        cpu_wrmsr(0x830u, ((uint64_t)k << 32) | (4u << 8));
    } else {
        mmio_write32(0xFEE00310u, k << 24);
        mmio_write32(0xFEE00300u, 4u << 8);
    }
}

/*@ assigns \nothing; */
static uint64_t stop_others(const struct core *c, uint32_t mask)
{
    uint64_t parked = 0;
    /*@ loop assigns k; loop variant MAX_CORES - k; */
    for (uint32_t k = 0; k < MAX_CORES; k++)
        if ((mask & (1u << k)) && k != c->index && cores[k].state == CORE_RUNNING) {
            /* A core still waiting for its SIPI runs no guest code and
               would not see the NMI (blocked in that state): nothing to stop. */
            if (cores[k].sipi_wait)
                continue;
            cores[k].stop_request = 1;
            restart_send_nmi(k);
        }
    /*@ loop assigns k, parked; loop variant MAX_CORES - k; */
    for (uint32_t k = 0; k < MAX_CORES; k++) {
        if (!(mask & (1u << k)) || k == c->index || cores[k].stop_request != 1)
            continue;
        uint32_t spins = 0;
        /*@ loop assigns spins; loop variant STOP_SPINS - spins; */
        while (cores[k].stop_request == 1 && cores[k].state == CORE_RUNNING && spins < STOP_SPINS) {
            cpu_pause();
            spins++;
            if ((spins % STOP_RESEND_SPINS) == 0u) {
                /* an NMI that found k in its monitor (not in its guest) was
                   lost: k parks only at an NMI exit, so send it again */
                restart_send_nmi(k);
            }
        }
        if (cores[k].stop_request == 2)
            parked++;                /* parked in its monitor (restart_nmi) */
        else if (cores[k].state != CORE_RUNNING)
            cores[k].stop_request = 0;   /* halted on its own fault meanwhile */
    }
    return parked;
}

/* Zeroes the restarted sandbox's region, words 64-bit words from p (its
   size is a multiple of 4 KiB: validate.c), before the image is reloaded:
   nothing of the failed run survives into the next one (REQ REC-RST-001).
   Plain stores, not volatile (WP models a volatile store as writing an
   unknown value, so the postcondition could not be proved): the compiler
   cannot drop them (the region is reached through a pointer made from an
   address, and reload and the VM entry follow), and were it to turn the
   loop into a call to memset the monitor would not link (it has none). */
/* Eight stores a round (one 64-byte line): the loop's own increment,
   compare and branch were 3 of its 4 instructions a word (16.8 M for 32 MiB
   in Bochs, which counts instructions), now 11 for eight words.  The tail
   loop takes what a size not a multiple of 64 bytes leaves (none: 4 KiB). */
/*@ requires \valid(p + (0 .. words - 1));
    assigns p[0 .. words - 1];
    ensures REQ_REC_RST_001: \forall integer k; 0 <= k < words ==> p[k] == 0; */
static void scrub(uint64_t *p, uint64_t words)
{
    const uint64_t lines = words / 8u;
    /*@ loop invariant 0 <= l <= lines;
        loop invariant SCRUBBED_LINES: \forall integer k; 0 <= k < 8 * l ==> p[k] == 0;
        loop assigns l, p[0 .. words - 1];
        loop variant lines - l; */
    for (uint64_t l = 0u; l < lines; l++) {
        uint64_t *q = &p[8u * l];
        q[0] = 0u; q[1] = 0u; q[2] = 0u; q[3] = 0u;
        q[4] = 0u; q[5] = 0u; q[6] = 0u; q[7] = 0u;
    }
    /*@ loop invariant 8 * lines <= i <= words;
        loop invariant SCRUBBED: \forall integer k; 0 <= k < i ==> p[k] == 0;
        loop assigns i, p[0 .. words - 1];
        loop variant words - i; */
    for (uint64_t i = 8u * lines; i < words; i++) {
        p[i] = 0u;
    }
}

/*@ assigns \nothing; */
static void phase(const char *name, uint64_t ticks)
{
    con_puts(" ");
    con_puts(name);
    con_puts("=");
    con_dec(ticks);
}

int restart_refusal(uint32_t sb, const char *device, const char *why)
{
    con_lock();
    con_line("RECOVERY sandbox=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(sys->sandboxes[sb].name);
    if (device != 0) {
        con_puts(" handover dev=");
        con_puts(device);
    }
    con_puts(" refused: ");
    con_puts(why);
    con_puts("\n");
    con_unlock();
    return -1;
}

/*@ assigns \nothing; */
static int refuse(uint32_t sb, const char *why)
{
    return restart_refusal(sb, 0, why);
}

/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \nothing; */
static int verify(uint32_t sb)
{
    if (!sandbox_image_verified(sb) || !rr[sb].have_digest || rr[sb].image == 0)
        return refuse(sb, "no verified boot digest of its image");
    uint8_t d[32];
    digest_of(rr[sb].image, rr[sb].image_size, d);
    uint8_t diff = 0;
    /*@ loop assigns j, diff; loop variant 32 - j; */
    for (uint32_t j = 0; j < 32; j++)
        diff |= d[j] ^ rr[sb].digest[j];
    if (diff)
        return refuse(sb, "pristine image differs from its boot digest");
    return 0;
}

/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \nothing; */
static int reload(uint32_t sb, uint32_t n)
{
    const struct triad_sandbox *s = &sys->sandboxes[sb];
    uint32_t entry = 0;
    uint8_t *ram = (uint8_t *)(uintptr_t)s->mem_base;
    if (elf_load((const uint8_t *)(uintptr_t)rr[sb].image, rr[sb].image_size, ram, s->mem_size,
                 TRIAD_BOOT_INFO_GPA, TRIAD_BOOT_INFO_GPA + TRIAD_BOOT_INFO_MAX, &entry,
                 1 /* scrubbed just before: the .bss is zero */) != ELF_OK ||
        entry != sandboxes[sb].entry)
        return refuse(sb, "image refused by the loader");
    if (bootinfo_build_restart(ram + TRIAD_BOOT_INFO_GPA, TRIAD_BOOT_INFO_MAX, sys, sb,
                               "Triad monitor " TRIAD_VERSION, n) <= 0)
        return refuse(sb, "boot information does not fit");
    return 0;
}

/* core.tlb_flushed after the backend's reset: on VMX bit 0 the
   second-level tables' cached mappings (INVEPT), bit 1 the guest's tagged
   linear mappings (INVVPID); on SVM both through TLB_CONTROL at the next
   VMRUN. */
/*@ assigns \nothing; */
static const char *flush_name(uint8_t flushed)
{
    if ((flushed & 3u) == 0)
        return "none";
    if (virt_backend == VIRT_SVM)
        return "tlb-control";
    switch (flushed & 3u) {
    case 3u: return "invept+invvpid";
    case 1u: return "invept";
    default: return "invvpid";
    }
}

int restart_sandbox(struct core *c, int request)
{
    const uint32_t sb = c->sandbox;
    if (sb >= TRIAD_MAX_SANDBOXES || sb >= sys->sandbox_count)
        return -1;
    const struct triad_sandbox *s = &sys->sandboxes[sb];
    rr[sb].restarts = rr[sb].restarts < 255u ? (uint8_t)(rr[sb].restarts + 1u) : 255u;
    const uint32_t n = rr[sb].restarts;   /* counted whether a fault or a request asked */
    rr[sb].phase = PHASE_RESTARTING;
    rr[sb].restarter = (uint8_t)c->index;
    const uint64_t t0 = c->exit_tsc, t1 = cpu_rdtsc();
    const uint64_t parked = stop_others(c, s->core_mask);
    const uint64_t t2 = cpu_rdtsc();
    /* Another core of the sandbox faulted while it was being stopped: its
       decision escalated (restart_decide), so the restart is abandoned. */
    int err = rr[sb].abort ? refuse(sb, "a second fault during recovery (escalated)") : verify(sb);
    if ((err == 0) && (safe_rt.on != 0u)) {
        /* the system entered safe mode while this restart was on its way */
        err = refuse(sb, "system safe mode (no restarts)");
    }
    const uint64_t t2v = cpu_rdtsc();
    if (err == 0)
        scrub((uint64_t *)(uintptr_t)s->mem_base, s->mem_size / 8u);
    const uint64_t t3 = cpu_rdtsc();
    if (err == 0)
        err = reload(sb, n);
    const uint64_t t4 = cpu_rdtsc();
    if (err == 0 && virt_reset(c, 0) != 0)
        err = refuse(sb, "VMCS rebuild or TLB flush failed");
    const uint64_t t5 = cpu_rdtsc();
    rr[sb].failed = err != 0;
    rr[sb].relaunch_tsc = err ? 0 : t5;
    rr[sb].phase = err ? PHASE_IDLE : PHASE_RELAUNCHED;
    (void)cpu_add32_seqcst(&rr[sb].generation, 1u);
    const struct health_decision how = { .declared = HEALTH_RESTART_COLD, .applied = HEALTH_RESTART_COLD };
    con_lock();
    keep_decision((uint8_t)sb, TRIAD_DECISION_KIND_NONE, err ? TRIAD_DECISION_REFUSED : TRIAD_DECISION_RESTARTED, how);
    con_unlock();
    if (err)
        return err;
    c->relaunched = RELAUNCH_DONE;
    con_lock();
    con_line("RECOVERY sandbox=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(s->name);
    con_puts(" restart=");
    con_dec(n);
    con_puts((request == 3) ? " cause=safe-mode-exit"
             : ((request == 2) ? " cause=tmr-voter" : ((request != 0) ? " cause=request" : " cause=fault")));
    con_puts(" t=");
    con_dec(t5);
    phase("detect", t1 - t0);
    phase("stop", t2 - t1);
    phase("verify", t2v - t2);
    phase("scrub", t3 - t2v);
    phase("reload", t4 - t3);
    phase("relaunch", t5 - t4);
    phase("total", t5 - t0);
    con_puts(" cores-stopped=");
    con_dec(parked);
    con_puts(" ram=");
    con_dec(s->mem_size);
    con_puts(" flush=");
    con_puts(flush_name(c->tlb_flushed));
    con_puts("\n");
    con_unlock();
    return 0;
}

static void halt_sandbox_cores(struct core *c)
{
    const uint32_t sb = c->sandbox;
    if (sb >= TRIAD_MAX_SANDBOXES || sb >= sys->sandbox_count)
        return;
    /* Another core is restarting the sandbox: it sees the abort flag (set
       with this core's escalation) and halts the rest itself. */
    if (rr[sb].phase == PHASE_RESTARTING && rr[sb].restarter != c->index)
        return;
    const uint64_t t0 = cpu_rdtsc();
    const uint64_t parked = stop_others(c, sys->sandboxes[sb].core_mask);
    const uint64_t t1 = cpu_rdtsc();
    rr[sb].failed = 1;
    rr[sb].relaunch_tsc = 0;
    rr[sb].phase = PHASE_IDLE;
    (void)cpu_add32_seqcst(&rr[sb].generation, 1u);   /* parked cores halt */
    if (parked == 0)
        return;
    con_lock();
    con_line("RECOVERY sandbox=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(sys->sandboxes[sb].name);
    con_puts(" halting: cores-stopped=");
    con_dec(parked);
    con_puts(" t=");
    con_dec(t1);
    phase("stop", t1 - t0);
    con_puts("\n");
    con_unlock();
}

int restart_nmi(struct core *c)
{
    if ((c->sandbox < TRIAD_MAX_SANDBOXES) && (cpu_cas8_seqcst(&c->stop_request, (uint8_t)STOP_RESTART, 0u) != 0)) {
        return (restart_sandbox(c, 2) == 0) ? 1 : -1;   /* its TMR voter asked (restart_request) */
    }
    if (c->stop_request != 1 || c->sandbox >= TRIAD_MAX_SANDBOXES)
        return 0;
    const uint32_t sb = c->sandbox;
    const uint32_t gen = rr[sb].generation;
    c->stop_request = 2;                   /* parked: the restarting core goes on */
    uint32_t spins = 0;
    /*@ loop assigns spins; loop variant PARK_SPINS - spins; */
    while (rr[sb].generation == gen && spins < PARK_SPINS) {
        cpu_pause();
        spins++;
    }
    c->stop_request = 0;
    if (rr[sb].generation == gen || rr[sb].failed)
        return -1;                         /* halted with its sandbox */
    /* the fresh sandbox starts this core itself (wait-for-SIPI, as at boot) */
    if (virt_reset(c, 1) != 0)
        return -1;
    c->sipi_wait = 1;
    c->relaunched = RELAUNCH_DONE;
    return 1;
}

void restart_note_hypercall(const struct core *c)
{
    const uint32_t sb = c->sandbox;
    if (sb >= TRIAD_MAX_SANDBOXES || rr[sb].relaunch_tsc == 0)
        return;
    const uint64_t now = cpu_rdtsc();
    rr[sb].phase = PHASE_IDLE;          /* the fresh kernel is back: recovery over */
    con_lock();
    con_line("RECOVERY sandbox=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(sys->sandboxes[sb].name);
    con_puts(" restart=");
    con_dec(rr[sb].restarts);
    con_puts(" t=");
    con_dec(now);
    phase("back", now - rr[sb].relaunch_tsc);
    con_puts(" (relaunch to the kernel's first hypercall)\n");
    con_unlock();
    rr[sb].relaunch_tsc = 0;
}

uint32_t restart_recovering(void)
{
    uint32_t mask = 0;
    /*@ loop assigns k, mask; loop variant TRIAD_MAX_SANDBOXES - k; */
    for (uint32_t k = 0; (k < sys->sandbox_count) && (k < TRIAD_MAX_SANDBOXES); k++) {
        if ((uint32_t)rr[k].phase != (uint32_t)PHASE_IDLE) {
            mask |= 1u << k;
        }
    }
    return mask;
}

uint8_t restart_count(uint32_t sb)
{
    return sb < TRIAD_MAX_SANDBOXES ? rr[sb].restarts : 0;
}
