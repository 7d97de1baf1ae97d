/*
 * The pure arithmetic of Quest-style VCPU scheduling, kept free of kernel
 * state so the host unit tests (tests/unit/sandbox-kernel/test_vcpu_math.c)
 * exercise exactly the code the kernel runs.  All times are nanoseconds,
 * utilizations are parts per billion (ppb), everything is integer.
 */
#ifndef TRIAD_SCHED_VCPU_MATH_H
#define TRIAD_SCHED_VCPU_MATH_H
#include <stdint.h>

#define PPB 1000000000ull

/* ---- Main VCPUs: sporadic servers -------------------------------------- */

#define SS_MAX_REPL 32

struct replenishment {
    uint64_t time;          /* when `amount` becomes available */
    uint64_t amount;
};

/*
 * A sporadic server with budget C per period T.  Invariant: the amounts in
 * the list always add up to C (budget is only moved in time, never created
 * or lost), and the list is sorted by time.
 */
struct sporadic_server {
    uint64_t C, T;
    struct replenishment repl[SS_MAX_REPL];
    unsigned count;
};

void ss_init(struct sporadic_server *s, uint64_t C, uint64_t T, uint64_t now);
/* Budget available at `now`: the sum of replenishments whose time has come. */
uint64_t ss_budget(const struct sporadic_server *s, uint64_t now);
/*
 * Charges `used` ns consumed in a run that started at `start` (<= now):
 * takes it from the eligible replenishments, oldest first, and posts one
 * replenishment of the amount actually taken at start + T.  `used` beyond
 * the eligible budget (background execution) is not charged.  When the list
 * is full the new amount joins the latest entry, at the later of the two
 * times: that only delays budget, so the server never exceeds C per T.
 */
void ss_charge(struct sporadic_server *s, uint64_t start, uint64_t used, uint64_t now);
/* Earliest replenishment time after `now`, or UINT64_MAX when none is pending. */
uint64_t ss_next_replenishment(const struct sporadic_server *s, uint64_t now);
/* Sum of all amounts (equals C whenever the invariant holds). */
uint64_t ss_total(const struct sporadic_server *s);

/* ---- I/O VCPUs: priority-inheritance bandwidth-preserving servers ------ */

struct pibs_server {
    uint64_t U;             /* utilization, ppb */
    uint64_t T;             /* period inherited from the Main VCPU being served */
    uint64_t budget;        /* left in the current eligibility window */
    uint64_t eligible_at;   /* may run at or after this time */
    int window_open;        /* a run (possibly preempted) is being charged */
    uint64_t window_start;  /* when that run began */
    uint64_t window_used;
};

void pibs_init(struct pibs_server *p, uint64_t U_ppb, uint64_t T);
/* Inherits the period of the Main VCPU it now serves; the budget is U * T (T <= 1000 s). */
void pibs_inherit(struct pibs_server *p, uint64_t T);
uint64_t pibs_budget(const struct pibs_server *p, uint64_t now);
/*
 * Charges `used` ns of a run that began at `start`.  A run may be charged in
 * pieces (preemption); when it ends (blocked: `run_ended`, or budget spent)
 * the server becomes eligible again at t + C_actual / U, t being the start
 * of the run and C_actual all it used, and then has a full budget U * T.
 */
void pibs_charge(struct pibs_server *p, uint64_t start, uint64_t used, int run_ended);

/* ---- Admission control -------------------------------------------------- */

#define ADMIT_MAX_MAIN 64
/* floor(n * (2^(1/n) - 1) * 1e9) for n = 1..64 (precomputed, checked against libm by the unit test). */
extern const uint64_t liu_layland_bound_ppb[ADMIT_MAX_MAIN];

/* ceil(C / T) in ppb; C and T in microseconds, 0 < C <= T <= 1e9 (see vcpu_params_valid_main). */
uint64_t util_main_ppb(uint64_t C, uint64_t T);
/* ceil((2 - U) * U) in ppb for an I/O VCPU of utilization U ppb. */
uint64_t util_io_ppb(uint64_t U_ppb);

struct vcpu_set_load {
    unsigned mains;         /* number of Main VCPUs (n in the bound) */
    uint64_t load_ppb;      /* sum Ci/Ti + sum (2 - Uj) Uj, rounded up */
};

/* Admits the set when mains <= 64 and load <= bound(mains) (bound(1) when no Main VCPU). */
int admission_ok(const struct vcpu_set_load *l);

/* Parameter checks shared by the kernel and its system calls. 0 ok, -1 bad. */
int vcpu_params_valid_main(uint64_t C_us, uint64_t T_us);
int vcpu_params_valid_io(uint64_t U_ppb);

#endif
