/*
 * The fault log: a ring of the last TRIAD_FAULT_LOG_LEN records, shared by
 * every core under one lock, and the trap-count table.
 */
#include "fault.h"
#include "console.h"
#include "console_text.h"
#include "cpu.h"
#include "monitor.h"
#include "restart.h"

struct triad_fault_record fault_log[TRIAD_FAULT_LOG_LEN];
uint64_t fault_next;                 /* sequence number of the next record */
volatile uint32_t fault_lock_word;

#define MAX_LOCK_SPINS 50000000u

/*@ assigns fault_lock_word; */
static void fault_lock(void)
{
    uint32_t spins = 0;
    /*@ loop assigns spins, fault_lock_word; loop variant MAX_LOCK_SPINS - spins; */
    while ((cpu_xchg32_acquire(&fault_lock_word, 1u) != 0u) && (spins < MAX_LOCK_SPINS)) {
        cpu_pause();
        spins++;
    }
}

/*@ assigns fault_lock_word; */
static void fault_unlock(void)
{
    cpu_store32_release(&fault_lock_word, 0u);
}

const char *fault_kind_name(uint8_t kind)
{
    /* Each name through `s`, its terminator asserted (the provers find
       con_string's witness only then, session 6). */
    const char *s;
    switch (kind) {
    case TRIAD_FAULT_EPT_VIOLATION:
        s = "ept-violation";
        /*@ assert s[13] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_IO_VIOLATION:
        s = "io-violation";
        /*@ assert s[12] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_MSR_VIOLATION:
        s = "msr-violation";
        /*@ assert s[13] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_TRIPLE_FAULT:
        s = "triple-fault";
        /*@ assert s[12] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_VMX_INSTRUCTION:
        s = "vmx-instruction";
        /*@ assert s[15] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_BAD_HYPERCALL:
        s = "bad-hypercall";
        /*@ assert s[13] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_DEADLINE_MISS:
        s = "deadline-miss";
        /*@ assert s[13] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_WATCHDOG:
        s = "watchdog";
        /*@ assert s[8] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_REPORTED:
        s = "reported";
        /*@ assert s[8] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_UNEXPECTED:
        s = "unexpected-exit";
        /*@ assert s[15] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_IMAGE_MISMATCH:
        s = "image-mismatch";
        /*@ assert s[14] == '\0'; */
        /*@ assert con_string(s); */
        break;
    case TRIAD_FAULT_IPI_VIOLATION:
        s = "ipi-violation";
        /*@ assert s[13] == '\0'; */
        /*@ assert con_string(s); */
        break;
    default:
        s = "unknown";
        /*@ assert s[7] == '\0'; */
        /*@ assert con_string(s); */
        break;
    }
    return s;
}

uint8_t fault_raise(struct core *c, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual)
{
    return fault_raise_for(c->index, c->sandbox, kind, gpa, rip, qual);
}

/* The FAULT line's first half.  The line is built in memory
   (console_text.h) and emitted whole: queued on a local driver recovery's
   path, printed at once otherwise.  It is split from the record and in
   two halves so that each print's proof obligation carries only a
   few facts: in one function, the provers ran out of steps on the later
   prints (session 6).  Each label goes through `s` with an assertion on
   its terminator: the provers do not find con_string's witness for a
   literal passed directly (docs/proofs.md, session 5). */
/*@ requires fault_sys_names;
    requires \valid(t) && t->len <= CON_TEXT_MAX;
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
static void fault_print_who(struct con_text *t, uint64_t seq, uint64_t now, uint32_t core, uint8_t sb)
{
    const char *s = "FAULT seq=";
    /*@ assert s[10] == '\0'; */
    ct_puts(t, s);
    ct_dec(t, seq);
    s = " t=";
    /*@ assert s[3] == '\0'; */
    ct_puts(t, s);
    ct_dec(t, now);
    s = " core=";
    /*@ assert s[6] == '\0'; */
    ct_puts(t, s);
    ct_dec(t, core);
    s = " sandbox=";
    /*@ assert s[9] == '\0'; */
    ct_puts(t, s);
    ct_dec(t, sb);
    s = " name=";
    /*@ assert s[6] == '\0'; */
    ct_puts(t, s);
    if (sb < TRIAD_MAX_SANDBOXES) {
        ct_puts(t, sys->sandboxes[sb].name);
    } else {
        s = "-";
        /*@ assert s[1] == '\0'; */
        ct_puts(t, s);
    }
}

/* The FAULT line's second half, up to its newline. */
/*@ requires \valid(t) && t->len <= CON_TEXT_MAX;
    assigns *t;
    ensures t->len <= CON_TEXT_MAX; */
static void fault_print_what(struct con_text *t, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual, uint8_t action)
{
    const char *s = " kind=";
    /*@ assert s[6] == '\0'; */
    ct_puts(t, s);
    ct_puts(t, fault_kind_name(kind));
    s = " gpa=";
    /*@ assert s[5] == '\0'; */
    ct_puts(t, s);
    ct_hex(t, gpa, 16);
    s = " rip=";
    /*@ assert s[5] == '\0'; */
    ct_puts(t, s);
    ct_hex(t, rip, 16);
    s = " qual=";
    /*@ assert s[6] == '\0'; */
    ct_puts(t, s);
    ct_hex(t, qual, 16);
    s = " action=";
    /*@ assert s[8] == '\0'; */
    ct_puts(t, s);
    ct_puts(t, health_action_name(action));
}

