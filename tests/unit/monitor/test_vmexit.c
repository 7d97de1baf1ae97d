/* monitor/vmexit.c on the host: the exit dispatcher with everything it
 * calls simulated here (cpu.h's wrappers are declarations only under
 * __FRAMAC__).  What is checked, per event: which fault kind reaches the
 * fault path and which health action is then applied, that a `log' action
 * never resumes an EPT violation / nested page fault or a triple fault
 * (it halts), that unknown events become unexpected-exit records, that a
 * serviced exit advances the RIP, and that the dispatcher writes nothing
 * of another core.  A halt ends in timekeeper_idle, which jumps back here.
 * REQ: MON-HC-002, MON-EXIT-002, MON-EXIT-003 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "vmexit.h"
#include "cpu.h"
#include "monitor.h"
#include "hypercall.h"
#include "restart.h"
#include "partition/system_table.h"

/* ---- the simulated rest of the monitor ---- */
const struct triad_table_body *sys;
struct sandbox_rt sandboxes[TRIAD_MAX_SANDBOXES];
struct xapic_core xapic_cores[MAX_CORES];
static struct core cores_sim[2];
static struct triad_table_body table;

static jmp_buf halted;          /* timekeeper_idle: the sandbox was halted */
static int raised, raised_kind, restarts, rip_sets, idles, applied_remote, applied_local;
static uint64_t local_gpa;
static uint64_t rip_set_to;
static uint8_t action_for_fault;     /* what fault_raise answers */
static int restart_result;           /* what restart_sandbox answers */

uint8_t fault_raise(struct core *c, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual)
{
    (void)c, (void)gpa, (void)rip, (void)qual;
    raised++;
    raised_kind = kind;
    return action_for_fault;
}
void timekeeper_idle(struct core *c)
{
    (void)c;
    idles++;
    longjmp(halted, 1);
}
void timekeeper_exit(struct core *c) { (void)c; }
int restart_sandbox(struct core *c, int request)
{
    (void)request;
    restarts++;
    if (restart_result == 0)
        c->relaunched = RELAUNCH_DONE;
    return restart_result;
}
int restart_nmi(struct core *c) { (void)c; return 0; }
int restart_revived(struct core *c) { (void)c; return 1; }
void restart_note_hypercall(const struct core *c) { (void)c; }
int health_is_restart(uint8_t a)
{
    return a == TRIAD_ACTION_RESTART_WARM || a == TRIAD_ACTION_RESTART_COLD ||
           a == TRIAD_ACTION_FAILOVER || a == TRIAD_ACTION_RECOVER_DRIVER_LOCAL ||
           a == TRIAD_ACTION_RECOVER_DRIVER_REMOTE;
}
int handover_apply(struct core *c) { (void)c; applied_remote++; return 0; }
int handover_exit(struct core *c) { (void)c; return 0; }
int failover_apply(struct core *c) { (void)c; return 0; }
void driver_local_apply(struct core *c, uint64_t gpa, uint64_t rip)
{
    (void)c, (void)rip;
    applied_local++;
    local_gpa = gpa;
}
int64_t hypercall_dispatch(struct core *c, const struct guest_regs *regs)
{
    (void)c;
    return regs->rax == 0 ? -38 : 7;   /* a refusal (negative) or a value */
}
int legacy_io(struct core *c, struct guest_regs *regs, uint64_t q)
{
    (void)c, (void)regs;
    return VIO_PORT(q) == 0x40u;       /* the virtual PIT */
}
int pci_filter_io(uint32_t core, const struct triad_sandbox *s, const struct triad_platform *p,
                  struct guest_regs *regs, uint64_t q)
{
    (void)core, (void)s, (void)p, (void)regs, (void)q;
    return 0;
}
int xapic_trap_access(struct core *c, struct guest_regs *regs, const struct virt_exit *e)
{
    (void)c, (void)regs;
    return e->gpa == 0xFEE00300u;      /* a contained sandbox's ICR write */
}
int ipi_send_allowed(struct core *c, uint64_t icr) { (void)c, (void)icr; return 1; }
int apic_base_allowed(uint64_t v, uint64_t cur, int x2) { (void)v, (void)cur, (void)x2; return 0; }
uint64_t virt_guest_rip(const struct core *c) { (void)c; return 0x1000; }
void virt_set_rip(struct core *c, uint64_t rip) { (void)c; rip_sets++; rip_set_to = rip; }
void virt_start_at_sipi(struct core *c, uint8_t vector) { (void)c, (void)vector; }
int cpu_has_x2apic(void) { return 1; }
uint64_t cpu_rdtsc(void) { return 42; }
uint64_t cpu_rdmsr(uint32_t msr) { (void)msr; return 0; }
void cpu_wrmsr(uint32_t msr, uint64_t v) { (void)msr, (void)v; }
void cpu_xsetbv(uint32_t xcr, uint64_t v) { (void)xcr, (void)v; }
void cpu_cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *out)
{
    (void)sub;
    *out = (struct cpuid_regs){ .eax = leaf, .ebx = 1, .ecx = 0xFFFFFFFFu, .edx = 3 };
}
/* The deferred console lines (console_defer.h): what the drain answers,
   and the clock deadline the dispatcher then sets. */
