/*
 * State shared by the monitor's modules after the boot processor has
 * validated system.bin and prepared every sandbox.  Written only by the BSP
 * before the application processors start; read-only afterwards (except
 * each sandbox's run state).
 */
#ifndef TRIAD_MONITOR_MONITOR_H
#define TRIAD_MONITOR_MONITOR_H

#include <stdint.h>
#include "partition/system_table.h"
#include "percore.h"
#include "vmx/controls.h"

#define TRIAD_VERSION "0.2"

struct sandbox_rt {
    uint8_t io_bitmap[IO_BITMAP_BYTES];   /* page aligned (first member) */
    uint64_t eptp;
    uint32_t entry;                       /* 32-bit kernel entry point */
    uint32_t boot_core;                   /* lowest core of core_mask */
    volatile uint8_t state;               /* enum core_run_state of its boot core */
    uint8_t refused;                      /* 1: its image failed the golden check, never launched */
} __attribute__((aligned(4096)));

/* Options from the monitor's command line, for tests and measurements. */
struct monitor_options {
    uint32_t settle_ms;     /* triad.settle-ms: after the last launch, before the window */
    uint32_t window_ms;     /* triad.window-ms: steady-state window length, 0 = none */
    uint32_t end_ms;        /* triad.end-ms: end the run this long after the last launch */
    uint32_t corrupt_pristine; /* triad.test-corrupt-pristine=<sandbox>: test only, flips a byte
                                  of that sandbox's pristine image after boot (0xFFFFFFFF = none) */
    uint32_t svm_clock_us;  /* triad.svm-clock-us: test only, SVM: the test clock fires at least
                               this often (0 = up to the PIT's 55 ms; svm/clock.c) */
};

extern const struct triad_table_body *sys;
extern struct sandbox_rt sandboxes[TRIAD_MAX_SANDBOXES];
extern uint8_t msr_bitmap[MSR_BITMAP_BYTES];
extern uint64_t tsc_khz;
extern struct monitor_options options;
extern volatile uint32_t launched_count;   /* sandboxes entered so far */
extern uint32_t expected_launches;

/* Virtual time in TSC ticks for ms milliseconds (0 when uncalibrated). */
/*@ assigns \nothing; */
uint64_t ms_to_tsc(uint32_t ms);

#endif
