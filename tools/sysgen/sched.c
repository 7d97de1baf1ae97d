#include <math.h>
#include "sched.h"

struct core_load core_load(const struct triad_sandbox *sb, unsigned core)
{
    struct core_load l = { 0, 0.0, 0.0, -1 };
    for (unsigned i = 0; i < sb->main_vcpu_count && i < TRIAD_MAX_MAIN_VCPUS; i++) {
        const struct triad_main_vcpu *v = &sb->main_vcpus[i];
        if (v->core != core || v->period_us == 0)
            continue;
        l.vcpus++;
        l.utilization += (double)v->budget_us / (double)v->period_us;
    }
    for (unsigned i = 0; i < sb->io_vcpu_count && i < TRIAD_MAX_IO_VCPUS; i++) {
        const struct triad_io_vcpu *v = &sb->io_vcpus[i];
        if (v->core != core)
            continue;
        double u = (double)v->utilization_ppm / 1e6;
        l.vcpus++;
        l.utilization += (2.0 - u) * u;
    }
    if (l.vcpus > 0)
        l.bound = (double)l.vcpus * (pow(2.0, 1.0 / (double)l.vcpus) - 1.0);
    return l;
}

/* Budgets are whole microseconds and utilizations whole millionths, so a
   set that meets the bound exactly must not fail on rounding: allow 1e-9. */
bool core_load_fits(const struct core_load *l)
{
    return l->vcpus == 0 || l->utilization <= l->bound + 1e-9;
}