static int drain_more;
static uint64_t deadline_set;
struct con_ring con_rings[MAX_CORES];
int con_defer_drain(uint32_t core) { (void)core; return drain_more; }
uint64_t ms_to_tsc(uint32_t ms) { return (uint64_t)ms * 1000u; }
void virt_set_deadline(struct core *c, uint64_t deadline, uint64_t now)
{
    (void)c, (void)now;
    deadline_set = deadline;
}
void con_lock(void) {}
void con_unlock(void) {}
void con_line(const char *s) { (void)s; }
void con_puts(const char *s) { (void)s; }
void con_dec(uint64_t v) { (void)v; }

/* ---- the harness ---- */
static int setup(void **state)
{
    (void)state;
    memset(cores_sim, 0, sizeof cores_sim);
    memset(sandboxes, 0, sizeof sandboxes);
    memset(&table, 0, sizeof table);
    table.sandbox_count = 2;
    sys = &table;
    for (uint32_t i = 0; i < 2; i++) {
        cores_sim[i].index = i;
        cores_sim[i].sandbox = (uint8_t)i;
        cores_sim[i].state = CORE_RUNNING;
    }
    raised = raised_kind = restarts = rip_sets = idles = applied_remote = applied_local = 0;
    local_gpa = 0;
    rip_set_to = 0;
    action_for_fault = TRIAD_ACTION_LOG;
    restart_result = 0;
    drain_more = 0;
    deadline_set = 0;
    return 0;
}

/* Dispatches e on core 1; 1 when the sandbox was halted (never returned). */
static int dispatch(uint32_t event, uint64_t gpa)
{
    struct virt_exit e = { .event = event, .counter = TRIAD_EXIT_OTHER, .gpa = gpa,
                           .qual = 5, .io = 0, .next_rip = 0x2002 };
    if (setjmp(halted) != 0)
        return 1;
    vmexit_dispatch(&cores_sim[1], &cores_sim[1].regs, &e);
    return 0;
}

/* An EPT violation / nested page fault with a `log' action halts: the
   access was not done and there is nothing to skip (defence in depth
   behind sysgen's log-not-resumable). */
static void npf_log_halts(void **state)
{
    (void)state;
    assert_int_equal(dispatch(VE_NPF, 0x7000000), 1);
    assert_int_equal(raised, 1);
    assert_int_equal(raised_kind, TRIAD_FAULT_EPT_VIOLATION);
    assert_int_equal(rip_sets, 0);                  /* never resumed past it */
    assert_int_equal(cores_sim[1].state, CORE_HALTED);
    assert_int_equal(sandboxes[1].state, CORE_HALTED);
}

/* Local driver recovery (claimed in the decision): the fault goes to the
   kernel's upcall with its address; no restart, no halt, not resumed past. */
