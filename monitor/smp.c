/*
 * Starting the application processors: INIT-SIPI-SIPI through the local
 * APIC (xAPIC MMIO), one core at a time, each with its own stack from its
 * per-core slot.  Core index = LAPIC ID (the system table's core numbers).
 */
#include "sandbox.h"
#include "console.h"
#include "cpu.h"
#include "monitor.h"
#include "boot/idt.h"

#define LAPIC             0xFEE00000ull
#define LAPIC_SVR         0xF0u
#define LAPIC_ICR_LOW     0x300u
#define LAPIC_ICR_HIGH    0x310u
#define ICR_PENDING       (1u << 12)
#define ICR_INIT          0x4500u    /* INIT, level assert */
#define ICR_STARTUP       0x4600u    /* start-up IPI, vector in bits 7:0 */
#define TRAMPOLINE_BASE   0x8000u
#define MAX_ICR_POLLS     1000000u

struct core cores[MAX_CORES];

extern const uint8_t trampoline_start[], trampoline_end[];
extern uint64_t tramp_cr3, tramp_stack, tramp_entry;

uint32_t cpu_apic_id(void)
{
    struct cpuid_regs r;
    cpu_cpuid(1, 0, &r);
    return r.ebx >> 24;
}

int cpu_has_x2apic(void)
{
    struct cpuid_regs r;
    cpu_cpuid(1, 0, &r);
    return (int)((r.ecx >> 21) & 1u);
}

/*@ assigns \nothing; */
static void delay_us(uint64_t us)
{
    const uint64_t end = cpu_rdtsc() + (tsc_khz ? tsc_khz : 1000000u) * us / 1000u;
    uint64_t spins = 0;
    /*@ loop assigns spins; loop variant 100000000 - spins; */
    while (cpu_rdtsc() < end && spins < 100000000u) {
        cpu_pause();
        spins++;
    }
}

/*@ assigns \nothing; */
static void send_ipi(uint32_t apic_id, uint32_t low)
{
    mmio_write32(LAPIC + LAPIC_ICR_HIGH, apic_id << 24);
    mmio_write32(LAPIC + LAPIC_ICR_LOW, low);
    uint32_t polls = 0;
    /*@ loop assigns polls; loop variant MAX_ICR_POLLS - polls; */
    while ((mmio_read32(LAPIC + LAPIC_ICR_LOW) & ICR_PENDING) && polls < MAX_ICR_POLLS)
        polls++;
}

void ap_entry(void);

/*@ assigns \nothing;
    ensures \false; */
void ap_entry(void)
{
    uint32_t id = cpu_apic_id();
    if (id >= MAX_CORES)
        cpu_halt_forever();
    struct core *c = &cores[id];
    c->index = id;
    idt_load();
    c->state = CORE_IDLE;
    core_enter(c);
}

/* Where the trampoline's parameters live once copied below 1 MiB. */
/*@ assigns \nothing; */
static uint64_t *tramp_param(const uint64_t *sym)
{
    return (uint64_t *)(uintptr_t)(TRAMPOLINE_BASE + ((uintptr_t)sym - (uintptr_t)trampoline_start));
}

uint32_t smp_start(uint32_t n)
{
    const uint64_t size = (uint64_t)((uintptr_t)trampoline_end - (uintptr_t)trampoline_start);
    uint8_t *dst = (uint8_t *)(uintptr_t)TRAMPOLINE_BASE;
    /*@ loop assigns i; loop variant size - i; */
    for (uint64_t i = 0; i < size; i++)
        dst[i] = trampoline_start[i];
    *tramp_param(&tramp_cr3) = cpu_read_cr3();
    *tramp_param(&tramp_entry) = (uint64_t)(uintptr_t)ap_entry;
    mmio_write32(LAPIC + LAPIC_SVR, mmio_read32(LAPIC + LAPIC_SVR) | 0x100u);  /* APIC on */
    uint32_t started = 0;
    /*@ loop assigns id, started; loop variant n - id; */
    for (uint32_t id = 1; id < n && id < MAX_CORES; id++) {
        *tramp_param(&tramp_stack) = (uint64_t)(uintptr_t)(cores[id].stack + CORE_STACK_BYTES);
        send_ipi(id, ICR_INIT);
        delay_us(10000);
        send_ipi(id, ICR_STARTUP | (TRAMPOLINE_BASE >> 12));
        delay_us(200);
        if (cores[id].state == CORE_OFF)
            send_ipi(id, ICR_STARTUP | (TRAMPOLINE_BASE >> 12));
        /* wait (bounded) until it is up before reusing the trampoline stack slot */
        uint64_t waited = 0;
        /*@ loop assigns waited; loop variant 1000 - waited; */
        while (cores[id].state == CORE_OFF && waited < 1000) {
            delay_us(100);
            waited++;
        }
        if (cores[id].state == CORE_OFF) {
            con_line("core ");
            con_dec(id);
            con_puts(" did not answer INIT-SIPI-SIPI\n");
            break;
        }
        started++;
    }
    return started;
}
