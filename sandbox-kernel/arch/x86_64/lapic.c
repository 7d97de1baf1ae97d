/*
 * Local APIC and its timer, always one-shot: the scheduler programs the next
 * event it needs, never a periodic tick.  x2APIC (MSR access) when CPUID
 * reports it: under the Triad monitor only the ICR write exits there, and
 * the xAPIC page is not mapped (docs/monitor.md); memory-mapped xAPIC
 * otherwise (e.g. standalone on QEMU without x2apic).
 */
#include "lapic.h"
#include "cpu.h"
#include "pit.h"
#include "trap.h"
#include "../../kernel/time.h"

#define LAPIC_ID      0x020
#define LAPIC_ICR_LOW  0x300
#define LAPIC_ICR_HIGH 0x310
#define X2APIC_MSR(reg) (0x800u + (reg) / 16u)
#define APIC_BASE_EN    (1u << 11)
#define APIC_BASE_EXTD  (1u << 10)
#define LAPIC_EOI     0x0B0
#define LAPIC_SVR     0x0F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR  0x390
#define LAPIC_TIMER_DIV  0x3E0
#define LVT_MASKED    (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)

static volatile uint32_t *lapic;
static int x2apic;
static int deadline_mode;
static uint64_t timer_hz;       /* count mode: decrements per second at divide-by-1 */
static uint64_t count_per_tsc_q32;

static uint32_t rd(unsigned reg) { return x2apic ? (uint32_t)rdmsr(X2APIC_MSR(reg)) : lapic[reg / 4]; }
static void wr(unsigned reg, uint32_t v)
{
    if (x2apic)
        wrmsr(X2APIC_MSR(reg), v);
    else
        lapic[reg / 4] = v;
}

void lapic_init(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    uint32_t r[4];
    cpuid(1, 0, r);
    deadline_mode = (r[2] >> 24) & 1;
    x2apic = (r[2] >> 21) & 1;
    /* global enable, then x2APIC mode when the processor has it (xAPIC ->
       x2APIC is the allowed order: enable first, extended mode second) */
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
    if (x2apic)
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
    lapic = (volatile uint32_t *)(uintptr_t)(base & 0xFFFFF000u);
    wr(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS);
    wr(LAPIC_TIMER_DIV, 0xB);                                 /* divide by 1 */
    wr(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
}

unsigned lapic_id(void) { return x2apic ? rd(LAPIC_ID) : rd(LAPIC_ID) >> 24; }
int lapic_x2apic(void) { return x2apic; }

void lapic_send_ipi(unsigned apic_id, uint32_t low)
{
    if (x2apic) {
        wrmsr(X2APIC_MSR(LAPIC_ICR_LOW), ((uint64_t)apic_id << 32) | low);
        return;
    }
    wr(LAPIC_ICR_HIGH, apic_id << 24);
    wr(LAPIC_ICR_LOW, low);
}
void lapic_eoi(void) { wr(LAPIC_EOI, 0); }
int lapic_tsc_deadline(void) { return deadline_mode; }
uint64_t lapic_timer_hz(void) { return timer_hz; }

void lapic_calibrate(void)
{
    if (deadline_mode)
        return;
    wr(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    wr(LAPIC_TIMER_INIT, 0xFFFFFFFFu);
    /* Against the TSC, not the PIT: under the monitor the PIT is emulated
       (every port access an exit) and the TSC rate is already known. */
    time_busy_wait_ns(10000000);
    uint32_t left = rd(LAPIC_TIMER_CUR);
    wr(LAPIC_TIMER_INIT, 0);
    timer_hz = (uint64_t)(0xFFFFFFFFu - left) * 100;
    if (tsc_hz != 0)
        count_per_tsc_q32 = (timer_hz << 32) / tsc_hz;
}

void lapic_timer_at_tsc(uint64_t tsc)
{
    if (deadline_mode) {
        wr(LAPIC_LVT_TIMER, LVT_TSC_DEADLINE | VECTOR_TIMER);
        wrmsr(MSR_TSC_DEADLINE, tsc == 0 ? 1 : tsc);
        return;
    }
    uint64_t now = rdtsc();
    uint64_t delta = tsc > now ? tsc - now : 1;
    uint64_t count = (uint64_t)(((unsigned __int128)delta * count_per_tsc_q32) >> 32);
    if (count == 0)
        count = 1;
    if (count > 0xFFFFFFFFu)
        count = 0xFFFFFFFFu;        /* fires early; the scheduler simply re-arms */
    wr(LAPIC_LVT_TIMER, VECTOR_TIMER);
    wr(LAPIC_TIMER_INIT, (uint32_t)count);
}