static void npf_driver_local_upcall(void **state)
{
    (void)state;
    action_for_fault = TRIAD_ACTION_RECOVER_DRIVER_LOCAL;
    assert_int_equal(dispatch(VE_NPF, 0x3FF00000u), 0);
    assert_int_equal(applied_local, 1);
    assert_true(local_gpa == 0x3FF00000u);
    assert_int_equal(restarts, 0);
    assert_int_equal(rip_sets, 0);
    assert_int_equal(cores_sim[1].state, CORE_RUNNING);
}

/* The same exit with a restart action restarts, with halt halts. */
static void npf_other_actions_kept(void **state)
{
    (void)state;
    action_for_fault = TRIAD_ACTION_RESTART_COLD;
    assert_int_equal(dispatch(VE_NPF, 0x7000000), 0);
    assert_int_equal(restarts, 1);
    assert_int_equal(rip_sets, 0);
    action_for_fault = TRIAD_ACTION_HALT;
    assert_int_equal(dispatch(VE_NPF, 0x7000000), 1);
    assert_int_equal(restarts, 1);
}

/* An xAPIC access the trap emulates is no fault. */
static void npf_xapic_emulated(void **state)
{
    (void)state;
    assert_int_equal(dispatch(VE_NPF, 0xFEE00300u), 0);
    assert_int_equal(raised, 0);
}

/* A triple fault with `log' halts too. */
static void shutdown_log_halts(void **state)
{
    (void)state;
    assert_int_equal(dispatch(VE_SHUTDOWN, 0), 1);
    assert_int_equal(raised_kind, TRIAD_FAULT_TRIPLE_FAULT);
    assert_int_equal(rip_sets, 0);
}

/* A resumable fault with `log' is logged and the instruction skipped. */
static void rdmsr_log_resumes(void **state)
{
    (void)state;
    assert_int_equal(dispatch(VE_RDMSR, 0), 0);
    assert_int_equal(raised_kind, TRIAD_FAULT_MSR_VIOLATION);
    assert_int_equal(rip_sets, 1);
    assert_int_equal(rip_set_to, 0x2002);
}

/* VE_OTHER and any value past the enumeration: unexpected-exit records. */
static void unknown_events_are_faults(void **state)
{
    (void)state;
    const uint32_t unknown[] = { VE_OTHER, VE_OTHER + 1u, 0xFFFFFFFFu };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        raised = 0;
        assert_int_equal(dispatch(unknown[i], 0), 0);
        assert_int_equal(raised, 1);
        assert_int_equal(raised_kind, TRIAD_FAULT_UNEXPECTED);
    }
}

/* Every serviced event: no fault record. */
static void serviced_events_raise_nothing(void **state)
{
    (void)state;
    const uint32_t serviced[] = { VE_CLOCK, VE_CPUID, VE_HYPERCALL, VE_INIT, VE_SIPI, VE_NMI };
    for (size_t i = 0; i < sizeof serviced / sizeof serviced[0]; i++)
        assert_int_equal(dispatch(serviced[i], 0), 0);
    assert_int_equal(raised, 0);
}

/* CPUID: answered without VMX/SMX, hypervisor bit set, RIP advanced. */
static void cpuid_emulated(void **state)
{
    (void)state;
    cores_sim[1].regs.rax = 1;
    assert_int_equal(dispatch(VE_CPUID, 0), 0);
    assert_int_equal(cores_sim[1].regs.rcx & ((1u << 5) | (1u << 6)), 0);
    assert_true((cores_sim[1].regs.rcx >> 31) & 1u);
    assert_int_equal(rip_set_to, 0x2002);
}

/* A hypercall's negative result reaches RAX as its two's complement. */
static void hypercall_result_in_rax(void **state)
{
    (void)state;
    cores_sim[1].regs.rax = 0;
    assert_int_equal(dispatch(VE_HYPERCALL, 0), 0);
    assert_int_equal(cores_sim[1].regs.rax, (uint64_t)-38);
    cores_sim[1].regs.rax = 1;
    assert_int_equal(dispatch(VE_HYPERCALL, 0), 0);
    assert_int_equal(cores_sim[1].regs.rax, 7);
}

/* Counting: the exit's row (out-of-range rows count as OTHER), the total,
   and a counter at its maximum stays there. */
