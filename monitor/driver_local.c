/* Local driver recovery applied by the monitor (see driver_local.h). */
#include "driver_local.h"
#include "console.h"
#include "console_text.h"
#include "cpu.h"
#include "monitor.h"
#include "virt.h"
#include "abi/hypercall.h"
#include "recovery/health.h"

/* Per sandbox: the kernel's registration and the recovery under way.
   Written on the sandbox's own cores (hypercall, fault exit) and read in
   the decision, all under the console lock. */
struct driver_upcall {
    uint64_t start;           /* the driver's code, [start, end) guest RIPs */
    uint64_t end;
    uint64_t exit_tsc;        /* the fault exit of the recovery under way */
    uint64_t gpa;             /* its guest-physical address */
    uint64_t rip;             /* and its faulting instruction */
    uint32_t recoveries;      /* handed to the kernel so far */
    uint8_t registered;
    uint8_t active;
};

static struct driver_upcall upcalls[TRIAD_MAX_SANDBOXES];

int driver_local_active(uint32_t sb)
{
    return (sb < TRIAD_MAX_SANDBOXES) && (upcalls[sb].active != 0u) ? 1 : 0;
}

uint8_t driver_local_claim(uint32_t sb, uint32_t core)
{
    if ((sb >= TRIAD_MAX_SANDBOXES) || (core >= MAX_CORES)) {
        return HEALTH_R_NO_UPCALL;
    }
    struct driver_upcall *u = &upcalls[sb];
    const uint8_t why = health_driver_local_check(u->registered, u->start, u->end, virt_guest_rip(&cores[core]),
                                                  virt_event_pending(&cores[core]));
    if (why == (uint8_t)HEALTH_R_POLICY) {
        u->active = 1u;
        u->exit_tsc = cores[core].exit_tsc;
    }
    return why;
}

/*@ assigns \nothing; */
static void line_head(uint32_t sb)
{
    con_line("RECOVERY sandbox=");
    con_dec(sb);
    con_puts(" name=");
    con_puts(sys->sandboxes[sb].name);
}

void driver_local_apply(struct core *c, uint64_t gpa, uint64_t rip)
{
    const uint32_t sb = c->sandbox;
    if (sb >= TRIAD_MAX_SANDBOXES) {
        return;
    }
    con_lock_quiet();            /* prints nothing: no flush on the recovery's path */
    struct driver_upcall *u = &upcalls[sb];
    u->gpa = gpa;
    u->rip = rip;
    if (u->recoveries != UINT32_MAX) {
        u->recoveries++;
    }
    con_unlock();
    /* Not resumed past: the guest takes the vector where the faulting
       instruction was, and its handler never returns there.  No console
       line here: at 115200 baud a line costs about 13 ms of virtual time
       on the recovery's path (the HEALTH and FAULT lines said what was
       decided; the done line says the rest). */
    virt_inject_exception(c, (uint8_t)TRIAD_DRV_VECTOR);
}

/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \nothing; */
static int declares_local(uint32_t sb)
{
    int found = 0;
    /*@ loop assigns k, found; loop variant HEALTH_KINDS - k; */
    for (uint32_t k = 0u; k < HEALTH_KINDS; k++) {
        if (sys->sandboxes[sb].health_action[k] == (uint8_t)HEALTH_DRIVER_LOCAL) {
            found = 1;
        }
    }
    return found;
}

/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns \nothing; */
static int64_t register_upcall(uint32_t sb, uint64_t op, uint64_t start, uint64_t end)
{
    if (((op >> 8) != (uint64_t)TRIAD_DRV_VECTOR) || (start >= end)) {
        return TRIAD_E_INVAL;
    }
    if (declares_local(sb) == 0) {
        return TRIAD_E_PERM;
    }
    upcalls[sb].start = start;
    upcalls[sb].end = end;
    upcalls[sb].registered = 1u;
    upcalls[sb].active = 0u;     /* a fresh kernel registers: nothing under way */
    con_defer_flush();           /* printed now: after any line still queued */
    line_head(sb);
    con_puts(" driver-local upcall registered vector=");
    con_dec(TRIAD_DRV_VECTOR);
    con_puts(" code=");
    con_hex(start, 16);
    con_puts("-");
    con_hex(end, 16);
    con_puts("\n");
    return 0;
}

/*@ requires sb < TRIAD_MAX_SANDBOXES;
    assigns upcalls[sb].active, con_rings[0 .. MAX_CORES - 1], con_out; */
static int64_t recovery_done(uint32_t sb, uint32_t core)
{
    struct driver_upcall *u = &upcalls[sb];
    if (u->active == 0u) {
        return TRIAD_E_INVAL;
    }
    u->active = 0u;
    const uint64_t now = cpu_rdtsc();
    uint64_t ticks = 0u;
    if (now > u->exit_tsc) {
        ticks = now - u->exit_tsc;
    }
    /* Queued like the recovery's FAULT and HEALTH lines (console_text.h):
       done's time is in it, and the kernel goes on without waiting on the
       UART (the lines come out at its next exits). */
    struct con_text line;
    ct_init(&line);
    ct_puts(&line, "RECOVERY sandbox=");
    ct_dec(&line, sb);
    ct_puts(&line, " name=");
    ct_puts(&line, sys->sandboxes[sb].name);
    ct_puts(&line, " driver-local n=");
    ct_dec(&line, u->recoveries);
    ct_puts(&line, " upcall vector=");
    ct_dec(&line, TRIAD_DRV_VECTOR);
    ct_puts(&line, " gpa=");
    ct_hex(&line, u->gpa, 16);
    ct_puts(&line, " rip=");
    ct_hex(&line, u->rip, 16);
    ct_puts(&line, " no restart, done t=");
    ct_dec(&line, now);
    ct_puts(&line, " exit-to-done=");
    ct_dec(&line, ticks);
    ct_puts(&line, " total_us=");
    uint64_t us = 0u;
    if (tsc_khz != 0u) {
        us = ((ticks / tsc_khz) * 1000u) + (((ticks % tsc_khz) * 1000u) / tsc_khz);
    }
    ct_dec(&line, us);
    con_text_emit(core, &line, 1);
    /* the address is a guest-physical one below 2^52: a non-negative result */
    const uint64_t gpa = u->gpa & 0x000FFFFFFFFFFFFFULL;
    return (int64_t)gpa;
}

int64_t driver_local_hypercall(const struct core *c, uint64_t op, uint64_t a, uint64_t b)
{
    const uint32_t sb = c->sandbox;
    if ((sb >= TRIAD_MAX_SANDBOXES) || (sb >= sys->sandbox_count)) {
        return TRIAD_E_INVAL;
    }
    int64_t r = TRIAD_E_INVAL;
    con_lock_quiet();            /* register flushes before it prints; done queues */
    if ((op & 0xFFu) == (uint64_t)TRIAD_DRV_REGISTER) {
        r = register_upcall(sb, op, a, b);
    } else if (op == (uint64_t)TRIAD_DRV_DONE) {
        r = recovery_done(sb, c->index);
    } else {
        r = TRIAD_E_INVAL;
    }
    con_unlock();
    return r;
}
