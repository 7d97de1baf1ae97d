#include "time.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/pit.h"
#include "../arch/x86_64/lapic.h"
#include "../arch/x86_64/hypercall.h"
#include "../../monitor/abi/hypercall.h"

uint64_t tsc_hz;
const char *tsc_source = "none";
static uint64_t tsc_base;
static uint64_t ns_per_tsc_q32;     /* 2^32 * 1e9 / tsc_hz */
static uint64_t tsc_per_ns_q32;     /* 2^32 * tsc_hz / 1e9 */

/* The monitor already calibrated the TSC: asking costs one VM exit, while
   our own PIT calibration would cost thousands (it emulates the PIT). */
static uint64_t tsc_hz_from_monitor(void)
{
    static struct triad_hc_info info;
    if (!triad_monitor_present())
        return 0;
    /* The kernel maps its image 1:1, so the buffer's address is guest-physical. */
    int64_t r = hypercall(TRIAD_HC_SANDBOX_INFO, (uint64_t)(uintptr_t)&info, sizeof info, 0);
    if (r < (int64_t)sizeof info)
        return 0;
    return info.tsc_khz * 1000;
}

static uint64_t tsc_hz_from_pit(void)
{
    /* 50 ms of PIT: long enough that one PIT tick (838 ns) is below 20 ppm. */
    uint64_t t0 = rdtsc();
    pit_wait_us(50000);
    uint64_t t1 = rdtsc();
    return (t1 - t0) * 20;
}

void time_init(void)
{
    tsc_hz = tsc_hz_from_monitor();
    tsc_source = "monitor";
    if (tsc_hz == 0) {
        tsc_hz = tsc_hz_from_pit();
        tsc_source = "pit";
    }
    if (tsc_hz == 0) {
        tsc_hz = 1000000000ull;
        tsc_source = "assumed";
    }
    /* 64-bit divisions only: libgcc's 128-bit helpers are not built for a red-zone-free kernel. */
    ns_per_tsc_q32 = (1000000000ull << 32) / tsc_hz;
    tsc_per_ns_q32 = ((tsc_hz / 1000) << 32) / 1000000ull;
    tsc_base = rdtsc();
}

void time_busy_wait_ns(uint64_t ns)
{
    uint64_t end = rdtsc() + (uint64_t)(((unsigned __int128)ns * tsc_per_ns_q32) >> 32);
    while (rdtsc() < end)
        cpu_relax();
}

uint64_t now_ns(void)
{
    return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_base) * ns_per_tsc_q32) >> 32);
}

uint64_t ns_to_tsc_abs(uint64_t ns)
{
    return tsc_base + (uint64_t)(((unsigned __int128)ns * tsc_per_ns_q32) >> 32);
}

void timer_arm_at(uint64_t ns) { lapic_timer_at_tsc(ns_to_tsc_abs(ns)); }
