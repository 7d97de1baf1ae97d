/* The test clock (see timekeeper.h). */
#include "timekeeper.h"
#include "console.h"
#include "cpu.h"
#include "exit.h"
#include "fault.h"
#include "monitor.h"
#include "virt.h"
#include "svm/vmcb.h"

enum phase { WAIT_LAUNCH = 0, SETTLE = 1, WINDOW = 2, END = 3, DONE = 4 };

static enum phase phase;
static uint64_t next_tsc, last_launch_tsc;
static uint64_t window_start[MAX_CORES];

/*@ assigns \nothing; */
static uint64_t exits_outside_clock(const struct core *k)
{
    return k->total - k->count[TRIAD_EXIT_PREEMPTION_TIMER];
}

/*@ assigns \nothing; */
static int active(void)
{
    return options.window_ms != 0 || options.end_ms != 0;
}

/* Advances the phases that are due at now; returns the next deadline. */
/*@ assigns phase, next_tsc, last_launch_tsc, window_start[0 .. MAX_CORES - 1]; */
static uint64_t step(uint64_t now)
{
    if (phase == WAIT_LAUNCH) {
        if (launched_count < expected_launches)
            return now + ms_to_tsc(1);
        /*@ loop assigns k, last_launch_tsc; loop variant MAX_CORES - k; */
        for (uint32_t k = 0; k < MAX_CORES; k++)
            if (cores[k].launch_tsc > last_launch_tsc)
                last_launch_tsc = cores[k].launch_tsc;
        con_lock();
        con_line("all ");
        con_dec(expected_launches);
        con_puts(" sandboxes launched; last launch at tsc ");
        con_dec(last_launch_tsc);
        con_puts(" (Bochs: instructions since power-on)\n");
        con_unlock();
        phase = SETTLE;
        next_tsc = last_launch_tsc + ms_to_tsc(options.settle_ms);
    }
    if (phase == SETTLE && now >= next_tsc) {
        if (options.window_ms == 0) {
            phase = END;
            next_tsc = last_launch_tsc + ms_to_tsc(options.end_ms);
        } else {
            /*@ loop assigns k, window_start[0 .. MAX_CORES - 1]; loop variant MAX_CORES - k; */
            for (uint32_t k = 0; k < MAX_CORES; k++)
                window_start[k] = exits_outside_clock(&cores[k]);
            counters_print("boot (until the steady-state window opens)");
            phase = WINDOW;
            next_tsc = cpu_rdtsc() + ms_to_tsc(options.window_ms);
            con_lock();
            con_line("steady-state window opens at tsc ");
            con_dec(cpu_rdtsc());
            con_puts("\n");
            con_unlock();
        }
    }
    if (phase == WINDOW && now >= next_tsc) {
        con_lock();
        con_line("steady-state window closed at tsc ");
        con_dec(now);
        con_puts(" after ");
        con_dec(options.window_ms);
        con_puts(" ms: exits");
        /*@ loop assigns k; loop variant MAX_CORES - k; */
        for (uint32_t k = 0; k < MAX_CORES; k++)
            if (cores[k].state != CORE_OFF) {
                con_puts(" core");
                con_dec(k);
                con_puts("=");
                con_dec(exits_outside_clock(&cores[k]) - window_start[k]);
            }
        con_puts("\n");
        con_unlock();
        counters_print("after the steady-state window");
        phase = END;
        next_tsc = last_launch_tsc + ms_to_tsc(options.end_ms);
    }
    if (phase == END && options.end_ms != 0 && now >= next_tsc) {
        counters_print("end of run");
        monitor_exit(0);
    }
    if (phase == END && options.end_ms == 0)
        phase = DONE;
    return phase == DONE ? 0 : next_tsc;
}

void timekeeper_exit(struct core *c)
{
    if (c->index != 0 || !active())
        return;
    uint64_t now = cpu_rdtsc();
    uint64_t deadline = step(now);
    if (deadline == 0)
        deadline = now + ms_to_tsc(60000);   /* nothing left to do: rarely wake */
    c->deadline_tsc = deadline;
    virt_set_deadline(c, deadline, cpu_rdtsc());
}

void timekeeper_idle(struct core *c)
{
    if (c->index == 0 && active()) {
        /*@ loop assigns phase, next_tsc, last_launch_tsc, window_start[0 .. MAX_CORES - 1]; */
        for (;;) {
            if ((step(cpu_rdtsc()) == 0u) || (c->revive != 0u)) {
                break;
            }
            cpu_pause();
        }
    }
    /* GIF is clear only on a core that enabled SVM (EFER.SVME, then CLGI):
       a core whose sandbox was refused before its launch (an image that
       does not match its digest) never did, its GIF is still set from
       reset, and STGI there is #UD (test 39-qemu-svm-g). */
    int svm = 0;
    if ((virt_backend == (uint8_t)VIRT_SVM) && ((cpu_rdmsr(MSR_EFER) & EFER_SVME) != 0u)) {
        svm = 1;
    }
    cpu_unblock_nmi();        /* a core parked from an NMI exit: NMIs blocked until an IRET */
    /*@ loop assigns \nothing; */
    while (c->revive == 0u) {
        cpu_wait_nmi(svm);
    }
}