uint8_t fault_raise_for(uint32_t core, uint8_t sb, uint8_t kind, uint64_t gpa, uint64_t rip, uint64_t qual)
{
    const uint64_t now = cpu_rdtsc();
    /* The health monitor's ladder (recovery/health.c): reported faults,
       bad hypercalls and refused IPIs are logged only; otherwise the
       sandbox's system.bin action, restarts up to its limit, then halt or
       safe mode.  One HEALTH line per decision. */
    const uint8_t action = restart_decide(core, sb, kind).applied;
    fault_lock();
    /* Saturates rather than wraps: after 2^64 - 1 records (centuries at
       any fault rate) every new record reuses the last number, so the
       sequence numbers never go back (and the overflow is proved absent). */
    const uint64_t seq = fault_next;
    if (seq != UINT64_MAX) {
        fault_next = seq + 1u;
    }
    /* One store of the whole record: one memory-access goal instead of one
       per field, each carrying the fields written before it. */
    fault_log[seq % TRIAD_FAULT_LOG_LEN] = (struct triad_fault_record){
        .tsc = now, .gpa = gpa, .rip = rip, .qualification = qual,
        .core = core, .sandbox = sb, .kind = kind, .action = action,
        .reserved = 0, .sequence = seq,
    };
    fault_unlock();

    /* The line holds the decision's time (now), whenever it reaches the
       UART: on a local driver recovery it is queued, so that the #VE goes
       in without waiting on the UART (about 13 ms a line at 115200 baud). */
    struct con_text line;
    ct_init(&line);
    fault_print_who(&line, seq, now, core, sb);
    fault_print_what(&line, kind, gpa, rip, qual, action);
    con_lock_quiet();
    con_text_emit(core, &line, (action == (uint8_t)HEALTH_DRIVER_LOCAL) ? 1 : 0);
    con_unlock();
    return action;
}

uint32_t fault_log_copy(uint64_t first, struct triad_fault_record *out, uint32_t max)
{
    uint32_t n = 0;
    fault_lock();
    uint64_t oldest = fault_next > TRIAD_FAULT_LOG_LEN ? fault_next - TRIAD_FAULT_LOG_LEN : 0;
    uint64_t i = first < oldest ? oldest : first;
    /*@ loop assigns i, n, out[0 .. max - 1];
        loop variant max - n; */
    while (i < fault_next && n < max) {
        out[n++] = fault_log[i % TRIAD_FAULT_LOG_LEN];
        i++;
    }
    fault_unlock();
    return n;
}

void counters_read(const struct core *c, struct triad_hc_exit_counters *out)
{
    out->core = c->index;
    out->sandbox_id = c->sandbox;
    out->total = c->total;
    /*@ loop assigns i, out->count[0 .. TRIAD_EXIT_COUNTER_COUNT - 1];
        loop variant TRIAD_EXIT_COUNTER_COUNT - i; */
    for (uint32_t i = 0; i < TRIAD_EXIT_COUNTER_COUNT; i++)
        out->count[i] = c->count[i];
}

static const char *const counter_names[TRIAD_EXIT_COUNTER_COUNT] = {
    "Exception (NMI)", "CPUID", "VMCALL", "I/O Instruction", "EPT Violation", "XSETBV",
    "RDMSR", "WRMSR", "CR access", "VMX instruction", "Triple fault", "NMI",
    "EPT misconfig", "Preemption timer", "Other",
};

/*@ assigns \nothing; */
static void pad_dec(uint64_t v, uint32_t width)
{
    uint32_t digits = 1;
    /*@ loop assigns digits, t; loop variant t; */
    for (uint64_t t = v / 10; t != 0; t /= 10)
        digits++;
    /*@ loop assigns digits; loop variant width - digits; */
    for (; digits < width; digits++)
        con_putc(' ');
    con_dec(v);
}

/*@ assigns \nothing; */
static void pad_str(const char *s, uint32_t width)
{
    uint32_t n = 0;
    /*@ loop assigns n; loop variant width - n; */
    while (n < width && s[n] != '\0')
        con_putc(s[n++]);
    /*@ loop assigns n; loop variant width - n; */
    for (; n < width; n++)
        con_putc(' ');
}

void counters_print(const char *title)
{
    con_lock();
    con_line("monitor trap count: ");
    con_puts(title);
    con_puts(" t=");
    con_dec(cpu_rdtsc());
    con_puts("\n");
    con_line("TRAPS ");
    pad_str("reason", 18);
    /*@ loop assigns k; loop variant MAX_CORES - k; */
    for (uint32_t k = 0; k < MAX_CORES; k++)
        if (cores[k].state != CORE_OFF) {
            con_puts("  core");
            con_dec(k);
            con_puts(cores[k].sandbox < TRIAD_MAX_SANDBOXES ? "/sb" : "/--");
            if (cores[k].sandbox < TRIAD_MAX_SANDBOXES)
                con_dec(cores[k].sandbox);
        }
    con_puts("\n");
    /*@ loop assigns i; loop variant TRIAD_EXIT_COUNTER_COUNT + 1 - i; */
    for (uint32_t i = 0; i <= TRIAD_EXIT_COUNTER_COUNT; i++) {
        con_line("TRAPS ");
        pad_str(i < TRIAD_EXIT_COUNTER_COUNT ? counter_names[i] : "Total", 18);
        /*@ loop assigns k; loop variant MAX_CORES - k; */
        for (uint32_t k = 0; k < MAX_CORES; k++)
            if (cores[k].state != CORE_OFF)
                pad_dec(i < TRIAD_EXIT_COUNTER_COUNT ? cores[k].count[i] : cores[k].total, 11);
        con_puts("\n");
    }
    con_unlock();
}
