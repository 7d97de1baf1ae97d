/* Virtual legacy devices (see legacy.h). */
#include "legacy.h"
#include "cpu.h"
#include "monitor.h"

#define PIT_HZ 1193182u

struct pit2 { uint64_t start_tsc, count; uint8_t low, have_low, gate; };
static struct pit2 pit2[MAX_CORES];

int legacy_io(struct core *c, struct guest_regs *regs, uint64_t q)
{
    const uint16_t port = (uint16_t)(q >> 16);
    const int in = (q >> 3) & 1, string = (q >> 4) & 1, size = (int)(q & 7) + 1;
    if (string || size != 1 || c->index >= MAX_CORES)
        return 0;
    struct pit2 *p = &pit2[c->index];
    const uint8_t value = (uint8_t)regs->rax;
    uint8_t result = 0;
    switch (port) {
    case 0x20: case 0x21: case 0xA0: case 0xA1:
        result = 0xFF;                  /* every line masked, nothing pending */
        break;
    case 0x43:
        if (!in && (value >> 6) == 2)   /* channel 2 reprogrammed: wait for the count */
            p->have_low = 0;
        break;
    case 0x42:
        if (!in && !p->have_low) {
            p->low = value;
            p->have_low = 1;
        } else if (!in) {
            p->count = p->low | ((uint64_t)value << 8);
            p->start_tsc = cpu_rdtsc();
            p->have_low = 0;
        }
        break;
    case 0x61:
        if (!in) {
            p->gate = value & 3;
        } else {
            const uint64_t elapsed = cpu_rdtsc() - p->start_tsc;
            const uint64_t needed = p->count * tsc_khz * 1000u / PIT_HZ;
            result = (uint8_t)(p->gate | (elapsed >= needed ? 0x20 : 0));
        }
        break;
    default:
        return 0;
    }
    if (in)
        regs->rax = (regs->rax & ~0xFFull) | result;
    return 1;
}
