/*
 * Hypercalls: one table, every argument checked against system.bin before
 * use.  A guest pointer is a guest-physical address in the caller's RAM;
 * the monitor reaches it at mem_base + gpa (sandbox RAM is below 4 GiB,
 * inside the monitor's identity map).
 */
#include "hypercall.h"
#include "abi/hypercall.h"
#include "abi/sandbox_boot.h"
#include "bootinfo.h"
#include "console.h"
#include "cpu.h"
#include "fault.h"
#include "monitor.h"
#include "attest/launch.h"
#include "virt.h"
#include "restart.h"
#include "ipi.h"
#include "handover.h"
#include "failover.h"
#include "decision_log.h"
#include "safe_exit.h"
#include "driver_local.h"

/* Copies n bytes to the caller's RAM (checked by the caller of this). */
/*@ assigns \nothing; */
static void copy_out(const struct triad_sandbox *s, uint64_t gpa, const void *src, uint64_t n)
{
    uint8_t *dst = (uint8_t *)(uintptr_t)(s->mem_base + gpa);
    const uint8_t *from = src;
    /*@ loop assigns i; loop variant n - i; */
    for (uint64_t i = 0; i < n; i++)
        dst[i] = from[i];
}

/*@ assigns \nothing; */
static int64_t hc_info(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    struct triad_hc_info info = {0};
    if (r->rsi < sizeof info)
        return TRIAD_E_INVAL;
    info.sandbox_id = c->sandbox;
    info.core = c->index;
    info.core_mask = s->core_mask;
    info.sandbox_count = sys->sandbox_count;
    info.mem_size = s->mem_size;
    /*@ loop assigns i, info.name[0 .. 31]; loop variant 31 - i; */
    for (uint32_t i = 0; i < 31 && s->name[i]; i++)
        info.name[i] = s->name[i];
    info.tsc_khz = tsc_khz;
    info.devices_held = handover_devices_held(c->sandbox);
    info.devices_awaited = handover_devices_awaited(c->sandbox);
    restart_system_info(&info.system_state, &info.safe_cause, &info.safe_tsc);
    info.shadow_channels = failover_shadow_channels(c->sandbox);
    copy_out(s, r->rdi, &info, sizeof info);
    return sizeof info;
}

/*@ assigns \nothing; */
static int64_t hc_counters(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    struct triad_hc_exit_counters out;
    uint64_t core = r->rdi == TRIAD_HC_SELF ? c->index : r->rdi;
    if (core >= MAX_CORES || cores[core].state == CORE_OFF || r->rdx < sizeof out)
        return TRIAD_E_INVAL;
    counters_read(&cores[core], &out);
    copy_out(s, r->rsi, &out, sizeof out);
    return sizeof out;
}

/*@ assigns \nothing; */
static int64_t hc_fault_log(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)c;
    struct triad_fault_record recs[8];
    uint64_t want = r->rdx / sizeof recs[0], done = 0;
    /*@ loop assigns done, recs[0 .. 7]; loop variant want - done; */
    while (done < want) {
        uint32_t chunk = want - done > 8 ? 8u : (uint32_t)(want - done);
        uint32_t got = fault_log_copy(r->rdi + done, recs, chunk);
        copy_out(s, r->rsi + done * sizeof recs[0], recs, got * sizeof recs[0]);
        done += got;
        if (got < chunk)
            break;
    }
    return (int64_t)done;
}

/*@ assigns \nothing; */
static int64_t hc_channel_open(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    if (r->rdx < sizeof(struct triad_boot_channel))
        return TRIAD_E_INVAL;
    /*@ loop assigns i; loop variant TRIAD_MAX_CHANNELS - i; */
    for (uint32_t i = 0; i < sys->channel_count && i < TRIAD_MAX_CHANNELS; i++) {
        if (sys->channels[i].key != (uint32_t)r->rdi || r->rdi > 0xFFFFFFFFu)
            continue;
        struct triad_boot_channel d;
        if (bootinfo_channel(sys, i, c->sandbox, &d) != 0)
            return TRIAD_E_PERM;
        copy_out(s, r->rsi, &d, sizeof d);
        return 0;
    }
    return TRIAD_E_NOENT;
}

