/*
 * The test clock on SVM.  VMX has its preemption timer; SVM has nothing
 * like it, and the LAPIC timer belongs to the guest.  The PIT is the
 * monitor's (no sandbox gets ports 0x40-0x43): channel 0 in one-shot mode,
 * its IRQ 0 routed by the I/O APIC (input 2, QEMU's and the usual ACPI
 * override) as an NMI to core 0.  The NMI intercept turns it into an exit,
 * counted in the test-clock row like a preemption-timer exit.  A count
 * longer than the PIT's 16 bits (55 ms) just wakes the timekeeper early.
 * triad.svm-clock-us=N (tests only) wakes it at least every N us: under
 * QEMU -icount, round-robin TCG gives each virtual CPU a turn of up to half
 * the time to the next virtual timer, and a guest charges a turn it lost to
 * whatever VCPU it was running (test 24's 2 ms periodic VCPU lost its whole
 * budget in one turn: 4 misses, 13 ms worst response); a 500 us clock on
 * core 0 keeps every turn short (0 misses, 1.8 ms).  The extra exits are
 * clock exits of core 0, outside the steady-state window's count.
 */
#include "vcpu.h"
#include "../cpu.h"
#include "../monitor.h"

#define PIT_HZ          1193182u
#define IOAPIC_BASE     0xFEC00000ull
#define IOAPIC_PIT_PIN  2u
#define DELIVERY_NMI    (4u << 8)

static uint8_t routed;

/*@ assigns \nothing; */
static void ioapic_write(uint32_t reg, uint32_t value)
{
    mmio_write32(IOAPIC_BASE, reg);
    mmio_write32(IOAPIC_BASE + 0x10u, value);
}

int svm_clock_owner(const struct core *c)
{
    return c->index == 0 && routed;
}

void svm_clock_arm(const struct core *c, uint64_t deadline, uint64_t now)
{
    if (c->index != 0 || tsc_khz == 0)
        return;
    const uint64_t delta = deadline > now ? deadline - now : 0;
    uint64_t ticks = delta * PIT_HZ / (tsc_khz * 1000u);
    uint64_t cap = 0xFFFFu;
    if (options.svm_clock_us != 0u) {
        cap = (uint64_t)options.svm_clock_us * PIT_HZ / 1000000u;
        if (cap > 0xFFFFu) {
            cap = 0xFFFFu;
        }
    }
    if (ticks < 1)
        ticks = 1;
    if (ticks > cap) {
        ticks = cap;
    }
    cpu_outb(0x43, 0x30);                 /* channel 0, low then high byte, mode 0 */
    cpu_outb(0x40, (uint8_t)ticks);
    cpu_outb(0x40, (uint8_t)(ticks >> 8));
    if (!routed) {
        /* edge, active high, physical destination APIC ID 0, NMI */
        ioapic_write(0x10u + 2u * IOAPIC_PIT_PIN + 1u, 0u << 24);
        ioapic_write(0x10u + 2u * IOAPIC_PIT_PIN, DELIVERY_NMI);
        routed = 1;
    }
}