static void counters(void **state)
{
    (void)state;
    struct virt_exit e = { .event = VE_CLOCK, .counter = TRIAD_EXIT_CPUID };
    vmexit_dispatch(&cores_sim[1], &cores_sim[1].regs, &e);
    e.counter = 999;
    vmexit_dispatch(&cores_sim[1], &cores_sim[1].regs, &e);
    assert_int_equal(cores_sim[1].count[TRIAD_EXIT_CPUID], 1);
    assert_int_equal(cores_sim[1].count[TRIAD_EXIT_OTHER], 1);
    assert_int_equal(cores_sim[1].total, 2);
    cores_sim[1].total = UINT64_MAX;
    vmexit_dispatch(&cores_sim[1], &cores_sim[1].regs, &e);
    assert_true(cores_sim[1].total == UINT64_MAX);
}

/* Whatever the event, core 0's state is untouched by core 1's exits. */
static void other_core_untouched(void **state)
{
    (void)state;
    struct core before;
    memcpy(&before, &cores_sim[0], sizeof before);
    const uint32_t events[] = { VE_NMI, VE_CLOCK, VE_EXCEPTION, VE_CPUID, VE_HYPERCALL, VE_XSETBV,
                                VE_NPF, VE_IO, VE_WRMSR, VE_RDMSR, VE_INIT, VE_SIPI, VE_SHUTDOWN,
                                VE_VIRT_INSTRUCTION, VE_ENTRY_FAIL, VE_OTHER, 1000u };
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        action_for_fault = (uint8_t)(i % TRIAD_ACTION_COUNT);
        (void)dispatch(events[i], 0x3000);
        assert_memory_equal(&before, &cores_sim[0], sizeof before);
        assert_int_equal(sandboxes[0].state, 0);
    }
}

/* Deferred console lines left after an exit: the core's clock is set to
   bring an exit within 1 ms (cpu_rdtsc() = 42 here, 1 ms = 1000 ticks), or
   at the timekeeper's deadline when that is sooner; with nothing left the
   clock is left as the timekeeper set it. */
static void console_lines_left_bring_an_exit(void **state)
{
    (void)state;
    drain_more = 1;
    assert_int_equal(dispatch(VE_CPUID, 0), 0);
    assert_true(deadline_set == 0);                 /* a core without a clock queues nothing */
    con_rings[1].clock = 1;
    drain_more = 0;
    assert_int_equal(dispatch(VE_CPUID, 0), 0);
    assert_true(deadline_set == 0);                 /* nothing queued: untouched */
    drain_more = 1;
    assert_int_equal(dispatch(VE_CPUID, 0), 0);
    assert_true(deadline_set == 42 + 1000);
    cores_sim[1].deadline_tsc = 500;                /* the timekeeper's, sooner */
    assert_int_equal(dispatch(VE_CLOCK, 0), 0);
    assert_true(deadline_set == 500);
    cores_sim[1].deadline_tsc = 5000;               /* later: the 1 ms wins */
    assert_int_equal(dispatch(VE_CLOCK, 0), 0);
    assert_true(deadline_set == 42 + 1000);
    cores_sim[1].deadline_tsc = 10;                 /* already past: the 1 ms */
    assert_int_equal(dispatch(VE_CLOCK, 0), 0);
    assert_true(deadline_set == 42 + 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(npf_log_halts, setup),
        cmocka_unit_test_setup(npf_driver_local_upcall, setup),
        cmocka_unit_test_setup(npf_other_actions_kept, setup),
        cmocka_unit_test_setup(npf_xapic_emulated, setup),
        cmocka_unit_test_setup(shutdown_log_halts, setup),
        cmocka_unit_test_setup(rdmsr_log_resumes, setup),
        cmocka_unit_test_setup(unknown_events_are_faults, setup),
        cmocka_unit_test_setup(serviced_events_raise_nothing, setup),
        cmocka_unit_test_setup(cpuid_emulated, setup),
        cmocka_unit_test_setup(hypercall_result_in_rax, setup),
        cmocka_unit_test_setup(counters, setup),
        cmocka_unit_test_setup(other_core_untouched, setup),
        cmocka_unit_test_setup(console_lines_left_bring_an_exit, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