/*@ requires \valid_read(c) && fault_sys_names;
    assigns fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
static int64_t hc_report(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)s;
    fault_raise(c, TRIAD_FAULT_REPORTED, r->rsi, virt_guest_rip(c), r->rdi);
    return 0;
}

/*@ assigns \nothing; */
static int64_t hc_restart(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    /* Policy (recovery/health.c, docs/recovery.md): only the caller itself,
       only when its policy declares a restart, only below its limit, not
       while it is being recovered. */
    (void)s;
    return restart_request(c, r->rdi);
}

/*@ assigns \nothing; */
static int64_t hc_print(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)c, (void)s, (void)r;
    counters_print("requested by a sandbox");
    return 0;
}

/* The measured-launch event log, for the sandbox that serves the evidence
   (policy and span: guest_buffer.c; the buffer was checked by the caller). */
/*@ assigns \nothing; */
static int64_t hc_event_log(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)c;
    if (!hc_event_log_allowed(s))
        return TRIAD_E_PERM;
    uint32_t len = 0;
    const uint8_t *log = attest_event_log(&len);
    const int64_t n = hc_event_log_span(r->rdi, r->rdx, len);
    if (n > 0 && r->rdx != 0)
        copy_out(s, r->rsi, log + r->rdi, (uint64_t)n);
    return n;
}

/* A quote with the verifier's nonce, for the sandbox that serves the
   evidence (the buffer was checked by the caller; the request is copied in
   before it is read, so the sandbox cannot change it under the TPM). */
/*@ assigns \nothing; */
static int64_t hc_quote(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)c;
    if (!hc_event_log_allowed(s)) {
        return TRIAD_E_PERM;
    }
    if (r->rdx == 0u) {         /* no buffer: can a quote be made at all? */
        return attest_quote_ready();
    }
    struct triad_hc_quote *q = (struct triad_hc_quote *)(uintptr_t)(s->mem_base + r->rsi);
    if (r->rdx < sizeof *q) {
        return TRIAD_E_INVAL;
    }
    uint8_t nonce[TRIAD_QUOTE_NONCE_MAX];
    const uint32_t nonce_len = q->nonce_len;
    const int64_t bad = hc_quote_check(r->rdi, r->rdx, nonce_len);
    if (bad != 0) {
        return bad;
    }
    /*@ loop assigns i, nonce[0 .. TRIAD_QUOTE_NONCE_MAX - 1]; loop variant nonce_len - i; */
    for (uint32_t i = 0; i < nonce_len; i++) {
        nonce[i] = q->nonce[i];
    }
    return attest_quote((uint32_t)r->rdi, nonce, nonce_len, q);
}

/* Starts another core of the caller's own sandbox at a start-up vector
   (the SIPI a kernel sends, asked of the monitor: virt.h).  A core outside
   the partition is an ipi-violation of the caller, recorded like a refused
   ICR write (gpa = the core, qual = the start-up IPI in x2APIC ICR form). */
/*@ requires \valid_read(c) && \valid_read(s) && fault_sys_names;
    assigns fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
static int64_t hc_start_core(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    const int verdict = ipi_start_check(r->rdi, r->rsi, c->index, s->core_mask);
    if (verdict == (int)IPI_FOREIGN) {
        (void)fault_raise(c, TRIAD_FAULT_IPI_VIOLATION, r->rdi, virt_guest_rip(c),
                    ((r->rdi & 0xFFFFFFFFull) << 32) | 0x600u | (r->rsi & 0xFFu));
        return TRIAD_E_PERM;
    }
    if (verdict != (int)IPI_OK) {
        return TRIAD_E_INVAL;
    }
    return virt_start_core((uint32_t)r->rdi, (uint8_t)r->rsi);
}

/* The monitor's recovery decisions, for the sandbox that talks to the
   ground (the event log's policy: a sandbox with a device).  Read under the
   console lock, under which the decisions are written. */
