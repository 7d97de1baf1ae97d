/* Sporadic-server, PIBS and admission arithmetic: see vcpu_math.h. */
#include "vcpu_math.h"

const uint64_t liu_layland_bound_ppb[ADMIT_MAX_MAIN] = {
    1000000000, 828427124, 779763149, 756828460, 743491774, 734772289,
    728626595, 724061861, 720537650, 717734625, 715451983, 713557132,
    711958994, 710592941, 709411842, 708380518, 707472181, 706666068,
    705945844, 705298476, 704713443, 704182154, 703697529, 703253679,
    702845666, 702469318, 702121087, 701797935, 701497247, 701216759,
    700954503, 700708756, 700478008, 700260925, 700056329, 699863173,
    699680522, 699507544, 699343489, 699187684, 699039522, 698898454,
    698763983, 698635656, 698513062, 698395825, 698283602, 698176077,
    698072961, 697973989, 697878916, 697787516, 697699580, 697614915,
    697533341, 697454693, 697378816, 697305565, 697234808, 697166418,
    697100278, 697036281, 696974322, 696914307,
};

void ss_init(struct sporadic_server *s, uint64_t C, uint64_t T, uint64_t now)
{
    s->C = C;
    s->T = T;
    s->count = 1;
    s->repl[0].time = now;
    s->repl[0].amount = C;
}

uint64_t ss_budget(const struct sporadic_server *s, uint64_t now)
{
    uint64_t b = 0;
    for (unsigned i = 0; i < s->count && s->repl[i].time <= now; i++)
        b += s->repl[i].amount;
    return b;
}

uint64_t ss_total(const struct sporadic_server *s)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < s->count; i++)
        t += s->repl[i].amount;
    return t;
}

static void remove_head(struct sporadic_server *s)
{
    for (unsigned i = 1; i < s->count; i++)
        s->repl[i - 1] = s->repl[i];
    s->count--;
}

static void insert_sorted(struct sporadic_server *s, uint64_t time, uint64_t amount)
{
    if (amount == 0)
        return;
    if (s->count == SS_MAX_REPL) {
        struct replenishment *last = &s->repl[s->count - 1];
        if (time > last->time)
            last->time = time;
        last->amount += amount;
        return;
    }
    unsigned i = s->count;
    while (i > 0 && s->repl[i - 1].time > time) {
        s->repl[i] = s->repl[i - 1];
        i--;
    }
    s->repl[i].time = time;
    s->repl[i].amount = amount;
    s->count++;
}

void ss_charge(struct sporadic_server *s, uint64_t start, uint64_t used, uint64_t now)
{
    uint64_t taken = 0;
    while (used > 0 && s->count > 0 && s->repl[0].time <= now) {
        uint64_t part = used < s->repl[0].amount ? used : s->repl[0].amount;
        s->repl[0].amount -= part;
        used -= part;
        taken += part;
        if (s->repl[0].amount == 0)
            remove_head(s);
    }
    insert_sorted(s, start + s->T, taken);
}

uint64_t ss_next_replenishment(const struct sporadic_server *s, uint64_t now)
{
    for (unsigned i = 0; i < s->count; i++)
        if (s->repl[i].time > now)
            return s->repl[i].time;
    return UINT64_MAX;
}

/* Budget U * T without 128-bit division (the kernel does not link libgcc):
   T is taken in microseconds, so T_us * U_ppb stays below 2^64 for T <= 1000 s. */
static uint64_t pibs_full_budget(const struct pibs_server *p)
{
    return (p->T / 1000) * p->U / 1000000;
}

void pibs_init(struct pibs_server *p, uint64_t U_ppb, uint64_t T)
{
    p->U = U_ppb;
    p->eligible_at = 0;
    p->window_open = 0;
    p->window_start = 0;
    pibs_inherit(p, T);
}

void pibs_inherit(struct pibs_server *p, uint64_t T)
{
    p->T = T;
    if (!p->window_open)
        p->budget = pibs_full_budget(p);
}

uint64_t pibs_budget(const struct pibs_server *p, uint64_t now)
{
    return now >= p->eligible_at ? p->budget : 0;
}

/* ceil(used / U) in ns with U in ppb, saturating instead of overflowing. */
static uint64_t pibs_cost(uint64_t used, uint64_t U)
{
    if (U == 0)
        return UINT64_MAX / 2;
    uint64_t q = used / U, r = used % U;
    if (q > (UINT64_MAX / 2) / PPB)
        return UINT64_MAX / 2;
    return q * PPB + (r * PPB + U - 1) / U;
}

void pibs_charge(struct pibs_server *p, uint64_t start, uint64_t used, int run_ended)
{
    if (!p->window_open) {
        p->window_open = 1;
        p->window_start = start;
        p->window_used = 0;
    }
    if (used > p->budget)
        used = p->budget;
    p->budget -= used;
    p->window_used += used;
    if (run_ended || p->budget == 0) {
        p->eligible_at = p->window_start + pibs_cost(p->window_used, p->U);
        p->window_open = 0;
        p->budget = pibs_full_budget(p);
    }
}

uint64_t util_main_ppb(uint64_t C, uint64_t T)
{
    /* C and T in microseconds (C <= T <= 1e9): C * 1e9 fits in 64 bits. */
    return (C * PPB + T - 1) / T;
}

uint64_t util_io_ppb(uint64_t U)
{
    return ((2 * PPB - U) * U + PPB - 1) / PPB;
}

int admission_ok(const struct vcpu_set_load *l)
{
    if (l->mains > ADMIT_MAX_MAIN)
        return 0;
    unsigned n = l->mains == 0 ? 1 : l->mains;
    return l->load_ppb <= liu_layland_bound_ppb[n - 1];
}

int vcpu_params_valid_main(uint64_t C_us, uint64_t T_us)
{
    /* T up to 1000 s keeps every ns product inside 64 bits. */
    return (C_us > 0 && T_us > 0 && C_us <= T_us && T_us <= 1000000000ull) ? 0 : -1;
}

int vcpu_params_valid_io(uint64_t U_ppb) { return (U_ppb > 0 && U_ppb <= PPB) ? 0 : -1; }