/*@ assigns \nothing; */
static int64_t hc_decision_log(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)c;
    if (!hc_event_log_allowed(s)) {
        return TRIAD_E_PERM;
    }
    struct triad_decision recs[4];
    const uint64_t fit = r->rdx / sizeof recs[0];
    if (fit == 0u) {
        return TRIAD_E_INVAL;
    }
    con_lock_quiet();            /* reads only: no flush of queued lines here */
    const int64_t n = decision_log_read(&monitor_decisions, r->rdi, recs, (fit < 4u) ? (uint32_t)fit : 4u);
    con_unlock();
    if (n > 0) {
        copy_out(s, r->rsi, recs, (uint64_t)n * sizeof recs[0]);
    }
    return n;
}

/* Leaving system safe mode: the operator's request, checked and applied
   by safe_exit.c (RDI = acknowledged entry time, RSI = vehicle word). */
/*@ requires \valid(c) && fault_sys_names;
    assigns fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
static int64_t hc_safe_exit(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)s;
    return safe_exit_request(c, r->rdi, r->rsi);
}

/*@ requires \valid(c) && \valid_read(r);
    assigns \nothing; */
static int64_t hc_driver_recovery(struct core *c, const struct triad_sandbox *s, const struct guest_regs *r)
{
    (void)s;
    return driver_local_hypercall(c, r->rdi, r->rsi, r->rdx);
}

/* Per call: whether the number is a hypercall, and which argument pair
   (pointer, size) must lie inside the caller's RAM; arg index 0 means no
   buffer.  The handler is chosen by run_handler's switch, not through a
   function pointer: WP cannot check an indirect call (\valid_function). */
static const struct { uint8_t known, ptr_arg, size_arg; } table[TRIAD_HC_COUNT] = {
    [TRIAD_HC_SANDBOX_INFO]   = { 1, 1, 2 },
    [TRIAD_HC_EXIT_COUNTERS]  = { 1, 2, 3 },
    [TRIAD_HC_FAULT_LOG]      = { 1, 2, 3 },
    [TRIAD_HC_CHANNEL_OPEN]   = { 1, 2, 3 },
    [TRIAD_HC_REPORT_FAULT]   = { 1, 0, 0 },
    [TRIAD_HC_RESTART]        = { 1, 0, 0 },
    [TRIAD_HC_PRINT_COUNTERS] = { 1, 0, 0 },
    [TRIAD_HC_EVENT_LOG]      = { 1, 2, 3 },
    [TRIAD_HC_QUOTE]          = { 1, 2, 3 },
    [TRIAD_HC_START_CORE]     = { 1, 0, 0 },
    [TRIAD_HC_DECISION_LOG]   = { 1, 2, 3 },
    [TRIAD_HC_SAFE_MODE_EXIT] = { 1, 0, 0 },
    [TRIAD_HC_DRIVER_RECOVERY] = { 1, 0, 0 },
};

/* The handler of hypercall nr (one the table knows). */
/*@ requires \valid(c) && \valid_read(s) && \valid_read(r) && fault_sys_names;
    assigns fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out; */
static int64_t run_handler(uint64_t nr, struct core *c, const struct triad_sandbox *s,
                           const struct guest_regs *r)
{
    switch (nr) {
    case TRIAD_HC_SANDBOX_INFO:   return hc_info(c, s, r);
    case TRIAD_HC_EXIT_COUNTERS:  return hc_counters(c, s, r);
    case TRIAD_HC_FAULT_LOG:      return hc_fault_log(c, s, r);
    case TRIAD_HC_CHANNEL_OPEN:   return hc_channel_open(c, s, r);
    case TRIAD_HC_REPORT_FAULT:   return hc_report(c, s, r);
    case TRIAD_HC_RESTART:        return hc_restart(c, s, r);
    case TRIAD_HC_PRINT_COUNTERS: return hc_print(c, s, r);
    case TRIAD_HC_EVENT_LOG:      return hc_event_log(c, s, r);
    case TRIAD_HC_QUOTE:          return hc_quote(c, s, r);
    case TRIAD_HC_START_CORE:     return hc_start_core(c, s, r);
    case TRIAD_HC_DECISION_LOG:   return hc_decision_log(c, s, r);
    case TRIAD_HC_SAFE_MODE_EXIT: return hc_safe_exit(c, s, r);
    case TRIAD_HC_DRIVER_RECOVERY: return hc_driver_recovery(c, s, r);
    default:                      return TRIAD_E_NOSYS;
    }
}

/*@ logic integer hc_arg{L}(struct guest_regs *r, integer i) =
        i == 1 ? r->rdi : i == 2 ? r->rsi : i == 3 ? r->rdx : r->rcx; */
/*@ requires \valid_read(r);
    assigns \nothing;
    ensures \result == hc_arg(r, i); */
static uint64_t arg(const struct guest_regs *r, uint32_t i)
{
    return i == 1 ? r->rdi : i == 2 ? r->rsi : i == 3 ? r->rdx : r->rcx;
}

/* The dispatcher's policy, stated on the table itself (REQ MON-HC-002): a
   number outside the table, or one without a handler, is refused with
   NOSYS; a call whose buffer does not lie wholly inside the caller's RAM is
   refused with FAULT; in both cases no handler runs (each handler applies
   its own policy: PERM, INVAL, ...). */
/*@ requires \valid(c) && \valid_read(r);
    requires \valid_read(sys) && c->sandbox < TRIAD_MAX_SANDBOXES;
    requires fault_sys_names;
    assigns fault_log[0 .. TRIAD_FAULT_LOG_LEN - 1], fault_next, fault_lock_word, con_lock_word, con_rings[0 .. MAX_CORES - 1], con_out;
    behavior unknown_number:
      assumes r->rax >= TRIAD_HC_COUNT || table[r->rax].known == 0;
      ensures REQ_MON_HC_002: \result == TRIAD_E_NOSYS;
    behavior buffer_outside:
      assumes r->rax < TRIAD_HC_COUNT && table[r->rax].known != 0;
      assumes table[r->rax].ptr_arg != 0;
      assumes !(hc_arg(r, table[r->rax].size_arg) <= sys->sandboxes[c->sandbox].mem_size &&
                hc_arg(r, table[r->rax].ptr_arg) <=
                  sys->sandboxes[c->sandbox].mem_size - hc_arg(r, table[r->rax].size_arg));
      ensures REQ_MON_HC_002: \result == TRIAD_E_FAULT;
    behavior admitted:
      assumes r->rax < TRIAD_HC_COUNT && table[r->rax].known != 0;
      assumes table[r->rax].ptr_arg == 0 ||
              (hc_arg(r, table[r->rax].size_arg) <= sys->sandboxes[c->sandbox].mem_size &&
               hc_arg(r, table[r->rax].ptr_arg) <=
                 sys->sandboxes[c->sandbox].mem_size - hc_arg(r, table[r->rax].size_arg));
    complete behaviors;
    disjoint behaviors; */
int64_t hypercall_dispatch(struct core *c, const struct guest_regs *r)
{
    const struct triad_sandbox *s = &sys->sandboxes[c->sandbox];
    if (r->rax >= TRIAD_HC_COUNT || table[r->rax].known == 0u) {
        fault_raise(c, TRIAD_FAULT_BAD_HYPERCALL, r->rax, virt_guest_rip(c), TRIAD_E_NOSYS);
        return TRIAD_E_NOSYS;
    }
    const uint32_t p = table[r->rax].ptr_arg, n = table[r->rax].size_arg;
    if (p != 0 && !hc_buffer_ok(arg(r, p), arg(r, n), s->mem_size)) {
        fault_raise(c, TRIAD_FAULT_BAD_HYPERCALL, arg(r, p), virt_guest_rip(c), TRIAD_E_FAULT);
        return TRIAD_E_FAULT;
    }
    return run_handler(r->rax, c, s, r);
}
